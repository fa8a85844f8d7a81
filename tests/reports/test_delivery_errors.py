"""A delivery's last error on the request's staff page: a localized summary a support lead can
act on, with the mail server's own words kept for the technician."""

from __future__ import annotations

import html

import pytest

from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery, error_summary


@pytest.mark.parametrize(
    ("kind", "summary"),
    [
        ("smtp-connection", "could not connect to the mail server"),
        ("smtp-refused", "the mail server refused the message"),
        ("smtp-login", "the mail server did not accept the login"),
        ("webhook-status", "the webhook answered with an error"),
        ("webhook-unreachable", "could not connect to the webhook"),
        ("erased", "cancelled: the customer's personal data was erased"),
        (None, "the delivery failed"),
    ],
)
def test_stored_error_kinds_are_summarized_in_words(kind, summary):
    """The kind is data the outbox stored (transport.py's DeliveryError); the words for the
    technician are never read back (tests/support/test_delivery_error_kinds.py)."""
    assert error_summary(kind) == summary


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
