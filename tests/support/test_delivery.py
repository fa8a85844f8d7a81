"""Delivery to the support team and the customer's acknowledgement, through a real SMTP server
and a real webhook on loopback; a server that is down loses nothing and duplicates nothing."""

import datetime as dt
import hashlib
import hmac
import smtplib
import socket

import pytest
from sqlalchemy import select

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import Vote
from helpcenter.support.outbox import backoff, deliver_due
from helpcenter.support.transport import smtp_failure_kind
from tests.helpers import (
    SAME_ORIGIN,
    SUPPORT,
    csrf_token,
    free_port,
    logged_in_staff,
    mail_app,
    make_app,
    requests,
)


def vote_no_and_contact(
    client, lang: str = "en", message: str = "The reset link never came."
) -> str:
    """The customer's whole path: article -> No -> reason -> contact form -> sent."""
    voted = f"/{lang}/feedback/account/reset-password"
    client.post(voted, data={"helpful": "no"}, headers=SAME_ORIGIN)
    client.post(
        voted,
        data={
            "helpful": "no",
            "reason": "steps-failed",
            "comment": "Ana Nowak here, the link went to my old address.",
        },
        headers=SAME_ORIGIN,
    )
    page = client.get(voted).get_data(as_text=True)  # where the vote without JavaScript lands
    contact = f"/{lang}/contact?article=account/reset-password&amp;reason=steps-failed"
    assert contact in page
    url = contact.replace("&amp;", "&")
    form_page = client.get(url).get_data(as_text=True)
    about = form_page.split('name="about" type="text" value="')[1].split('"')[0]
    response = client.post(
        f"/{lang}/contact",
        data={
            "csrf_token": csrf_token(client, url),
            "email": "ana@example.com",
            "name": "Ana",
            "message": message,
            "about": about.replace("&amp;", "&"),
            "article": "account/reset-password",
            "reason": "steps-failed",
        },
    )
    assert response.status_code == 303
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_whole_flow_reaches_support_and_the_customer(tmp_path, basic, smtp):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    reference = vote_no_and_contact(app.test_client())
    services.kicker(app).wait()

    [to_support] = smtp.mailbox.to(SUPPORT)
    assert reference in to_support["Subject"]
    assert to_support["Reply-To"] == "Ana <ana@example.com>"
    body = to_support.get_content()
    assert "The reset link never came." in body
    assert "https://help.example.com/en/account/reset-password" in body
    assert "The steps did not work" in body

    [ack] = smtp.mailbox.to("ana@example.com")
    assert ack["Reply-To"] == SUPPORT  # a person can answer, no "no-reply"
    assert reference in ack["Subject"] and reference in ack.get_content()
    assert ack["Auto-Submitted"] == "auto-replied"
    # Only what the help center wrote: anyone can type any address into the form.
    assert ack["To"] == "ana@example.com"
    body = ack.get_content()
    assert body.startswith("Hello,") and "Ana" not in body
    assert "The reset link never came." not in body
    assert "https://help.example.com/en/account/reset-password" in body
    assert app.config["SUPPORT_HOURS"]["en"] in body
    [request] = requests(app)
    assert {d.channel: d.state for d in request.deliveries} == {
        "support-email": "sent",
        "acknowledgement": "sent",
    }


def test_acknowledgement_is_in_the_customers_language(tmp_path, basic, smtp):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    reference = vote_no_and_contact(app.test_client(), lang="he", message="לא קיבלתי קישור")
    services.kicker(app).wait()
    [ack] = smtp.mailbox.to("ana@example.com")
    body = ack.get_content()
    assert reference in body and app.config["SUPPORT_HOURS"]["he"] in body
    assert "Thank you for your message" not in body


def test_mail_server_down_loses_nothing_then_deliver_sends_each_message_once(tmp_path, basic, smtp):
    app = mail_app(tmp_path, basic, smtp.port)  # nothing listens on the port yet
    reference = vote_no_and_contact(app.test_client())
    services.kicker(app).wait()
    [request] = requests(app)
    assert request.reference == reference and request.message == "The reset link never came."
    for delivery in request.deliveries:
        assert (delivery.state, delivery.attempts) == ("pending", 1)
        assert "127.0.0.1" in delivery.last_error
        assert delivery.error_kind == "smtp-connection"  # data, never read back from the text

    runner = app.test_cli_runner()
    listing = runner.invoke(args=["requests", "--pending"]).output
    assert reference in listing and "pending (1 attempts" in listing

    result = runner.invoke(args=["deliver"])  # still down, and not due yet: nothing tried
    assert result.exit_code == 0 and "0 sent, 0 failed" in result.output

    smtp.start()
    result = runner.invoke(args=["deliver", "--retry-now"])
    assert result.exit_code == 0 and "2 sent, 0 failed" in result.output
    result = runner.invoke(args=["deliver", "--retry-now"])
    assert "0 sent, 0 failed" in result.output
    assert len(smtp.mailbox.to(SUPPORT)) == 1 and len(smtp.mailbox.to("ana@example.com")) == 1
    assert "support-email    sent" in runner.invoke(args=["requests"]).output


