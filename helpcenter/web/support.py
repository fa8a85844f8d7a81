"""The customer's way to a human: article votes, the contact form and its confirmation."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from .. import services
from ..content.catalog import ArticleView
from ..extensions import db
from ..labels import REASONS
from ..support.channels import ACKNOWLEDGEMENT, configured_channels, per_language
from ..support.requests import RequestContext, create_request, find_request
from ..support.votes import find_vote, record_vote
from .catalog_access import current_catalog, urls
from .feedback_box import contact_link, feedback_context
from .forms import ContactForm, VoteForm
from .origin import Provenance, provenance
from .panel import article_link, posted_widget_page
from .recent_search import last_search, search_that_led_to
from .request_limits import (
    address_identity,
    client_network,
    limited,
    network_identity,
    visitor_identity,
)
from .security import private_page
from .visitor import visitor_id

bp = Blueprint("support", __name__)
log = logging.getLogger(__name__)

# Counted in the database (web/request_limits.py), so they hold across workers, nodes and restarts.
VOTE_LIMIT = "30/minute;200/day"
CONTACT_LIMIT = "5/minute;20/day"
# Per address as well, wider (an office or a mobile network puts many customers behind one
# address), for clients that make up a new visitor cookie for every post.
CONTACT_ADDRESS_LIMIT = "20/minute;200/day"
# A vote moves the reports a lead acts on: one address gets a few a minute (a person votes on
# an article or two per visit), and its network (networks.py: an IPv6 client changes its
# address at will inside its block) a few times that.
VOTE_ADDRESS_LIMIT = "10/minute;100/day"
VOTE_NETWORK_LIMIT = "30/minute;300/day"


@bp.post("/<lang:lang>/feedback/<path:article_id>")
@private_page
# Fails open: a vote is worth less than the customer's way to the article's answer.
@limited(
    "vote",
    (VOTE_LIMIT, visitor_identity),
    (VOTE_ADDRESS_LIMIT, address_identity),
    (VOTE_NETWORK_LIMIT, network_identity),
    fail_open=True,
)
def vote(lang: str, article_id: str):
    """The vote from the article's feedback box. The article page is cached and shared, so the
    form carries no token: the post must come from our own pages (web/origin.py). A browser
    that says neither way gets a page of ours asking to confirm, with a token and the answer
    kept; a post from another site is refused."""
    view = current_catalog().find(lang, article_id)
    if view is None:
        abort(404)
    form = VoteForm(meta={"csrf": False})
    if not form.validate():
        abort(400)  # a bot, or beyond the limits the page itself enforces
    where = provenance()
    if where is Provenance.CROSS_SITE:
        abort(403)
    if where is Provenance.UNKNOWN and not _confirmed_with_token():
        return _confirm_vote(view), 403
    try:
        record_vote(
            article_id=article_id,
            lang=lang,
            visitor=visitor_id(),
            network=client_network(),
            helpful=form.helpful.data == "yes",
            reason=form.reason.data or None,
            comment=form.comment.data,
            widget_page=posted_widget_page(),
        )
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not store a vote")
        abort(503)  # the page says so; the visitor can vote again
    if request.headers.get("X-Requested-With") == "fetch":
        return render_template("_feedback.html", **feedback_context(lang, article_id, visitor_id()))
    if form.then.data == "contact" and form.helpful.data == "no":
        # "Ask a person" under the reasons: what they wrote is stored, and goes on with them.
        return redirect(contact_link(lang, article_id, form.reason.data), code=303)
    # The next step is on a page of its own (private): the article itself is the same for all.
    return redirect(url_for("support.voted", lang=lang, article_id=article_id), code=303)


def _confirmed_with_token() -> bool:
    """The vote was sent again from the confirmation page (_confirm_vote), with its token."""
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:
        return False
    return True


def _confirm_vote(view: ArticleView) -> str:
    """For a browser that does not say where its post comes from: what it sent, kept in a form
    of ours with a token, and one button to send it. Nothing is stored until it is pressed."""
    form = VoteForm()  # the posted answer, and a token for this visitor's session
    return render_template(
        "vote_confirm.html",
        form=form,
        view=view,
        action=request.path,
        article_link=urls.article(view.lang, view.article.id),
    )


@bp.get("/<lang:lang>/feedback/<path:article_id>")
@private_page
def voted(lang: str, article_id: str):
    """Where a vote without JavaScript lands: the article's feedback box at this visitor's
    step (thanks, the reasons, the way to a human), on a page only they see."""
    view = current_catalog().find(lang, article_id)
    if view is None:
        abort(404)
    return render_template(
        "voted.html",
        view=view,
        article_link=article_link(lang, article_id),  # in the widget's panel, the panel's
        **feedback_context(lang, article_id, visitor_id()),
    )


@bp.route("/<lang:lang>/contact", methods=["GET", "POST"])
@private_page
# Fails closed: when the database cannot count, it cannot store the request either (503).
@limited(
    "contact",
    (CONTACT_LIMIT, visitor_identity),
    (CONTACT_ADDRESS_LIMIT, address_identity),
    fail_open=False,
)
def contact(lang: str):
    form = ContactForm()
    visitor_id()  # issued with the form, so the post is limited per visitor from the start
    focus = None
    if request.method == "GET":
        _prefill(form, lang)
        focus = _first_empty_field(form) if _CONTEXT_ARGS & request.args.keys() else None
    elif form.validate():
        view = _known_article(lang, form.article.data)
        context = RequestContext(
            lang=lang,
            about=form.about.data or "",
            article_id=view.article.id if view else None,
            search_query=form.q.data or None,
            reason=form.reason.data or None,
            widget_page=posted_widget_page(),
        )
        try:
            stored = create_request(
                email=form.email.data,
                name=form.name.data or "",
                message=form.message.data,
                context=context,
                visitor=visitor_id(),
                network=client_network(),
                channels=configured_channels(),
            )
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("could not store a contact request")
            abort(503)  # refused_with_text shows the form again with what was typed
        if current_app.config["DELIVERY_KICK"] and stored.deliveries:
            services.kicker().kick(stored.id)
        return redirect(url_for("support.sent", lang=lang, reference=stored.reference), code=303)
    status = 400 if form.errors else 200
    return render_contact(form, lang, focus=focus), status


# A link that carries context ("Ask a person" after "No", "Ask our support team" on a search
# with no results, "write again") is a decision to write: the page starts in the form.
_CONTEXT_ARGS = {"article", "q", "again"}


def _first_empty_field(form: ContactForm) -> str | None:
    """The field the page opens in (autofocus): the first required one still empty."""
    return next((field.name for field in (form.email, form.message) if not field.data), None)


def render_contact(
    form: ContactForm, lang: str, notice: str | None = None, focus: str | None = None
) -> str:
    if form.rejected and notice is None:
        notice = _("The form had expired or could not be checked. Please send it again.")
    reason = form.reason.data if form.reason.data in REASONS else ""
    return render_template(
        "contact.html",
        form=form,
        notice=notice,
        suggest_url=url_for("search.suggest"),
        support_email=current_app.config["SUPPORT_EMAIL"],
        # The carried context, shown as a summary above the fields.
        about_article=_known_article(lang, form.article.data),
        about_reason=REASONS[reason] if reason else None,
        focus=focus,
    )


def _prefill(form: ContactForm, lang: str) -> None:
    """The context from the link that led here (?article=…&q=…&reason=…), the search that led
    the visitor there (_carried_search) and what they wrote after "No" as the start of their
    message; or, from the confirmation's "not right? write again" (?again=reference), the
    request the same visitor just sent, to correct the e-mail address."""
    args = request.args
    again = _own_request(args.get("again", ""))
    if again is not None:
        form.email.data, form.name.data, form.message.data = again.email, again.name, again.message
        form.article.data, form.q.data = again.article_id or "", again.search_query or ""
        form.reason.data, form.about.data = again.reason or "", again.about
        return
    view = _known_article(lang, args.get("article", ""))
    article_id = view.article.id if view else None
    query = " ".join((args.get("q") or _carried_search(lang, article_id)).split())[:200]
    reason = args.get("reason", "") if args.get("reason", "") in REASONS else ""
    form.article.data, form.q.data, form.reason.data = article_id or "", query, reason
    form.message.data = _comment_after_no(article_id)
    about = []
    if view:
        about.append(view.article.title)
    if reason:
        about.append(str(REASONS[reason]))
    if query:
        about.append(_("Search: %(query)s", query=query))
    form.about.data = " — ".join(about)[:300]


def _comment_after_no(article_id: str | None) -> str:
    """What this visitor wrote after "No" on the article, to start their message with (they
    can change it): read from their stored vote, so it never travels in a URL."""
    if not article_id:
        return ""
    try:
        vote = find_vote(visitor_id(), article_id)
    except SQLAlchemyError:  # the form still works; they type it again
        db.session.rollback()
        log.exception("could not read a vote's comment for the contact form")
        return ""
    return vote.comment if vote is not None and not vote.helpful and vote.comment else ""


def _carried_search(lang: str, article_id: str | None) -> str:
    """The search to carry when the link names none: from an article, only the search whose
    results led to it in this visit (an earlier search may have nothing to do with it);
    otherwise the visitor's last search in this visit."""
    return search_that_led_to(lang, article_id) if article_id else last_search(lang)


