"""Search pages and the JSON endpoint behind instant suggestions."""

from __future__ import annotations

import datetime as dt
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
)

from .. import services
from ..activity.searchlog import ClickRecord
from ..search.fallback import default_language_answers
from ..search.searcher import SearchService
from .caching import shared_page
from .catalog_access import current_catalog, current_search, urls
from .i18n import language_codes
from .panel import article_link
from .recent_search import remember_opened
from .request_limits import client_address_key, limiter
from .search_beacon import search_token as _search_token

bp = Blueprint("search", __name__)

SUGGESTION_LIMIT = 8
# Cheap per-minute throttles per visitor (or address) in Flask-Limiter's store: every search
# costs CPU and writes a log row, and nobody reads 60 result pages a minute. Suggestions come
# while typing (debounced), so they get more.
SEARCH_THROTTLE = "60/minute"
SUGGEST_THROTTLE = "120/minute"
# ... and per client address (IPv6: per /64; web/request_limits.py), which a client cannot
# change the way it changes its cookie. Twice the visitor's share, for the customers behind one office or
# carrier address. With one query's work bounded (search/searcher.py: the costliest found costs
# 18-23 ms of CPU, the costliest suggestions, the page's own search, 16 ms; bench/query_cost.py),
# one address at both throttles keeps a core busy about a tenth of the time.
SEARCH_ADDRESS_THROTTLE = "120/minute"
SUGGEST_ADDRESS_THROTTLE = "240/minute"


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values["lang"]


def search_service() -> SearchService:
    service = current_search()
    services.learning().ensure_started()  # learned terms: in the background, every few minutes
    return service


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/<lang:lang>/search")
@shared_page("SEARCH_CACHE_SECONDS")
@limiter.limit(SEARCH_THROTTLE)
@limiter.limit(SEARCH_ADDRESS_THROTTLE, key_func=client_address_key)
def results(lang: str):
    text = request.args.get("q", "")
    catalog = current_catalog()
    categories = {c.slug: c for c in catalog.category_list(lang)}
    # An unknown category (a stale or forged link) filters nothing, and is never logged.
    category = request.args.get("category")
    if category not in categories:
        category = None
    service = search_service()
    # "search instead for" (exact=1) searches the words as typed, without auto-correction.
    found = service.search(
        lang,
        text,
        category=category,
        page=_page_number(),
        per_page=current_app.config["SEARCH_RESULTS_PER_PAGE"],
        correct=request.args.get("exact") != "1",
    )
    default_answers = default_language_answers(
        service,
        found,
        catalog.default_language,
        translated=lambda article_id: (lang, article_id) in catalog.articles,
    )
    in_default = (
        default_answers.total
        if default_answers is not None
        else service.total_in_default(found, catalog.default_language)
    )
    # Logged by the page's beacon, not here (web/search_beacon.py): a cache answers most of
    # these pages without the app. The links are plain article links; site.js turns them into
    # click links with this visitor's search key from the beacon's answer.
    search_token = _search_token(found) if found.query else None

    def hit_url(hit) -> str:
        return urls.article(lang, hit.id)

    return render_template(
        "search.html",
        results=found,
        categories=categories,
        default_results=in_default,
        default_answers=default_answers,
        hit_url=hit_url,
        search_token=search_token,
    )


_EVENT_KEY = re.compile(r"^[0-9a-f]{32}$")


@bp.get("/<lang:lang>/search/click")
def click(lang: str):
    """A result link (made by site.js with the key the beacon gave this visitor's search): logs
    which result was opened at which rank, notes that the search led to the article (the
    contact form carries it from there: web/recent_search.py), then goes to the article."""
    article_id = request.args.get("a", "")
    view = current_catalog().find(lang, article_id) if article_id.count("/") == 1 else None
    if view is None:
        abort(404)
    key = request.args.get("e", "")
    try:
        rank = max(0, min(int(request.args.get("r", "0")), 10_000))
    except ValueError:
        rank = 0
    if _EVENT_KEY.match(key):
        services.search_log().record(
            ClickRecord(key=key, article=article_id, rank=rank, at=dt.datetime.now(dt.UTC))
        )
        remember_opened(lang, key, view.article.id)
    return redirect(article_link(lang, view.article.id), code=302)  # in the widget's panel there


@bp.get("/api/search")
@limiter.limit(SUGGEST_THROTTLE)
@limiter.limit(SUGGEST_ADDRESS_THROTTLE, key_func=client_address_key)
def suggest():
    lang = request.args.get("lang", "")
    if lang not in language_codes():
        lang = language_codes()[0]
    try:
        limit = max(1, min(int(request.args.get("limit", "5")), SUGGESTION_LIMIT))
    except ValueError:
        limit = 5
    # The results page's own search (its per_page too, so one stored answer serves both).
    hits, corrected = search_service().suggestions(
        lang,
        request.args.get("q", ""),
        limit=limit,
        per_page=current_app.config["SEARCH_RESULTS_PER_PAGE"],
    )
    return jsonify(
        {
            "lang": lang,
            # When the words as typed find nothing: the corrected query these results are for.
            "corrected": corrected,
            "results": [
                {
                    "id": hit.id,
                    "title": hit.title,
                    "url": urls.article(lang, hit.id),
                    "snippet": hit.snippet,
                    "score": round(hit.score, 4),
                }
                for hit in hits
            ],
        }
    )
