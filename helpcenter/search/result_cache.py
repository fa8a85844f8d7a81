"""Whole search results kept in the process, so a repeated query costs a dictionary lookup.

Customers repeat searches (the same few questions, page 2 of the same query, the results page
and its suggestions asking for the same words), and one search costs milliseconds of analysis,
scoring, fusion and snippets. SearchService asks a ResultStore before searching and puts what
it found there after; the key names everything that changes the answer, and above all the
index generation the searcher sees (the build the language's link names, Whoosh's commit
generation inside it, the passages file the dense side reads, the writers' synonyms): a
re-index or an edit makes every older entry unreachable, so nothing stale is ever served, and
the old entries age out of the LRU.

Only the search is cached, never what a page does with it: the view still counts the throttle
and writes the search log for every request (web/search.py).

Nothing in the key names a place: the index generation is the content the answer was computed
from (the articles' digests, the passages' digests, the synonyms; SearchService.generation),
so two nodes with the same content compute the same key. ResultStore is the whole interface
(get and put of keys made of plain values), and a store shared by every node
(SEARCH_RESULT_CACHE_URL: shared_results.RedisResults) stands in for the in-process LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Protocol


class ResultStore(Protocol):
    """Where whole results are kept: the key is a tuple of plain values (strings, numbers,
    None, tuples of them), the value an object that the store never changes."""

    def get(self, key: Hashable) -> object | None: ...

    def put(self, key: Hashable, value: object) -> None: ...

    def clear(self) -> None: ...


class LruResults:
    """An in-process ResultStore of at most `capacity` entries, the least recently used
    dropped first; safe across a worker's threads (gunicorn's gthread)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def result_store(capacity: int, url: str = "", ttl: int = 3600) -> ResultStore | None:
    """The store for the SEARCH_RESULT_CACHE settings: None (no caching) for a capacity of 0,
    Redis (entries kept `ttl` seconds) when `url` names one, else the in-process LRU."""
    if capacity <= 0:
        return None
    if url:
        from .shared_results import RedisResults  # imports the searcher (its JSON shapes)

        return RedisResults(url, ttl)
    return LruResults(capacity)
