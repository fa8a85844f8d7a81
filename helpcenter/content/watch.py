"""The writer's preview follows the files: a thread that reloads the catalog as soon as a
file is saved, and hands each new catalog on (to the search index).

Without it a save is noticed by the next page load, which then waits for the reload and the
re-index. With it, both are done by the time the writer switches to the browser: `helpcenter
serve` starts one. The serving site does not: its workers check lazily (ContentStore), and a
production node gets new content by deploy.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from .catalog import Catalog
from .store import ContentStore

log = logging.getLogger(__name__)


class ContentWatcher:
    """Every `interval` seconds: one stat per file (store.refresh), and `on_new(catalog)` when
    a file changed. The wait grows with the tree (four times a check that found nothing), so
    that watching a very large tree never takes more than a fifth of a core."""

    def __init__(
        self,
        store: ContentStore,
        on_new: Callable[[Catalog], None],
        interval: float,
    ) -> None:
        self.store = store
        self.on_new = on_new
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="content-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def check(self) -> bool:
        """One check; True when a new catalog was made (and handed on)."""
        if not self.store.refresh():
            return False
        self.on_new(self.store.catalog())
        return True

    def _run(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            started = time.perf_counter()
            try:
                if not self.check():
                    wait = max(self.interval, 4 * (time.perf_counter() - started))
            except Exception:  # the preview goes on; the next check tries again
                log.exception("reloading the articles failed")
