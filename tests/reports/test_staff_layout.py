"""Staff pages have their own frame: a staff bar with the report navigation and an interface
language switch, and none of the customer's search box, "Contact us" or footer."""

import re

from helpcenter.extensions import db
from helpcenter.models import ContactRequest


def test_staff_pages_have_their_own_layout(app, staff_client):
    page = staff_client.get("/reports/articles").get_data(as_text=True)
    assert 'class="staff-nav"' in page
    assert (
        '<a href="/reports/articles" aria-current="page">Articles that fail customers</a>' in page
    )
    assert '<a href="/reports/actions" >Do this next</a>' in page
    assert "Contact us" not in page and "site-footer" not in page and 'role="search"' not in page
    login = app.test_client().get("/login").get_data(as_text=True)
    assert "Contact us" not in login and 'class="staff-nav"' not in login  # not logged in yet


def test_the_language_switch_keeps_the_page_and_the_period(staff_client):
    page = staff_client.get("/reports/zero-results?since=2026-11-01").get_data(as_text=True)
    assert "/staff/language/pl?next=/reports/zero-results?since%3D2026-11-01" in page
    switched = staff_client.get("/staff/language/pl?next=/reports/zero-results?since%3D2026-11-01")
    assert switched.status_code == 303
    assert switched.headers["Location"] == "/reports/zero-results?since=2026-11-01"
    polish = staff_client.get(switched.headers["Location"]).get_data(as_text=True)
    assert '<html lang="pl"' in polish and "Wyszukiwania bez wyników" in polish
    away = staff_client.get("/staff/language/he?next=https://evil.example/")
    assert away.headers["Location"] == "/reports/"  # never off the site


def _breadcrumbs(page: str) -> tuple[str, list[str]]:
    """The trail's accessible name and its items as plain text, the current page marked with *."""
    nav = re.search(r'<nav class="breadcrumbs" aria-label="([^"]*)">(.*?)</nav>', page, re.S)
    assert nav, "no breadcrumbs"
    items = []
    for item in re.findall(r"<li>(.*?)</li>", nav.group(2), re.S):
        text = re.sub(r"<[^>]+>", "", item).strip()
        items.append(text + ("*" if 'aria-current="page"' in item else ""))
    return nav.group(1), items


def test_staff_and_customer_pages_share_one_breadcrumb_trail(app, client, staff_client, activity):
    """Screen readers announce the same landmark on every page, and the page itself is marked
    the same way, whether a customer or a lead reads it."""
    activity.contact("en", "account/reset-password", email="dana@example.com")
    with app.app_context():
        reference = db.session.scalars(db.select(ContactRequest.reference)).one()
    customer = client.get("/en/account/reset-password").get_data(as_text=True)
    assert _breadcrumbs(customer) == (
        "Breadcrumbs",
        ["Help Center", "Account and password", "Reset your password*"],
    )
    pages = {
        "/reports/articles": ["Gap reports", "Articles that fail customers*"],
        "/reports/article/account/reset-password": [
            "Gap reports",
            "Articles that fail customers",
            "Reset your password*",
        ],
        f"/reports/requests/{reference}": [
            "Gap reports",
            "Contact requests",
            f"Contact request {reference}*",
        ],
    }
    for url, trail in pages.items():
        assert _breadcrumbs(staff_client.get(url).get_data(as_text=True)) == ("Breadcrumbs", trail)
