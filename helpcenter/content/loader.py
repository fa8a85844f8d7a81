"""Reads an articles tree into a Catalog: walks the files, parses front matter, fills
placeholders, checks limits and structure, and records every broken file as a Problem.

Kept apart from the model (`catalog.py`), as Pelican keeps its readers apart from its contents:
the pages, search and reports need the catalog, only the store, `check` and the tools read files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..languages import KNOWN_LANGUAGES, Language
from . import history, tree
from .catalog import (
    CATEGORY_FILE,
    TRANSLATE_OPTIONAL,
    TRANSLATE_REQUIRED,
    Article,
    Asset,
    Catalog,
    Category,
)
from .cost_limits import MarkdownLimits, limit_problems
from .frontmatter import ARTICLE_KEYS, CATEGORY_KEYS, FrontMatter, parse_front_matter
from .images import image_size
from .placeholders import PlaceholderValues, fill_placeholders
from .problems import WARNING, Problem
from .synonym_files import SYNONYMS_FILE, SynonymGroups, parse_synonyms

log = logging.getLogger(__name__)

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf"})


@dataclass(frozen=True)
class FileEntry:
    """What one file gives the catalog, with the key it was read at.

    A reload reads again only the files whose key changed and builds the catalog from these
    entries in path order, the same way a full load does: so both give the same catalog."""

    key: tree.FileKey
    problems: tuple[Problem, ...] = ()
    article: Article | None = None
    category: Category | None = None
    asset: Asset | None = None
    synonyms: tuple[str, SynonymGroups] | None = None
    # "<lang>/<category>/<slug>.md": where git's dates are looked up (articles only).
    date_key: str = ""
    # False when the file could not be used (unreadable, broken front matter, no title).
    usable: bool = True


# A file modified this recently may change again within the same tick of the file system's
# clock (4 ms on Linux; 1-2 s on some file systems) without its key changing ("racy git"), so
# its key is not trusted: it is read again at each load until it is older than this.
UNSETTLED_NS = 2_000_000_000
UNSETTLED: tree.FileKey = (-1, -1, -1)

KEPT_MESSAGE = "the last good version of this file is still served until this is fixed"


class TreeLoader:
    """Reads an articles tree into a Catalog, and on `load()` again only what changed since.

    Holds one entry per file (see FileEntry); a reload costs one stat per file (none but the
    changed paths' when a watcher names them) plus the work on changed files and, when a file
    was added or removed, on what is derived across articles (translations without a source,
    duplicate slugs). The previous catalog is never modified: the new one is built beside it
    and returned, so a caller can swap it in with one assignment.

    `keep_last_good` is for a serving site: a file that becomes unusable keeps its last good
    article or category (and is reported as a problem) instead of disappearing.

    `translate`: the site's TRANSLATE setting (TRANSLATE_REQUIRED: every article should exist
    in every language, and a missing one is a warning, unless its category says otherwise)."""

    def __init__(
        self,
        root: Path,
        languages: list[Language],
        *,
        show_drafts: bool = False,
        limits: MarkdownLimits | None = None,
        placeholders: PlaceholderValues | None = None,
        keep_last_good: bool = False,
        translate: str = TRANSLATE_OPTIONAL,
    ) -> None:
        self.root = Path(root)
        self.languages = languages
        self.show_drafts = show_drafts
        self.limits = limits or MarkdownLimits()
        self.placeholders = placeholders or {}
        self.keep_last_good = keep_last_good
        self.translate = translate
        self._enabled = {lang.code for lang in languages}
        self._dates = history.CommitDates(self.root)
        self._entries: dict[str, FileEntry] = {}
        self._seen_dates: dict[str, dt.datetime] | None = None
        self._tree_problems: list[Problem] = []
        self._structure: list[Problem] = []  # problems across articles, of the last catalog
        self._found = tree.TreeStat()  # the files and keys of the last load
        self._unsettled = False  # some file of the last load is read again at the next
        self._catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog | None:
        """The catalog of the last load (None before the first)."""
        return self._catalog

    def load(self, *, full: bool = False, changed_paths: Iterable[str] | None = None) -> Catalog:
        """The catalog of the tree as it is now: the previous one itself when nothing changed.
        `full` reads every file again (as a new loader would). `changed_paths`, from a watcher
        that saw every change (notify.py), spares the walk: only those paths are looked at."""
        settled = time.time_ns() - UNSETTLED_NS
        last = self._catalog
        if changed_paths is None or full or last is None:
            found = tree.stat_walk(self.root) if self.root.is_dir() else tree.TreeStat()
        else:
            found = tree.restat(self._found, self.root, changed_paths)
        dates = self._dates.current() if self.root.is_dir() else {}
        redate = dates is not self._seen_dates
        if (
            found is self._found
            and not redate
            and last is not None
            and self.show_drafts == last.show_drafts
            and not self._unsettled
        ):
            return last  # the watcher saw nothing, and no commit was made
        self._found = found
        previous = {} if full else self._entries
        entries: dict[str, FileEntry] = {}
        changed: list[str] = []
        unsettled = False
        for path, key in found.files.items():
            entry = previous.get(path)
            if entry is None or entry.key != key:
                fresh = self._read(path, key, dates, self._entries.get(path))
                if key[0] > settled:
                    fresh = replace(fresh, key=UNSETTLED)
                    unsettled = True
                if entry is not None and _same_content(entry, fresh):
                    # Touched, or saved again unchanged: the same objects, nothing to redo.
                    entry = replace(entry, key=fresh.key)
                else:
                    entry = fresh
                    changed.append(path)
            elif redate and entry.article is not None:
                updated = dates.get(entry.date_key) or history.file_date(Path(path), key[0])
                if updated != entry.article.updated:
                    entry = replace(entry, article=replace(entry.article, updated=updated))
                    changed.append(path)
            entries[path] = entry
        tree_problems = self._read_tree_problems(found)
        same_tree = (
            last is not None
            and not full
            and tree_problems == self._tree_problems
            and self.show_drafts == last.show_drafts
        )
        # Only edits in place: no file added or removed, each still giving the same thing.
        in_place = (
            same_tree
            and len(entries) == len(self._entries)
            and all(_slot(self._entries.get(path)) == _slot(entries[path]) for path in changed)
        )
        old_entries = self._entries
        self._entries, self._seen_dates, self._tree_problems = entries, dates, tree_problems
        self._unsettled = unsettled
        if in_place and not changed:
            assert last is not None
            return last
        if in_place:
            assert last is not None
            catalog = self._patch(last, [entries[path] for path in changed], entries.values())
        else:
            catalog = self._assemble(entries.values(), tree_problems)
        if last is not None and not full:
            catalog.keep_rendered(last)
        self._catalog = catalog
        log.debug(
            "articles tree: %d files read again, %d gone",
            len(changed),
            len(old_entries.keys() - entries.keys()),
        )
        return catalog

    # -- one file ------------------------------------------------------------------------------

    def _read(
        self,
        path_text: str,
        key: tree.FileKey,
        dates: dict[str, dt.datetime],
        last: FileEntry | None,
    ) -> FileEntry:
        entry = self._read_file(Path(path_text), key, dates)
        if (
            self.keep_last_good
            and not entry.usable
            and last is not None
            and (last.article is not None or last.category is not None)
        ):
            kept = Problem(Path(path_text), 1, KEPT_MESSAGE, WARNING)
            return replace(
                entry,
                problems=(*entry.problems, kept),
                article=last.article,
                category=last.category,
                date_key=last.date_key,
            )
        return entry

    def _read_file(self, path: Path, key: tree.FileKey, dates: dict[str, dt.datetime]) -> FileEntry:
        """One file of the tree, by its kind: a synonyms file, an asset (an image, a
        download), a category's _category.md or an article; anything else contributes nothing."""
        code, *rest = path.relative_to(self.root).parts
        if path.name == SYNONYMS_FILE:
            return self._read_synonyms(path, key, code, rest)
        if not rest or code not in self._enabled:
            return FileEntry(key)  # a file beside the language folders (README.md), or unknown
        if path.suffix.lower() in ASSET_SUFFIXES:
            return _read_asset(path, key, code, "/".join(rest))
        if path.suffix != ".md":
            return FileEntry(key)
        if len(rest) != 2:
            return FileEntry(key, (Problem(path, 1, MISPLACED_ARTICLE),))
        category_slug, filename = rest
        is_category = filename == CATEGORY_FILE
        front_matter, digest = _parse(path, CATEGORY_KEYS if is_category else ARTICLE_KEYS)
        problems = [Problem(path, line, message) for line, message in front_matter.problems]
        problems += _name_problems(path, category_slug, filename)
        if not front_matter.usable:
            log.warning("skipping %s: no usable front matter", path)
            return FileEntry(key, tuple(problems), usable=False)
        if is_category:
            category = _category(code, category_slug, path, front_matter.values)
            return FileEntry(key, tuple(problems), category=category)
        return self._read_article(path, key, dates, front_matter, digest, problems)

    def _read_article(
        self,
        path: Path,
        key: tree.FileKey,
        dates: dict[str, dt.datetime],
        front_matter: FrontMatter,
        digest: str,
        problems: list[Problem],
    ) -> FileEntry:
        """An article from its parsed front matter: placeholders filled in, its cost bounded,
        its date from git (or the file)."""
        code, category_slug, filename = path.relative_to(self.root).parts
        date_key = f"{code}/{category_slug}/{filename}"
        updated = dates.get(date_key) or history.file_date(path, key[0])
        body, unknown = fill_placeholders(
            front_matter.body, self.placeholders.get(code, {}), front_matter.body_line
        )
        problems.extend(Problem(path, line, message) for line, message in unknown)
        too_costly = limit_problems(body, front_matter.body_line, self.limits)
        problems.extend(Problem(path, line, message) for line, message in too_costly)
        values = front_matter.values
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
            body_line=front_matter.body_line,
            digest=digest,
            updated=updated,
            renderable=not too_costly,
        )
        return FileEntry(key, tuple(problems), article=article, date_key=date_key)

    def _read_synonyms(
        self, path: Path, key: tree.FileKey, code: str, rest: list[str]
    ) -> FileEntry:
        """`<lang>/_synonyms.txt`: its groups, its problems, or why it is not used."""
        if len(rest) != 1:
            message = f"synonyms are not used here: put them in articles/<lang>/{SYNONYMS_FILE}"
            return FileEntry(key, (Problem(path, 1, message, WARNING),))
        if code not in self._enabled:
            message = f"synonyms for '{code}', which is not an enabled language, are not used"
            return FileEntry(key, (Problem(path, 1, message, WARNING),))
        try:
            text = tree.read_bytes(path).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return FileEntry(key, (Problem(path, 1, f"file could not be read ({exc})"),))
        groups, problems = parse_synonyms(path, text)
        return FileEntry(key, tuple(problems), synonyms=(code, groups))

    # -- the whole tree ------------------------------------------------------------------------

    def _read_tree_problems(self, found: tree.TreeStat) -> list[Problem]:
        """The missing root, symlinks and folders of languages that are not enabled."""
        if not self.root.is_dir():
            return [Problem(self.root, 1, "articles folder not found")]
        problems = [Problem(Path(link), 1, tree.SYMLINK_MESSAGE) for link in found.symlinks]
        folders = [p for p in self.root.iterdir() if p.is_dir() and not p.is_symlink()]
        for lang_dir in sorted(folders):
            code = lang_dir.name
            if code.startswith(".") or code in self._enabled:
                continue
            known = "" if code in KNOWN_LANGUAGES else " (not a known language code)"
            problems.append(
                Problem(
                    lang_dir,
                    1,
                    f"unknown language folder '{code}'{known}; "
                    f"enabled languages: {', '.join(sorted(self._enabled))}",
                )
            )
        return problems

    def _assemble(self, entries: Iterable[FileEntry], tree_problems: list[Problem]) -> Catalog:
        problems = list(tree_problems)
        parts = _Parts({}, {}, {}, {})
        for entry in entries:
            problems.extend(entry.problems)
            parts.put(entry)
        self._structure = self._structure_of(parts)
        problems.extend(self._structure)
        return self._made(parts, problems)

    def _structure_of(self, parts: _Parts) -> list[Problem]:
        return list(
            _structure_problems(
                parts.articles,
                parts.categories,
                [lang.code for lang in self.languages],
                self.translate,
            )
        )

    def _made(self, parts: _Parts, problems: list[Problem]) -> Catalog:
        """The catalog of `parts`, a full load's or a patched one's alike."""
        return Catalog(
            root=self.root,
            languages=self.languages,
            articles=parts.articles,
            categories=parts.categories,
            assets=parts.assets,
            problems=sorted(problems),
            show_drafts=self.show_drafts,
            synonyms=parts.synonyms,
        )

    def _patch(
        self, last: Catalog, changed: list[FileEntry], entries: Iterable[FileEntry]
    ) -> Catalog:
        """`last` with the changed files' new articles (categories, images, synonyms) put in
        their places: the same keys in the same order as a full load would give, and so the
        same problems across articles (they depend only on which articles exist)."""
        parts = _Parts(
            last.articles.copy(), last.categories.copy(), last.assets.copy(), last.synonyms.copy()
        )
        for entry in changed:
            parts.put(entry)
        if any(entry.category is not None for entry in changed):
            # A category's `translate:` decides which missing translations are reported.
            self._structure = self._structure_of(parts)
        problems = [*self._tree_problems, *self._structure]
        for entry in entries:
            if entry.problems:
                problems.extend(entry.problems)
        return self._made(parts, problems)


