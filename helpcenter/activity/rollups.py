"""Daily roll-ups of the activity log, so a report over a year or two adds up per-day counts
instead of reading every logged search, view and vote.

`refresh()` (the `helpcenter rollup` command, run by the same timer as `deliver`) rolls up each
whole UTC day that ended more than GRACE ago and records how far it got (`RollupState`). The
reports read rolled-up days from the roll-ups and everything else (today, the grace period, a
period that starts or ends inside a day) from the raw log, so their figures are exact and never
stale even when the timer has not run for a while: it only makes them slower.

A raw row may change after its day was rolled up: a click that arrives late, a vote changed or
a comment erased, a prune. Whoever changes it calls `mark_dirty(day, kind)` in the same
transaction; the reports read a dirty day from the raw log, and the next `refresh()` redoes it.
Marking is unconditional (no check of how far the roll-ups reach), so a writer racing with
`refresh()` can never slip a change past it.

Distinct customers (networks, or the visitor cookie of rows logged before networks were: see
models.customer_of) cannot be added up across days. `RollupVisitor` keeps, per query group (and
outcome) or article, each customer's first and last rolled-up days of activity: the visitors
active in a period that runs to the present are those whose last day is in it, plus those in
the raw part; in a period [A, B) of rolled-up days, those whose first or last day is in it,
plus those active both before A and from B on whom the raw log shows active in between.
`RollupVisitorDay` counts visitors per (first day, last day), so the reports sum a row per
target and pair of days instead of reading a row per visitor; it is rebuilt at the end of each
run that changed `RollupVisitor`, and its own state row (VISITOR_DAYS) says which edge it
matches: while it lags (a run in progress) the reports count `RollupVisitor` itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, delete, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import (
    ClickRollup,
    PageView,
    RollupDirty,
    RollupState,
    RollupVisitor,
    RollupVisitorDay,
    SearchDayRollup,
    SearchEvent,
    SearchRollup,
    ViewRollup,
    Visit,
    VisitRollup,
    Vote,
    VoteRollup,
    customer_of,
    utcnow,
)

# A day is rolled up this long after it ended: the search log writes in batches from a queue,
# and a click usually follows its search within minutes.
GRACE = dt.timedelta(hours=1)
KINDS = ("search", "view", "vote", "visit")
STATE = "rollups"
VISITOR_DAYS = "visitor-days"  # RollupState row: the edge RollupVisitorDay was counted at


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def mark_dirty(days: Iterable[dt.date], kind: str) -> None:
    """Tells the roll-ups that raw `kind` rows of these days changed (part of the caller's
    transaction). Today is never rolled up, so it needs no mark."""
    today = utcnow().date()
    rows = [{"day": day, "kind": kind} for day in set(days) if day < today]
    if rows:
        db.session.execute(_insert(RollupDirty).on_conflict_do_nothing(), rows)


@dataclass(frozen=True)
class Coverage:
    """What the roll-ups hold: every day before `through`, except the dirty ones of a kind."""

    through: dt.date | None
    dirty: dict[str, frozenset[dt.date]]
    # True when RollupVisitorDay holds RollupVisitor counted per day (see VISITOR_DAYS).
    visitor_days: bool = False

    def rolled(self, day: dt.date, kind: str) -> bool:
        return self.through is not None and day < self.through and day not in self.dirty[kind]


def coverage() -> Coverage:
    states = {
        name: through
        for name, through in db.session.execute(
            select(RollupState.name, RollupState.through).where(
                RollupState.name.in_((STATE, VISITOR_DAYS))
            )
        )
    }
    through = states.get(STATE)
    dirty: dict[str, set[dt.date]] = {kind: set() for kind in KINDS}
    if through is not None:
        for day, kind in db.session.execute(
            select(RollupDirty.day, RollupDirty.kind).where(RollupDirty.day < through)
        ):
            dirty.setdefault(kind, set()).add(day)
    return Coverage(
        through,
        {kind: frozenset(days) for kind, days in dirty.items()},
        visitor_days=through is not None and states.get(VISITOR_DAYS) == through,
    )


# PostgreSQL: one `refresh` at a time across machines (a session-level advisory lock), so a
# long first run and the next minute's timer do not both insert the same day.
LOCK_KEY = 0x6863_726F_6C6C  # "hcroll"


def refresh(now: dt.datetime | None = None) -> int:
    """Rolls up every whole day not rolled up yet and redoes the dirty ones; returns how many
    days with activity it rolled (empty days need nothing) (0 if another run holds the lock). Each day is its own short transaction,
    so the site keeps writing. (SQLite serializes writers itself.)"""
    if db.session.get_bind().dialect.name != "postgresql":
        return _refresh(now or utcnow())
    # Its own connection, held for the whole run: the session's may change at each commit.
    with db.engine.connect() as lock:
        if not lock.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}):
            return 0
        try:
            return _refresh(now or utcnow())
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            lock.commit()


def _refresh(now: dt.datetime) -> int:
    target = (now - GRACE).date()  # days before this one have ended more than GRACE ago
    through = _through(STATE)
    start = through if through is not None else _next_active_day(dt.date.min, target)
    edge = max(start, target)  # how far the roll-ups reach when this run is done
    redo = sorted(
        (day, kind)
        for day, kind in db.session.execute(
            select(RollupDirty.day, RollupDirty.kind).where(RollupDirty.day < edge)
        )
    )
    rolled = 0
    visitors_stale = {kind for day, kind in redo if day < start}
    for day, kind in redo:
        if day < start:
            _roll_day(day, (kind,), visitors=False)
            rolled += 1
    # Only days with activity: a site with a long quiet stretch (or a test's two years of
    # history) would otherwise build a dozen statements for every empty day.
    day = _next_active_day(start, target)
    while day < target:
        _roll_day(day, KINDS, visitors=True)
        _set_through(day + dt.timedelta(days=1))
        db.session.commit()
        rolled += 1
        day = _next_active_day(day + dt.timedelta(days=1), target)
    if through is None or start < target:
        _set_through(max(start, target))
    # A redone day may have taken activity away (a late click, a prune): the last day of each
    # visitor can only be recomputed from everything rolled up.
    for kind in visitors_stale & {"search", "view"}:
        rebuild_visitors(kind, before=edge)
    if rolled or _through(VISITOR_DAYS) != edge:
        _count_visitor_days(edge)
    db.session.commit()
    return rolled


def _through(name: str) -> dt.date | None:
    return db.session.scalar(select(RollupState.through).where(RollupState.name == name))


def _count_visitor_days(edge: dt.date) -> None:
    """Recounts RollupVisitorDay from RollupVisitor (one GROUP BY: a few seconds for a year
    at a million searches) and records the edge it matches."""
    db.session.execute(delete(RollupVisitorDay))
    pair = (
        RollupVisitor.kind,
        RollupVisitor.lang,
        RollupVisitor.target,
        RollupVisitor.first_day,
        RollupVisitor.last_day,
    )
    db.session.execute(
        db.insert(RollupVisitorDay).from_select(
            ["kind", "lang", "target", "first_day", "last_day", "visitors"],
            select(*pair, func.count()).group_by(*pair),
        )
    )
    _set_through(edge, VISITOR_DAYS)


def rebuild(now: dt.datetime | None = None) -> int:
    """Recomputes every roll-up from the raw log (after a bulk import). The roll-ups of days
    before the log's first day stay: a prune kept them longer than the raw rows it deleted
    (retention.py), and nothing could compute them again."""
    first = _next_active_day(dt.date.min, (now or utcnow()).date())
    for model in DAILY:
        db.session.execute(delete(model).where(model.day >= first))
    for model in (RollupVisitor, RollupVisitorDay, RollupDirty, RollupState):
        db.session.execute(delete(model))
    db.session.commit()
    return refresh(now)


def _next_active_day(day: dt.date, target: dt.date) -> dt.date:
    """The first day from `day` on with any activity, or `target` if none comes before it
    (one indexed MIN per log: cheap however long the quiet stretch)."""
    since = midnight(day)
    firsts = [
        db.session.scalar(select(func.min(column)).where(column >= since))
        for column in (SearchEvent.created_at, PageView.created_at, Vote.updated_at)
    ]
    days = [moment.astimezone(dt.UTC).date() for moment in firsts if moment is not None]
    visits = db.session.scalar(select(func.min(Visit.day)).where(Visit.day >= day))
    days += [visits] if visits is not None else []
    return min([*days, target])


def _set_through(day: dt.date, name: str = STATE) -> None:
    db.session.execute(
        _insert(RollupState)
        .values(name=name, through=day)
        .on_conflict_do_update(index_elements=["name"], set_={"through": day})
    )


def _roll_day(day: dt.date, kinds: Iterable[str], *, visitors: bool) -> None:
    """Replaces the roll-ups of one day by what the raw log holds now. The dirty mark goes
    first, in the same transaction: a writer that changes the day after this reads the raw log
    marks it again, and the next refresh redoes it."""
    since, until = midnight(day), midnight(day + dt.timedelta(days=1))
    for kind in kinds:
        db.session.execute(
            delete(RollupDirty).where(RollupDirty.day == day, RollupDirty.kind == kind)
        )
        for statement in ROLLERS[kind](day, since, until, visitors):
            db.session.execute(statement)
    db.session.commit()


def _search_statements(day, since, until, visitors):
    in_day = (SearchEvent.created_at >= since, SearchEvent.created_at < until)
    empty = SearchEvent.result_count == 0
    clicked = SearchEvent.clicked_article.is_not(None)
    yield delete(SearchRollup).where(SearchRollup.day == day)
    rows = (
        select(
            literal(day).label("day"),
            SearchEvent.lang,
            SearchEvent.normalized,
            SearchEvent.query,
            empty.label("empty"),
            clicked.label("clicked"),
            func.count(),
            func.min(SearchEvent.created_at),
            func.max(SearchEvent.created_at),
        )
        .where(*in_day, SearchEvent.page == 1)
        .group_by(SearchEvent.lang, SearchEvent.normalized, SearchEvent.query, empty, clicked)
    )
    yield _insert(SearchRollup).from_select(
        [
            "day",
            "lang",
            "normalized",
            "query",
            "empty",
            "clicked",
            "searches",
            "first_at",
            "last_at",
        ],
        rows,
    )
    yield delete(SearchDayRollup).where(SearchDayRollup.day == day)
    totals = (
        select(
            literal(day),
            SearchEvent.lang,
            func.count(),
            func.sum(case((empty, 1), else_=0)),
            func.count(SearchEvent.clicked_article),
        )
        .where(*in_day, SearchEvent.page == 1)
        .group_by(SearchEvent.lang)
    )
    yield _insert(SearchDayRollup).from_select(
        ["day", "lang", "searches", "empty", "clicked"], totals
    )
    yield delete(ClickRollup).where(ClickRollup.day == day)
    clicks = (
        select(literal(day), SearchEvent.lang, SearchEvent.clicked_article, func.count())
        .where(*in_day, clicked)
        .group_by(SearchEvent.lang, SearchEvent.clicked_article)
    )
    yield _insert(ClickRollup).from_select(["day", "lang", "article_id", "clicks"], clicks)
    if visitors:
        kind = case((empty, "empty"), else_="unclicked")
        customer = customer_of(SearchEvent)
        yield _visitors_statement(
            select(
                kind,
                SearchEvent.lang,
                SearchEvent.normalized,
                customer,
                literal(day),
                literal(day),
            )
            .where(*in_day, *SEARCHED, (empty | ~clicked))
            .group_by(kind, SearchEvent.lang, SearchEvent.normalized, customer)
        )


# The searches the query-group reports count: first pages of queries that had words.
SEARCHED = (SearchEvent.page == 1, SearchEvent.normalized != "")


def _view_statements(day, since, until, visitors):
    in_day = (PageView.created_at >= since, PageView.created_at < until)
    yield delete(ViewRollup).where(ViewRollup.day == day)
    views = (
        select(literal(day), PageView.lang, PageView.article_id, func.count())
        .where(*in_day)
        .group_by(PageView.lang, PageView.article_id)
    )
    yield _insert(ViewRollup).from_select(["day", "lang", "article_id", "views"], views)
    if visitors:
        customer = customer_of(PageView)
        yield _visitors_statement(
            select(
                literal("read"),
                PageView.lang,
                PageView.article_id,
                customer,
                literal(day),
                literal(day),
            )
            .where(*in_day)
            .group_by(PageView.lang, PageView.article_id, customer)
        )


def _vote_statements(day, since, until, visitors):
    reason = func.coalesce(Vote.reason, "")
    commented = case((COMMENTED, 1), else_=0)
    yield delete(VoteRollup).where(VoteRollup.day == day)
    votes = (
        select(
            literal(day),
            Vote.lang,
            Vote.article_id,
            Vote.helpful,
            reason,
            func.count(),
            func.sum(commented),
        )
        .where(Vote.updated_at >= since, Vote.updated_at < until)
        .group_by(Vote.lang, Vote.article_id, Vote.helpful, reason)
    )
    yield _insert(VoteRollup).from_select(
        ["day", "lang", "article_id", "helpful", "reason", "votes", "comments"], votes
    )


def _visit_statements(day, since, until, visitors):
    lang = func.coalesce(Visit.lang, "")
    yield delete(VisitRollup).where(VisitRollup.day == day)
    visits = (
        select(literal(day), lang, func.count(), func.sum(case((Visit.escalated, 1), else_=0)))
        .where(Visit.day == day)
        .group_by(lang)
    )
    yield _insert(VisitRollup).from_select(["day", "lang", "visits", "escalated"], visits)


# A comment is what a customer wrote after "No"; erasing it (forget, retention) keeps the vote.
COMMENTED = Vote.helpful.is_(False) & Vote.comment.is_not(None) & (Vote.comment != "")


def _visitors_statement(rows):
    """Upserts (kind, lang, target, visitor, day, day): the first day kept, the last moved."""
    insert = _insert(RollupVisitor).from_select(
        ["kind", "lang", "target", "visitor", "first_day", "last_day"], rows
    )
    sqlite_ = db.session.get_bind().dialect.name == "sqlite"
    newer, older = (func.max, func.min) if sqlite_ else (func.greatest, func.least)
    return insert.on_conflict_do_update(
        index_elements=["kind", "lang", "target", "visitor"],
        set_={
            "first_day": older(RollupVisitor.first_day, insert.excluded.first_day),
            "last_day": newer(RollupVisitor.last_day, insert.excluded.last_day),
        },
    )


def rebuild_visitors(kind: str, *, before: dt.date) -> None:
    """Recomputes each customer's first and last rolled-up days of `kind` ("search" or "view")
    from the raw log before `before`."""
    until = midnight(before)
    if kind == "search":
        db.session.execute(delete(RollupVisitor).where(RollupVisitor.kind != "read"))
        empty = SearchEvent.result_count == 0
        outcome = case((empty, "empty"), else_="unclicked")
        customer = customer_of(SearchEvent)
        rows = db.session.execute(
            select(
                outcome,
                SearchEvent.lang,
                SearchEvent.normalized,
                customer,
                func.min(SearchEvent.created_at),
                func.max(SearchEvent.created_at),
            )
            .where(
                SearchEvent.created_at < until,
                *SEARCHED,
                empty | SearchEvent.clicked_article.is_(None),
            )
            .group_by(outcome, SearchEvent.lang, SearchEvent.normalized, customer)
        )
    else:
        db.session.execute(delete(RollupVisitor).where(RollupVisitor.kind == "read"))
        customer = customer_of(PageView)
        rows = db.session.execute(
            select(
                literal("read"),
                PageView.lang,
                PageView.article_id,
                customer,
                func.min(PageView.created_at),
                func.max(PageView.created_at),
            )
            .where(PageView.created_at < until)
            .group_by(PageView.lang, PageView.article_id, customer)
        )
    batch = []
    for kind_, lang, target, visitor, first, last in rows:
        batch.append(
            {
                "kind": kind_,
                "lang": lang,
                "target": target,
                "visitor": visitor,
                "first_day": _utc(first).date(),
                "last_day": _utc(last).date(),
            }
        )
        if len(batch) >= 5_000:
            db.session.execute(db.insert(RollupVisitor), batch)
            batch = []
    if batch:
        db.session.execute(db.insert(RollupVisitor), batch)


def utc_day(moment) -> dt.date:
    """The UTC day of a logged moment: the day `mark_dirty` is told about."""
    return _utc(moment).date()


def _utc(moment) -> dt.datetime:
    """A moment in UTC. Naive ones are UTC (SQLite hands them back so), and max() over a
    timestamp comes back as text on SQLite (no column type to convert it)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def forget_before(cutoff: dt.datetime) -> None:
    """After a prune deleted the raw rows before `cutoff`: the roll-ups of those days go too
    (they hold the queries customers typed, which retention must not outlive), and the day of
    the cutoff, only partly deleted, is redone by the next refresh."""
    day = cutoff.astimezone(dt.UTC).date()
    for model in DAILY:
        db.session.execute(delete(model).where(model.day < day))
    db.session.execute(delete(RollupVisitor).where(RollupVisitor.last_day < day))
    db.session.execute(delete(RollupVisitorDay).where(RollupVisitorDay.last_day < day))
    db.session.execute(delete(RollupDirty).where(RollupDirty.day < day))
    for kind in KINDS:
        mark_dirty([day], kind)
    db.session.commit()


def forget_customers_before(day: dt.date) -> None:
    """After a prune deleted the raw rows of the days before `day` and kept their roll-ups
    (retention.py): who was active on those days goes too (`RollupVisitor` names customers),
    and no mark is left that would make a refresh redo such a day from a log that no longer
    holds it."""
    db.session.execute(delete(RollupVisitor).where(RollupVisitor.last_day < day))
    db.session.execute(delete(RollupDirty).where(RollupDirty.day < day))
    through = _through(STATE)
    if through is not None:
        _count_visitor_days(through)
    db.session.commit()


def forget_rollups_before(day: dt.date) -> None:
    """Deletes the roll-ups of the whole days before `day`, whose raw rows a prune deleted
    already (retention.py)."""
    for model in DAILY:
        db.session.execute(delete(model).where(model.day < day))
    db.session.execute(delete(RollupVisitorDay).where(RollupVisitorDay.last_day < day))
    db.session.commit()


ROLLERS = {
    "search": _search_statements,
    "view": _view_statements,
    "vote": _vote_statements,
    "visit": _visit_statements,
}
DAILY = (SearchRollup, SearchDayRollup, ClickRollup, ViewRollup, VoteRollup, VisitRollup)
