"""The writer's preview follows the files: a thread that reloads the catalog as soon as a
file is saved, and hands each new catalog on (to the search index).

Without it a save is noticed by the next page load, which then waits for the reload and the
re-index. With it, both are done by the time the writer switches to the browser: `helpcenter
serve` starts one. The serving site does not: its workers check lazily (ContentStore), and a
production node gets new content by deploy.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable

from .catalog import Catalog
from .notify import TreeWatch
from .store import ContentStore

log = logging.getLogger(__name__)


class ContentWatcher:
    """Reloads the store, and calls `on_new(catalog)` when a file changed.

    Where the kernel tells which files changed (notify.py: Linux), at once and for those
    files only. Elsewhere every `interval` seconds with one stat per file; the wait grows with
    the tree (four times a check that found nothing), so that watching a very large tree never
    takes more than a fifth of a core."""

    def __init__(
        self,
        store: ContentStore,
        on_new: Callable[[Catalog], None],
        interval: float,
        *,
        use_events: bool = True,
    ) -> None:
        self.store = store
        self.on_new = on_new
        self.interval = interval
        self.use_events = use_events
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="content-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def check(self, changed_paths: Iterable[str] | None = None) -> bool:
        """One check (of `changed_paths` only, when given); True when a new catalog was made
        (and handed on)."""
        if not self.store.refresh(changed_paths=changed_paths):
            return False
        self.on_new(self.store.catalog())
        return True

    def _run(self) -> None:
        events = TreeWatch.open(self.store.root) if self.use_events else None
        if events is not None:
            try:
                self._safely(self.check)  # a walk: saves made before the watches were in place
                self._follow(events)
            finally:
                events.close()
        self._poll()

    def _follow(self, events: TreeWatch) -> None:
        """Reloads what the kernel says changed, as soon as it changed. Every `interval`
        without an event still looks at git (a commit changes dates, not files)."""
        while not self._stop.is_set() and not events.failed:
            self._safely(functools.partial(self.check, events.wait(self.interval)))

    @staticmethod
    def _safely(check: Callable[[], bool]) -> bool:
        """`check()`'s answer; a failure is logged (and counts as a change: the polling
        interval is not lengthened by it)."""
        try:
            return check()
        except Exception:  # the preview goes on; the next check tries again
            log.exception("reloading the articles failed")
            return True

    def _poll(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            started = time.perf_counter()
            if not self._safely(self.check):
                wait = max(self.interval, 4 * (time.perf_counter() - started))
