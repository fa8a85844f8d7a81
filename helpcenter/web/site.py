"""The customer's pages: language landing, home, categories, articles, images, sitemap."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    send_file,
    url_for,
)

from ..content import tree
from . import writer_preview
from .caching import shared_page
from .catalog_access import absolute_url, current_catalog, urls
from .feedback_box import feedback_context
from .i18n import languages, negotiate_language

bp = Blueprint("site", __name__)


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict | None) -> None:
    if values and "lang" in values:
        g.lang = values["lang"]


@bp.get("/")
@shared_page(vary="Accept-Language, Cookie")
def landing():
    """To the visitor's language: the one they read last (the beacon remembers it in a cookie,
    web/beacon.py), else Accept-Language. Shared, varying on both: a cache answers a first
    visit (no cookie) per Accept-Language; a visitor with cookies reaches the app, where this
    redirect costs no rendering. docs/deploy.md: "Pages a shared cache can serve"."""
    return redirect(url_for("site.home", lang=negotiate_language()), code=302)


@bp.get("/<lang:lang>/")
@shared_page()
def home(lang: str):
    catalog = current_catalog()
    categories = [
        (category, catalog.articles_in(lang, category.slug))
        for category in catalog.category_list(lang)
    ]
    return render_template("home.html", categories=categories)


@bp.get("/<lang:lang>/<category>/")
@shared_page()
def category(lang: str, category: str):
    catalog = current_catalog()
    views = catalog.articles_in(lang, category)
    found = catalog.category(lang, category)
    if not views or found is None:
        abort(404)
    # A category of articles without a default-language version (pl/local/) exists only in
    # the languages that have some: the switcher offers those.
    shown_in = None
    if not catalog.articles_in(catalog.default_language, category):
        shown_in = [code for code in catalog.language_codes if catalog.articles_in(code, category)]
    return render_template("category.html", category=found, views=views, switch_languages=shown_in)


@bp.get("/<lang:lang>/<category>/<slug>")
@shared_page()
def article(lang: str, category: str, slug: str):
    catalog = current_catalog()
    view = catalog.find(lang, f"{category}/{slug}")
    if view is None:
        moved = catalog.find_alias(lang, category, slug)
        if moved is None:
            # The writer's preview says why a file just saved has no page (no title…).
            writer_preview.show_file_problems(
                catalog, catalog.root / lang / category / f"{slug}.md"
            )
            abort(404)
        return redirect(urls.article(lang, moved.article.id), code=301)
    # Nothing per visitor: the view is counted, and a returning voter's box moved on, by the
    # page-view beacon (web/beacon.py), since a cached page never reaches the app.
    rendered = catalog.render(view.article, lang, urls, mark_broken=writer_preview.is_on())
    writer_preview.show_article_problems(catalog, view.article)
    # None when the body is too costly to render: the page says so and offers the contact form.
    show_toc = rendered is not None and len(rendered.toc) >= current_app.config["TOC_MIN_HEADINGS"]
    translations = catalog.translations(view.article.id)
    return render_template(
        "article.html",
        view=view,
        article=view.article,
        rendered=rendered,
        toc=rendered.toc if show_toc else (),
        category=catalog.category(lang, view.article.category),
        related=catalog.related(view, current_app.config["RELATED_ARTICLES"]),
        translations=translations,
        # An article without a default-language version exists only in its own languages:
        # the switcher offers those (elsewhere every language, the untranslated in English).
        switch_languages=None if catalog.default_language in translations else list(translations),
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
@shared_page()
def sitemap():
    catalog = current_catalog()
    entries = []
    # Every article, also those without a default-language version, in each of its languages.
    for article_id in sorted({article_id for (_, article_id) in catalog.articles}):
        translations = catalog.translations(article_id)
        alternates = [(code, urls.article(code, article_id)) for code in translations]
        for code, translated in translations.items():
            entries.append((urls.article(code, article_id), translated.updated, alternates))
    homes = [(lang.code, url_for("site.home", lang=lang.code)) for lang in languages()]
    body = render_template(
        "sitemap.xml", entries=entries, homes=homes, default=catalog.default_language
    )
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
@shared_page()
def robots():
    """Crawlers may read every customer page; the sitemap lists them."""
    lines = [
        "User-agent: *",
        "Disallow: /reports/",
        "Disallow: /login",
        f"Sitemap: {absolute_url(url_for('site.sitemap'))}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
