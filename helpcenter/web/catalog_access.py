"""The current catalog for this request, the search over it, and the one place that turns
catalog ids into URLs."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, url_for

from .. import services
from ..content.catalog import ArticleView, Catalog
from ..search.searcher import SearchService


def current_catalog() -> Catalog:
    """The catalog of this request: asked of the store once, so a reload while the page is
    being made never mixes two versions of the articles in it (nor the generation the
    writer's preview waits on with another version's text)."""
    if not has_request_context():
        return services.content_store().catalog()
    if "catalog" not in g:
        g.catalog = services.content_store().catalog()
    return g.catalog


def current_search() -> SearchService:
    """The search service, its indexes brought up to the current catalog first (unless
    INDEX_AUTO_UPDATE is off): the results page and the reports, which ask it what a query
    finds now, search the same articles."""
    if current_app.config["INDEX_AUTO_UPDATE"]:
        services.index_sync().ensure_current(current_catalog())
    return services.search_service()


class WebUrls:
    """URLs of the site's own routes (see site.py), for links inside rendered articles too."""

    def article(self, lang: str, article_id: str) -> str:
        category, slug = article_id.split("/", 1)
        return url_for("site.article", lang=lang, category=category, slug=slug)

    def category(self, lang: str, category: str) -> str:
        return url_for("site.category", lang=lang, category=category)

    def media(self, lang: str, path: str, version: str) -> str:
        return url_for("site.media", lang=lang, path=path, v=version)


urls = WebUrls()


def article_url(view: ArticleView) -> str:
    """Where a reader of `view.lang` opens this article (the same URL whether translated or not)."""
    return urls.article(view.lang, view.article.id)


def absolute_url(path: str) -> str:
    """A link for outside the page (sitemap, hreflang alternates): from PUBLIC_URL when it is
    set, never from the request's Host header, which any client can make up."""
    root = current_app.config["PUBLIC_URL"].rstrip("/") or request.host_url.rstrip("/")
    return root + path


def template_context() -> dict:
    return {"article_url": article_url, "absolute_url": absolute_url}
