"""The visitor's recent searches, kept in their (signed) session cookie, so the contact form
can say what the customer was looking for without their retyping it.

Two records: the last search (its words, language, time and the key the beacon gave it,
web/search_beacon.py), and which articles a search led to — the result links carry the
search's key (site.js), and the click (web/search.py) notes the article here only when that
key is the last search's. The contact form opened from an article carries the search that led
to that article in this visit, never an earlier search that has nothing to do with it.
"""

from __future__ import annotations

import time

from flask import session

SEARCH_MEMORY_SECONDS = 30 * 60
MAX_QUERY_LENGTH = 200
# Articles opened from a search, remembered (the latest ones): a visit reads a few, and the
# session cookie must stay well under the 4 KB a browser keeps.
MAX_ARTICLES_REMEMBERED = 5


def remember_search(lang: str, query: str, key: str = "") -> None:
    session["last_search"] = [lang, query[:MAX_QUERY_LENGTH], int(time.time()), key]


def last_search(lang: str) -> str:
    """The search made in `lang` in the last half hour, else "" (an old or foreign-language
    search says nothing about this request)."""
    remembered = _last(lang)
    return remembered[1] if remembered else ""


def remember_opened(lang: str, key: str, article_id: str) -> None:
    """A result link of the search with this key was followed to `article_id`: noted when
    it is the visitor's last search (another key is another visitor's page, or an older one)."""
    remembered = _last(lang)
    if remembered is None or not key or remembered[3] != key:
        return
    kept = [
        entry
        for entry in session.get("search_led_to", [])
        if isinstance(entry, list) and len(entry) == 4 and entry[1] != article_id
    ]
    kept.append([lang, article_id, remembered[1], int(time.time())])
    session["search_led_to"] = kept[-MAX_ARTICLES_REMEMBERED:]


def search_that_led_to(lang: str, article_id: str) -> str:
    """The search whose results the visitor followed to this article in the last half hour,
    else ""."""
    for entry in reversed(session.get("search_led_to", [])):
        if not (isinstance(entry, list) and len(entry) == 4):
            continue
        searched_lang, opened, query, at = entry
        if searched_lang == lang and opened == article_id and _fresh(at):
            return query if isinstance(query, str) else ""
    return ""


def _last(lang: str) -> tuple[str, str, int, str] | None:
    """The last search as (lang, query, time, key) when it was made in `lang` in the last
    half hour. (A session from before the key was kept has three parts: no key.)"""
    remembered = session.get("last_search")
    if not (isinstance(remembered, list) and len(remembered) in (3, 4)):
        return None
    searched_lang, query, at, *rest = remembered
    key = rest[0] if rest and isinstance(rest[0], str) else ""
    if searched_lang != lang or not _fresh(at) or not isinstance(query, str):
        return None
    return searched_lang, query, at, key


def _fresh(at: object) -> bool:
    return isinstance(at, int) and time.time() - at < SEARCH_MEMORY_SECONDS
