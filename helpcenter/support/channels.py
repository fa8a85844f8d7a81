"""What each delivery says: e-mail to the support team, the customer's acknowledgement, the
helpdesk webhook's payload, and the mail every message of the help center is made with
(`mail_message`, also the digest's). transport.py sends them. A message that cannot even be
built from the stored request (an address or name no header can hold) raises Undeliverable,
and retrying would never help.

Every message carries a stable identity (Message-ID, Idempotency-Key) made from the request's
reference, so that if a send succeeds but the process dies before recording it, the repeat
is recognisable as the same message by the mail client or helpdesk.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TypeVar
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..addresses import UnusableAddress, customer_address, plain_address
from ..labels import REASONS
from ..models import ContactRequest
from ..settings import text_in
from ..site_name import site_name
from ..typed_text import one_line, without_control_characters
from .transport import DeliveryError

SUPPORT_EMAIL = "support-email"
SUPPORT_WEBHOOK = "support-webhook"
ACKNOWLEDGEMENT = "acknowledgement"
DIGEST = "digest"

T = TypeVar("T")


class Undeliverable(Exception):
    """A message that can never be built from what the request holds (e.g. a row stored before
    the form checked addresses): retrying cannot help, so the delivery is marked failed.
    `kind` is its code in models.DELIVERY_ERRORS."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def configured_channels() -> list[str]:
    """The deliveries a new request needs under the current settings."""
    config = current_app.config
    channels = []
    if config["MAIL_SERVER"] and config["SUPPORT_EMAIL"]:
        channels.append(SUPPORT_EMAIL)
    if config["SUPPORT_WEBHOOK_URL"]:
        channels.append(SUPPORT_WEBHOOK)
    if config["MAIL_SERVER"]:
        channels.append(ACKNOWLEDGEMENT)
    return channels


def built(build: Callable[[], T]) -> T:
    """What `build` makes, with every error that says the stored request cannot make a valid
    message turned into Undeliverable (a DeliveryError, e.g. a setting to fix, stays one)."""
    try:
        return build()
    except UnusableAddress as exc:
        raise Undeliverable(
            "address", f"the customer's e-mail address cannot be used: {exc}"
        ) from exc
    except (ValueError, TypeError, MessageError) as exc:  # incl. UnicodeError, HeaderParseError
        raise Undeliverable(
            "unbuildable", f"the message cannot be built: {type(exc).__name__}: {exc}"
        ) from exc


def article_url(request: ContactRequest) -> str | None:
    if not request.article_id:
        return None
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/{request.lang}/{request.article_id}"


def customer_text(request: ContactRequest) -> dict[str, str]:
    """What the customer typed, as it may leave the help center: the one-line fields on one
    line and no direction controls anywhere. The form stores them so; this holds for rows
    stored before it did, so no stranger's line (an "Article:" link) reaches the team."""
    return {
        "name": one_line(request.name),
        "about": one_line(request.about),
        "search_query": one_line(request.search_query or ""),
        "message": without_control_characters(request.message),
    }


def _render(template: str, request: ContactRequest) -> str:
    """Mail bodies are rendered without a web request (they are sent from a background thread
    or the `deliver` command), so they get their values here, not from context processors."""
    lang = request.lang
    return current_app.jinja_env.get_template(template).render(
        request=request,
        typed=customer_text(request),
        site_name=site_name(lang),
        article_url=article_url(request),
        reason=str(REASONS[request.reason]) if request.reason in REASONS else None,
        support_hours=per_language("SUPPORT_HOURS", lang),
        response_time=per_language("RESPONSE_TIME", lang),
    )


def per_language(setting: str, lang: str) -> str:
    return text_in(current_app.config, setting, lang)


def support_message(request: ContactRequest) -> EmailMessage:
    """To the support team, in the default language, replying goes straight to the customer."""
    config = current_app.config
    typed = customer_text(request)
    with force_locale(config["DEFAULT_LANGUAGE"]):
        message = mail_message(
            to=configured_address("SUPPORT_EMAIL"),
            reply_to=customer_address(request.email, request.name),
            subject=f"[{request.reference}] {typed['about'] or typed['message'][:60]}",
            body=_render("mail/support.txt", request),
            identity=f"{request.reference}.support",
        )
    return message


def acknowledgement_message(request: ContactRequest) -> EmailMessage:
    """To the customer, in their language; Reply-To is the support team (no "no-reply").

    It carries only what the help center wrote (reference, hours, response time, the article's
    link): anybody can type any address into the form, so a name or message in it would let
    strangers send their text to anyone from the company's own address. For the same reason
    To: is the bare address, without the typed name."""
    with force_locale(request.lang):
        message = mail_message(
            to=Address(addr_spec=plain_address(request.email)),
            reply_to=configured_address("SUPPORT_EMAIL"),
            subject=_("We have your message (%(reference)s)", reference=request.reference),
            body=_render("mail/acknowledgement.txt", request),
            identity=f"{request.reference}.ack",
        )
        message["Auto-Submitted"] = "auto-replied"  # mail robots must not answer it
        return message


def mail_message(
    *,
    to: Address,
    reply_to: Address | Sequence[Address],
    subject: str,
    body: str,
    identity: str,
    html: str | None = None,
) -> EmailMessage:
    """A mail of the help center with every header a receiving server expects (RFC 5322: Date,
    Message-ID, From, To; MIME-Version and a charset), built only from validated addresses and
    text on one line, so nothing a customer typed can add a header. `identity` is stable for
    the message (a retry carries the same Message-ID), unique within the site's domain."""
    config = current_app.config
    sender = configured_address("MAIL_FROM")
    message = EmailMessage()
    # Called in the message's language (force_locale): the site's name in it.
    lang = str(get_locale() or config["DEFAULT_LANGUAGE"])
    message["From"] = Address(display_name=one_line(site_name(lang)), addr_spec=sender.addr_spec)
    message["To"] = to
    message["Reply-To"] = reply_to
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = f"<{identity}@{site_domain(sender)}>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    message.as_bytes()  # anything that cannot be serialized fails here, while building
    return message


def site_domain(sender: Address) -> str:
    """The domain a Message-ID is made unique under: the site's own (PUBLIC_URL's host, as
    IDNA), else the sender's; never the machine's host name, which says nothing to a mail
    filter and differs between the nodes that send for one site."""
    host = urlsplit(current_app.config["PUBLIC_URL"] or "").hostname
    if host:
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # not a name a Message-ID can hold: the sender's domain is
    return sender.domain


def configured_address(setting: str) -> Address:
    """An address from the settings. A wrong one is the operator's to fix, so it is a
    DeliveryError (retried once fixed), not the request's fault."""
    try:
        return Address(addr_spec=plain_address(current_app.config[setting]))
    except UnusableAddress as exc:
        raise DeliveryError(
            "setting", f"HELPCENTER_{setting} is not a plain e-mail address"
        ) from exc


def webhook_payload(request: ContactRequest) -> dict:
    typed = customer_text(request)
    return {
        "reference": request.reference,
        "created_at": request.created_at.isoformat(),
        "language": request.lang,
        "email": request.email,
        "name": typed["name"],
        "message": typed["message"],
        "about": typed["about"],
        "article": {"id": request.article_id, "url": article_url(request)}
        if request.article_id
        else None,
        "search_query": typed["search_query"] or None,
        "missing": request.reason,
    }


def webhook_body(request: ContactRequest) -> bytes:
    return json.dumps(webhook_payload(request), ensure_ascii=False).encode()
