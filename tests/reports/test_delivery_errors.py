"""A delivery's last error on the request's staff page: a localized summary a support lead can
act on, with the mail server's own words kept for the technician."""

from __future__ import annotations

import html

import pytest

from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery, error_summary


@pytest.mark.parametrize(
    ("error", "summary"),
    [
        (
            "SMTP 127.0.0.1:2525: [Errno 111] Connection refused",
            "could not connect to the mail server",
        ),
        ("SMTP mail.example.com:25: timed out", "could not connect to the mail server"),
        (
            "SMTP 127.0.0.1:25: (554, b'5.7.1 Message rejected')",
            "the mail server refused the message",
        ),
        (
            "SMTP 127.0.0.1:25: {'a@example.com': (550, b'No such user')}",
            "the mail server refused the message",
        ),
        (
            "SMTP 127.0.0.1:25: (535, b'5.7.8 Authentication failed')",
            "the mail server did not accept the login",
        ),
        ("webhook answered 503 Service Unavailable", "the webhook answered with an error"),
        (
            "webhook unreachable: <urlopen error [Errno 111] Connection refused>",
            "could not connect to the webhook",
        ),
        ("personal data erased", "cancelled: the customer's personal data was erased"),
        ("something nobody foresaw", "the delivery failed"),
    ],
)
def test_stored_errors_are_summarized_in_words(error, summary):
    assert error_summary(error) == summary


def test_request_page_summarizes_the_error_in_the_readers_language(
    app, every_kind_of_record, staff_client
):
    with app.app_context():
        reference = db.session.scalar(
            db.select(ContactRequest.reference)
            .join(Delivery)
            .where(Delivery.last_error == "SMTP 127.0.0.1:25: refused")
        )
    polish = staff_client.get(
        f"/reports/requests/{reference}", headers={"Accept-Language": "pl"}
    ).get_data(as_text=True)
    assert "serwer poczty odrzucił wiadomość" in polish
    # The raw error stays one click away for the technician, never in place of the summary.
    assert '<details class="delivery-error"><summary>serwer poczty odrzucił wiadomość' in polish
    assert "SMTP 127.0.0.1:25: refused" in html.unescape(polish)
    english = staff_client.get(f"/reports/requests/{reference}").get_data(as_text=True)
    assert "the mail server refused the message</summary>" in english
