"""A search logged by the page-view beacon, not by the results page: a page a shared cache
answers never reaches the app, so the app logging it would miss exactly the popular searches
(and log a JavaScript visitor's twice when it does reach it). One rule: the results page
logs nothing; site.js posts what the page shows, and web/beacon.py logs it once per page load.

What the page shows travels as one signed value (the same for every visitor, so the page
stays shareable): a client can replay a page's search, never invent a result count. The
beacon answers with the search's key, which site.js puts on the result links, so a click is
recorded against this visitor's search and not against the first visitor's of a cached page.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .. import services
from ..activity.searchlog import SearchRecord
from ..models import asked_from
from ..search.results import SearchResults

_SALT = "search-beacon"
_KEY = re.compile(r"^[0-9a-f]{32}$")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def search_token(found: SearchResults) -> str:
    """What the results page shows, for its beacon to log: the customer's words (not our
    correction), the words analyzed as the log groups them, and how well the search did."""
    return _serializer().dumps(
        [
            found.lang,
            found.corrected_from or found.query,
            found.normalized,
            found.total,
            found.category,
            found.page,
            round(found.score_ratio, 4),
        ]
    )


def log_search(
    token: str,
    *,
    first_of_load: bool,
    nonce: str,
    earlier: str,
    visitor: str,
    network: str,
    widget_page: str | None = None,
) -> str | None:
    """Logs the search a results page showed and returns the key its result links carry;
    None for a token this site did not sign. `widget_page`: the host page's path, when the
    page was the help widget's panel (models.AskedFrom).

    The key is the page load's nonce, so a beacon sent again (not logged again) answers with
    the same key. A later page of results (`earlier`: the key of the search's first page,
    from the page's link) reuses that key and logs nothing, as the first page was the search.
    """
    try:
        lang, query, normalized, total, category, page, ratio = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if page > 1 and _KEY.match(earlier):
        return earlier
    if first_of_load:
        services.search_log().record(
            SearchRecord(
                key=nonce,
                created_at=dt.datetime.now(dt.UTC),
                lang=lang,
                query=query,
                normalized=normalized,
                result_count=total,
                category=category,
                page=page,
                visitor=visitor,
                score_ratio=ratio,
                network=network,
                **asked_from(widget_page),
            )
        )
    return nonce