def test_failed_deliveries_back_off_and_retry_when_due(tmp_path, basic, smtp):
    app = mail_app(tmp_path, basic, smtp.port)
    vote_no_and_contact(app.test_client())
    services.kicker(app).wait()
    smtp.start()
    with app.app_context():
        now = dt.datetime.now(dt.UTC)
        assert deliver_due(now=now + dt.timedelta(seconds=10)).sent == 0  # waits 30 s
        assert deliver_due(now=now + dt.timedelta(seconds=31)).sent == 2
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_webhook_gets_the_request_as_signed_json(tmp_path, basic, webhook):
    app = make_app(
        tmp_path,
        basic.root,
        SUPPORT_WEBHOOK_URL=webhook.url,
        SUPPORT_WEBHOOK_SECRET="s3cret",
        PUBLIC_URL="https://help.example.com",
    )
    webhook.statuses = [503]  # the helpdesk is having a bad moment
    reference = vote_no_and_contact(app.test_client())
    services.kicker(app).wait()
    assert webhook.posts == []
    [request] = requests(app)
    assert request.deliveries[0].last_error == "webhook answered 503 Service Unavailable"
    assert request.deliveries[0].error_kind == "webhook-status"

    result = app.test_cli_runner().invoke(args=["deliver", "--retry-now"])
    assert "1 sent" in result.output
    [(payload, headers, body)] = webhook.posts
    assert payload["reference"] == reference and headers["Idempotency-Key"] == reference
    assert payload["message"] == "The reset link never came."
    assert payload["article"]["url"] == "https://help.example.com/en/account/reset-password"
    assert (payload["language"], payload["missing"]) == ("en", "steps-failed")
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Helpcenter-Signature"] == f"sha256={expected}"


def test_forget_erases_personal_data_and_cancels_pending_mail(tmp_path, basic):
    app = mail_app(tmp_path, basic, free_port())  # mail is down: deliveries stay pending
    client = app.test_client()
    vote_no_and_contact(client)
    vote_no_and_contact(client, message="Second try")
    services.kicker(app).wait()
    result = app.test_cli_runner().invoke(args=["forget", "ANA@example.com"])
    assert result.output.strip() == "Erased 2 contact requests from ANA@example.com."
    for request in requests(app):
        assert (request.email, request.name, request.message, request.about) == ("", "", "", "")
        assert request.forgotten_at is not None
        assert request.article_id == "account/reset-password"  # the anonymous context stays
        assert {(d.state, d.error_kind) for d in request.deliveries} == {("cancelled", "erased")}
    with app.app_context():  # what they wrote after "No" goes too; the vote itself stays
        assert [(v.helpful, v.reason, v.comment) for v in db.session.scalars(select(Vote))] == [
            (False, "steps-failed", None)
        ]
    result = app.test_cli_runner().invoke(args=["forget", "nobody@example.com"])
    assert "Erased 0 contact requests" in result.output


@pytest.mark.parametrize("config", [{}, {"DELIVERY_KICK": False}])
def test_without_channels_or_kick_the_request_is_still_stored(tmp_path, basic, config):
    app = make_app(tmp_path, basic.root, **config)
    reference = vote_no_and_contact(app.test_client())
    assert [r.reference for r in requests(app)] == [reference]


def test_a_silent_mail_server_times_out_and_is_retried(tmp_path, basic):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never says a word
    try:
        app = mail_app(tmp_path, basic, silent.getsockname()[1], MAIL_TIMEOUT=0.5)
        vote_no_and_contact(app.test_client())
        services.kicker(app).wait()
        [request] = requests(app)
        assert {(d.state, d.attempts) for d in request.deliveries} == {("pending", 1)}
        assert all("timed out" in d.last_error for d in request.deliveries)
        assert {d.error_kind for d in request.deliveries} == {"smtp-connection"}
    finally:
        silent.close()


def test_a_refusing_mail_server_loses_nothing(tmp_path, basic, smtp):
    smtp.mailbox.refuse = True  # answers 554 to every message
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    vote_no_and_contact(app.test_client())
    services.kicker(app).wait()
    [request] = requests(app)
    assert all("554" in d.last_error for d in request.deliveries)
    assert {d.error_kind for d in request.deliveries} == {"smtp-refused"}
    smtp.mailbox.refuse = False
    result = app.test_cli_runner().invoke(args=["deliver", "--retry-now"])
    assert "2 sent" in result.output and len(smtp.mailbox.messages) == 2


def test_staff_retry_a_delivery_from_the_request_page_once_mail_is_back(tmp_path, basic, smtp):
    app = mail_app(tmp_path, basic, smtp.port)  # nothing listens on the port yet
    reference = vote_no_and_contact(app.test_client())
    services.kicker(app).wait()
    staff = logged_in_staff(app)
    page = staff.get(f"/reports/requests/{reference}").get_data(as_text=True)
    assert "pending (1 attempt)" in page and "Try to deliver again now" in page
    retry = f"/reports/requests/{reference}/retry"
    assert staff.post(retry).status_code == 400  # no token: nothing is sent
    smtp.start()
    response = staff.post(
        retry, data={"csrf_token": csrf_token(staff, f"/reports/requests/{reference}")}
    )
    assert response.status_code == 303
    assert len(smtp.mailbox.to(SUPPORT)) == 1 and len(smtp.mailbox.to("ana@example.com")) == 1
    page = staff.get(f"/reports/requests/{reference}").get_data(as_text=True)
    assert "pending" not in page and "Try to deliver again now" not in page


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "smtp-connection"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "smtp-connection"),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed"), "smtp-login"),
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected"), "smtp-refused"),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}), "smtp-refused"),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported"), "setting"),
    ],
)
def test_each_mail_server_failure_is_stored_as_its_kind(failure, kind):
    """What the request's staff page summarizes (models.DELIVERY_ERRORS) is the failure's kind,
    taken from smtplib's exception, not from its words."""
    assert smtp_failure_kind(failure) == kind
