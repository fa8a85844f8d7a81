"""Keeps the search indexes in step with the content: the bridge between Catalog and Whoosh."""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Mapping

from whoosh.index import LockError

from ..content.catalog import Catalog
from .indexer import IndexStore, Learned, Progress, UpdateStats

log = logging.getLogger(__name__)

# The niceness of the processes embedding the body's passages: below a site's workers.
DEEPEN_NICENESS = 10


def update_indexes(
    indexes: IndexStore,
    catalog: Catalog,
    *,
    full: bool = False,
    progress: Progress | None = None,
    learned: Mapping[str, Learned] | None = None,
    languages: Collection[str] | None = None,
    deep: bool = True,
) -> list[UpdateStats]:
    """Updates every language's index (or those of `languages`) from the catalog (and the
    learned terms per language, when given: see IndexStore.update); returns what changed per
    language. `deep` False: many new articles are made searchable by their head passage first
    (deepen_indexes embeds the rest)."""
    return [
        indexes.update(
            catalog,
            lang.code,
            full=full,
            progress=progress,
            learned=None if learned is None else learned.get(lang.code, {}),
            deep=deep,
        )
        for lang in catalog.languages
        if languages is None or lang.code in languages
    ]


def deepen_indexes(
    indexes: IndexStore,
    catalog: Catalog,
    *,
    progress: Progress | None = None,
    niceness: int = DEEPEN_NICENESS,
) -> int:
    """Tier 2 for every language (IndexStore.deepen), at low priority (`niceness`) so a site
    served from the same machine keeps its cores; returns how many passages were embedded."""
    if indexes.embedder is None:
        return 0
    indexes.embedder.lower_priority(niceness)
    return sum(indexes.deepen(catalog, lang.code, progress=progress) for lang in catalog.languages)


class IndexSync:
    """Brings the indexes up to date once per new catalog (the writer's live preview).

    With several worker processes only one can write at a time; the others find the index
    locked, leave it to the one holding the lock and try again with the next catalog.

    The learned terms come from the database, which a search never waits for: a background
    task reads them and hands them over with `use_learned` (activity/learned_sync.py). Until
    then the index keeps the learned terms it has.
    """

    def __init__(self, indexes: IndexStore) -> None:
        self.indexes = indexes
        self._synced: Catalog | None = None
        self._learned: Mapping[str, Learned] | None = None
        self._lock = threading.Lock()

    def use_learned(self, learned: Mapping[str, Learned], catalog: Catalog) -> None:
        """New learned terms (per language): the articles whose terms changed are indexed
        again now (in the caller's thread)."""
        with self._lock:
            self._learned, self._synced = learned, None
        self.ensure_current(catalog)

    def ensure_current(self, catalog: Catalog) -> None:
        if catalog is self._synced:
            return
        with self._lock:
            if catalog is self._synced:
                return
            # After a reload, only the languages whose articles changed (one, after an edit).
            languages = (
                None if self._synced is None else catalog.languages_changed_since(self._synced)
            )
            try:
                for stats in update_indexes(
                    self.indexes, catalog, learned=self._learned, languages=languages
                ):
                    if stats.added or stats.updated or stats.removed:
                        log.info("search index %s", stats.describe())
            except LockError:
                log.info("search index is being updated by another process")
                return
            self._synced = catalog
