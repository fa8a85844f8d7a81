"""The visitor's last search, kept in their (signed) session cookie: the search pages remember
it, and the contact form carries it along, so a request made after reading a result still says
what the customer was looking for."""

from __future__ import annotations

import time

from flask import session

SEARCH_MEMORY_SECONDS = 30 * 60
MAX_QUERY_LENGTH = 200


def remember_search(lang: str, query: str) -> None:
    session["last_search"] = [lang, query[:MAX_QUERY_LENGTH], int(time.time())]


def last_search(lang: str) -> str:
    """The search made in `lang` in the last half hour, else "" (an old or foreign-language
    search says nothing about this request)."""
    remembered = session.get("last_search")
    if not (isinstance(remembered, list) and len(remembered) == 3):
        return ""
    searched_lang, query, at = remembered
    fresh = isinstance(at, int) and time.time() - at < SEARCH_MEMORY_SECONDS
    return query if searched_lang == lang and fresh and isinstance(query, str) else ""
