"""The activity log's row cap per network (ACTIVITY_LOG_LIMIT, activity/log_quota.py): a client
that sends a new visitor cookie with every request is served like anyone else, but adds a
bounded number of rows to the database (issue 22: two rows per request, ~200 a second)."""

from __future__ import annotations

from sqlalchemy import func, select

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import PageView, SearchEvent, Visit
from tests.helpers import beacon, make_app, search_as_browser


def rows(app) -> int:
    services.search_log(app).flush()
    with app.app_context():
        return sum(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (SearchEvent, PageView, Visit)
        )


def browse(app, address: str, n: int) -> int:
    """One article page (and its beacon, which gives the client a new cookie) and one search,
    by a new client from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get("/en/payments/methods")
    assert beacon(client, "en", "payments/methods").status_code == 200
    search_as_browser(client, "en", f"refund {n}")  # the page, and its beacon logs the search
    return 200 + page.status_code


def test_a_client_rotating_cookies_adds_a_bounded_number_of_rows(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True, ACTIVITY_LOG_LIMIT="5/minute")
    # Addresses of one /24: one network. Every page is served...
    assert [browse(app, f"203.0.113.{n % 3 + 1}", n) for n in range(15)] == [400] * 15
    # ...five searches and views logged (three clients' worth, and their three visits), not
    # thirty and fifteen visits.
    assert rows(app) == 5 + 3
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert "helpcenter_activity_log_over_quota 25" in metrics  # what an operator sees
    # Another network is logged as before.
    browse(app, "198.51.100.7", 99)
    assert rows(app) == 8 + 3  # its search, its view and its visit
