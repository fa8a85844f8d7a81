"""The writer's lint rules: everything a writer can get wrong in an articles tree, with lines."""

from __future__ import annotations

from pathlib import Path

from ..languages import Language
from .catalog import Catalog, PlainUrls
from .limits import MarkdownLimits
from .loader import load_catalog
from .markdown import IMAGE
from .placeholders import PlaceholderValues, literal_hours
from .problems import ERROR, WARNING, Problem
from .synonyms import SYNONYMS_FILE, numbered_groups


def check_tree(
    root: Path,
    languages: list[Language],
    *,
    limits: MarkdownLimits | None = None,
    placeholders: PlaceholderValues | None = None,
) -> list[Problem]:
    """Every problem in the tree at `root`, sorted by file and line."""
    catalog = load_catalog(
        Path(root), languages, show_drafts=True, limits=limits, placeholders=placeholders
    )
    return sorted(
        [
            *catalog.problems,
            *link_problems(catalog),
            *hours_problems(catalog, placeholders),
            *synonym_problems(catalog),
        ]
    )


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == ERROR for problem in problems)


def link_problems(catalog: Catalog) -> list[Problem]:
    """Broken article links and missing images, found by rendering each article for its own language."""
    urls = PlainUrls()
    problems = []
    for article in catalog.articles.values():
        rendered = catalog.render(article, article.lang, urls)
        if rendered is None:
            continue  # too costly to render: load_catalog reported why
        for kind, target in rendered.broken_links:
            what = "image not found" if kind == IMAGE else "broken link"
            hint = (
                "put the image beside the article (or beside the default-language article)"
                if kind == IMAGE
                else "link to another article's .md file by its relative path, "
                "e.g. ../account/reset-password.md"
            )
            line = _line_of(article.body, target, article.body_line)
            problems.append(Problem(article.path, line, f"{what}: '{target}' ({hint})"))
    return problems


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
