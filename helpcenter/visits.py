"""Visits (a visitor's day on the site) for the self-service rate: recorded as activity is
logged, marked escalated when the visitor sends a contact request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .models import Visit


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(Visit)


def record_visits(pairs: Iterable[tuple[dt.date, str]]) -> None:
    """Adds (day, visitor) visits that are not there yet; part of the caller's transaction."""
    rows = [{"day": day, "visitor": visitor, "escalated": False} for day, visitor in set(pairs)]
    if rows:
        db.session.execute(_insert().on_conflict_do_nothing(), rows)


def record_escalation(day: dt.date, visitor: str) -> None:
    statement = _insert().values(day=day, visitor=visitor, escalated=True)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["day", "visitor"], set_={"escalated": True})
    )


REBUILD = (
    "INSERT INTO visit (day, visitor, escalated) "
    "SELECT DISTINCT date(created_at), visitor, false FROM ("
    " SELECT created_at, visitor FROM search_event UNION ALL"
    " SELECT created_at, visitor FROM page_view UNION ALL"
    " SELECT created_at, visitor FROM contact_request) AS activity",
    "UPDATE visit SET escalated = true WHERE (day, visitor) IN"
    " (SELECT date(created_at), visitor FROM contact_request)",
)


def rebuild_visits() -> None:
    """Recomputes every visit from the raw logs (after a bulk import)."""
    db.session.execute(db.delete(Visit))
    for statement in REBUILD:
        db.session.execute(db.text(statement))
    db.session.commit()
