"""How a built message leaves the help center: by SMTP, or posted to the helpdesk webhook. Each
send is bounded as a whole (deadline.py); one that fails raises DeliveryError carrying what
kind of failure it was (models.DELIVERY_ERRORS) beside the words for the technician, and the
outbox retries it later.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage

from flask import current_app

from .deadline import SendDeadline, http_opener, smtp_connection

# A whole send may take this many times MAIL_TIMEOUT (connect, greeting, EHLO, STARTTLS, login,
# envelope, data: each answers in milliseconds from a server that works).
SEND_STEPS = 3

# The SMTP replies that refuse the login (RFC 4954: authentication required, too weak, wrong).
_LOGIN_REFUSED = {530, 534, 535}


class DeliveryError(Exception):
    """A send that did not succeed (server down, refused, timed out, a setting to fix); worth
    retrying. `kind` is its code in models.DELIVERY_ERRORS (None: unforeseen), stored beside
    the message."""

    def __init__(self, kind: str | None, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def send_deadline(config) -> float:
    """Seconds a whole send may take: MAIL_TIMEOUT bounds each step (connecting, each answer),
    this the conversation, which a server trickling a byte at a time could stretch for ever."""
    return SEND_STEPS * float(config["MAIL_TIMEOUT"])


def send_mail(message: EmailMessage) -> None:
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
                raise DeliveryError("smtp-connection", f"{server}: {_cut_off(deadline)}") from exc
            raise DeliveryError(smtp_failure_kind(exc), f"{server}: {exc}") from exc


def smtp_failure_kind(exc: OSError) -> str | None:
    """The kind of an SMTP failure (smtplib's errors are OSErrors too, so they come first)."""
    if isinstance(exc, smtplib.SMTPResponseException):  # the server answered with a refusal
        return "smtp-login" if exc.smtp_code in _LOGIN_REFUSED else "smtp-refused"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "smtp-refused"
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # STARTTLS or a login it does not offer
        return "setting"
    if isinstance(exc, smtplib.SMTPServerDisconnected) or not isinstance(
        exc, smtplib.SMTPException
    ):
        return "smtp-connection"
    return None


def _cut_off(deadline: SendDeadline) -> str:
    return f"no answer within {deadline.seconds:g} s (cut off)"


def post_webhook(body: bytes, reference: str) -> None:
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
    unreachable = "webhook-unreachable"
    with SendDeadline(send_deadline(config)) as deadline:
        try:
            with http_opener(deadline).open(
                http_request, timeout=float(config["MAIL_TIMEOUT"])
            ) as reply:
                reply.read(1024)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(
                "webhook-status", f"webhook answered {exc.code} {exc.reason}"
            ) from exc
        except (OSError, http.client.HTTPException) as exc:  # incl. URLError, TimeoutError
            if deadline.expired:
                raise DeliveryError(unreachable, f"webhook: {_cut_off(deadline)}") from exc
            raise DeliveryError(unreachable, f"webhook unreachable: {exc}") from exc
        if deadline.expired:  # http.client takes a cut-off header block for a whole one
            raise DeliveryError(unreachable, f"webhook: {_cut_off(deadline)}")