@dataclass
class _Parts:
    """What a catalog is made of, keyed as the catalog keys it; `put` places one file's."""

    articles: dict[tuple[str, str], Article]
    categories: dict[tuple[str, str], Category]
    assets: dict[tuple[str, str], Asset]
    synonyms: dict[str, SynonymGroups]

    def put(self, entry: FileEntry) -> None:
        if entry.article is not None:
            self.articles[(entry.article.lang, entry.article.id)] = entry.article
        elif entry.category is not None:
            self.categories[(entry.category.lang, entry.category.slug)] = entry.category
        elif entry.asset is not None:
            self.assets[(entry.asset.lang, entry.asset.path)] = entry.asset
        elif entry.synonyms is not None:
            self.synonyms[entry.synonyms[0]] = entry.synonyms[1]


MISPLACED_ARTICLE = (
    "article files belong in a category folder: articles/<lang>/<category>/<slug>.md"
)


def _read_asset(path: Path, key: tree.FileKey, code: str, relative: str) -> FileEntry:
    """An image or a download: its bytes' digest, size and (an image) its width and height."""
    try:
        data = tree.read_bytes(path)
    except OSError as exc:  # replaced by a symlink (ELOOP) or removed since the walk
        return FileEntry(key, (Problem(path, 1, f"file could not be read ({exc})"),))
    asset = Asset(code, relative, path, _digest(data), len(data), image_size(data, path.suffix))
    return FileEntry(key, asset=asset)


