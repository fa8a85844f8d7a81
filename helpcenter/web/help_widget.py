"""The embeddable help widget: `/widget.js` for the host site's pages, and the panel it frames.

One tag on another site (`<script src="https://help.example.com/widget.js" async>`) adds a
help button; the panel is the help center's own pages in an iframe: a search box with
instant suggestions, the articles listed for the host page's context, search results, an
article with "Did this answer your question?", and from there the site's own contact form
(web/panel.py shows it in the panel). Nothing here is per visitor: the script and the panel's
pages are shared by every visitor and cached like the site's (web/caching.py); the host page
(which the reports group by) reaches the panel by postMessage and travels in its posts.

With WIDGET_ORIGINS empty the widget is off: every URL here is a 404.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import services
from ..content.context import context_articles
from ..site_name import site_name
from .caching import share, shared_page
from .catalog_access import current_catalog, current_search, urls
from .feedback_box import feedback_context
from .i18n import LANGUAGE_ALIASES, languages
from .panel import panel_page, panel_urls, widget_origins
from .request_limits import client_address_key, limiter
from .search_beacon import search_token

bp = Blueprint("widget", __name__)

SCRIPT_FILE = "widget.js"  # in static/; served with the site's settings in place of CONFIG
CONFIG = "/*CONFIG*/null"
# widget.js has one URL on every host page, so a browser keeps it this long before asking
# again (the panel's own pages are revalidated as the site's are).
SCRIPT_MAX_AGE = 3600
# The panel's search, like the results page's (web/search.py): per visitor and per address.
SEARCH_THROTTLE = "60/minute"
SEARCH_ADDRESS_THROTTLE = "120/minute"


@bp.before_request
def only_when_on() -> None:
    if not widget_origins():
        abort(404)


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values["lang"]


@bp.get("/widget.js")
def script() -> Response:
    """The script host pages load: static/widget.js with what it must know before any request
    (the button's name in each language, the colour, where the panel is)."""
    source = (Path(current_app.static_folder or "") / SCRIPT_FILE).read_text(encoding="utf-8")
    config = json.dumps(_script_config(), ensure_ascii=False, separators=(",", ":"))
    response = Response(source.replace(CONFIG, config), mimetype="text/javascript")
    share(response, current_app.config["SITE_CACHE_SECONDS"])
    if response.cache_control.public:
        response.cache_control.max_age = SCRIPT_MAX_AGE
    # Host pages that isolate themselves (Cross-Origin-Embedder-Policy) may load it too.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _script_config() -> dict:
    """The languages the widget can speak (the site's), each with its button's accessible name,
    the panel's name and URLs; the default; the old codes browsers still send; the accent."""
    offered = {}
    for language in languages():
        with force_locale(language.code):
            label = _("Help")
        offered[language.code] = {
            "label": label,
            "title": site_name(language.code),
            "dir": language.direction,
            "panel": url_for("widget.home", lang=language.code),
            "search": url_for("widget.search", lang=language.code),
        }
    return {
        "languages": offered,
        "default": languages()[0].code,
        "aliases": LANGUAGE_ALIASES,
        "accent": current_app.config["ACCENT_COLOR"],
    }


@bp.get("/widget/<lang:lang>/")
@panel_page
@shared_page()
def home(lang: str):
    """The panel's start: the search box, the articles the host page's context names (else the
    most read), and the topics. The context is in the URL, so each is cached on its own."""
    catalog = current_catalog()
    return render_template(
        "widget/home.html",
        context_articles=context_articles(catalog, lang, request.args.get("context", "")),
        categories=catalog.category_list(lang),
    )


@bp.get("/widget/<lang:lang>/search")
@panel_page
@shared_page("SEARCH_CACHE_SECONDS")
@limiter.limit(SEARCH_THROTTLE)
@limiter.limit(SEARCH_ADDRESS_THROTTLE, key_func=client_address_key)
def search(lang: str):
    """The panel's results: the site's search (the results page's, with its correction of
    typos), its first page. Logged by the panel's beacon, as the results page is."""
    services.learning().ensure_started()  # as the results page does: learned terms, meanwhile
    found = current_search().search(
        lang,
        request.args.get("q", ""),
        per_page=current_app.config["SEARCH_RESULTS_PER_PAGE"],
    )
    return render_template(
        "widget/search.html",
        results=found,
        search_token=search_token(found) if found.query else None,
        categories={c.slug: c for c in current_catalog().category_list(lang)},
        hit_url=lambda hit: panel_urls.article(lang, hit.id),
    )


@bp.get("/widget/<lang:lang>/article/<category>/<slug>")
@panel_page
@shared_page()
def article(lang: str, category: str, slug: str):
    """An article read in the panel, with "Did this answer your question?" (the site's vote,
    kept in the panel), and a link to its page on the site."""
    catalog = current_catalog()
    view = catalog.find(lang, f"{category}/{slug}")
    if view is None:
        moved = catalog.find_alias(lang, category, slug)
        if moved is None:
            abort(404)
        return redirect(panel_urls.article(lang, moved.article.id), code=301)
    return render_template(
        "widget/article.html",
        view=view,
        article=view.article,
        rendered=catalog.render(view.article, lang, panel_urls),
        site_link=urls.article(lang, view.article.id),
        **feedback_context(lang, view.article.id),
    )
