"""How a delivery is sent: e-mail to the support team, the customer's acknowledgement, and the
helpdesk webhook. Each raises DeliveryError on failure; the outbox retries later.

Every message carries a stable identity (Message-ID, Idempotency-Key) made from the request's
reference, so that if a send succeeds but the process dies before recording it, the repeat
is recognisable as the same message by the mail client or helpdesk.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..models import ContactRequest
from .feedback import REASONS

SUPPORT_EMAIL = "support-email"
SUPPORT_WEBHOOK = "support-webhook"
ACKNOWLEDGEMENT = "acknowledgement"


class DeliveryError(Exception):
    """A send that did not succeed (server down, refused, timed out); worth retrying."""


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


def send(channel: str, request: ContactRequest) -> None:
    if channel == SUPPORT_EMAIL:
        _send_mail(support_message(request))
    elif channel == ACKNOWLEDGEMENT:
        _send_mail(acknowledgement_message(request))
    elif channel == SUPPORT_WEBHOOK:
        _post_webhook(webhook_payload(request), request.reference)
    else:
        raise DeliveryError(f"unknown channel {channel!r}")


def article_url(request: ContactRequest) -> str | None:
    if not request.article_id:
        return None
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/{request.lang}/{request.article_id}"


def _render(template: str, request: ContactRequest) -> str:
    """Mail bodies are rendered without a web request (they are sent from a background thread
    or the `deliver` command), so they get their values here, not from context processors."""
    lang = request.lang
    return current_app.jinja_env.get_template(template).render(
        request=request,
        site_name=current_app.config["SITE_NAME"],
        article_url=article_url(request),
        reason=str(REASONS[request.reason]) if request.reason in REASONS else None,
        support_hours=per_language("SUPPORT_HOURS", lang),
        response_time=per_language("RESPONSE_TIME", lang),
    )


def per_language(setting: str, lang: str) -> str:
    values = current_app.config[setting]
    if isinstance(values, str):
        return values
    return values.get(lang) or values.get(current_app.config["DEFAULT_LANGUAGE"], "")


def support_message(request: ContactRequest) -> EmailMessage:
    """To the support team, in the default language, replying goes straight to the customer."""
    config = current_app.config
    with force_locale(config["DEFAULT_LANGUAGE"]):
        message = _message(
            to=config["SUPPORT_EMAIL"],
            reply_to=formataddr((request.name, request.email)),
            subject=f"[{request.reference}] {request.about or request.message[:60]}",
            body=_render("mail/support.txt", request),
            identity=f"{request.reference}.support",
        )
    return message


def acknowledgement_message(request: ContactRequest) -> EmailMessage:
    """To the customer, in their language; Reply-To is the support team (no "no-reply")."""
    with force_locale(request.lang):
        message = _message(
            to=formataddr((request.name, request.email)),
            reply_to=current_app.config["SUPPORT_EMAIL"],
            subject=_("We have your message (%(reference)s)", reference=request.reference),
            body=_render("mail/acknowledgement.txt", request),
            identity=f"{request.reference}.ack",
        )
        message["Auto-Submitted"] = "auto-replied"  # mail robots must not answer it
        return message


def _message(*, to: str, reply_to: str, subject: str, body: str, identity: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((config["SITE_NAME"], config["MAIL_FROM"]))
    message["To"] = to
    message["Reply-To"] = reply_to
    message["Subject"] = " ".join(subject.split())
    domain = config["MAIL_FROM"].rpartition("@")[2] or "helpcenter.invalid"
    message["Message-ID"] = f"<{identity}@{domain}>"
    message.set_content(body)
    return message


def _send_mail(message: EmailMessage) -> None:
    config = current_app.config
    timeout = float(config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_SSL"]:
            smtp = smtplib.SMTP_SSL(
                config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=timeout,
                context=ssl.create_default_context(),
            )  # fmt: skip
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=timeout)
        with smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {config['MAIL_SERVER']}:{config['MAIL_PORT']}: {exc}") from exc


def webhook_payload(request: ContactRequest) -> dict:
    return {
        "reference": request.reference,
        "created_at": request.created_at.isoformat(),
        "language": request.lang,
        "email": request.email,
        "name": request.name,
        "message": request.message,
        "about": request.about,
        "article": {"id": request.article_id, "url": article_url(request)}
        if request.article_id
        else None,
        "search_query": request.search_query,
        "missing": request.reason,
    }


def _post_webhook(payload: dict, reference: str) -> None:
    config = current_app.config
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
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
    try:
        with urllib.request.urlopen(http_request, timeout=float(config["MAIL_TIMEOUT"])) as reply:
            reply.read(1024)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook answered {exc.code} {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise DeliveryError(f"webhook unreachable: {exc}") from exc
