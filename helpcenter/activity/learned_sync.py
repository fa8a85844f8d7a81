"""Keeps the learned terms and their place in the search index current on a running site.

Every LEARN_INTERVAL seconds a background thread of each worker (started lazily, like the
search log's writer, so it runs in the worker and not in a pre-fork parent) does two things:
one worker of all (whoever takes the turn, recorded as a heartbeat row in the shared database)
recomputes the learned terms from the log; then each worker hands the terms to its index sync,
which re-indexes only the articles whose terms changed. Nothing of this runs while a customer
waits for a page.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from whoosh.index import LockError

from ..content.catalog import Catalog
from ..database import dialect_insert
from ..extensions import db
from ..models import Heartbeat, utcnow
from ..search.sync import IndexSync
from .learned_terms import LearningSettings, learn, learned_terms_by_article

log = logging.getLogger(__name__)

TURN = "learned-terms"  # the heartbeat row of the last recomputation


class LearningSync:
    def __init__(self, app: Flask, catalog: Callable[[], Catalog], index_sync: IndexSync) -> None:
        self.app = app
        self.catalog = catalog
        self.index_sync = index_sync
        self.interval = float(app.config["LEARN_INTERVAL"])
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        """Starts the background thread once per process (cheap to call on every search)."""
        if self.interval <= 0 or (self._thread is not None and self._thread.is_alive()):
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="learning", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        # The index already holds the terms of the last round (or of `helpcenter index`).
        while True:
            time.sleep(self.interval)
            try:
                self.run_once()
            except Exception:  # the site goes on; the next round tries again
                log.exception("learned terms: update failed")

    def run_once(self, *, force: bool = False) -> None:
        """One round: recompute (if it is this process's turn, or `force`), then update the
        index with the current terms."""
        with self.app.app_context():
            try:
                catalog = self.catalog()
                if force or _take_turn(self.interval):
                    count = learn(catalog, LearningSettings.from_config(self.app.config))
                    log.info("learned terms: %d", count)
                learned = learned_terms_by_article()
            except SQLAlchemyError as exc:
                db.session.rollback()
                log.warning("learned terms: the database is unavailable (%s)", exc)
                return
            finally:
                db.session.remove()
        if self.app.config["INDEX_AUTO_UPDATE"]:
            try:
                self.index_sync.use_learned(learned, catalog)
            except LockError:
                log.info("learned terms: the index is being updated by another process")


def _take_turn(interval: float) -> bool:
    """True for the one process that recomputes now: it moved the heartbeat forward."""
    now = utcnow()
    db.session.execute(
        dialect_insert(Heartbeat)
        .values(name=TURN, beat_at=now - dt.timedelta(seconds=interval + 1))
        .on_conflict_do_nothing()
    )
    moved = db.session.execute(
        update(Heartbeat)
        .where(Heartbeat.name == TURN, Heartbeat.beat_at <= now - dt.timedelta(seconds=interval))
        .values(beat_at=now)
    )
    db.session.commit()
    return moved.rowcount == 1
