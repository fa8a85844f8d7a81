"""The language switcher keeps a page's context and nothing an attacker adds to the URL."""

import re

import pytest


@pytest.fixture
def client(shared_app):
    """These tests only read pages: one app for the module (tests/conftest.py: shared_app)."""
    return shared_app.test_client()


PAGES = [
    "/en/",
    "/en/account/",
    "/en/account/reset-password",
    "/en/search?q=password",
    "/en/contact?article=account/reset-password",
    "/en/account/nowhere",
]
# Names url_for takes as its own keywords, and one that would change the links' target.
HOSTILE_ARGS = [
    "lang=pl",
    "category=x",
    "endpoint=x",
    "_method=POST",
    "_anchor=evil",
    "_external=1",
    "_scheme=javascript",
    "values=1",
]


def switch_links(html: str) -> list[str]:
    switcher = html.split('class="language-switcher"', 1)[1].split("</details>", 1)[0]
    return re.findall(r'<a href="([^"]*)" hreflang="[a-z]+"', switcher)


@pytest.mark.parametrize("page", PAGES)
def test_url_keywords_in_the_query_neither_break_the_page_nor_its_language_links(client, page):
    for arg in HOSTILE_ARGS:
        url = page + ("&" if "?" in page else "?") + arg
        response = client.get(url)
        assert response.status_code in (200, 404), url
        links = switch_links(response.get_data(as_text=True))
        assert len(links) == 6, url  # every language, this one included
        for link in links:
            assert link.startswith("/") and not link.startswith("//"), link
            assert "evil" not in link and "#" not in link and "javascript" not in link, link


def test_switching_language_keeps_the_search_and_the_contact_context(client):
    html = client.get("/en/search?q=password&category=account").get_data(as_text=True)
    assert "/pl/search?q=password&amp;category=account" in html or (
        "/pl/search?category=account&amp;q=password" in html
    )
    html = client.get("/en/contact?article=account/reset-password").get_data(as_text=True)
    assert "/pl/contact?article=account/reset-password" in html
