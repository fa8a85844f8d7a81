"""Translations inside attributes (placeholder, aria-label, title) come out whole: the
Hebrew search placeholder holds ASCII quotes, and was cut off at the first one."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.helpers import LANGUAGES, catalog, customer_pages, logged_in_staff, staff_pages

# (alt is left out: images in articles carry the writer's text, the UI's own images alt="")
TRANSLATED_ATTRIBUTES = ("placeholder", "aria-label", "title")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (tag, name, value)

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs]


def attributes(page: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page)
    return parser.found


def translations(lang: str) -> list[re.Pattern]:
    """Each UI string as the page shows it, with any placeholder standing for some text."""
    patterns = []
    for message in catalog(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id:
            continue
        for text in (*ids, *strings) if lang == "en" else strings:
            parts = _PLACEHOLDER.split(text)
            literal = [re.escape(part) for part in parts[::2]]
            patterns.append(re.compile(".+".join(literal) if len(literal) > 1 else literal[0]))
    return patterns


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translated_attribute_reads_back_whole(site, lang):
    app, references = site
    pages = {
        **customer_pages(app.test_client(), app, lang),
        **staff_pages(logged_in_staff(app), lang, references),
    }
    patterns = translations(lang)
    problems, checked = [], 0
    for url, page in pages.items():
        for tag, name, value in attributes(page):
            if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
                problems.append(f"{url}: <{tag}> has a stray attribute {name!r}")
            elif name in TRANSLATED_ATTRIBUTES and value:
                checked += 1
                if not any(pattern.fullmatch(value) for pattern in patterns):
                    problems.append(f"{url}: <{tag} {name}={value!r}> is not a whole translation")
    assert problems == []
    assert checked > len(pages)  # every page has at least its search box or a labelled nav


def test_hebrew_search_placeholder_keeps_its_quotes(client):
    page = client.get("/he/").get_data(as_text=True)
    [placeholder] = {v for _t, n, v in attributes(page) if n == "placeholder"}
    assert placeholder.count('"') == 2
