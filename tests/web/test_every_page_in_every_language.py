"""Every customer and staff page, rendered in every language, reads as that language: no
English UI text left on a translated page, and no ".." where a sentence ends in a date whose
format already ends with a full stop (Lithuanian "2026 m. lapkričio 23 d.", Croatian
"23. studenoga 2026.")."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.helpers import LANGUAGES, catalog, customer_pages, logged_in_staff, staff_pages

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


class _VisibleText(HTMLParser):
    """The text a reader sees, one entry per text node, leaving out parts marked as written
    in another language (an untranslated article shown in English is content, not UI)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, inside another language)
        self.lang = lang
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            return
        outside = bool(self.stack and self.stack[-1][1])
        marked = dict(attrs).get("lang")
        foreign = outside or (marked is not None and marked.split("-")[0] != self.lang)
        self.stack.append((tag, foreign or tag in ("script", "style")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not (self.stack and self.stack[-1][1]):
            self.nodes.append(text)


def visible_text(page: str, lang: str) -> list[str]:
    parser = _VisibleText(lang)
    parser.feed(page)
    return parser.nodes


def english_phrases(lang: str) -> list[str]:
    """What an untranslated UI string would show: each msgid whose translation differs, as
    its longest stretch of literal text (placeholders are filled in on the page)."""
    phrases = set()
    for message in catalog(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or ids[0] in strings:
            continue
        for text in ids:
            longest = max((part.strip(" :;,.()") for part in _PLACEHOLDER.split(text)), key=len)
            if len(longest) >= 3:
                phrases.add(longest)
    return sorted(phrases)


def untranslated(nodes: list[str], phrases: list[str]) -> list[str]:
    # One word must be the whole text of a node (a button, a column heading): as part of a
    # sentence it may be a name or a customer's words. Longer phrases count anywhere.
    words = {node for node in nodes}
    found = [p for p in phrases if " " not in p and p in words]
    joined = "\n".join(nodes)
    return found + [p for p in phrases if " " in p and p in joined]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_reads_as_its_language(site, lang):
    app, references = site
    staff = logged_in_staff(app)
    pages = {**customer_pages(app.test_client(), app, lang), **staff_pages(staff, lang, references)}
    login = app.test_client().get("/login", headers={"Accept-Language": lang})
    pages["/login"] = login.get_data(as_text=True)
    phrases = english_phrases(lang) if lang != "en" else []
    problems = []
    for url, page in pages.items():
        assert f'<html lang="{lang}"' in page, url
        # No SITE_NAME here: the site calls itself "Help Center" in the page's language.
        nodes = visible_text(page, lang)
        problems += [f"{url}: '..' in {node!r}" for node in nodes if _DOUBLE_STOP.search(node)]
        problems += [f"{url}: English {phrase!r}" for phrase in untranslated(nodes, phrases)]
    assert problems == []