def _name_problems(path: Path, category_slug: str, filename: str) -> list[Problem]:
    """The folder's and the file's names, which become the page's URL."""
    return [
        Problem(
            path,
            1,
            f"'{name}' is not a valid URL name: use lowercase "
            "letters, digits and hyphens (e.g. reset-password)",
        )
        for name in (category_slug, filename.removesuffix(".md"))
        if name != CATEGORY_FILE.removesuffix(".md") and not SLUG_PATTERN.match(name)
    ]


def _category(code: str, slug: str, path: Path, values: dict) -> Category:
    return Category(
        code,
        slug,
        values["title"],
        values.get("summary", ""),
        values.get("order", 1000),
        path,
        values.get("icon", ""),
        values.get("translate", ""),
    )


def _same_content(old: FileEntry, new: FileEntry) -> bool:
    """True when a file read again gives what it gave before (only its key differs)."""
    return replace(old, key=new.key) == new


def _slot(entry: FileEntry | None) -> tuple[str, ...] | None:
    """Where a file's contribution goes in the catalog: which dictionary, which key."""
    if entry is None:
        return None
    if entry.article is not None:
        return ("article", entry.article.lang, entry.article.id)
    if entry.category is not None:
        return ("category", entry.category.lang, entry.category.slug)
    if entry.asset is not None:
        return ("asset", entry.asset.lang, entry.asset.path)
    if entry.synonyms is not None:
        return ("synonyms", entry.synonyms[0])
    return ("nothing",)


