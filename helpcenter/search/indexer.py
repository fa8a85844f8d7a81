"""Builds and updates the Whoosh indexes (one per language) from a Catalog.

Layout: `<index_dir>/<lang>` is a symbolic link to a build folder `<lang>.<build-id>`.
An incremental update writes into the current build (Whoosh commits a new generation
atomically, so readers never see half of it). A full rebuild writes a new build folder and
then swaps the link with `os.replace`, which is atomic: a running site keeps searching the old
build until the new one is complete. A rebuild that fails removes its folder.

Opening a Whoosh index unpickles its table of contents, which runs whatever code the file
names: an index folder is only ever opened when this store built it. The index folder is
owner-only (0700) and every build carries a seal, an HMAC of its name and schema version with
the app's secret key, that nobody without the key can forge; anything else (a folder from a
content repository, an index from an older version) is never opened, only rebuilt beside it.

With semantic search on, each build also holds its passage embeddings (semantic.PASSAGES_FILE):
a full rebuild writes them before the seal, so the link swap covers both; an incremental update
rewrites the file under a temporary name and renames it. They are plain arrays, read with
`allow_pickle=False` only.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import hmac
import logging
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.searching import Searcher

from ..content.catalog import Article, Catalog
from ..content.plaintext import markdown_to_text
from .analyzers import analyzer_for, loose_analyzer, vocabulary_analyzer
from .fields import Terms, WeightedText
from .semantic import (
    PASSAGES_FILE,
    ArticleText,
    PassageEmbedder,
    PassageMatrix,
    UnreadablePassages,
    article_passages,
    build_matrix,
    deepen_matrix,
)

log = logging.getLogger(__name__)

# Where a word is found says how much the article is about it (see fields.WeightedText).
# "learned": words customers searched with before this article answered them
# (activity/learned_terms.py), below everything the writers wrote but the body.
SECTION_WEIGHTS = {
    "title": 5.0,
    "tags": 5.0,
    "headings": 2.5,
    "summary": 2.0,
    "learned": 1.5,
    "body": 1.0,
}
# Bump when the schema or an analyzer changes: existing indexes are then rebuilt in full
# (the weights are part of the version, so tuning them rebuilds too).
SCHEMA_VERSION = "18:" + ",".join(f"{name}={weight}" for name, weight in SECTION_WEIGHTS.items())
# Learned terms per language: article id -> its terms (already analyzed), strongest first.
Learned = Mapping[str, Sequence[str]]
# Opening a build a rebuild swapped out (and deleted) meanwhile is tried again on the new one.
SWAP_RETRIES = 3
_SEAL_FILE = "helpcenter-build"  # the schema version and the build's seal
_PASSAGES_LOCK = "passages.lock"
# Passages embedded between two rewrites of the passages file by deepen: about a minute of
# work on two cores, and a file rewritten (and read again by every worker) once a minute.
DEEPEN_BATCH = 256
ORPHAN_AGE = 3600.0  # seconds after which a build no link points to is an interrupted one

Progress = Callable[[str, int, int], None]  # (language, done, total)


def schema_for(lang: str) -> Schema:
    """`text` is searched (stemmed), `loose` backs it up (folded prefixes), `words` feeds
    "did you mean" and suggestions; title, summary and body are stored for results and snippets."""
    return Schema(
        # Columns (sortable) make reading every id and digest, and counting per category, cheap.
        id=ID(stored=True, unique=True, sortable=True),
        category=ID(stored=True, sortable=True),
        text=WeightedText(analyzer_for(lang)),
        loose=WeightedText(loose_analyzer(lang)),
        words=TEXT(analyzer=vocabulary_analyzer(lang), phrase=False),
        # The learned terms on their own, never stored, so no result page or snippet can show
        # them (they are scored inside `text`, as its "learned" section).
        learned=KEYWORD(lowercase=False),
        title=STORED,
        summary=STORED,
        body=STORED,
        digest=ID(sortable=True),
    )


def article_document(article: Article) -> dict[str, object]:
    # An article too costly to render is found by its title, summary and tags only.
    plain = markdown_to_text(article.body if article.renderable else "")
    sections = {
        "title": article.title,
        "tags": " \n".join(article.tags),
        "headings": " \n".join(plain.headings),
        "summary": article.summary,
        "body": plain.text,
    }
    weighted = [(text, SECTION_WEIGHTS[name]) for name, text in sections.items() if text]
    return {
        "id": article.id,
        "category": article.category,
        "text": weighted,
        "loose": weighted,
        "words": " \n".join(text for text, _ in weighted),
        "title": article.title,
        "summary": article.summary,
        "body": plain.text,
        "digest": article.digest,
    }


def with_learned(document: dict[str, object], learned: Sequence[str]) -> dict[str, object]:
    """The document with the article's learned terms: searched as the "learned" section of
    `text`, never stored, so no result page, snippet or "did you mean" shows them."""
    if not learned:
        return document
    weighted = [*document["text"], (Terms(learned), SECTION_WEIGHTS["learned"])]  # type: ignore[misc]
    digest = f"{document['digest']}+{_terms_digest(learned)}"
    return {**document, "text": weighted, "learned": " ".join(learned), "digest": digest}


def document_digest(article: Article, learned: Sequence[str] = ()) -> str:
    """What the index records of an article to know when to index it again: its content
    digest, and a digest of its learned terms when it has some (as with_learned writes it)."""
    return f"{article.digest}+{_terms_digest(learned)}" if learned else article.digest


def _terms_digest(terms: Sequence[str]) -> str:
    return hashlib.sha1(" ".join(terms).encode()).hexdigest()[:16]


@dataclass
class UpdateStats:
    lang: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    full: bool = False
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    embedded: int = 0  # passages the model embedded (not found in the build or the cache)

    def describe(self) -> str:
        kind = "rebuilt" if self.full else "updated"
        text = (
            f"{self.lang}: {kind} — {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged"
            + (f", {self.embedded} embedded" if self.embedded else "")
            + f" ({self.seconds:.1f} s)"
        )
        return text + "".join(f"\n  skipped {aid}: {why}" for aid, why in self.failed)


def language_articles(catalog: Catalog, lang: str) -> dict[str, Article]:
    """What a language's index holds: that language's own visible articles."""
    return {
        article.id: article
        for (code, _), article in catalog.articles.items()
        if code == lang and (catalog.show_drafts or not article.draft)
    }


class UntrustedIndex(Exception):
    """An index folder this store did not build: never opened."""


class IndexStore:
    """Where the per-language indexes live, and the operations on them. `secret` seals the
    builds (the app's secret key, so every process of a site trusts the same builds); without
    one, only this store's own builds are trusted (scratch indexes of tools and tests)."""

    def __init__(
        self,
        index_dir: Path,
        *,
        secret: str | bytes | None = None,
        embedder: PassageEmbedder | None = None,
    ) -> None:
        """`embedder`: passage embeddings are built beside each index (semantic search on);
        None builds the Whoosh index alone."""
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        if isinstance(secret, str):
            secret = secret.encode()
        self._secret = secret or secrets.token_bytes(32)

    def link(self, lang: str) -> Path:
        return self.index_dir / lang

    # Both open through the link, not the build it named when the seal was checked: a rebuild
    # may swap the link and delete that build in between, and the link only ever points to a
    # complete build this store sealed (nobody else can write the owner-only folder).
    # The seal is written after the build's Whoosh commit, so a sealed build holds an index:
    # no need to read its table of contents (which a swap could delete under the reader).
    def exists(self, lang: str) -> bool:
        return self._sealed_build(lang) is not None

    def open(self, lang: str) -> whoosh_index.Index:
        if self._sealed_build(lang) is None:
            raise UntrustedIndex(f"{self.link(lang)}: no index built by this site")
        return whoosh_index.open_dir(str(self.link(lang)))

    def searcher(self, lang: str) -> Searcher:
        """A Whoosh searcher on `lang`'s current build. A full rebuild in another thread or
        process may swap the link and delete the build this one was opening (its table of
        contents read, its segments not yet): then open the new build, never fail a search."""
        before = self._link_target(lang)
        for _ in range(SWAP_RETRIES - 1):
            try:
                return self.open(lang).searcher()
            except (OSError, UntrustedIndex):
                after = self._link_target(lang)
                if after == before:
                    raise  # not a swap: a real problem
                before = after
        return self.open(lang).searcher()

    def passages_file(self, lang: str) -> Path | None:
        """The passages file of `lang`'s current build (None: no build this store trusts)."""
        build = self._sealed_build(lang)
        return build / PASSAGES_FILE if build is not None else None

    def _seal(self, build_name: str) -> str:
        message = f"{build_name}|{SCHEMA_VERSION}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _link_target(self, lang: str) -> str | None:
        try:
            return os.readlink(self.link(lang))
        except OSError:  # missing, or a real folder (an index from before links were used)
            return None

    def _sealed_build(self, lang: str) -> Path | None:
        """The build `lang`'s link points to, when this store built it for this schema: the
        index folder owner-only, the link naming a build folder beside it, the build's seal
        right. Never reads anything else (cheap: searchers ask every second). A build deleted
        while it was checked was swapped out by a rebuild: the link's new build is checked."""
        if not _private_folder(self.index_dir):
            return None
        for _ in range(SWAP_RETRIES):
            target = self._link_target(lang)
            if target is None:
                return None
            build = self._sealed(target)
            if build is not None or self._link_target(lang) == target:
                return build
        return None

    def _sealed(self, target: str) -> Path | None:
        """The build folder `target` names, if its seal is this store's for this schema."""
        if "/" in target or target.startswith("."):
            return None
        build = self.index_dir / target
        if not _private_folder(build):
            return None
        try:
            recorded = _read_small(build / _SEAL_FILE).split()
        except OSError:
            return None
        if recorded[:1] != [SCHEMA_VERSION] or len(recorded) != 2:
            return None
        return build if hmac.compare_digest(recorded[1], self._seal(target)) else None

    def update(
        self,
        catalog: Catalog,
        lang: str,
        *,
        full: bool = False,
        progress: Progress | None = None,
        learned: Learned | None = None,
        deep: bool = True,
    ) -> UpdateStats:
        """Brings the index of `lang` in line with the catalog and its learned terms; a full
        rebuild when asked or needed. Without `learned` (a process that has not read them yet)
        an unchanged article keeps the learned terms it was indexed with. `deep` False: many
        new or changed articles get their head passage only, and `deepen` embeds the rest
        (semantic.build_matrix)."""
        started = time.perf_counter()
        if full or not self.exists(lang):
            stats = self._rebuild(catalog, lang, progress, learned or {}, deep)
        else:
            stats = self._update_in_place(catalog, lang, progress, learned, deep)
        stats.seconds = time.perf_counter() - started
        return stats

    def _rebuild(
        self, catalog: Catalog, lang: str, progress: Progress | None, learned: Learned, deep: bool
    ) -> UpdateStats:
        self._prepare_folder()
        self._remove_orphans(lang)
        build = Path(
            tempfile.mkdtemp(prefix=f"{lang}.{time.strftime('%Y%m%d%H%M%S')}.", dir=self.index_dir)
        )
        try:
            stats = self._fill(build, catalog, lang, progress, learned)
            if self.embedder is not None:
                stats.embedded = self._write_passages(
                    build, catalog, lang, self._current(lang), deep
                )
            (build / _SEAL_FILE).write_text(f"{SCHEMA_VERSION}\n{self._seal(build.name)}\n")
            self._swap(lang, build)
        except BaseException:
            # A full disk, a signal, a bug: no half-built folder is left behind.
            shutil.rmtree(build, ignore_errors=True)
            raise
        return stats

    def _fill(
        self, build: Path, catalog: Catalog, lang: str, progress: Progress | None, learned: Learned
    ) -> UpdateStats:
        ix = whoosh_index.create_in(str(build), schema_for(lang))
        articles = language_articles(catalog, lang)
        stats = UpdateStats(lang, full=True)
        writer = ix.writer(limitmb=128)
        try:
            for done, article in enumerate(articles.values(), 1):
                self._add(writer, article, learned.get(article.id, ()), stats, update=False)
                if progress:
                    progress(lang, done, len(articles))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        stats.added = len(articles) - len(stats.failed)
        return stats

    def _prepare_folder(self) -> None:
        """The index folder, owner-only. One this user owns but left open (made by an older
        version) is closed; its old builds carry no seal and are never opened."""
        self.index_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = self.index_dir.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            raise UntrustedIndex(
                f"{self.index_dir}: the index folder must be a folder of this user's, not a "
                "link or somebody else's; remove it and index again"
            )
        if stat.S_IMODE(info.st_mode) & 0o077:
            self.index_dir.chmod(0o700)

    def _remove_orphans(self, lang: str) -> None:
        """Builds of `lang` no link points to, left by a rebuild that was killed (a rebuild
        running now in another process is younger than ORPHAN_AGE)."""
        current = self.link(lang).resolve().name if self.link(lang).is_symlink() else None
        for build in self.index_dir.glob(f"{lang}.*"):
            try:
                age = time.time() - build.lstat().st_mtime
            except OSError:
                continue
            if build.name != current and build.is_dir() and age > ORPHAN_AGE:
                shutil.rmtree(build, ignore_errors=True)

    def _swap(self, lang: str, build: Path) -> None:
        link = self.link(lang)
        previous = link.resolve() if link.is_symlink() else None
        temporary = self.index_dir / f".{lang}.link.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(build.name)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # an index from before links were used
        os.replace(temporary, link)
        # Open readers keep their files (POSIX), so the old build can go at once.
        if previous and previous != build.resolve() and previous.parent == build.resolve().parent:
            shutil.rmtree(previous, ignore_errors=True)

    def _update_in_place(
        self,
        catalog: Catalog,
        lang: str,
        progress: Progress | None,
        learned: Learned | None,
        deep: bool,
    ) -> UpdateStats:
        ix = self.open(lang)
        articles = language_articles(catalog, lang)
        stats = UpdateStats(lang)
        with ix.searcher() as searcher:
            indexed = _indexed_digests(searcher.reader())

        def is_current(article: Article) -> bool:
            digest = indexed.get(article.id)
            if learned is None:
                return digest is not None and digest.split("+", 1)[0] == article.digest
            return digest == document_digest(article, learned.get(article.id, ()))

        changed = [article for article in articles.values() if not is_current(article)]
        removed = [aid for aid in indexed if aid not in articles]
        stats.unchanged = len(articles) - len(changed)
        if self.embedder is not None:
            # Before the Whoosh commit: a searcher that sees the new text finds its passages.
            # (Learned terms change no passage: those articles' rows are reused as they are.)
            path = self.passages_file(lang)
            assert path is not None  # open() above succeeded
            if changed or removed or not PassageMatrix.readable(path, self.embedder.model):
                with _passages_lock(path.parent):
                    current = self._current(lang)
                    stats.embedded = self._write_passages(path.parent, catalog, lang, current, deep)
        if not changed and not removed:
            return stats
        writer = ix.writer(timeout=30.0)
        try:
            for done, article in enumerate(changed, 1):
                self._add(
                    writer,
                    article,
                    (learned or {}).get(article.id, ()),
                    stats,
                    update=article.id in indexed,
                )
                if progress:
                    progress(lang, done, len(changed))
            for article_id in removed:
                writer.delete_by_term("id", article_id)
                stats.removed += 1
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return stats

    def _current(self, lang: str) -> PassageMatrix | None:
        """The current build's passages, when readable and of this model."""
        path = self.passages_file(lang)
        if path is None or self.embedder is None:
            return None
        try:
            return PassageMatrix.load(path, self.embedder.model)
        except UnreadablePassages as exc:
            log.info("search passages of %s are rebuilt: %s", lang, exc)
            return None

    def _write_passages(
        self,
        build: Path,
        catalog: Catalog,
        lang: str,
        previous: PassageMatrix | None,
        deep: bool = True,
    ) -> int:
        """Embeds the language's articles into `build` (reusing `previous`'s rows of unchanged
        articles, and the cache's vectors of unchanged passages) and returns how many passages
        the model embedded."""
        assert self.embedder is not None
        texts = list(_article_texts(catalog, lang).values())
        before = self.embedder.embedded
        try:
            matrix, _ = build_matrix(texts, self.embedder, previous, deep=deep)
        except Exception:
            # The model cannot run here (a platform without its engine, say): the lexical
            # index is still built and served, and the missing passages are logged by search.
            log.exception("cannot embed the %s articles: semantic search stays off", lang)
            return 0
        matrix.save(build / PASSAGES_FILE)
        return self.embedder.embedded - before

    def pending(self, lang: str) -> int:
        """How many of `lang`'s articles have their head passage only (see deepen)."""
        current = self._current(lang)
        return len(current.pending) if current is not None else 0

    def deepen(
        self,
        catalog: Catalog,
        lang: str,
        *,
        progress: Progress | None = None,
        batch: int = DEEPEN_BATCH,
    ) -> int:
        """Tier 2: embeds the body's passages of every article of `lang` that has its head
        passage only, `batch` passages at a time, each batch written into the current build's
        passages file at once (atomically: searches find those articles by their whole text
        from the next second on). Each passage goes into the cache as it is embedded, so an
        interrupted run resumes where it stopped. Returns how many passages the model embedded."""
        if self.embedder is None:
            return 0
        articles = _article_texts(catalog, lang)
        current = self._current(lang)
        pending = [aid for aid in (current.pending if current else []) if aid in articles]
        before = self.embedder.embedded
        done = 0
        while pending:
            chosen: dict[str, list[str]] = {}
            size = 0
            while pending and size < batch:
                aid = pending.pop(0)
                try:
                    chosen[aid] = articles[aid].passages()
                except Exception:
                    log.exception("cannot embed %s", aid)
                    continue
                size += len(chosen[aid])
            texts = [text for passages in chosen.values() for text in passages]
            vectors = iter(self.embedder.embed(texts))
            embedded = {
                aid: np.stack([next(vectors) for _ in passages]) for aid, passages in chosen.items()
            }
            path = self.passages_file(lang)
            if path is None:
                break  # the index was removed meanwhile
            with _passages_lock(path.parent):
                current = self._current(lang)
                if current is None:
                    break  # rebuilt meanwhile, without passages: nothing to add to
                deepen_matrix(current, articles, embedded).save(path)
            done += len(chosen)
            if progress:
                progress(lang, done, done + len(pending))
        return self.embedder.embedded - before

    @staticmethod
    def _add(
        writer, article: Article, learned: Sequence[str], stats: UpdateStats, *, update: bool
    ) -> None:
        try:
            document = with_learned(article_document(article), learned)
        except Exception as exc:  # a bad article is reported and skipped, never fatal
            log.exception("cannot index %s", article.path)
            stats.failed.append((article.id, str(exc)))
            return
        if update:
            writer.update_document(**document)
            stats.updated += 1
        else:
            writer.add_document(**document)
            if not stats.full:
                stats.added += 1


def _article_texts(catalog: Catalog, lang: str) -> dict[str, ArticleText]:
    return {
        article.id: ArticleText(
            article.id, article.digest, article.title, functools.partial(_passages_of, article)
        )
        for article in language_articles(catalog, lang).values()
    }


@contextlib.contextmanager
def _passages_lock(build: Path) -> Iterator[None]:
    """One process at a time reads, changes and rewrites a build's passages file (an index
    update and a deepening run, say): without it one would write back rows the other had
    just replaced."""
    with open(build / _PASSAGES_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _passages_of(article: Article) -> list[str]:
    document = article_document(article)
    return article_passages(str(document["title"]), str(document["summary"]), str(document["body"]))


def _private_folder(path: Path) -> bool:
    """A real folder (not a link), this user's, that nobody else may read or write."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not stat.S_IMODE(info.st_mode) & 0o077
    )


def _read_small(path: Path) -> str:
    """A few bytes of a file that must be a regular file (O_NOFOLLOW: never through a link)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as file:
        return file.read(512).decode("ascii", errors="replace")


def content_digest(reader) -> str:
    """What a reader's index holds, named by its content and not by where it lives: the schema
    version and every article's id and digest (text and learned terms). Two nodes that indexed
    the same content name it alike whatever their build folders and Whoosh generations, so a
    result store shared between them (result_cache.py) shares their answers."""
    indexed = sorted(_indexed_digests(reader).items())
    content = hashlib.blake2b(SCHEMA_VERSION.encode(), digest_size=16)
    for article_id, digest in indexed:
        content.update(f"\0{article_id}\0{digest}".encode())
    return content.hexdigest()


def _indexed_digests(reader) -> dict[str, str]:
    """Article id -> content digest of everything in the index, read from the columns."""
    if reader.doc_count_all() == 0:
        return {}
    ids, digests = reader.column_reader("id"), reader.column_reader("digest")
    return {ids[docnum]: digests[docnum] for docnum in reader.all_doc_ids()}
