"""The visitor's recent searches, kept in a signed cookie of their own, so the contact form
can say what the customer was looking for without their retyping it.

Not in the session cookie: the results page's beacon writes these records while the visitor
may already be on the next page, and a beacon's answer arriving after that page's would put
back the session as it was before it — without the contact form's CSRF token, so the form
came back "expired". Only the beacon and the result click write this cookie, and nothing
else lives in it.

Two records: the last search (its words, language, time and the key the beacon gave it,
web/search_beacon.py), and which articles a search led to — the result links carry the
search's key (site.js), and the click (web/search.py) notes the article here only when that
key is the last search's. The contact form opened from an article carries the search that led
to that article in this visit, never an earlier search that has nothing to do with it.
"""

from __future__ import annotations

import json
import time
from typing import Any

from flask import Flask, Response, current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .security import cookies_secure

SEARCH_MEMORY_SECONDS = 30 * 60
MAX_QUERY_LENGTH = 200
# Articles opened from a search, remembered (the latest ones): a visit reads a few, and the
# cookie must stay well under the 4 KB a browser keeps.
MAX_ARTICLES_REMEMBERED = 5
COOKIE = "hc_recent"
_SALT = "helpcenter.recent-search"


class _Remembered:
    """The cookie's two records, read once per request; written back once, when changed."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.changed = False
        raw = request.cookies.get(COOKIE)
        if not raw:
            return
        try:
            values = _signer().loads(raw, max_age=SEARCH_MEMORY_SECONDS)
        except (BadSignature, ValueError, json.JSONDecodeError):
            return  # forged, expired or from another secret: nothing remembered
        if isinstance(values, dict):
            self.values = values

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __setitem__(self, name: str, value: Any) -> None:
        self.values[name] = value
        self.changed = True


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _remembered() -> _Remembered:
    if "recent_searches" not in g:
        g.recent_searches = _Remembered()
    return g.recent_searches


def install(app: Flask) -> None:
    @app.after_request
    def save_recent_searches(response: Response) -> Response:
        remembered = g.get("recent_searches")
        if remembered is not None and remembered.changed:
            response.set_cookie(
                COOKIE,
                _signer().dumps(remembered.values),
                max_age=SEARCH_MEMORY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=cookies_secure(current_app),
            )
        return response


def remember_search(lang: str, query: str, key: str = "") -> None:
    _remembered()["last_search"] = [lang, query[:MAX_QUERY_LENGTH], int(time.time()), key]


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
        for entry in _remembered().get("search_led_to", [])
        if isinstance(entry, list) and len(entry) == 4 and entry[1] != article_id
    ]
    kept.append([lang, article_id, remembered[1], int(time.time())])
    _remembered()["search_led_to"] = kept[-MAX_ARTICLES_REMEMBERED:]


def search_that_led_to(lang: str, article_id: str) -> str:
    """The search whose results the visitor followed to this article in the last half hour,
    else ""."""
    for entry in reversed(_remembered().get("search_led_to", [])):
        if not (isinstance(entry, list) and len(entry) == 4):
            continue
        searched_lang, opened, query, at = entry
        if searched_lang == lang and opened == article_id and _fresh(at):
            return query if isinstance(query, str) else ""
    return ""


def _last(lang: str) -> tuple[str, str, int, str] | None:
    """The last search as (lang, query, time, key) when it was made in `lang` in the last
    half hour."""
    remembered = _remembered().get("last_search")
    if not (isinstance(remembered, list) and len(remembered) == 4):
        return None
    searched_lang, query, at, key = remembered
    if searched_lang != lang or not _fresh(at) or not isinstance(query, str):
        return None
    return searched_lang, query, at, key if isinstance(key, str) else ""


def _fresh(at: object) -> bool:
    return isinstance(at, int) and time.time() - at < SEARCH_MEMORY_SECONDS
