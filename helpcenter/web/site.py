"""The customer's pages: language landing, home, categories, articles, images, sitemap."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from .. import services
from ..activity.searchlog import ViewRecord
from ..content import tree
from .catalog_access import current_catalog, urls
from .feedback import feedback_context
from .i18n import languages, negotiate_language
from .limits import client_network
from .security import cookies_secure
from .visitor import visitor_id

bp = Blueprint("site", __name__)


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values["lang"]


@bp.after_request
def remember_language(response: Response) -> Response:
    """The language of the page read last is the one the visitor gets at `/` next time.

    Pages only: an image under /media/<lang>/ is not a page read, and it is cached for everyone
    (web/security.py keeps every cookie off such responses)."""
    lang = getattr(g, "lang", None)
    cookie = current_app.config["LANGUAGE_COOKIE"]
    is_page = response.mimetype == "text/html"
    if lang and is_page and response.status_code == 200 and request.cookies.get(cookie) != lang:
        response.set_cookie(
            cookie,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=cookies_secure(current_app),
        )
    return response


@bp.get("/")
def landing():
    response = redirect(url_for("site.home", lang=negotiate_language()), code=302)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get("/<lang:lang>/")
def home(lang: str):
    catalog = current_catalog()
    categories = [
        (category, catalog.articles_in(lang, category.slug))
        for category in catalog.category_list(lang)
    ]
    return render_template("home.html", categories=categories)


@bp.get("/<lang:lang>/<category>/")
def category(lang: str, category: str):
    catalog = current_catalog()
    views = catalog.articles_in(lang, category)
    found = catalog.category(lang, category)
    if not views or found is None:
        abort(404)
    return render_template("category.html", category=found, views=views)


@bp.get("/<lang:lang>/<category>/<slug>")
def article(lang: str, category: str, slug: str):
    catalog = current_catalog()
    view = catalog.find(lang, f"{category}/{slug}")
    if view is None:
        moved = catalog.find_alias(lang, category, slug)
        if moved is None:
            abort(404)
        return redirect(urls.article(lang, moved.article.id), code=301)
    rendered = catalog.render(view.article, lang, urls)
    services.search_log().record(
        ViewRecord(
            created_at=dt.datetime.now(dt.UTC),
            lang=lang,
            article_id=view.article.id,
            visitor=visitor_id(),
            fallback=view.fallback,
            network=client_network(),
        )
    )
    # None when the body is too costly to render: the page says so and offers the contact form.
    show_toc = rendered is not None and len(rendered.toc) >= current_app.config["TOC_MIN_HEADINGS"]
    return render_template(
        "article.html",
        view=view,
        article=view.article,
        rendered=rendered,
        toc=rendered.toc if show_toc else (),
        category=catalog.category(lang, view.article.category),
        related=catalog.related(view, current_app.config["RELATED_ARTICLES"]),
        translations=catalog.translations(view.article.id),
        outdated=catalog.is_outdated(view.article),
        **feedback_context(lang, view.article.id),
    )


@bp.get("/media/<lang:lang>/<path:path>")
def media(lang: str, path: str):
    """Images beside the articles; a translation without its own copy gets the source's."""
    catalog = current_catalog()
    asset = catalog.asset(lang, path)
    if asset is None or not tree.is_inside(asset.file, catalog.root):
        abort(404)
    return send_file(asset.file, max_age=current_app.config["MEDIA_MAX_AGE"], conditional=True)


@bp.get("/sitemap.xml")
def sitemap():
    catalog = current_catalog()
    entries = []
    for source in sorted(
        catalog.all_articles(catalog.default_language), key=lambda v: v.article.id
    ):
        translations = catalog.translations(source.article.id)
        alternates = [(code, urls.article(code, source.article.id)) for code in translations]
        for code, translated in translations.items():
            entries.append((urls.article(code, source.article.id), translated.updated, alternates))
    homes = [(lang.code, url_for("site.home", lang=lang.code)) for lang in languages()]
    body = render_template(
        "sitemap.xml", entries=entries, homes=homes, default=catalog.default_language
    )
    return Response(body, mimetype="application/xml")
