"""A site with activity behind every page, for the tests that read every page."""

from __future__ import annotations

import pytest

from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery
from helpcenter.support.requests import forget
from tests.helpers import LANGUAGES, Activity


@pytest.fixture
def site(app, basic):
    """The basic articles, a stale one, and activity behind every staff page: searches with
    and without results, votes, a request with pending deliveries and an erased one."""
    basic.article("en/payments/old.md", "Old terms", "Text.\n", review_by="2026-01-02")
    basic.commit()
    activity = Activity(app)
    for lang in LANGUAGES:
        activity.search(lang, "password", 2, clicked="account/reset-password")
        activity.search(lang, "sofa legs", 0, visitor="v2")
        activity.view(lang, "account/reset-password")
        activity.contact(lang, "account/reset-password", email=f"{lang}@example.com")
    activity.votes(
        "en",
        "account/reset-password",
        yes=1,
        no=2,
        reason="unclear",
        comment="The link had expired",
    )
    activity.contact("pl", "payments/methods", email="erased@example.com")
    with app.app_context():
        request = db.session.scalars(
            db.select(ContactRequest).filter_by(email="pl@example.com")
        ).one()
        db.session.add(Delivery(request=request, channel="webhook", state="pending", attempts=1))
        db.session.add(Delivery(request=request, channel="email", state="pending", attempts=3))
        db.session.commit()
        forget("erased@example.com")
        references = [r.reference for r in db.session.scalars(db.select(ContactRequest))]
    return app, references