def load_catalog(
    root: Path,
    languages: list[Language],
    *,
    show_drafts: bool = False,
    limits: MarkdownLimits | None = None,
    placeholders: PlaceholderValues | None = None,
    translate: str = TRANSLATE_OPTIONAL,
) -> Catalog:
    """Reads the whole tree; a broken file is recorded as a Problem and skipped, never raised.
    `placeholders` gives, per language, the values of `{{ name }}` in article bodies;
    `translate` is the site's TRANSLATE setting."""
    return TreeLoader(
        root,
        languages,
        show_drafts=show_drafts,
        limits=limits,
        placeholders=placeholders,
        translate=translate,
    ).load()


def _structure_problems(
    articles: dict[tuple[str, str], Article],
    categories: dict[tuple[str, str], Category],
    codes: list[str],
    translate: str,
) -> Iterable[Problem]:
    """Problems across files: duplicate slugs, categories without a name, and (where a writer
    asked for every translation) the languages an article is missing in.

    An article may exist in any set of languages: one with no default-language version (a
    local payment method) is served in its own languages only, and is no error."""
    default = codes[0]
    by_slug: dict[tuple[str, str], Article] = {}
    for (code, _), article in sorted(articles.items()):
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
        # A translation without its own _category.md is named by the default language's.
        if (code, slug) not in categories and (default, slug) not in categories:
            folder = next(
                a.path.parent for a in articles.values() if (a.lang, a.category) == (code, slug)
            )
            yield Problem(
                folder / CATEGORY_FILE,
                1,
                f"category '{slug}' has no {CATEGORY_FILE}: add one with a 'title:' to name it",
                WARNING,
            )
    yield from _missing_translations(articles, categories, codes, translate)


