"""Data retention, in two tiers. The activity log's own rows (searches, article views, votes
and visits: each names a visitor cookie and a network) are kept only as long as learning and
the reports' counts of distinct customers need them (`--older-than`, e.g. 190 days, past
LEARN_WINDOW_DAYS); the daily roll-ups (counts per day and the queries as typed, naming
nobody) may be kept longer (`--rollups-older-than`, e.g. 400 days), so the reports over a year
still add up every search, view and vote. Rows are deleted in small batches, each its own
short transaction, so the site keeps writing while a prune runs.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import delete, select

from ..extensions import db
from ..models import PageView, SearchEvent, Visit, Vote, utcnow
from .rollups import (
    coverage,
    forget_before,
    forget_customers_before,
    forget_rollups_before,
    midnight,
    refresh,
)

BATCH = 5_000
PAUSE = 0.05  # seconds between batches: room for the site's own writes


def prune(
    older_than_days: int, *, rollups_older_than_days: int | None = None, batch: int = BATCH
) -> dict[str, int]:
    """Deletes the activity older than `older_than_days` and the roll-ups older than
    `rollups_older_than_days` (at least as many days; default the same, which deletes a day's
    roll-ups with its raw rows); returns how many raw rows per table. Contact requests are
    kept (they are support cases; `helpcenter forget` erases their personal data)."""
    rollup_days = rollups_older_than_days or older_than_days
    if rollup_days < older_than_days:
        raise ValueError("roll-ups cannot be kept shorter than the activity they count")
    now = utcnow()
    if rollup_days == older_than_days:
        cutoff = now - dt.timedelta(days=older_than_days)
        removed = _delete_activity(cutoff, batch)
        forget_before(cutoff)
        return removed
    # The raw rows go while their days' roll-ups stay: each day is rolled up before its rows
    # go, and only whole days go, so a kept roll-up always counts a complete day.
    refresh(now)
    day = (now - dt.timedelta(days=older_than_days)).date()
    # Not past the roll-ups' edge (none at all if another run held them, on PostgreSQL).
    day = min(day, coverage().through or dt.date.min)
    removed = _delete_activity(midnight(day), batch)
    forget_customers_before(day)
    forget_rollups_before((now - dt.timedelta(days=rollup_days)).date())
    return removed


def _delete_activity(cutoff: dt.datetime, batch: int) -> dict[str, int]:
    removed = {}
    for model, column in (
        (SearchEvent, SearchEvent.created_at),
        (PageView, PageView.created_at),
        (Vote, Vote.updated_at),
    ):
        removed[model.__tablename__] = _delete_in_batches(model, column < cutoff, batch)
    removed["visit"] = _delete_visits(cutoff.date())
    return removed


def _delete_in_batches(model, condition, batch: int) -> int:
    total = 0
    while True:
        ids = list(db.session.scalars(select(model.id).where(condition).limit(batch)))
        if not ids:
            return total
        db.session.execute(delete(model).where(model.id.in_(ids)))
        db.session.commit()
        total += len(ids)
        time.sleep(PAUSE)


def _delete_visits(before: dt.date) -> int:
    """A day at a time (a day's visits are a few thousand rows at most)."""
    total = 0
    while True:
        days = list(
            db.session.scalars(
                select(Visit.day).where(Visit.day < before).distinct().order_by(Visit.day).limit(1)
            )
        )
        if not days:
            return total
        result = db.session.execute(delete(Visit).where(Visit.day == days[0]))
        db.session.commit()
        total += result.rowcount
        time.sleep(PAUSE)
