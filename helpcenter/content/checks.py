"""The writer's lint rules: everything a writer can get wrong in an articles tree, with lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..languages import Language
from .catalog import TRANSLATE_OPTIONAL, Article, Catalog, PlainUrls
from .cost_limits import MarkdownLimits
from .loader import load_catalog
from .markdown import broken_target_message
from .placeholders import PlaceholderValues, literal_hours
from .problems import ERROR, WARNING, Problem

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"})


def check_tree(
    root: Path,
    languages: list[Language],
    *,
    limits: MarkdownLimits | None = None,
    placeholders: PlaceholderValues | None = None,
    translate: str = TRANSLATE_OPTIONAL,
    image_max_bytes: int | None = None,
    more_checks: Sequence[Callable[[Catalog], list[Problem]]] = (),
) -> list[Problem]:
    """Every problem in the tree at `root`, sorted by file and line. `translate` and
    `image_max_bytes` are the TRANSLATE and IMAGE_MAX_BYTES settings (None: no size limit).
    `more_checks` are the layers above's own rules (search's on the synonyms files: content
    does not import search)."""
    catalog = load_catalog(
        Path(root),
        languages,
        show_drafts=True,
        limits=limits,
        placeholders=placeholders,
        translate=translate,
    )
    return sorted(
        [
            *catalog.problems,
            *link_problems(catalog),
            *hours_problems(catalog, placeholders),
            *(problem for check in more_checks for problem in check(catalog)),
            *(image_problems(catalog, image_max_bytes) if image_max_bytes else ()),
        ]
    )


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == ERROR for problem in problems)


def link_problems(catalog: Catalog) -> list[Problem]:
    """Broken article links and missing images, found by rendering each article for its own language."""
    return [
        problem
        for article in catalog.articles.values()
        for problem in article_link_problems(catalog, article)
    ]


def article_link_problems(catalog: Catalog, article: Article) -> list[Problem]:
    """One article's broken links and missing images (what `check` and the writer's preview
    say about it), with their lines."""
    rendered = catalog.render(article, article.lang, PlainUrls())
    if rendered is None:
        return []  # too costly to render: load_catalog reported why
    return [
        Problem(
            article.path,
            _line_of(article.body, target, article.body_line),
            broken_target_message(kind, target),
        )
        for kind, target in rendered.broken_links
    ]


def image_problems(catalog: Catalog, max_bytes: int) -> list[Problem]:
    """Images larger than IMAGE_MAX_BYTES: every reader downloads them, on a phone too."""
    problems = []
    for asset in catalog.assets.values():
        if asset.file.suffix.lower() in IMAGE_SUFFIXES and asset.size > max_bytes:
            problems.append(
                Problem(
                    asset.file,
                    1,
                    f"image is {_kilobytes(asset.size)}, more than the {_kilobytes(max_bytes)} "
                    "allowed (IMAGE_MAX_BYTES): every reader downloads it, on a phone too; "
                    "save it smaller (fewer pixels, or JPEG/WebP for a photo)",
                    WARNING,
                )
            )
    return problems


def _kilobytes(size: int) -> str:
    return f"{size / 1000:,.0f} KB"


def hours_problems(catalog: Catalog, placeholders: PlaceholderValues | None) -> list[Problem]:
    """Articles that write support hours out instead of using `{{ support_hours }}`."""
    problems = []
    for article in catalog.articles.values():
        hours = (placeholders or {}).get(article.lang, {}).get("support_hours", "")
        problems.extend(
            Problem(article.path, line, message, WARNING)
            for line, message in literal_hours(article.body, hours, article.body_line)
        )
    return problems


def _line_of(body: str, needle: str, first_line: int) -> int:
    for offset, text in enumerate(body.splitlines()):
        if f"({needle}" in text or needle in text:
            return first_line + offset
    return first_line
