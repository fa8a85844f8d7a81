"""Holds the current Catalog and replaces it when the articles tree changes.

A check runs at most once per `check_interval` seconds (0 turns checking off: production
nodes get new content with a new deploy or a restart). It asks the kernel which files changed
(notify.py, Linux) and looks only at those; without that, it costs one stat() per file.
A change reads again only the files that changed (loader.TreeLoader); the new catalog is
built beside the one requests are using and swapped in with one assignment, so a request
sees the old catalog or the new one, never a half-updated one.

Each catalog swapped in gets the next generation number, which the writer's preview waits on
(`wait_for_change`) to reload the page a writer has open.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..languages import Language
from .catalog import TRANSLATE_OPTIONAL, Catalog
from .cost_limits import MarkdownLimits
from .loader import TreeLoader
from .notify import TreeWatch
from .placeholders import PlaceholderValues
from .problems import ERROR, Problem

log = logging.getLogger(__name__)


class ContentStore:
    def __init__(
        self,
        root: Path,
        languages: list[Language],
        *,
        show_drafts: bool = False,
        limits: MarkdownLimits | None = None,
        check_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        placeholders: PlaceholderValues | None = None,
        watch_files: bool = True,
        translate: str = TRANSLATE_OPTIONAL,
    ) -> None:
        """`watch_files`: learn which files changed from the kernel (Linux) instead of a stat
        of every file at each check. `translate`: the TRANSLATE setting (loader.py)."""
        self.root = Path(root)
        self.placeholders = placeholders
        self.languages = languages
        self.show_drafts = show_drafts
        self.limits = limits
        self.check_interval = check_interval
        self._clock = clock
        self._lock = threading.Lock()
        # A serving site keeps an article's last good version while its file is broken.
        self._loader = TreeLoader(
            self.root,
            languages,
            show_drafts=show_drafts,
            limits=limits,
            placeholders=placeholders,
            keep_last_good=True,
            translate=translate,
        )
        self._catalog: Catalog | None = None
        self._generation = 0
        self._new_catalog = threading.Condition()
        self._reported: set[Problem] = set()  # logged by report_once, for this generation
        self._checked_at = 0.0
        self.watch_files = watch_files
        self._watch: TreeWatch | None = None
        self._watch_pid = 0
        self._watch_lock = threading.Lock()

    def catalog(self) -> Catalog:
        if self._catalog is None:
            self.refresh()
        elif self.check_interval > 0 and self._clock() - self._checked_at >= self.check_interval:
            self.refresh(changed_paths=self._changes_seen())
        assert self._catalog is not None
        return self._catalog

    def _changes_seen(self) -> set[str] | None:
        """The paths the kernel saw change since the last check (notify.py), or None: walk.

        Each process watches for itself (a gunicorn worker is forked from the master), from
        its first check on; that check walks, for what changed before the watch began."""
        with self._watch_lock:
            if self._watch_pid != os.getpid():
                self._watch_pid = os.getpid()
                self._watch = TreeWatch.open(self.root) if self.watch_files else None
                return None
            watch = self._watch
        if watch is None or watch.failed:
            return None
        return watch.poll()

    def refresh(self, force: bool = False, changed_paths: Iterable[str] | None = None) -> bool:
        """Reloads the files that changed (all of them when `force`; only `changed_paths`
        when a watcher names them); True when a new catalog was made."""
        with self._lock:
            self._checked_at = self._clock()
            started = time.perf_counter()
            self._loader.show_drafts = self.show_drafts
            catalog = self._loader.load(full=force, changed_paths=changed_paths)
            if catalog is self._catalog:
                return False
            with self._new_catalog:
                self._generation += 1
                catalog.generation = self._generation
                previous, self._catalog = self._catalog, catalog
                self._reported = set()
                self._new_catalog.notify_all()
            log.info(
                "content loaded: %d articles, %d problems, %.0f ms",
                len(catalog.articles),
                len(catalog.problems),
                (time.perf_counter() - started) * 1000,
            )
            # Writers fix these; the log tells operators why an article or image is missing.
            # After a reload, only the problems that are new (not every known one again).
            known = set(previous.problems) if previous is not None else set()
            self.report_once(
                problem
                for problem in catalog.problems
                if problem.severity == ERROR and problem not in known
            )
        return True

    def wait_for_change(self, generation: int, timeout: float) -> int:
        """The current catalog's generation, once it differs from `generation` (a reload, or a
        restarted server that counts from 1 again) or after `timeout` seconds."""
        with self._new_catalog:
            self._new_catalog.wait_for(lambda: self._generation != generation, timeout)
            return self._generation

    def report_once(self, problems: Iterable[Problem]) -> None:
        """Logs each problem the first time it is reported for the current catalog: a reload
        reports the errors it brought, the writer's preview a page's problems each time the
        page is shown."""
        with self._new_catalog:
            new = [problem for problem in problems if problem not in self._reported]
            self._reported.update(new)
        for problem in new:
            log.warning("articles: %s", problem.format(self.root))
