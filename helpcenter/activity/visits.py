"""Visits (a visitor's day on the site) for the self-service rate: recorded as activity is
logged, marked escalated when the visitor sends a contact request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Visit
from .rollups import mark_dirty


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(Visit)


def record_visits(activity: Iterable[tuple[dt.date, str, str]]) -> None:
    """Adds the (day, visitor, language) visits that are not there yet (the first language of
    a day stays); part of the caller's transaction."""
    first: dict[tuple[dt.date, str], str] = {}
    for day, visitor, lang in activity:
        first.setdefault((day, visitor), lang)
    rows = [
        {"day": day, "visitor": visitor, "lang": lang, "escalated": False}
        for (day, visitor), lang in first.items()
    ]
    if rows:
        db.session.execute(_insert().on_conflict_do_nothing(), rows)
        mark_dirty({day for day, _visitor in first}, "visit")  # a late or back-dated record


def record_escalation(day: dt.date, visitor: str, lang: str) -> None:
    mark_dirty([day], "visit")
    statement = _insert().values(day=day, visitor=visitor, lang=lang, escalated=True)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["day", "visitor"], set_={"escalated": True})
    )


REBUILD = (
    "INSERT INTO visit (day, visitor, lang, escalated) "
    "SELECT date(created_at), visitor, min(lang), false FROM ("
    " SELECT created_at, visitor, lang FROM search_event UNION ALL"
    " SELECT created_at, visitor, lang FROM page_view UNION ALL"
    " SELECT created_at, visitor, lang FROM contact_request) AS activity"
    " GROUP BY date(created_at), visitor",
    "UPDATE visit SET escalated = true WHERE (day, visitor) IN"
    " (SELECT date(created_at), visitor FROM contact_request)",
)


def rebuild_visits() -> None:
    """Recomputes every visit from the raw logs (after a bulk import)."""
    db.session.execute(db.delete(Visit))
    for statement in REBUILD:
        db.session.execute(db.text(statement))
    db.session.commit()
