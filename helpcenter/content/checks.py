"""The writer's lint rules: everything a writer can get wrong in an articles tree, with lines."""

from __future__ import annotations

from pathlib import Path

from ..languages import Language
from .catalog import TRANSLATE_OPTIONAL, Article, Catalog, PlainUrls
from .limits import MarkdownLimits
from .loader import load_catalog
from .markdown import broken_target_message
from .placeholders import PlaceholderValues, literal_hours
from .problems import ERROR, WARNING, Problem
from .synonyms import SYNONYMS_FILE, numbered_groups

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"})


def check_tree(
    root: Path,
    languages: list[Language],
    *,
    limits: MarkdownLimits | None = None,
    placeholders: PlaceholderValues | None = None,
    translate: str = TRANSLATE_OPTIONAL,
    image_max_bytes: int | None = None,
) -> list[Problem]:
    """Every problem in the tree at `root`, sorted by file and line. `translate` and
    `image_max_bytes` are the TRANSLATE and IMAGE_MAX_BYTES settings (None: no size limit)."""
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
            *synonym_problems(catalog),
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


def synonym_problems(catalog: Catalog) -> list[Problem]:
    """Synonym groups none of whose words any article of the language uses: such a group
    cannot find anything (usually a typo, or a word of another language). A single customer
    word no article uses is what synonyms are for, so it is not reported. And groups that
    would make a word expand to more than search allows (errors: search leaves them out for
    that word, see search/synonyms.py)."""
    # search depends on content, not the reverse
    from ..search.synonyms import over_expanded, words_found

    problems = []
    for lang in sorted(catalog.synonyms):
        path = catalog.root / lang / SYNONYMS_FILE
        numbered, _ = numbered_groups(path, path.read_text(encoding="utf-8"))
        problems.extend(
            Problem(path, numbered[group][0], message)
            for group, message in over_expanded(lang, [group for _, group in numbered])
        )
        texts = [
            text
            for (code, _), article in catalog.articles.items()
            if code == lang
            for text in (article.title, article.summary, " ".join(article.tags), article.body)
        ]
        found = words_found(lang, texts, [group for _, group in numbered])
        for (line, group), used in zip(numbered, found, strict=True):
            if not used:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"no {lang} article uses any of these words "
                        f"({', '.join(group)}): the group finds nothing",
                        WARNING,
                    )
                )
    return problems
