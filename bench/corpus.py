"""Map the real Alchemy Insights corpus into our articles layout, for benchmarks and evaluation.

The corpus (``/work/shared/corpus/alchemyinsights``, see its ``../SOURCES.md``) holds 1,280
parallel Microsoft 365 help articles in six locales, as DocFX Markdown. This module writes them
as a help-center articles tree::

    <destination>/<lang>/insights/<slug>.md                 (AlchemyInsights/*.md)
    <destination>/<lang>/commercial-dialogues/<slug>.md     (AlchemyInsights/commercial-dialogues/*.md)
    <destination>/<lang>/<category>/_category.md
    <destination>/<lang>/<category>/media/<image>           (only the images articles reference)

with our front matter (``title``, ``summary``), the title H1 and DocFX anchors removed, DocFX
alerts turned into plain Markdown, and relative ``.md`` links and image references rewritten so
that they stay valid in the new layout. The same source file gets the same article id in every
language.

The corpus is CC BY 4.0, © Microsoft and contributors (the en-US folder is an adaptation).
It is never committed to this repository: the tree is built into a temporary or given folder
outside the checkout, and this module refuses to write inside the checkout.

Usage: ``python bench/corpus.py [DEST] [--limit N]`` (DEST defaults to a new temporary folder).
Set ``HELPCENTER_CORPUS`` to read the corpus from somewhere else.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(
    os.environ.get("HELPCENTER_CORPUS")
    or Path(__file__).resolve().parents[2] / "shared/corpus/alchemyinsights"
)

# Our language code -> the corpus's locale folder.
LOCALES: dict[str, str] = {
    "en": "en-US",
    "pl": "pl-PL",
    "he": "he-IL",
    "lt": "lt-LT",
    "el": "el-GR",
    "hr": "hr-HR",
}
SOURCE_DIR = "AlchemyInsights"
MEDIA_DIR = "media"
# Corpus sub-folder ("" = AlchemyInsights itself) -> our category slug.
CATEGORIES: dict[str, str] = {"": "insights", "commercial-dialogues": "commercial-dialogues"}
FOLDERS: dict[str, str] = {category: folder for folder, category in CATEGORIES.items()}
CATEGORY_FRONT_MATTER: dict[str, dict[str, object]] = {
    "insights": {"title": "Microsoft 365 help", "order": 1},
    "commercial-dialogues": {"title": "Commercial dialogues", "order": 2},
}

ALERTS = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
}
_ALERT = re.compile(r"^(\s*>\s*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", re.IGNORECASE)
_ANCHOR = re.compile(r"""<a\s+(?:name|id)\s*=\s*["'][^"']*["']\s*>\s*</a>""", re.IGNORECASE)
_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# Inline links and images: `](target)` or `](target "title")`; reference definitions `[x]: target`.
_INLINE_TARGET = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_REFERENCE_TARGET = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?(?:\s|$))")
_HTML_SRC = re.compile(r"""(\b(?:src|href)\s*=\s*["'])([^"']+)""", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# The C loader when PyYAML has it (5x faster on 7,680 files); both are safe loaders.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Source:
    """One corpus article, the same in every locale: its path and our id for it."""

    relative: str  # path under AlchemyInsights/, e.g. "commercial-dialogues/sublabels.md"
    category: str
    slug: str

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.relative)

    @property
    def id(self) -> str:
        return f"{self.category}/{self.slug}"


def normalize_slug(name: str) -> str:
    """`Change-your-password-in-Outlook.com` -> `change-your-password-in-outlook-com`."""
    return _NOT_SLUG.sub("-", name.lower()).strip("-")


def source_articles(corpus: Path) -> list[Source]:
    """Every article of the corpus in sorted path order, with a unique slug per article.

    Slugs must be unique within a language across categories (the catalog requires it), so
    files whose names normalize to the same slug get `-2`, `-3`, ... in sorted path order.
    The list is built from all locale folders together, so ids never depend on which
    languages or how many files are taken.
    """
    relatives: set[str] = set()
    for locale in LOCALES.values():
        base = corpus / locale / SOURCE_DIR
        for folder in CATEGORIES:
            directory = base / folder if folder else base
            if directory.is_dir():
                relatives.update(
                    posixpath.join(folder, path.name) if folder else path.name
                    for path in directory.glob("*.md")
                    if path.is_file()
                )
    used: set[str] = set()
    sources = []
    for relative in sorted(relatives):
        base_slug = normalize_slug(posixpath.basename(relative).removesuffix(".md")) or "article"
        slug, number = base_slug, 1
        while slug in used:
            number += 1
            slug = f"{base_slug}-{number}"
        used.add(slug)
        category = CATEGORIES[posixpath.dirname(relative)]
        sources.append(Source(relative, category, slug))
    return sources


def corpus_ids(corpus: Path = DEFAULT_CORPUS) -> dict[str, str]:
    """Path under AlchemyInsights/ -> our article id: how query sets that name source files
    (queries-dev.tsv's `expected`) are mapped to the ids the search returns."""
    return {source.relative: source.id for source in source_articles(Path(corpus))}


def build_corpus_tree(
    destination: Path,
    corpus: Path = DEFAULT_CORPUS,
    languages: Sequence[str] = ("en", "pl", "he", "lt", "el", "hr"),
    limit: int | None = None,
) -> dict[str, int]:
    """Write the corpus as `<destination>/<lang>/<category>/<slug>.md`; return articles per language.

    `limit` takes only the first N source files in sorted path order (the same files in every
    language). `destination` must lie outside this checkout, and the language folders written
    into it must not exist yet or be empty (so no stale article survives from an earlier run).
    """
    destination = Path(destination).resolve()
    corpus = Path(corpus)
    if destination == PROJECT_ROOT or PROJECT_ROOT in destination.parents:
        raise ValueError(f"refusing to write corpus files inside the checkout: {destination}")
    unknown = [lang for lang in languages if lang not in LOCALES]
    if unknown:
        raise ValueError(f"unknown languages {unknown}; known: {', '.join(LOCALES)}")
    for lang in languages:
        locale_dir = corpus / LOCALES[lang] / SOURCE_DIR
        if not locale_dir.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {locale_dir}")
        target = destination / lang
        if target.exists() and any(target.iterdir()):
            raise FileExistsError(f"{target} already has files; choose an empty destination")

    sources = source_articles(corpus)
    by_relative = {source.relative: source for source in sources}
    chosen = sources if limit is None else sources[: max(limit, 0)]
    counts: dict[str, int] = {}
    for lang in languages:
        counts[lang] = _write_language(
            corpus / LOCALES[lang] / SOURCE_DIR, destination / lang, chosen, by_relative
        )
    return counts


def _write_language(
    source_dir: Path, lang_dir: Path, chosen: Iterable[Source], by_relative: dict[str, Source]
) -> int:
    written = 0
    categories: set[str] = set()
    for source in chosen:
        path = source_dir / source.relative
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        front_matter, body, images = convert_article(text, source, by_relative)
        out_dir = lang_dir / source.category
        out_dir.mkdir(parents=True, exist_ok=True)
        for image in images:
            found = source_dir / MEDIA_DIR / image
            if found.is_file():
                (out_dir / MEDIA_DIR).mkdir(exist_ok=True)
                shutil.copyfile(found, out_dir / MEDIA_DIR / image)
        (out_dir / f"{source.slug}.md").write_text(
            _with_front_matter(front_matter, body), encoding="utf-8"
        )
        categories.add(source.category)
        written += 1
    for category in sorted(categories):
        (lang_dir / category / "_category.md").write_text(
            _with_front_matter(CATEGORY_FRONT_MATTER[category], ""), encoding="utf-8"
        )
    return written


def convert_article(
    text: str, source: Source, by_relative: dict[str, Source]
) -> tuple[dict[str, str], str, list[str]]:
    """DocFX article text -> (our front matter, our Markdown body, images it uses from media/).

    Image references are rewritten to `media/<name>`, relative to the category folder, where
    the caller copies the images.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    docfx: dict = {}
    if match:
        try:
            loaded = yaml.load(match.group(1), Loader=_YAML_LOADER)
        except yaml.YAMLError:
            loaded = None
        docfx = loaded if isinstance(loaded, dict) else {}
        text = text[match.end() :]
    body, h1 = _drop_first_h1(text)

    title = _clean_text(docfx.get("title")) or _clean_text(h1) or source.slug
    front_matter = {"title": title}
    summary = _clean_text(docfx.get("description"))
    if summary:
        front_matter["summary"] = summary

    images: list[str] = []

    def rewrite(target: str) -> str:
        name = _media_name(target, source)
        if name is None:
            return _article_link(target, source, by_relative)
        if name not in images:
            images.append(name)
        query = urlsplit(target).query
        return posixpath.join(MEDIA_DIR, quote(name)) + (f"?{query}" if query else "")

    lines = []
    in_fence = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence:
            line = _ANCHOR.sub("", line)
            line = _ALERT.sub(lambda m: f"{m.group(1)}**{ALERTS[m.group(2).lower()]}:**", line)
            line = _rewrite_targets(line, rewrite)
        lines.append(line)
    return front_matter, "\n".join(lines).strip("\n") + "\n", images


def _drop_first_h1(body: str) -> tuple[str, str | None]:
    """The body without its first `# Title` line (outside code), and that title's text."""
    lines = body.split("\n")
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _H1.match(line)
        if match:
            title = _ANCHOR.sub("", match.group(1)).strip()
            return "\n".join(lines[:index] + lines[index + 1 :]), title
    return body, None


def _clean_text(value: object) -> str:
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return " ".join(_ANCHOR.sub("", str(value)).split())


def _rewrite_targets(line: str, rewrite: Callable[[str], str]) -> str:
    """Apply `rewrite(target) -> target` to every link/image target on one Markdown line."""

    def replace(match: re.Match) -> str:
        return (
            match.group(1)
            + rewrite(match.group(2))
            + (match.group(3) if match.re.groups > 2 else "")
        )

    line = _INLINE_TARGET.sub(replace, line)
    line = _REFERENCE_TARGET.sub(replace, line)
    return _HTML_SRC.sub(replace, line)


def _relative_to_source_dir(target: str, source: Source) -> tuple[str, str] | None:
    """A relative target -> (its path under AlchemyInsights/, fragment), or None if not relative."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith(("/", "#")) or not parts.path:
        return None
    path = posixpath.normpath(posixpath.join(source.folder, unquote(parts.path)))
    if path.startswith("../") or path == "..":
        return None
    return path, parts.fragment


def _article_link(target: str, source: Source, by_relative: dict[str, Source]) -> str:
    """`other-File.md#x` -> `other-file.md#x`; across categories `../insights/x.md`."""
    resolved = _relative_to_source_dir(target, source)
    if resolved is None or not resolved[0].lower().endswith(".md"):
        return target
    path, fragment = resolved
    linked = by_relative.get(path)
    if linked is None:
        # A link to an article that is not in the corpus: still use our naming, so the link
        # would work if the article were added.
        folder = posixpath.dirname(path)
        if folder not in CATEGORIES:
            return target
        name = normalize_slug(posixpath.basename(path)[: -len(".md")]) or "article"
        linked = Source(path, CATEGORIES[folder], name)
    new = f"{linked.slug}.md"
    if linked.category != source.category:
        new = f"../{linked.category}/{new}"
    return f"{new}#{fragment}" if fragment else new


def _media_name(target: str, source: Source) -> str | None:
    """The image name if `target` (relative to the article) is in AlchemyInsights/media/."""
    resolved = _relative_to_source_dir(target, source)
    if resolved is None:
        return None
    folder, name = posixpath.split(resolved[0])
    return name if folder == MEDIA_DIR and name else None


def _with_front_matter(values: dict[str, object], body: str) -> str:
    yaml_text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{yaml_text}---\n{body}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "destination", nargs="?", type=Path, help="folder to write (default: a new temporary one)"
    )
    parser.add_argument("--limit", type=int, default=None, help="take only the first N files")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder")
    args = parser.parse_args(argv)
    destination = args.destination or Path(tempfile.mkdtemp(prefix="helpcenter-corpus-"))
    try:
        counts = build_corpus_tree(destination, args.corpus, limit=args.limit)
    except (ValueError, FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(destination)
    for lang, count in counts.items():
        print(f"{lang}\t{count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
