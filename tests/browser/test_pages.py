"""The customer pages as a reader sees them, in English and right-to-left Hebrew, on a desktop
(1280×900) and a phone (390×844): text of the other direction keeps its punctuation, the
search box keeps what was typed, the phone header stays compact, and the steps after "No"
read as one clear way forward. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.articletree import basic_tree

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def basic(tree):
    """The basic articles and a question-titled one in English and Hebrew: a "?" at the end of
    a title is what lands at the wrong end when the other direction is not isolated."""
    basic_tree(tree)
    tree.article("en/payments/refund.md", "When will I get my refund?", "In 5 days.\n", order=3)
    tree.article("he/payments/refund.md", "מתי אקבל את ההחזר?", "תוך 5 ימים.\n")
    tree.commit("refund")
    return tree


def ends_at(page, link) -> tuple[float, float]:
    """The x of the first and of the last character of a link's text as laid out."""
    return link.evaluate(
        """a => {
            const text = [...a.childNodes].find(n => n.nodeType === 3 && n.data.trim());
            const at = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                              return r.getBoundingClientRect().x; };
            const t = text.data.trimEnd(), start = text.data.length - text.data.trimStart().length;
            return [at(start), at(t.length - 1)];
        }"""
    )


@pytest.mark.parametrize("size", SIZES)
def test_text_of_the_other_direction_is_isolated(browser, site, screenshot, size):
    page = browser.new_page(locale="he-IL", viewport=SIZES[size])
    page.goto(f"{site.url}/he/payments/refund")
    english = page.locator(".other-languages a[hreflang=en]")
    expect(english).to_have_text("English: When will I get my refund?")
    assert english.evaluate("a => getComputedStyle(a).unicodeBidi") == "isolate"
    assert english.evaluate("a => getComputedStyle(a).direction") == "ltr"
    first, last = ends_at(page, english)
    assert last > first  # the "?" at the end of the English title, on its right
    screenshot(page, f"he-article-other-languages-{size}")

    # A category page in Hebrew lists the English-only article with the English reading order.
    page.goto(f"{site.url}/he/payments/")
    fallback = page.locator(".article-list a", has_text="My payment was declined")
    assert fallback.evaluate("a => getComputedStyle(a).direction") == "ltr"

    page = browser.new_page(locale="en-US", viewport=SIZES[size])
    page.goto(f"{site.url}/en/payments/refund")
    hebrew = page.locator(".other-languages a[hreflang=he]")
    assert hebrew.evaluate("a => getComputedStyle(a).direction") == "rtl"
    first, last = ends_at(page, hebrew)
    assert last < first  # the "?" of the Hebrew title at its left end, where Hebrew ends
    # The customer's words in a sentence: a Hebrew query on an English results page.
    page.goto(f"{site.url}/en/search?q=" + "החזר?")
    assert page.locator(".no-results h2 bdi").inner_text() == "החזר?"


@pytest.mark.parametrize("size", SIZES)
def test_escape_closes_the_suggestions_and_keeps_the_words(browser, site, size):
    page = browser.new_page(locale="en-US", viewport=SIZES[size])
    page.goto(f"{site.url}/en/")
    box = page.get_by_role("combobox").first
    box.press_sequentially("passw")
    expect(page.get_by_role("option").first).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("option")).to_have_count(0)
    expect(page.locator(".suggestions")).to_be_hidden()
    expect(box).to_have_value("passw")
    box.press("Enter")  # what the phone keyboard's search key sends
    expect(page).to_have_url(f"{site.url}/en/search?q=passw")
