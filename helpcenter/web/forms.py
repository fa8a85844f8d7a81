"""The customer's forms. Every one carries a CSRF token (Flask-WTF), a honeypot and size limits;
messages are localized and what was typed is kept when a form comes back with errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, ValidationError

from ..addresses import UnusableAddress, plain_address
from ..labels import REASONS
from ..typed_text import one_line, without_control_characters

MESSAGE_CHARS = 5000
COMMENT_CHARS = 1000


def _empty(form, field) -> None:
    if field.data:
        raise ValidationError(_l("Your message could not be sent. Please try again."))


def _typed(value):
    return without_control_characters(value) if isinstance(value, str) else value


def _one_line(value):
    return one_line(value) if isinstance(value, str) else value


def _plain_address(form, field) -> None:
    """Only a plain address (name@example.com) can go into a mail header as exactly itself:
    encoded words and the like would make the support team's replies go somewhere else.
    Stores the address as it will be written (an internationalized domain in ASCII)."""
    if field.errors or not field.data:
        return  # already told what is wrong with it
    try:
        field.data = plain_address(field.data)
    except UnusableAddress:
        raise ValidationError(
            _l(
                "We cannot send mail to this address. Please type only the address, like name@example.com."
            )
        ) from None


class Form(FlaskForm):
    """Every field of every form is cleaned of control characters before it is validated."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = (*unbound_field.kwargs.get("filters", ()), _typed)
            return unbound_field.bind(form=form, **options, filters=filters)


class HoneypotForm(Form):
    # Hidden from people (CSS, aria-hidden, tabindex=-1); bots fill every field.
    website = StringField(validators=[_empty])

    class Meta:
        csrf_time_limit = 12 * 3600  # a customer may take a long time to write

    @property
    def rejected(self) -> bool:
        """A forged or stale post (CSRF) or a bot (honeypot): not the customer's typing."""
        return bool(self.website.errors or (self.meta.csrf and self.csrf_token.errors))


class VoteForm(HoneypotForm):
    helpful = HiddenField(validators=[AnyOf(["yes", "no"])])
    reason = RadioField(
        _l("What was missing?"),
        choices=[SelectChoice(code, label) for code, label in REASONS.items()],
        validators=[Optional()],
        validate_choice=True,
    )
    comment = TextAreaField(
        _l("Anything else we should know? (optional)"),
        validators=[
            Optional(),
            Length(max=COMMENT_CHARS, message=_l("Please keep it under %(max)d characters.")),
        ],
    )
    # "contact": the reasons were sent with "Ask a person", which goes on to the contact form.
    then = HiddenField(validators=[Optional(), AnyOf(["contact"])])


class ContactForm(HoneypotForm):
    email = EmailField(
        _l("Your e-mail address"),
        validators=[
            DataRequired(_l("Please enter your e-mail address, so we can answer you.")),
            Length(max=254, message=_l("This e-mail address is too long.")),
            Email(
                _l("This does not look like an e-mail address: check it for typos."),
                check_deliverability=False,
            ),
            _plain_address,
        ],
    )
    name = StringField(
        _l("Your name (optional)"),
        validators=[
            Optional(),
            Length(max=100, message=_l("Please keep it under %(max)d characters.")),
        ],
        filters=[_one_line],  # it goes into a mail header, which a line break would end
    )
    about = StringField(
        _l("About"),
        validators=[
            Optional(),
            Length(max=300, message=_l("Please keep it under %(max)d characters.")),
        ],
        filters=[_one_line],  # a line break would add lines of the customer's own to the mail
    )
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Please tell us how we can help.")),
            Length(max=MESSAGE_CHARS, message=_l("Please keep it under %(max)d characters.")),
        ],
    )
    # Context carried from the article or search (shown as "about", sent along).
    article = HiddenField(validators=[Optional(), Length(max=200)])
    q = HiddenField(validators=[Optional(), Length(max=200)], filters=[_one_line])
    reason = HiddenField(validators=[Optional(), AnyOf([*REASONS, ""])])


class LoginForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=200)],
    )


class LogoutForm(Form):
    """Only the CSRF token: nobody can log a member of staff out from another site."""
