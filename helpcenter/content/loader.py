"""Reads an articles tree into a Catalog: walks the files, parses front matter, fills
placeholders, checks limits and structure, and records every broken file as a Problem.

Kept apart from the model (`catalog.py`), as Pelican keeps its readers apart from its contents:
the pages, search and reports need the catalog, only the store, `check` and the tools read files.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..languages import KNOWN_LANGUAGES, Language
from . import history, tree
from .catalog import CATEGORY_FILE, Article, Asset, Catalog, Category
from .frontmatter import ARTICLE_KEYS, CATEGORY_KEYS, FrontMatter, parse_front_matter
from .limits import MarkdownLimits, limit_problems
from .placeholders import PlaceholderValues, fill_placeholders
from .problems import WARNING, Problem
from .synonyms import SYNONYMS_FILE, SynonymGroups, parse_synonyms

log = logging.getLogger(__name__)

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf"})


@dataclass
class ParsedFile:
    front_matter: FrontMatter
    digest: str


# (path, mtime_ns, size) -> ParsedFile; lets a reload skip files that did not change.
ParseCache = dict[tuple[str, int, int], ParsedFile]


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
            Problem(
                lang_dir,
                1,
                f"unknown language folder '{code}'{known}; "
                f"enabled languages: {', '.join(sorted(enabled))}",
            )
        )
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
                Problem(
                    path,
                    1,
                    "article files belong in a category folder: "
                    "articles/<lang>/<category>/<slug>.md",
                )
            )
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
                    Problem(
                        path,
                        1,
                        f"'{name}' is not a valid URL name: use lowercase "
                        "letters, digits and hyphens (e.g. reset-password)",
                    )
                )
        if not parsed.front_matter.usable:
            log.warning("skipping %s: no usable front matter", path)
            continue
        values = parsed.front_matter.values
        if filename == CATEGORY_FILE:
            categories[(code, category_slug)] = Category(
                code,
                category_slug,
                values["title"],
                values.get("summary", ""),
                values.get("order", 1000),
                path,
                values.get("icon", ""),
            )
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
            lang=code,
            category=category_slug,
            slug=filename.removesuffix(".md"),
            path=path,
            title=values["title"],
            summary=values.get("summary", ""),
            tags=tuple(values.get("tags", ())),
            order=values.get("order", 1000),
            draft=values.get("draft", False),
            review_by=values.get("review_by"),
            aliases=tuple(values.get("aliases", ())),
            body=body,
            body_line=parsed.front_matter.body_line,
            digest=parsed.digest,
            updated=updated,
            renderable=not too_costly,
        )
        articles[(code, article.id)] = article

    problems.extend(_structure_problems(articles, categories, languages[0].code))
    # Forget cached parses of files that are gone, so the cache does not grow forever.
    for key in set(cache) - seen_keys:
        del cache[key]
    return Catalog(
        root=root,
        languages=languages,
        articles=articles,
        categories=categories,
        assets=assets,
        problems=sorted(problems),
        show_drafts=show_drafts,
        synonyms=synonyms,
    )


def _read_synonyms(
    path: Path, code: str, rest: list[str], enabled: set[str], into: dict[str, SynonymGroups]
) -> list[Problem]:
    """Reads `<lang>/_synonyms.txt` into `into[lang]`; its problems, or why it is not used."""
    if len(rest) != 1:
        return [
            Problem(
                path,
                1,
                f"synonyms are not used here: put them in articles/<lang>/{SYNONYMS_FILE}",
                WARNING,
            )
        ]
    if code not in enabled:
        return [
            Problem(
                path,
                1,
                f"synonyms for '{code}', which is not an enabled language, are not used",
                WARNING,
            )
        ]
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
