"""A cached article page in a real browser: it sets no cookie, and site.js's beacon counts the
view once, gives a returning voter their step of the feedback box, and "No" still leads to the
contact form with the article carried along; a search is logged once by its results page's
beacon (web/beacon.py, web/search_beacon.py, web/caching.py)."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import PageView, SearchEvent

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


def searches(site) -> list[SearchEvent]:
    services.search_log(site.app).flush()
    with site.app.app_context():
        return list(db.session.scalars(select(SearchEvent).order_by(SearchEvent.id)))


def test_a_search_in_the_browser_is_logged_once_and_its_click_lands_on_it(browser, site):
    """The results page (shared, maybe from a cache) logs nothing; its beacon does, once per
    page load, and site.js gives the result links this visitor's search key."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    load(page, f"{site.url}/en/")
    box = page.get_by_role("combobox").first
    box.fill("password")
    with page.expect_response(
        lambda r: r.url.endswith("/beacon") and "search=" in (r.request.post_data or "")
    ) as reported:
        box.press("Enter")
    key = reported.value.json()["search"]
    [logged] = searches(site)
    assert (logged.key, logged.query, logged.page) == (key, "password", 1)
    assert logged.visitor == next(
        c["value"] for c in context.cookies() if c["name"] == "hc_visitor"
    )

    first = page.locator("ol.search-results a").first
    expect(first).to_have_attribute("href", re.compile(rf"/en/search/click\?e={key}&"))
    first.click()
    page.wait_for_url(f"{site.url}/en/account/reset-password")
    [logged] = searches(site)  # still one search, now with the article it led to
    assert (logged.clicked_article, logged.clicked_rank) == ("account/reset-password", 1)
    context.close()
