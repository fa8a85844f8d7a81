"""The help widget's panel: the pages another site frames (WIDGET_ORIGINS), and the host page
its posts name.

A page is in the panel when its view is one of the widget's (web/help_widget.py: `panel_page`), or
when it is one of the site's pages that can be shown there (the contact form, its
confirmation, a vote's pages, a result's click: PANEL_ENDPOINTS) and its URL says `?in=widget`.
Every URL a panel page makes to one of those keeps `in=widget` (`url_defaults`), so the
customer stays in the panel from an article to the vote, the contact form and its
confirmation: the same views, forms, limits, outbox and acknowledgement as on the site, shown
in the panel's layout. A panel page may be framed by the sites of WIDGET_ORIGINS and no
other (frame-ancestors); with the widget off (no origins) nothing is in the panel.

The host page reaches the panel by postMessage only (static/js/widget-panel.js checks the
sender's origin against the same list); the panel's posts carry it in WIDGET_PAGE_FIELD, which
`posted_widget_page` checks again here: a page of an allowed site, its path only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, has_request_context, request, url_for

from ..models import HOST_PATH_CHARS
from ..origins import origin_of
from ..typed_text import one_line
from .catalog_access import WebUrls, urls
from .i18n import current_language_code
from .security import content_security_policy

IN_PANEL = "widget"  # the value of `?in=` that shows a site page in the panel
PANEL_ENDPOINTS = frozenset(
    {"support.contact", "support.sent", "support.vote", "support.voted", "search.click"}
)
WIDGET_PAGE_FIELD = "widget_page"  # the host page's URL, in every post the panel sends
PANEL_LAYOUT = "widget/layout.html"
SITE_LAYOUT = "base.html"


def widget_origins() -> tuple[str, ...]:
    """The sites that may embed the widget (parsed at start-up: origins.py); empty: it is off."""
    return current_app.config["WIDGET_ORIGINS"]


def panel_page(view: Callable) -> Callable:
    """For the widget's own views: the page is in the panel."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.in_panel = True
        return view(*args, **kwargs)

    return wrapper


def in_panel() -> bool:
    """Whether this request's page is shown in the widget's panel (see the module)."""
    if not has_request_context() or not widget_origins():
        return False
    if g.get("in_panel"):
        return True
    return request.endpoint in PANEL_ENDPOINTS and request.args.get("in") == IN_PANEL


class PanelUrls(WebUrls):
    """The panel's URLs of catalog ids (web/help_widget.py's routes): an article opens in the panel,
    a category is the panel's start listing its articles first. Links inside an article read
    in the panel are made with these; the catalog keeps that HTML apart from the site's (its
    cache of rendered articles is keyed by this class)."""

    def article(self, lang: str, article_id: str) -> str:
        category, slug = article_id.split("/", 1)
        return url_for("widget.article", lang=lang, category=category, slug=slug)

    def category(self, lang: str, category: str) -> str:
        return url_for("widget.home", lang=lang, context=category)

    def article_base(self, lang: str) -> str:
        """The article URL up to the article's id (`…/article/` + `payments/declined`), for
        the suggestions a script lists."""
        return self.article(lang, "c/s").removesuffix("c/s")


panel_urls = PanelUrls()


def article_link(lang: str, article_id: str) -> str:
    """Where an article opens from this page: in the panel's reader on a panel page, else the
    site's own page."""
    return (panel_urls if in_panel() else urls).article(lang, article_id)


def posted_widget_page() -> str | None:
    """The path of the host page a post from the panel names, for the reports (models.AskedFrom);
    None for any other post. Only a page of an allowed site counts, and only its path: a query
    string or fragment may hold personal data (an e-mail address, a token) and is dropped. The
    path is cut to what the column holds and is plain text from there on (reports, CSV, mail)."""
    url = request.form.get(WIDGET_PAGE_FIELD, "")
    if not url or len(url) > 2000 or origin_of(url) not in widget_origins():
        return None
    path = one_line(urlsplit(url).path) or "/"
    return path[:HOST_PATH_CHARS]


def template_context() -> dict[str, Any]:
    """`page_layout`: what a page that can be shown in the panel extends; `in_panel` for what
    differs there; in the panel, article links to the panel's reader. (Registered after
    catalog_access's, so its `article_url` wins.)"""
    shown = in_panel()
    context: dict[str, Any] = {
        "in_panel": shown,
        "page_layout": PANEL_LAYOUT if shown else SITE_LAYOUT,
    }
    if shown:
        lang = current_language_code()
        context.update(
            # Articles listed on a panel page open in the panel (the site's pages cannot be
            # framed): the article lists, the contact form's summary, the confirmation's link.
            article_url=lambda view: article_link(view.lang, view.article.id),
            panel_article_base=panel_urls.article_base(lang),
            # The panel's script answers only the host pages of these sites.
            widget_origins=widget_origins(),
        )
    return context


def install(app: Flask) -> None:
    """Call after security.install: Flask runs the later `after_request` first, so the panel's
    frame-ancestors is in place before the default policy (which forbids framing) would be."""

    @app.url_defaults
    def keep_panel(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint in PANEL_ENDPOINTS and "in" not in values and in_panel():
            values["in"] = IN_PANEL

    @app.after_request
    def framed_by_widget_origins(response: Response) -> Response:
        if in_panel():
            ancestors = " ".join(widget_origins())
            response.headers["Content-Security-Policy"] = content_security_policy(ancestors)
        return response

    app.context_processor(template_context)
