"""The page-view beacon (web/beacon.py): what a cached page cannot do for itself."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import PageView
from helpcenter.reports import rollup_counts
from helpcenter.reports.report import Period
from tests.helpers import SAME_ORIGIN, beacon

ARTICLE = "account/reset-password"


def report_views(app) -> dict[tuple[str, str], int]:
    """The article views the leads' reports count."""
    services.search_log(app).flush()
    with app.app_context():
        return dict(rollup_counts.views(Period.from_dates(None, None)))


def stored_views(app) -> int:
    services.search_log(app).flush()
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PageView))


def test_a_view_reported_by_the_beacon_counts_once_in_the_reports(app, client):
    assert client.get(f"/en/{ARTICLE}").status_code == 200
    assert stored_views(app) == 0  # the page may have come from a cache: it counts nothing
    load = uuid.uuid4().hex
    first = beacon(client, "en", ARTICLE, nonce=load)
    again = beacon(client, "en", ARTICLE, nonce=load)  # a retry of the same page load
    assert first.json["counted"] is True and again.json["counted"] is False
    assert report_views(app) == {("en", ARTICLE): 1}
    assert beacon(client, "en", ARTICLE).json["counted"] is True  # the page read again
    assert report_views(app) == {("en", ARTICLE): 2}


def test_a_beacon_without_a_page_load_nonce_counts_nothing(app, client):
    for nonce in ("", "not-hex", "A" * 32):
        response = client.post(
            "/beacon", data={"lang": "en", "article": ARTICLE, "nonce": nonce}, headers=SAME_ORIGIN
        )
        assert response.status_code == 200 and response.json["counted"] is False
    assert stored_views(app) == 0


def test_an_untranslated_article_is_counted_as_a_fallback_in_the_readers_language(app, client):
    """payments/declined has no Polish translation: a Polish reader gets the English one."""
    assert beacon(client, "pl", "payments/declined").json["counted"]
    assert beacon(client, "pl", ARTICLE).json["counted"]
    services.search_log(app).flush()
    with app.app_context():
        views = {(v.lang, v.article_id, v.fallback) for v in db.session.scalars(select(PageView))}
    assert views == {("pl", "payments/declined", True), ("pl", ARTICLE, False)}


def test_the_beacon_issues_the_visitor_and_language_cookies_and_is_private(client):
    first = beacon(client, "he", ARTICLE)
    cookies = first.headers.getlist("Set-Cookie")
    assert any(c.startswith("hc_visitor=") for c in cookies)
    assert any(c.startswith("hc_lang=he") for c in cookies)
    assert all("SameSite=Lax" in c and "HttpOnly" in c for c in cookies)
    assert first.headers["Cache-Control"] == "private, no-store"
    again = beacon(client, "he", ARTICLE)
    assert not any(
        c.startswith(("hc_visitor=", "hc_lang=")) for c in again.headers.getlist("Set-Cookie")
    )


def test_a_returning_voter_gets_their_step_of_the_feedback_box(client):
    assert beacon(client, "en", ARTICLE).json["feedback"]["step"] == "ask"
    client.post(f"/en/feedback/{ARTICLE}", data={"helpful": "no"}, headers=SAME_ORIGIN)
    feedback = beacon(client, "en", ARTICLE).json["feedback"]
    assert feedback["step"] == "reasons"
    assert (
        feedback["html"].lstrip().startswith("<section") and "What was missing?" in feedback["html"]
    )
    other_visitor = client.application.test_client()
    assert beacon(other_visitor, "en", ARTICLE).json["feedback"]["step"] == "ask"


def test_a_beacon_from_another_site_or_an_unknown_page_counts_nothing(app, client):
    data = {"lang": "en", "article": ARTICLE, "nonce": uuid.uuid4().hex}
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {}):
        response = client.post("/beacon", data=data, headers=headers)
        assert response.status_code == 403, headers
        assert "Set-Cookie" not in response.headers
    assert beacon(client, "xx", ARTICLE).status_code == 400
    assert beacon(client, "en", "account/nowhere").status_code == 404
    assert stored_views(app) == 0
