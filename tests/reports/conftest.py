"""Hand-built activity with known answers for the report tests (tests/helpers.py: Activity)."""

from __future__ import annotations

import pytest

from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery, Digest
from tests.helpers import Activity, days_ago, logged_in_staff


@pytest.fixture
def activity(app) -> Activity:
    return Activity(app)


@pytest.fixture
def staff_client(app):
    return logged_in_staff(app)


@pytest.fixture
def every_kind_of_record(activity) -> Activity:
    """A morning of real use: searches with and without results and clicks in three languages,
    views (one of a fallback), votes with reasons and comments, contact requests with and
    without context, one delivered and one still pending, and last week's digest with a mail
    still owed (a delivery without a contact request)."""
    activity.search("en", "refund", 2, visitor="a", clicked="payments/methods")
    activity.search("pl", "hasło", 0, visitor="b")
    activity.search("he", "סיסמה", 1, visitor="c")
    activity.view("pl", "payments/methods", visitor="b")
    activity.view("he", "payments/declined", visitor="c")
    activity.votes(
        "en",
        "payments/methods",
        yes=2,
        no=3,
        reason="steps-failed",
        comment="The button is not there",
    )
    activity.votes("pl", "account/reset-password", yes=0, no=1, reason="unclear")
    activity.contact(
        "pl", "account/reset-password", visitor="b", reason="unclear", search_query="hasło"
    )
    activity.contact("en", visitor="a")
    with activity.app.app_context():
        first, second = db.session.scalars(db.select(ContactRequest).order_by(ContactRequest.id))
        db.session.add_all(
            [
                Delivery(request=first, channel="support-email", state="sent"),
                Delivery(
                    request=second,
                    channel="support-email",
                    state="pending",
                    attempts=2,
                    last_error="SMTP 127.0.0.1:25: refused",
                    error_kind="smtp-refused",
                ),
                Digest(
                    period="week",
                    first_day=days_ago(10).date(),
                    last_day=days_ago(4).date(),
                    deliveries=[
                        Delivery(
                            channel="digest",
                            recipient="lead@example.com",
                            lang="pl",
                            attempts=1,
                            last_error="SMTP refused",
                            error_kind="smtp-refused",
                        )
                    ],
                ),
            ]
        )
        db.session.commit()
    return activity
