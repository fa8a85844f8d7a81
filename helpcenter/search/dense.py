"""Dense retrieval: the query's embedding against a language's passage matrix.

The query is embedded once per process and text (an LRU cache: customers repeat their
searches, and the same words are searched in the default language when theirs has no answer),
then compared with every passage of the language by cosine (the embeddings are normalized, so
a matrix product); an article scores by its best passage, a passage of its body counted
BODY_DISCOUNT lower than its head passage (see there).

A build's passages file is read once per build (and again when an incremental update rewrote
it). A missing, corrupt or other-model file turns semantic search off for that language with
one log line per file, and search goes on lexically: never an error page.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .indexer import IndexStore
from .semantic import Encoder, PassageMatrix, UnreadablePassages

log = logging.getLogger(__name__)

QUERY_CACHE = 1024  # query embeddings kept per process
# The candidates dense retrieval hands to fusion: its best articles, at most this many.
DENSE_DEPTH = 50
# How much lower a body passage counts than the head passage (title, summary, opening). An
# article scored by its best passage gains from every passage it has: a long article gets
# more draws at a query it does not answer, and its body's passages pulled unrelated long
# articles up. On the tuning sets (bench/relevance.py), dense retrieval alone gave MRR@10
# 0.793 / 0.832 / 0.492 (sample, corpus, colloquial) with head passages only, 0.793 / 0.822 /
# 0.476 with body passages counted as heads, and 0.814 / 0.838 / 0.497 with them 0.02 lower;
# fused, corpus / colloquial and their unanswerable questions answered "no results": 0.926 /
# 0.539 and 17/18 + 29/48 counted as heads, 0.926 / 0.548, 15 + 32 at 0.01, 0.923 / 0.565,
# 15 + 28 at 0.02, 0.920 / 0.569, 14 + 26 at 0.03, 0.916 / 0.567, 14 + 26 heads only.
BODY_DISCOUNT = 0.02


@dataclass(frozen=True)
class DenseHits:
    """A query's best articles by cosine, best first: `ids[i]` scored `scores[i]` with its
    passage number `passages[i]` (0: the title and summary)."""

    ids: list[str]
    scores: list[float]
    passages: list[int]

    @property
    def best(self) -> float:
        return self.scores[0] if self.scores else 0.0


class _LoadedMatrix:
    """A passages file read into memory, with what its product with a query needs."""

    def __init__(self, matrix: PassageMatrix, key: tuple[int, int, int]) -> None:
        self.ids = matrix.ids
        self.titles = matrix.titles
        self.position = {aid: i for i, aid in enumerate(matrix.ids)}
        self.vectors = np.ascontiguousarray(matrix.vectors, dtype=np.float32)
        self.starts = matrix.starts
        # Subtracted from each row's cosine: 0 for head passages, BODY_DISCOUNT for the rest.
        self.discount = np.full(len(self.vectors), BODY_DISCOUNT, dtype=np.float32)
        self.discount[self.starts[: len(matrix.ids)]] = 0.0  # no article: starts is [0]
        self.key = key
        self.content = _content_digest(matrix)


class DenseRetriever:
    """Per language, the best articles for a query by cosine (see the module's docstring)."""

    def __init__(
        self, indexes: IndexStore, encoder: Encoder, refresh_interval: float = 1.0
    ) -> None:
        self.indexes = indexes
        self.encoder = encoder
        self.refresh_interval = refresh_interval
        self._matrices: dict[str, tuple[_LoadedMatrix | None, float]] = {}
        self._failed: set[tuple[str, tuple[int, int, int] | None]] = set()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def query_vector(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._queries.get(text)
            if vector is not None:
                self._queries.move_to_end(text)
                return vector
        vector = self.encoder.query(text)
        with self._lock:
            self._queries[text] = vector
            if len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector

    def available(self, lang: str) -> bool:
        return self._matrix(lang) is not None

    def generation(self, lang: str) -> str | None:
        """What the passages `lang` is searched with now hold (None: none), by content: a
        result computed with other passages is not this one's, and another node that embedded
        the same articles with the same model names its passages alike."""
        matrix = self._matrix(lang)
        return matrix.content if matrix is not None else None

    def search(self, lang: str, text: str, depth: int = DENSE_DEPTH) -> DenseHits | None:
        """The best `depth` articles, or None when the language has no usable passages (the
        caller then searches lexically only)."""
        matrix = self._matrix(lang)
        if matrix is None or not text.strip():
            return None
        if not len(matrix.ids):
            return DenseHits([], [], [])
        try:
            vector = self.query_vector(text)
        except Exception as exc:  # the model cannot run: lexical search goes on
            self._report(lang, None, f"the query cannot be embedded ({exc!r})")
            return None
        similarity = _cosines(matrix.vectors, vector) - matrix.discount
        best = np.maximum.reduceat(similarity, matrix.starts)
        count = min(depth, len(best))
        top = np.argpartition(-best, count - 1)[:count]
        top = top[np.argsort(-best[top], kind="stable")]
        passages = [
            int(np.argmax(similarity[matrix.starts[i] : matrix.starts[i] + _rows(matrix, i)]))
            for i in top
        ]
        return DenseHits([matrix.ids[i] for i in top], [float(best[i]) for i in top], passages)

    def similarity(self, lang: str, text: str, article_id: str) -> float | None:
        """The cosine of an article's best passage with the query (None: not embedded)."""
        matrix = self._matrix(lang)
        article = matrix.position.get(article_id) if matrix is not None else None
        if matrix is None or article is None:
            return None
        rows = slice(matrix.starts[article], matrix.starts[article] + _rows(matrix, article))
        cosines = _cosines(matrix.vectors[rows], self.query_vector(text))
        return float(np.max(cosines - matrix.discount[rows]))

    def title(self, lang: str, article_id: str) -> str | None:
        matrix = self._matrix(lang)
        article = matrix.position.get(article_id) if matrix is not None else None
        return matrix.titles[article] if article is not None else None

    def _matrix(self, lang: str) -> _LoadedMatrix | None:
        now = time.monotonic()
        cached = self._matrices.get(lang)
        if cached is not None and now - cached[1] < self.refresh_interval:
            return cached[0]
        path = self.indexes.passages_file(lang)
        key = _file_key(path) if path is not None else None
        loaded = cached[0] if cached is not None else None
        if loaded is not None and key is not None and loaded.key == key:
            self._matrices[lang] = (loaded, now)
            return loaded
        fresh: _LoadedMatrix | None = None
        if path is not None and key is not None:
            try:
                fresh = _LoadedMatrix(PassageMatrix.load(path, self.encoder.name), key)
            except UnreadablePassages as exc:
                self._report(lang, key, str(exc))
        elif path is not None:
            self._report(lang, key, f"{path}: missing")
        self._matrices[lang] = (fresh, now)
        return fresh

    def _report(self, lang: str, key: tuple[int, int, int] | None, reason: str) -> None:
        if (lang, key) in self._failed:
            return
        self._failed.add((lang, key))
        log.warning(
            "semantic search off for %s, lexical only until the index is built again: %s",
            lang,
            reason,
        )


def _cosines(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Each row's cosine with the query (all are normalized), on this thread: numpy's `@`
    hands a matrix-vector product to OpenBLAS's thread pool, whose threads, asleep between
    searches and competing with the other workers for the cores, made it 10-30 times slower
    on this 2-core machine (7.7 ms against 0.25 ms for 3,900 passages)."""
    return np.einsum("ij,j->i", vectors, query)


def _rows(matrix: _LoadedMatrix, article: int) -> int:
    end = matrix.starts[article + 1] if article + 1 < len(matrix.starts) else len(matrix.vectors)
    return int(end - matrix.starts[article])


def _content_digest(matrix: PassageMatrix) -> str:
    """The model, and each article's id, content digest, passage count and tier (the vectors
    follow from those; their last bits may differ between machines, the answer does not)."""
    content = hashlib.blake2b(matrix.model.encode(), digest_size=16)
    for row in zip(matrix.ids, matrix.digests, matrix.counts, matrix.complete, strict=True):  # type: ignore[arg-type]
        content.update("\0{}\0{}\0{}\0{}".format(*row).encode())
    return content.hexdigest()


def _file_key(path) -> tuple[int, int, int] | None:
    """What tells a rewritten file from the one already read (os.replace makes a new inode)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)
