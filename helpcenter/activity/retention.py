"""Data retention: old search logs, article views, votes and visits are deleted in small
batches, each its own short transaction, so the site keeps writing while a prune runs."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import delete, select

from ..extensions import db
from ..models import PageView, SearchEvent, Visit, Vote, utcnow
from .rollups import forget_before

BATCH = 5_000
PAUSE = 0.05  # seconds between batches: room for the site's own writes


def prune(older_than_days: int, *, batch: int = BATCH) -> dict[str, int]:
    """Deletes activity older than the cutoff, and its days' roll-ups; returns how many rows per
    table. Contact requests are kept (they are support cases; `helpcenter forget` erases their
    personal data)."""
    cutoff = utcnow() - dt.timedelta(days=older_than_days)
    removed = {}
    for model, column in (
        (SearchEvent, SearchEvent.created_at),
        (PageView, PageView.created_at),
        (Vote, Vote.updated_at),
    ):
        removed[model.__tablename__] = _delete_in_batches(model, column < cutoff, batch)
    removed["visit"] = _delete_visits(cutoff.date())
    forget_before(cutoff)
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
