"""Staff pages on a phone (390×844) and a desktop (1280×900), in English and Hebrew: on a phone
each row of a table is a card of "label: value" lines (issue 26: "Do this next" was an 827 px
table in a 358 px box), and the page itself never scrolls sideways."""

from __future__ import annotations

import pytest

from helpcenter.reports import REPORTS
from helpcenter.staff_accounts import create_user
from tests.helpers import Activity

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# How far the page reaches beyond the window, sideways (0: it does not scroll).
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _activity(app) -> None:
    """Rows long enough to make every table wider than a phone."""
    activity = Activity(app)
    activity.search("en", "how do I return a sideboard that arrived with a cracked top", 0)
    activity.search("pl", "zwrot pieniędzy za uszkodzoną komodę dębową", 2, visitor="b")
    activity.search("he", "החזרת ספה שהגיעה פגומה", 0, visitor="c")
    activity.view("he", "payments/declined", visitor="c")
    activity.votes(
        "en",
        "payments/methods",
        yes=1,
        no=2,
        reason="steps-failed",
        comment="The button called Pay with bank transfer is not there any more",
    )
    activity.contact(
        "pl",
        "account/reset-password",
        visitor="b",
        reason="unclear",
        search_query="hasło",
        email="a.very.long.address.for.testing@example.com",
        message="Link do zmiany hasła wygasł zanim zdążyłam go otworzyć " * 3,
    )


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_staff_pages_never_scroll_sideways(browser, site, screenshot, lang, size):
    _activity(site.app)
    with site.app.app_context():
        create_user("lead@example.com", "correct horse battery")
        from helpcenter.extensions import db
        from helpcenter.models import ContactRequest

        reference = db.session.scalar(db.select(ContactRequest.reference))
    context = browser.new_context(viewport=size, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.locator("#email").fill("lead@example.com")
    page.locator("#password").fill("correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/reports/")
    overflowing = {}
    for path in [
        "/reports/",
        *(f"/reports/{name}" for name in REPORTS),
        f"/reports/requests/{reference}",
        "/reports/article/payments/methods",
    ]:
        page.goto(site.url + path)
        for details in page.locator("details:not(.language-switcher)").all():
            details.evaluate("element => element.open = true")  # the charts' numbers too
        if page.evaluate(OVERFLOW) > 0:
            overflowing[path] = page.evaluate(OVERFLOW)
        if path in ("/reports/", "/reports/requests", "/reports/articles"):
            name = path.strip("/").replace("/", "-")
            screenshot(page, f"staff-{name}-{lang}-{size['width']}")
            screenshot(page, f"staff-{name}-{lang}-{size['width']}-top", full_page=False)
    # On a phone a row is a card: each cell shows its column's name, nothing scrolls sideways.
    page.goto(f"{site.url}/reports/requests")
    box = page.locator(".table-scroll").first
    column = page.locator(".report-table thead th").first.text_content()
    label = page.locator(".report-table tbody td").first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    if size is PHONE:
        assert label == f'"{column}"'
        assert box.evaluate("element => element.scrollWidth <= element.clientWidth")
    else:
        assert label in ("none", "normal")
    context.close()
    assert overflowing == {}
