"""The activity log: every search, the result opened, and every article viewed, written by a
background thread (the demand data of the gap reports).

A search never waits for the database: records go into a bounded in-memory queue and a writer
thread stores them in batches. If the database is slow or down the writer retries a batch a few
times and then drops it with a logged warning: the log serves gap reports, and losing a few
entries during an outage is better than failing or slowing the customer's search.

One network adds at most ACTIVITY_LOG_LIMIT searches and views (activity/log_quota.py): a
client sending a new cookie with every request is served as fast as any other, but beyond
the cap its requests are not logged, so it cannot grow the database (nor the work of the
learned words) at the rate it sends.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from dataclasses import asdict, dataclass

from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from ..extensions import db
from ..models import PageView, SearchEvent
from .log_quota import LogQuota
from .rollups import mark_dirty, utc_day
from .visits import record_visits

log = logging.getLogger(__name__)


# The record fields are the columns of their tables (written with dataclasses.asdict).
@dataclass(frozen=True)
class SearchRecord:
    key: str
    created_at: dt.datetime
    lang: str
    query: str
    normalized: str
    result_count: int
    category: str | None
    page: int
    visitor: str
    score_ratio: float | None = None  # see SearchEvent.score_ratio
    network: str | None = None  # see SearchEvent.network; the log's row cap counts it
    source: str | None = None  # models.AskedFrom: "widget" and the host page's path, or none
    host_path: str | None = None


@dataclass(frozen=True)
class ViewRecord:
    created_at: dt.datetime
    lang: str
    article_id: str
    visitor: str
    fallback: bool
    network: str | None = None
    source: str | None = None  # as SearchRecord's
    host_path: str | None = None


@dataclass(frozen=True)
class ClickRecord:
    key: str
    article: str
    rank: int
    at: dt.datetime


LogRecord = SearchRecord | ClickRecord | ViewRecord


class SearchLog:
    def __init__(
        self, app: Flask, *, max_queue: int = 10_000, batch_size: int = 500, retries: int = 3
    ) -> None:
        self.app = app
        self.queue: queue.Queue[LogRecord] = queue.Queue(maxsize=max_queue)
        self.batch_size = batch_size
        self.retries = retries
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self.dropped = 0
        self.quota = LogQuota.from_config(app.config)
        self.over_quota = 0  # records not logged because their network used up its quota

    def record(self, item: LogRecord) -> None:
        """Queues a record unless its network used up its quota; never blocks, never raises."""
        if not isinstance(item, ClickRecord) and not self.quota.allows(item.network):
            self.over_quota += 1
            return
        self._ensure_thread()
        try:
            self._idle.clear()
            self.queue.put_nowait(item)
        except queue.Full:
            self.dropped += 1
            log.warning("search log queue full; dropped an entry (%d so far)", self.dropped)

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits until everything queued so far is written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queue.empty() and self._idle.wait(0.01):
                return True
        return False

    def _ensure_thread(self) -> None:
        # Started lazily so it runs in the worker process, not in a pre-fork parent.
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="search-log", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            batch = [first]
            while len(batch) < self.batch_size:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            self.write(batch)
            if self.queue.empty():
                self._idle.set()

    def write(self, batch: list[LogRecord]) -> None:
        """Writes a batch now. An outage is retried; if the database refuses the data itself
        (one bad record), the records are written one by one so only that one is lost."""
        for attempt in range(1, self.retries + 1):
            try:
                with self.app.app_context():
                    write_batch(batch)
                return
            except (DataError, IntegrityError) as exc:
                if len(batch) > 1:
                    log.warning("search log: a batch was refused (%s); writing it one by one", exc)
                    for item in batch:
                        self.write([item])
                    return
                self.dropped += 1
                log.error("search log: the database refused an entry: %s", exc)
                return
            except SQLAlchemyError as exc:
                log.warning("search log write failed (attempt %d): %s", attempt, exc)
                time.sleep(0.2 * attempt)
        self.dropped += len(batch)
        log.error("search log: dropped %d entries after %d attempts", len(batch), self.retries)


def write_batch(batch: list[LogRecord]) -> None:
    """Searches first, then clicks, so a click always finds its search."""
    searches = [item for item in batch if isinstance(item, SearchRecord)]
    try:
        if searches:
            db.session.execute(db.insert(SearchEvent), [asdict(s) for s in searches])
        views = [item for item in batch if isinstance(item, ViewRecord)]
        if views:
            db.session.execute(db.insert(PageView), [asdict(v) for v in views])
        record_visits(
            (item.created_at.date(), item.visitor, item.lang)
            for item in batch
            if isinstance(item, SearchRecord | ViewRecord)
        )
        searched_on = {utc_day(s.created_at) for s in searches}
        for click in (item for item in batch if isinstance(item, ClickRecord)):
            searched_on.update(
                utc_day(moment)
                for moment in db.session.scalars(
                    update(SearchEvent)
                    .where(SearchEvent.key == click.key)
                    .values(
                        clicked_article=click.article, clicked_rank=click.rank, clicked_at=click.at
                    )
                    .returning(SearchEvent.created_at)
                )
            )
        # A record of a day that may be rolled up already (written late, or a click on a
        # search from before midnight): the roll-ups read that day from the log until redone.
        mark_dirty(searched_on, "search")
        mark_dirty((utc_day(v.created_at) for v in views), "view")
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        raise
    finally:
        db.session.remove()