def _missing_translations(
    articles: dict[tuple[str, str], Article],
    categories: dict[tuple[str, str], Category],
    codes: list[str],
    translate: str,
) -> Iterable[Problem]:
    """A warning on each article missing in some language, where translations are required:
    by the category's `translate:` (its default-language _category.md first), else the site's
    TRANSLATE setting. Reported on the default-language version, else on the first there is."""
    versions: dict[str, dict[str, Article]] = {}
    for (code, article_id), article in articles.items():
        versions.setdefault(article_id, {})[code] = article
    for article_id in sorted(versions):
        found = versions[article_id]
        missing = [code for code in codes if code not in found]
        if not missing:
            continue
        slug = article_id.split("/", 1)[0]
        said = next(
            (
                (categories[(code, slug)], code)
                for code in codes
                if (code, slug) in categories and categories[(code, slug)].translate
            ),
            None,
        )
        if said is not None:
            category, code = said
            if category.translate != TRANSLATE_REQUIRED:
                continue
            why = f"translate: required in {code}/{slug}/{CATEGORY_FILE}"
        elif translate == TRANSLATE_REQUIRED:
            why = 'translate = "required" in helpcenter.toml'
        else:
            continue
        first = next(found[code] for code in codes if code in found)
        wanted = ", ".join(f"{code}/{article_id}.md" for code in missing)
        yield Problem(
            first.path,
            1,
            f"not translated into {', '.join(missing)} ({why}): write {wanted}",
            WARNING,
        )


def _parse(path: Path, allowed: dict) -> tuple[FrontMatter, str]:
    """The file's front matter and body, and the digest of its bytes; never raises."""
    try:
        raw = tree.read_bytes(path)
    except OSError as exc:  # replaced by a symlink (ELOOP) or removed since the walk
        return FrontMatter({}, "", 1, [(1, f"file could not be read ({exc})")]), ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FrontMatter({}, "", 1, [(1, f"file is not valid UTF-8 text ({exc.reason})")]), (
            _digest(raw)
        )
    return parse_front_matter(text, allowed), _digest(raw)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