def _known_article(lang: str, article_id: str | None) -> ArticleView | None:
    """The article a form or link names, if it exists (ids are not trusted)."""
    if not article_id or len(article_id) > 200:
        return None
    return current_catalog().find(lang, article_id)


def _own_request(reference: str):
    """The request with this reference if this visitor sent it (and it is not erased): only
    its sender sees the address and the text again."""
    if not reference or len(reference) > 20:
        return None
    stored = find_request(reference)
    if stored is None or stored.forgotten_at is not None or stored.visitor != visitor_id():
        return None
    return stored


@bp.get("/<lang:lang>/contact/sent/<reference>")
@private_page
def sent(lang: str, reference: str):
    stored = find_request(reference)
    if stored is None:
        abort(404)
    own = _own_request(reference)
    return render_template(
        "contact_sent.html",
        reference=stored.reference,
        email=own.email if own else None,
        write_again=url_for("support.contact", lang=lang, again=reference) if own else None,
        back_article=_known_article(lang, stored.article_id),
        back_query=stored.search_query,
        support_hours=per_language("SUPPORT_HOURS", lang),
        response_time=per_language("RESPONSE_TIME", lang),
        acknowledged=any(
            d.channel == ACKNOWLEDGEMENT and d.state != "cancelled" for d in stored.deliveries
        ),
    )


@bp.errorhandler(429)
@bp.errorhandler(503)
def refused_with_text(error: HTTPException):
    """Over a rate limit, or the database cannot count or store a contact request: the contact
    form comes back with everything typed and says what to do."""
    headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else {}
    if request.endpoint != "support.contact" or request.method != "POST":
        return render_template("errors/generic.html", error=error), error.code, headers
    form = ContactForm()
    form.validate()
    if error.code == 429:
        notice = _(
            "You have sent several messages in a short time. Please wait a few minutes and send it again."
        )
    else:
        notice = _(
            "We could not save your message just now. Your text is still here: "
            "please send it again in a minute."
        )
    return render_contact(form, request.view_args["lang"], notice), error.code, headers
