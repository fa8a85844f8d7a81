"""A cached article page in a real browser: it sets no cookie, and site.js's beacon counts the
view once, gives a returning voter their step of the feedback box, and "No" still leads to the
contact form with the article carried along (web/beacon.py, web/caching.py)."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import PageView

ARTICLE = "/en/account/reset-password"


def views(site) -> int:
    services.search_log(site.app).flush()
    with site.app.app_context():
        return db.session.scalar(select(func.count()).select_from(PageView))


def load(page, url: str):
    """Opens `url` and waits for its beacon's answer; returns the page's response and that
    answer."""
    with page.expect_response(lambda r: r.url.endswith("/beacon")) as reported:
        response = page.goto(url)
    return response, reported.value.json()


def test_the_beacon_counts_a_cached_articles_view_and_no_reaches_the_contact_form(browser, site):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    response, answer = load(page, f"{site.url}{ARTICLE}")
    assert "set-cookie" not in response.headers and "public" in response.headers["cache-control"]
    assert answer["counted"] is True and answer["feedback"]["step"] == "ask"
    assert views(site) == 1
    assert {c["name"] for c in context.cookies()} >= {"hc_visitor", "hc_lang"}

    feedback = page.locator("#feedback")
    feedback.get_by_role("button", name="No").click()
    expect(feedback).to_contain_text("What was missing?")

    # Read again later: a new page load counts again, and the box is where they left it.
    _response, answer = load(page, f"{site.url}{ARTICLE}")
    assert answer["counted"] is True and views(site) == 2
    expect(page.locator("#feedback")).to_contain_text("What was missing?")
    page.locator("#feedback").get_by_label("The steps did not work").check()
    page.locator("#feedback").get_by_role("button", name="Send").click()
    expect(page.locator("#feedback")).to_contain_text("Thank you, this helps us improve")

    page.locator("#feedback").get_by_role("link", name="Ask a person from our support team").click()
    expect(page.locator("#about")).to_have_value("Reset your password — The steps did not work")
    assert views(site) == 2  # the contact form is no article view
    context.close()
