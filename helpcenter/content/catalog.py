"""The catalog: every article, category, translation and image of one version of the articles tree.

Files are read once into plain objects here; everything downstream (pages, search, checks,
reports) works on those objects. A Catalog is immutable; a changed tree gives a new Catalog
(see `store.py`), which re-parses only the files that changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..languages import KNOWN_LANGUAGES, Language
from . import history, tree
from .frontmatter import ARTICLE_KEYS, CATEGORY_KEYS, FrontMatter, parse_front_matter
from .limits import MarkdownLimits, limit_problems
from .markdown import IMAGE, LINK, RenderedArticle, render_markdown, resolve_relative
from .placeholders import PlaceholderValues, fill_placeholders
from .problems import WARNING, Problem
from .synonyms import SYNONYMS_FILE, SynonymGroups, parse_synonyms

log = logging.getLogger(__name__)

CATEGORY_FILE = "_category.md"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf"})


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


@dataclass(frozen=True)
class Category:
    lang: str
    slug: str
    title: str
    summary: str
    order: int
    path: Path | None
    icon: str = ""  # a name from helpcenter/icons.py


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
    # False when the body breaks a limit of limits.py: it is listed but never rendered or indexed.
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


@dataclass
class ParsedFile:
    front_matter: FrontMatter
    digest: str


# (path, mtime_ns, size) -> ParsedFile; lets a reload skip files that did not change.
ParseCache = dict[tuple[str, int, int], ParsedFile]


@dataclass
class Catalog:
    root: Path
    languages: list[Language]
    articles: dict[tuple[str, str], Article]
    categories: dict[tuple[str, str], Category]
    assets: dict[tuple[str, str], Asset]
    problems: list[Problem]
    show_drafts: bool = False
    # Per language, the writers' synonym groups (content/synonyms.py).
    synonyms: dict[str, SynonymGroups] = field(default_factory=dict)
    _rendered: dict[tuple[str, str, str, str], RenderedArticle] = field(default_factory=dict)

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

    # -- rendering -----------------------------------------------------------------------------

    def render(
        self, article: Article, reader_lang: str, urls: UrlBuilder
    ) -> RenderedArticle | None:
        """HTML for `article` with links into the reader's language; cached per catalog version.

        None for an article whose body is too costly to render (see limits.py)."""
        if not article.renderable:
            return None
        key = (article.lang, article.id, reader_lang, type(urls).__name__)
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = render_markdown(
                article.body,
                lambda kind, target: self._resolve(article, reader_lang, kind, target, urls),
            )
            self._rendered[key] = rendered
        return rendered

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


# -- loading -----------------------------------------------------------------------------------


def load_catalog(
    root: Path,
    languages: list[Language],
    *,
    show_drafts: bool = False,
    parse_cache: ParseCache | None = None,
    limits: MarkdownLimits | None = None,
    placeholders: PlaceholderValues | None = None,
) -> Catalog:
    """Reads the whole tree; a broken file is recorded as a Problem and skipped, never raised.
    `placeholders` gives, per language, the values of `{{ name }}` in article bodies."""
    root = Path(root)
    limits = limits or MarkdownLimits()
    cache: ParseCache = {} if parse_cache is None else parse_cache
    enabled = {lang.code for lang in languages}
    problems: list[Problem] = []
    articles: dict[tuple[str, str], Article] = {}
    categories: dict[tuple[str, str], Category] = {}
    assets: dict[tuple[str, str], Asset] = {}
    dates = history.last_commit_dates(root) if root.is_dir() else {}
    seen_keys: set[tuple[str, int, int]] = set()

    if not root.is_dir():
        problems.append(Problem(root, 1, "articles folder not found"))
    found = tree.scan(root) if root.is_dir() else tree.TreeScan()
    problems.extend(Problem(link, 1, tree.SYMLINK_MESSAGE) for link in found.symlinks)
    folders = (
        [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()] if root.is_dir() else []
    )
    for lang_dir in sorted(folders):
        code = lang_dir.name
        if code.startswith(".") or code in enabled:
            continue
        known = "" if code in KNOWN_LANGUAGES else " (not a known language code)"
        problems.append(
            Problem(lang_dir, 1, f"unknown language folder '{code}'{known}; "
                    f"enabled languages: {', '.join(sorted(enabled))}")
        )  # fmt: skip
    synonyms: dict[str, SynonymGroups] = {}
    for path in found.files:
        code, *rest = path.relative_to(root).parts
        if path.name == SYNONYMS_FILE:
            problems.extend(_read_synonyms(path, code, rest, enabled, synonyms))
            continue
        if not rest or code not in enabled:
            continue  # a file beside the language folders (README.md), or an unknown language
        lang_dir = root / code
        relative = path.relative_to(lang_dir).as_posix()
        parts = relative.split("/")
        key = _cache_key(path)  # one stat per file per load; unchanged files are not read
        if path.suffix.lower() in ASSET_SUFFIXES:
            try:
                digest = _asset_digest(path, key, cache)
            except OSError as exc:  # replaced by a symlink (ELOOP) or removed since the walk
                problems.append(Problem(path, 1, f"file could not be read ({exc})"))
                continue
            assets[(code, relative)] = Asset(code, relative, path, digest)
            continue
        if path.suffix != ".md":
            continue
        if len(parts) != 2:
            problems.append(
                Problem(path, 1, "article files belong in a category folder: "
                        "articles/<lang>/<category>/<slug>.md")
            )  # fmt: skip
            continue
        category_slug, filename = parts
        parsed = _parse(
            path, key, CATEGORY_KEYS if filename == CATEGORY_FILE else ARTICLE_KEYS, cache
        )
        seen_keys.add(key)
        problems.extend(
            Problem(path, line, message) for line, message in parsed.front_matter.problems
        )
        for name in (category_slug, filename.removesuffix(".md")):
            if name != CATEGORY_FILE.removesuffix(".md") and not SLUG_PATTERN.match(name):
                problems.append(
                    Problem(path, 1, f"'{name}' is not a valid URL name: use lowercase "
                            "letters, digits and hyphens (e.g. reset-password)")
                )  # fmt: skip
        if not parsed.front_matter.usable:
            log.warning("skipping %s: no usable front matter", path)
            continue
        values = parsed.front_matter.values
        if filename == CATEGORY_FILE:
            categories[(code, category_slug)] = Category(
                code, category_slug, values["title"], values.get("summary", ""),
                values.get("order", 1000), path, values.get("icon", ""),
            )  # fmt: skip
            continue
        updated = dates.get(f"{code}/{relative}") or history.file_date(path, key[1])
        body, unknown = fill_placeholders(
            parsed.front_matter.body,
            (placeholders or {}).get(code, {}),
            parsed.front_matter.body_line,
        )
        problems.extend(Problem(path, line, message) for line, message in unknown)
        too_costly = limit_problems(body, parsed.front_matter.body_line, limits)
        problems.extend(Problem(path, line, message) for line, message in too_costly)
        article = Article(
            lang=code, category=category_slug, slug=filename.removesuffix(".md"), path=path,
            title=values["title"], summary=values.get("summary", ""),
            tags=tuple(values.get("tags", ())), order=values.get("order", 1000),
            draft=values.get("draft", False), review_by=values.get("review_by"),
            aliases=tuple(values.get("aliases", ())), body=body,
            body_line=parsed.front_matter.body_line, digest=parsed.digest, updated=updated,
            renderable=not too_costly,
        )  # fmt: skip
        articles[(code, article.id)] = article

    problems.extend(_structure_problems(articles, categories, languages[0].code))
    # Forget cached parses of files that are gone, so the cache does not grow forever.
    for key in set(cache) - seen_keys:
        del cache[key]
    return Catalog(
        root=root, languages=languages, articles=articles, categories=categories,
        assets=assets, problems=sorted(problems), show_drafts=show_drafts, synonyms=synonyms,
    )  # fmt: skip


def _read_synonyms(
    path: Path, code: str, rest: list[str], enabled: set[str], into: dict[str, SynonymGroups]
) -> list[Problem]:
    """Reads `<lang>/_synonyms.txt` into `into[lang]`; its problems, or why it is not used."""
    if len(rest) != 1:
        return [
            Problem(path, 1, f"synonyms are not used here: put them in articles/<lang>/"
                    f"{SYNONYMS_FILE}", WARNING)
        ]  # fmt: skip
    if code not in enabled:
        return [
            Problem(path, 1, f"synonyms for '{code}', which is not an enabled language, are "
                    "not used", WARNING)
        ]  # fmt: skip
    try:
        text = tree.read_bytes(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(path, 1, f"file could not be read ({exc})")]
    into[code], problems = parse_synonyms(path, text)
    return problems


def _structure_problems(
    articles: dict[tuple[str, str], Article],
    categories: dict[tuple[str, str], Category],
    default: str,
) -> Iterable[Problem]:
    by_slug: dict[tuple[str, str], Article] = {}
    for (code, _), article in sorted(articles.items()):
        if code != default and (default, article.id) not in articles:
            yield Problem(
                article.path,
                1,
                f"translation has no source: {default}/{article.id}.md does not exist "
                f"(translations must use the same path as the {default} article)",
            )
        first = by_slug.setdefault((code, article.slug), article)
        if first is not article:
            yield Problem(
                article.path,
                1,
                f"duplicate slug '{article.slug}': also used by {code}/{first.id}.md; "
                "slugs must be unique within a language",
            )
    category_slugs = {(code, article.category) for (code, _), article in articles.items()}
    for code, slug in sorted(category_slugs):
        if code == default and (code, slug) not in categories:
            folder = next(
                a.path.parent for a in articles.values() if (a.lang, a.category) == (code, slug)
            )
            yield Problem(
                folder / CATEGORY_FILE,
                1,
                f"category '{slug}' has no {CATEGORY_FILE}: add one with a 'title:' to name it",
                WARNING,
            )


def _cache_key(path: Path) -> tuple[str, int, int]:
    stat = path.lstat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def _asset_digest(path: Path, key: tuple[str, int, int], cache: ParseCache) -> str:
    parsed = cache.get(key)
    if parsed is None:
        parsed = ParsedFile(FrontMatter({}, "", 1), _digest(tree.read_bytes(path)))
        cache[key] = parsed
    return parsed.digest


def _parse(path: Path, key: tuple[str, int, int], allowed: dict, cache: ParseCache) -> ParsedFile:
    parsed = cache.get(key)
    if parsed is None:
        try:
            raw = tree.read_bytes(path)
        except OSError as exc:  # replaced by a symlink (ELOOP) or removed since the walk
            return ParsedFile(FrontMatter({}, "", 1, [(1, f"file could not be read ({exc})")]), "")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            front_matter = FrontMatter(
                {}, "", 1, [(1, f"file is not valid UTF-8 text ({exc.reason})")]
            )
        else:
            front_matter = parse_front_matter(text, allowed)
        parsed = ParsedFile(front_matter, _digest(raw))
        cache[key] = parsed
    return parsed


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
