"""Keeps the search indexes in step with the content: the bridge between Catalog and Whoosh."""

from __future__ import annotations

import logging
import threading

from whoosh.index import LockError

from ..content.catalog import Catalog
from .indexer import IndexStore, Progress, UpdateStats

log = logging.getLogger(__name__)


def update_indexes(
    indexes: IndexStore, catalog: Catalog, *, full: bool = False, progress: Progress | None = None
) -> list[UpdateStats]:
    """Updates every language's index from the catalog; returns what changed per language."""
    return [
        indexes.update(catalog, lang.code, full=full, progress=progress)
        for lang in catalog.languages
    ]


class IndexSync:
    """Brings the indexes up to date once per new catalog (the writer's live preview).

    With several worker processes only one can write at a time; the others find the index
    locked, leave it to the one holding the lock and try again with the next catalog.
    """

    def __init__(self, indexes: IndexStore) -> None:
        self.indexes = indexes
        self._synced: Catalog | None = None
        self._lock = threading.Lock()

    def ensure_current(self, catalog: Catalog) -> None:
        if catalog is self._synced:
            return
        with self._lock:
            if catalog is self._synced:
                return
            try:
                for stats in update_indexes(self.indexes, catalog):
                    if stats.added or stats.updated or stats.removed:
                        log.info("search index %s", stats.describe())
            except LockError:
                log.info("search index is being updated by another process")
                return
            self._synced = catalog
