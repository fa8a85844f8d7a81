"""The catalog: every article, category, translation and image of one version of the articles tree.

The model and its lookups; `loader.py` reads the files into it. Everything downstream (pages,
search, checks, reports) works on these plain objects. A Catalog is immutable; a changed tree
gives a new Catalog (see `loader.py`), built beside the old one from the files that changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..languages import Language
from .markdown import IMAGE, LINK, RenderedArticle, render_markdown, resolve_relative
from .problems import Problem
from .synonym_files import SynonymGroups

CATEGORY_FILE = "_category.md"


class UrlBuilder(Protocol):
    """Turns catalog ids into URLs; the web layer supplies the real one."""

    def article(self, lang: str, article_id: str) -> str: ...
    def category(self, lang: str, category: str) -> str: ...
    def media(self, lang: str, path: str, version: str) -> str: ...


class PlainUrls:
    """The URL scheme without a web application, for checks and tests."""

    def article(self, lang: str, article_id: str) -> str:
        return f"/{lang}/{article_id}"

    def category(self, lang: str, category: str) -> str:
        return f"/{lang}/{category}/"

    def media(self, lang: str, path: str, version: str) -> str:
        return f"/media/{lang}/{path}?v={version}"


# `translate:` in a category's front matter, or the TRANSLATE setting for the whole site.
TRANSLATE_REQUIRED = "required"
TRANSLATE_OPTIONAL = "optional"


@dataclass(frozen=True)
class Category:
    lang: str
    slug: str
    title: str
    summary: str
    order: int
    path: Path | None
    icon: str = ""  # a name from helpcenter/icons.py
    # TRANSLATE_REQUIRED or TRANSLATE_OPTIONAL as the writer set it; "": as the site says.
    translate: str = ""


@dataclass(frozen=True)
class Article:
    lang: str
    category: str
    slug: str
    path: Path
    title: str
    summary: str
    tags: tuple[str, ...]
    order: int
    draft: bool
    review_by: dt.date | None
    aliases: tuple[str, ...]
    body: str
    body_line: int
    digest: str
    updated: dt.datetime
    # False when the body breaks a limit of cost_limits.py: it is listed but never rendered or
    # indexed.
    renderable: bool = True

    @property
    def id(self) -> str:
        """Shared by all translations of one article: `category/slug`."""
        return f"{self.category}/{self.slug}"


@dataclass(frozen=True)
class ArticleView:
    """An article as a reader of `lang` gets it: the translation, or the source as a fallback."""

    article: Article
    lang: str

    @property
    def fallback(self) -> bool:
        return self.article.lang != self.lang


@dataclass(frozen=True)
class Asset:
    lang: str
    path: str  # relative to the language folder, e.g. product-care/pan.svg
    file: Path
    digest: str
    size: int = 0  # bytes
    # An image's pixels, from its header (images.py); None when it does not say.
    dimensions: tuple[int, int] | None = None


@dataclass
class Catalog:
    root: Path
    languages: list[Language]
    articles: dict[tuple[str, str], Article]
    categories: dict[tuple[str, str], Category]
    assets: dict[tuple[str, str], Asset]
    problems: list[Problem]
    show_drafts: bool = False
    # Per language, the writers' synonym groups (content/synonym_files.py).
    synonyms: dict[str, SynonymGroups] = field(default_factory=dict)
    # Counts the catalogs a ContentStore has swapped in: the writer's preview reloads an open
    # page when it changes (0: a catalog no store handed out).
    generation: int = 0
    _rendered: dict[tuple[str, str, str, str, bool], RenderedArticle] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0].code

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    # -- lookups -------------------------------------------------------------------------------

    def _visible(self, article: Article | None) -> Article | None:
        if article is None or (article.draft and not self.show_drafts):
            return None
        return article

    def find(self, lang: str, article_id: str) -> ArticleView | None:
        """The article in `lang`, else the default-language source (shown with a notice)."""
        article = self._visible(self.articles.get((lang, article_id))) or self._visible(
            self.articles.get((self.default_language, article_id))
        )
        return ArticleView(article, lang) if article else None

    def find_alias(self, lang: str, category: str, alias: str) -> ArticleView | None:
        """An article that lists `alias` (an old slug, or `category/slug`) in its front matter."""
        for code in (lang, self.default_language):
            for article in self.articles.values():
                if article.lang == code and (
                    (article.category == category and alias in article.aliases)
                    or f"{category}/{alias}" in article.aliases
                ):
                    return self.find(lang, article.id)
        return None

    def translations(self, article_id: str) -> dict[str, Article]:
        """Every language that has its own version of `article_id`, default language first."""
        found = {}
        for code in self.language_codes:
            article = self._visible(self.articles.get((code, article_id)))
            if article:
                found[code] = article
        return found

    def source_of(self, article: Article) -> Article | None:
        return self.articles.get((self.default_language, article.id))

    def is_outdated(self, article: Article) -> bool:
        """A translation is outdated when its source was changed after the translation was."""
        source = self.source_of(article)
        return (
            article.lang != self.default_language
            and source is not None
            and (source.updated > article.updated)
        )

    def category(self, lang: str, slug: str) -> Category | None:
        return self.categories.get((lang, slug)) or self.categories.get(
            (self.default_language, slug)
        )

    def category_list(self, lang: str) -> list[Category]:
        """Categories a reader of `lang` sees (those holding visible articles), in writers' order."""
        slugs = {view.article.category for view in self.all_articles(lang)}
        found = [self.category(lang, slug) for slug in slugs]
        return sorted(
            (category for category in found if category),
            key=lambda category: (category.order, category.title.casefold()),
        )

    def all_articles(self, lang: str) -> list[ArticleView]:
        """Every article a reader of `lang` can open, translated or not."""
        ids = {aid for (code, aid) in self.articles if code in (lang, self.default_language)}
        views = [view for aid in ids if (view := self.find(lang, aid))]
        return sorted(views, key=self._reading_order)

    def articles_in(self, lang: str, category: str) -> list[ArticleView]:
        return [view for view in self.all_articles(lang) if view.article.category == category]

    def related(self, view: ArticleView, limit: int) -> list[ArticleView]:
        """Articles sharing tags with this one, then others from the same category."""
        tags = self._tags_for_matching(view.article.id)
        scored = []
        for other in self.all_articles(view.lang):
            if other.article.id == view.article.id:
                continue
            shared = len(tags & self._tags_for_matching(other.article.id))
            same_category = other.article.category == view.article.category
            if shared or same_category:
                scored.append((-(shared * 2 + same_category), self._reading_order(other), other))
        scored.sort(key=lambda item: item[:2])
        return [item[2] for item in scored[:limit]]

    def _tags_for_matching(self, article_id: str) -> set[str]:
        # Source-language tags, so every translation gets the same related articles.
        source = self.articles.get((self.default_language, article_id))
        article = source or next(a for (c, i), a in self.articles.items() if i == article_id)
        return {tag.casefold() for tag in article.tags}

    def _reading_order(self, view: ArticleView) -> tuple:
        """Writers order articles in the source language; translations follow that order."""
        source = self.source_of(view.article) or view.article
        return (source.order, view.article.title.casefold(), view.article.id)

    def asset(self, lang: str, path: str) -> Asset | None:
        """An image beside the articles, falling back to the default language's copy."""
        return self.assets.get((lang, path)) or self.assets.get((self.default_language, path))

    def languages_changed_since(self, previous: Catalog) -> set[str]:
        """The languages whose articles differ from `previous`'s (by identity: a reload keeps
        the objects of unchanged files), so a search index need only update those."""
        if previous.show_drafts != self.show_drafts or previous.languages != self.languages:
            return set(self.language_codes)
        changed = {
            lang
            for (lang, aid), article in self.articles.items()
            if previous.articles.get((lang, aid)) is not article
        }
        changed.update(
            lang for (lang, aid) in previous.articles if (lang, aid) not in self.articles
        )
        return changed

    # -- rendering -----------------------------------------------------------------------------

    def keep_rendered(self, previous: Catalog) -> None:
        """Takes over `previous`'s HTML of the articles that did not change, so a reload after
        one edit does not make every page render again.

        Only while every link target stays as it was (the same articles, categories and
        images): a link's URL, or whether it resolves at all, depends on them."""
        if (
            self.articles.keys() != previous.articles.keys()
            or self.categories.keys() != previous.categories.keys()
            or self.assets != previous.assets
        ):
            return
        # copy(): requests may be adding to the previous catalog's cache while we read it.
        for key, rendered in previous._rendered.copy().items():
            article_key = (key[0], key[1])
            if self.articles.get(article_key) is previous.articles.get(article_key):
                self._rendered.setdefault(key, rendered)

    def render(
        self, article: Article, reader_lang: str, urls: UrlBuilder, *, mark_broken: bool = False
    ) -> RenderedArticle | None:
        """HTML for `article` with links into the reader's language; cached per catalog version.
        `mark_broken`: the writer's preview marks broken links (markdown.BROKEN_CLASS).

        None for an article whose body is too costly to render (see cost_limits.py)."""
        if not article.renderable:
            return None
        key = (article.lang, article.id, reader_lang, type(urls).__name__, mark_broken)
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = render_markdown(
                article.body,
                lambda kind, target: self._resolve(article, reader_lang, kind, target, urls),
                image_size=lambda target: self._image_dimensions(article, target),
                mark_broken=mark_broken,
            )
            self._rendered[key] = rendered
        return rendered

    def _image_dimensions(self, article: Article, target: str) -> tuple[int, int] | None:
        path = resolve_relative(article.category, target)
        asset = self.asset(article.lang, path) if path is not None else None
        return asset.dimensions if asset is not None else None

    def _resolve(
        self, article: Article, reader_lang: str, kind: str, target: str, urls: UrlBuilder
    ) -> str | None:
        path = resolve_relative(article.category, target)
        if path is None:
            return None
        if kind == LINK and path.endswith(".md"):
            if path.endswith("/" + CATEGORY_FILE):
                slug = path.removesuffix("/" + CATEGORY_FILE)
                return (
                    urls.category(reader_lang, slug) if self.category(reader_lang, slug) else None
                )
            article_id = path.removesuffix(".md")
            exists = any(
                (code, article_id) in self.articles
                for code in (reader_lang, article.lang, self.default_language)
            )
            return urls.article(reader_lang, article_id) if exists else None
        asset = self.asset(article.lang, path) if kind in (IMAGE, LINK) else None
        return urls.media(asset.lang, asset.path, asset.digest[:12]) if asset else None
