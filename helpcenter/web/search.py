"""Search pages and the JSON endpoint behind instant suggestions."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from ..search.searcher import SearchService
from .content import current_catalog, urls
from .i18n import language_codes

bp = Blueprint("search", __name__)

SUGGESTION_LIMIT = 8


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values["lang"]


def search_service() -> SearchService:
    catalog = current_catalog()
    if current_app.config["INDEX_AUTO_UPDATE"]:
        current_app.extensions["helpcenter_index_sync"].ensure_current(catalog)
    return current_app.extensions["helpcenter_search"]


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/<lang:lang>/search")
def results(lang: str):
    text = request.args.get("q", "")
    category = request.args.get("category") or None
    service = search_service()
    found = service.search(
        lang, text, category=category, page=_page_number(),
        per_page=current_app.config["SEARCH_RESULTS_PER_PAGE"],
    )  # fmt: skip
    catalog = current_catalog()
    default = catalog.default_language
    in_default = None
    if found.query and not found.total and lang != default:
        in_default = service.search(default, found.query, per_page=1).total
    categories = {c.slug: c for c in catalog.category_list(lang)}
    return render_template(
        "search.html", results=found, categories=categories, default_results=in_default,
        hit_url=lambda hit: urls.article(lang, hit.id),
    )  # fmt: skip


@bp.get("/api/search")
def suggest():
    lang = request.args.get("lang", "")
    if lang not in language_codes():
        lang = language_codes()[0]
    try:
        limit = max(1, min(int(request.args.get("limit", "5")), SUGGESTION_LIMIT))
    except ValueError:
        limit = 5
    hits = search_service().suggest(lang, request.args.get("q", ""), limit=limit)
    return jsonify(
        {
            "lang": lang,
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
