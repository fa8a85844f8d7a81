"""A long article's contents in a real browser, in English and right-to-left Hebrew, on a desktop
and a phone: each link scrolls its heading to the top, and a link to a section made before the
article's anchors were prefixed (`#card-payments`) still lands on it."""

from __future__ import annotations

import pytest

from tests.articletree import basic_tree

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
FILLER = "\n\n".join(["A paragraph long enough to need scrolling. " * 8] * 6)
HEADINGS = {
    "en": ["Card payments", "Bank transfers", "Gift cards"],
    "he": ["כרטיס", "העברה", "מתנה"],
}
SLUGS = {"en": "card-payments", "he": "כרטיס"}


@pytest.fixture
def basic(tree):
    basic_tree(tree)
    for lang, headings in HEADINGS.items():
        body = "".join(f"## {title}\n\n{FILLER}\n\n" for title in headings)
        tree.article(f"{lang}/payments/long.md", f"Long ({lang})", f"Intro.\n\n{body}")
    tree.commit("long")
    return tree


def heading_is_at_the_top(page, heading_id: str) -> bool:
    top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", heading_id)
    return page.evaluate("window.scrollY") > 0 and -2 <= top <= 40


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_contents_links_and_old_section_links_land_on_their_headings(
    browser, site, screenshot, lang, size
):
    page = browser.new_page(locale=lang, viewport=SIZES[size])
    page.goto(f"{site.url}/{lang}/payments/long")
    contents = page.locator("details.toc--inline" if size == "phone" else "nav.toc--aside")
    if size == "phone":
        contents.locator("summary").click()
    links = contents.locator("a")
    assert links.count() == 3
    last = links.nth(2)
    target = last.get_attribute("href")[1:]
    assert target.startswith("user-content-")
    assert page.locator("article h2").nth(2).get_attribute("id") == target
    last.click()
    page.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=target)
    assert heading_is_at_the_top(page, target)
    screenshot(page, f"{lang}-long-article-{size}")

    page.goto(f"{site.url}/{lang}/payments/long#{SLUGS[lang]}")
    first = page.locator("article h2").first.get_attribute("id")
    page.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=first)
    assert heading_is_at_the_top(page, first)
