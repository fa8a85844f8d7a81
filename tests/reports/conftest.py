"""Hand-built activity with known answers for the report tests."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from helpcenter.activity.visits import record_escalation, record_visits
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery, Digest, PageView, SearchEvent, Vote
from helpcenter.search.searcher import clean_query, normalize_query
from helpcenter.support.requests import new_reference

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


class Activity:
    """Writes log rows straight into the database, at chosen times."""

    def __init__(self, app) -> None:
        self.app = app

    def _add(self, *rows) -> None:
        """Stores the rows and their visits, as the activity log and the contact form do."""
        with self.app.app_context():
            db.session.add_all(rows)
            record_visits(
                (row.created_at.date(), row.visitor, row.lang)
                for row in rows
                if isinstance(row, SearchEvent | PageView)
            )
            for row in rows:
                if isinstance(row, ContactRequest):
                    record_escalation(row.created_at.date(), row.visitor, row.lang)
            db.session.commit()

    def search(self, lang, query, results, *, visitor="v1", at=None, clicked=None) -> None:
        query = clean_query(query)  # as the search page logs it
        self._add(SearchEvent(
            key=uuid.uuid4().hex, created_at=at or days_ago(1), lang=lang, query=query,
            normalized=normalize_query(lang, query), result_count=results, page=1,
            visitor=visitor.ljust(32, "0"), clicked_article=clicked,
        ))  # fmt: skip

    def view(self, lang, article_id, *, visitor="v1", at=None) -> None:
        self._add(PageView(
            created_at=at or days_ago(1), lang=lang, article_id=article_id,
            visitor=visitor.ljust(32, "0"),
        ))  # fmt: skip

    def votes(self, lang, article_id, yes: int, no: int, reason=None, comment=None) -> None:
        rows = [
            Vote(article_id=article_id, lang=lang, visitor=f"{article_id}{helpful}{n}"[-32:],
                 helpful=helpful, reason=None if helpful else reason,
                 comment=None if helpful else comment,
                 created_at=days_ago(1), updated_at=days_ago(1))
            for helpful, count in ((True, yes), (False, no)) for n in range(count)
        ]  # fmt: skip
        self._add(*rows)

    def contact(self, lang, article_id=None, *, visitor="v1", at=None, email="c@example.com",
                name="Cy", message="Help", about="", search_query=None, reason=None):  # fmt: skip
        self._add(ContactRequest(
            reference=new_reference(), created_at=at or days_ago(1),
            lang=lang, email=email, name=name, message=message, about=about,
            article_id=article_id, search_query=search_query, reason=reason,
            visitor=visitor.ljust(32, "0"),
        ))  # fmt: skip


@pytest.fixture
def activity(app) -> Activity:
    return Activity(app)


def logged_in_staff(app):
    """A client logged in as a freshly created member of staff, through the real login form."""
    from helpcenter.staff import create_user
    from tests.support.conftest import csrf_token

    with app.app_context():
        create_user("lead@example.com", "correct horse battery")
    client = app.test_client()
    response = client.post(
        "/login", data={"csrf_token": csrf_token(client, "/login"), "email": "lead@example.com",
                        "password": "correct horse battery"},
    )  # fmt: skip
    assert response.status_code == 303
    return client


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
    activity.votes("en", "payments/methods", yes=2, no=3, reason="steps-failed",
                   comment="The button is not there")  # fmt: skip
    activity.votes("pl", "account/reset-password", yes=0, no=1, reason="unclear")
    activity.contact(
        "pl", "account/reset-password", visitor="b", reason="unclear", search_query="hasło"
    )
    activity.contact("en", visitor="a")
    with activity.app.app_context():
        first, second = db.session.scalars(db.select(ContactRequest).order_by(ContactRequest.id))
        db.session.add_all([
            Delivery(request=first, channel="support-email", state="sent"),
            Delivery(request=second, channel="support-email", state="pending", attempts=2,
                     last_error="SMTP 127.0.0.1:25: refused"),
            Digest(period="week", first_day=days_ago(10).date(), last_day=days_ago(4).date(),
                   deliveries=[Delivery(channel="digest", recipient="lead@example.com",
                                        lang="pl", attempts=1, last_error="SMTP refused")]),
        ])  # fmt: skip
        db.session.commit()
    return activity
