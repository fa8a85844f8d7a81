"""How a delivery is sent: e-mail to the support team, the customer's acknowledgement, and the
helpdesk webhook. A send that fails raises DeliveryError and the outbox retries it later; a
message that cannot even be built from the stored request (an address or name no header can
hold) raises Undeliverable, and retrying would never help.

Every message carries a stable identity (Message-ID, Idempotency-Key) made from the request's
reference, so that if a send succeeds but the process dies before recording it, the repeat
is recognisable as the same message by the mail client or helpdesk.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from functools import partial
from typing import TypeVar

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..identity import site_name
from ..models import ContactRequest, Delivery
from ..settings import text_in
from ..typed_text import one_line, without_control_characters
from .addresses import UnusableAddress, customer_address, plain_address
from .deadline import SendDeadline, http_opener, smtp_connection
from .feedback import REASONS

SUPPORT_EMAIL = "support-email"
SUPPORT_WEBHOOK = "support-webhook"
ACKNOWLEDGEMENT = "acknowledgement"

T = TypeVar("T")


class DeliveryError(Exception):
    """A send that did not succeed (server down, refused, timed out, a setting to fix); worth
    retrying."""


class Undeliverable(Exception):
    """A message that can never be built from what the request holds (e.g. a row stored before
    the form checked addresses): retrying cannot help, so the delivery is marked failed."""


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


DIGEST = "digest"

# A whole send may take this many times MAIL_TIMEOUT (connect, greeting, EHLO, STARTTLS, login,
# envelope, data: each answers in milliseconds from a server that works).
SEND_STEPS = 3


def send_deadline(config) -> float:
    """Seconds a whole send may take: MAIL_TIMEOUT bounds each step (connecting, each answer),
    this the conversation, which a server trickling a byte at a time could stretch for ever."""
    return SEND_STEPS * float(config["MAIL_TIMEOUT"])


def prepare(delivery: Delivery) -> Callable[[], None]:
    """Builds what one outbox delivery owes, a contact request's message or a lead's digest,
    reading all it needs from the database now (Undeliverable if it cannot be built), and
    returns its send. The send needs no database, so the outbox makes it with no transaction
    open and no connection held (DeliveryError if it fails)."""
    if delivery.digest is not None:
        from .digest import digest_message  # the digest needs the reports; only load it here

        return partial(_send_mail, _built(lambda: digest_message(delivery)))
    request = delivery.request
    if delivery.channel == SUPPORT_WEBHOOK:
        body = _built(lambda: json.dumps(webhook_payload(request), ensure_ascii=False).encode())
        return partial(_post_webhook, body, request.reference)
    if delivery.channel in (SUPPORT_EMAIL, ACKNOWLEDGEMENT):
        build = support_message if delivery.channel == SUPPORT_EMAIL else acknowledgement_message
        return partial(_send_mail, _built(lambda: build(request)))
    raise Undeliverable(f"unknown channel {delivery.channel!r}")


def _built(build: Callable[[], T]) -> T:
    """What `build` makes, with every error that says the stored request cannot make a valid
    message turned into Undeliverable (a DeliveryError, e.g. a setting to fix, stays one)."""
    try:
        return build()
    except UnusableAddress as exc:
        raise Undeliverable(f"the customer's e-mail address cannot be used: {exc}") from exc
    except (ValueError, TypeError, MessageError) as exc:  # incl. UnicodeError, HeaderParseError
        raise Undeliverable(f"the message cannot be built: {type(exc).__name__}: {exc}") from exc


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
    reply_to: Address,
    subject: str,
    body: str,
    identity: str,
    html: str | None = None,
) -> EmailMessage:
    config = current_app.config
    sender = configured_address("MAIL_FROM")
    message = EmailMessage()
    # Called in the message's language (force_locale): the site's name in it.
    lang = str(get_locale() or config["DEFAULT_LANGUAGE"])
    message["From"] = Address(display_name=one_line(site_name(lang)), addr_spec=sender.addr_spec)
    message["To"] = to
    message["Reply-To"] = reply_to
    message["Subject"] = one_line(subject)
    message["Message-ID"] = f"<{identity}@{sender.domain}>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    message.as_bytes()  # anything that cannot be serialized fails here, while building
    return message


def configured_address(setting: str) -> Address:
    """An address from the settings. A wrong one is the operator's to fix, so it is a
    DeliveryError (retried once fixed), not the request's fault."""
    try:
        return Address(addr_spec=plain_address(current_app.config[setting]))
    except UnusableAddress as exc:
        raise DeliveryError(f"HELPCENTER_{setting} is not a plain e-mail address") from exc


def _send_mail(message: EmailMessage) -> None:
    config = current_app.config
    server = f"SMTP {config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    tls = ssl.create_default_context()
    with SendDeadline(send_deadline(config)) as deadline:
        try:
            smtp = smtp_connection(
                config["MAIL_SERVER"],
                int(config["MAIL_PORT"]),
                timeout=float(config["MAIL_TIMEOUT"]),
                tls=tls if config["MAIL_USE_SSL"] else None,
                deadline=deadline,
            )
            with smtp:
                if config["MAIL_USE_TLS"]:
                    smtp.starttls(context=tls)
                if config["MAIL_USERNAME"]:
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            if deadline.expired:
                raise DeliveryError(f"{server}: {_cut_off(deadline)}") from exc
            raise DeliveryError(f"{server}: {exc}") from exc


def _cut_off(deadline: SendDeadline) -> str:
    return f"no answer within {deadline.seconds:g} s (cut off)"


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


def _post_webhook(body: bytes, reference: str) -> None:
    config = current_app.config
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": reference,
        "User-Agent": "helpcenter",
    }
    if config["SUPPORT_WEBHOOK_SECRET"]:
        digest = hmac.new(config["SUPPORT_WEBHOOK_SECRET"].encode(), body, hashlib.sha256)
        headers["X-Helpcenter-Signature"] = f"sha256={digest.hexdigest()}"
    http_request = urllib.request.Request(
        config["SUPPORT_WEBHOOK_URL"], data=body, headers=headers, method="POST"
    )
    with SendDeadline(send_deadline(config)) as deadline:
        try:
            with http_opener(deadline).open(
                http_request, timeout=float(config["MAIL_TIMEOUT"])
            ) as reply:
                reply.read(1024)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"webhook answered {exc.code} {exc.reason}") from exc
        except (OSError, http.client.HTTPException) as exc:  # incl. URLError, TimeoutError
            if deadline.expired:
                raise DeliveryError(f"webhook: {_cut_off(deadline)}") from exc
            raise DeliveryError(f"webhook unreachable: {exc}") from exc
        if deadline.expired:  # http.client takes a cut-off header block for a whole one
            raise DeliveryError(f"webhook: {_cut_off(deadline)}")
