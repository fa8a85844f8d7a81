"""The counts the reports are made of, from the daily roll-ups where a whole day is rolled up
and from the raw log for the rest (today, a day being redone, a period that starts or ends
inside a day): the same figures as counting the raw log alone, at a fraction of the cost.
See activity/rollups.py for how the roll-ups are kept."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, exists, false, func, or_, select, true, tuple_

from ..activity.rollups import COMMENTED, SEARCHED, Coverage, midnight
from ..activity.rollups import coverage as _coverage
from ..extensions import db
from ..models import (
    ClickRollup,
    PageView,
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
from .computed_once import once
from .report import Period

# How far the roll-ups reach, read once per dashboard render rather than once per count.
coverage = once(_coverage)

# The searches each query-group report counts, in the raw log and in the roll-up.
OUTCOMES = {
    "empty": ((SearchEvent.result_count == 0,), (SearchRollup.empty == true(),)),
    "unclicked": (
        (SearchEvent.result_count > 0, SearchEvent.clicked_article.is_(None)),
        (SearchRollup.empty == false(), SearchRollup.clicked == false()),
    ),
}


@dataclass(frozen=True)
class Split:
    """A period cut into whole rolled-up days [first, end) minus `dirty`, and raw ranges."""

    first: dt.date | None
    end: dt.date | None
    dirty: tuple[dt.date, ...]
    raw: tuple[tuple[dt.datetime, dt.datetime], ...]
    lang: str | None

    def rolled(self, model) -> list | None:
        """WHERE conditions for the roll-up rows of `model` inside the period (None: none)."""
        if self.first is None:
            return None
        conditions = [model.day >= self.first, model.day < self.end]
        if self.dirty:
            conditions.append(model.day.not_in(self.dirty))
        if self.lang:
            conditions.append(model.lang == self.lang)
        return conditions

    def unrolled(self, model, moment=None) -> list | None:
        """WHERE conditions for the raw rows of `model` the roll-ups do not cover."""
        if not self.raw:
            return None
        moment = model.created_at if moment is None else moment
        conditions = [or_(*(and_(moment >= a, moment < b) for a, b in self.raw))]
        if self.lang:
            conditions.append(model.lang == self.lang)
        return conditions


def split(period: Period, kind: str, cover: Coverage | None = None) -> Split:
    cover = cover or coverage()
    first = period.since.date() + dt.timedelta(days=0 if _is_midnight(period.since) else 1)
    end = period.until.date()
    if cover.through is not None:
        end = min(end, cover.through)
    if cover.through is None or first >= end:
        return Split(None, None, (), ((period.since, period.until),), period.lang)
    dirty = tuple(sorted(day for day in cover.dirty[kind] if first <= day < end))
    raw = [(period.since, midnight(first)), (midnight(end), period.until)]
    raw += [(midnight(day), midnight(day + dt.timedelta(days=1))) for day in dirty]
    return Split(first, end, dirty, tuple((a, b) for a, b in raw if a < b), period.lang)


def _is_midnight(moment: dt.datetime) -> bool:
    return moment.astimezone(dt.UTC).time() == dt.time(0)


def _rows(*queries) -> Iterable:
    for query in queries:
        if query is not None:
            yield from db.session.execute(query)


def _later(a, b):
    return a if b is None or (a is not None and a > b) else b


def _earlier(a, b):
    return a if b is None or (a is not None and a < b) else b


def _among(model, keys) -> list:
    """The condition "in one of these (lang, normalized) query groups"; none for keys=None."""
    return [] if keys is None else [tuple_(model.lang, model.normalized).in_(keys)]


def _searches(period: Period, outcome: str, keys) -> tuple[list | None, list | None]:
    """WHERE conditions for the rolled-up and the raw first-page searches with words and the
    outcome in the period, in the groups of `keys` (all for None); None for an empty part."""
    parts = split(period, "search")
    raw_outcome, rolled_outcome = OUTCOMES[outcome]
    rolled, raw = parts.rolled(SearchRollup), parts.unrolled(SearchEvent)
    return (
        None
        if rolled is None
        else [
            *rolled,
            *rolled_outcome,
            SearchRollup.normalized != "",
            *_among(SearchRollup, keys),
        ],
        None if raw is None else [*raw, *SEARCHED, *raw_outcome, *_among(SearchEvent, keys)],
    )


def search_groups(period: Period, outcome: str, keys=None) -> dict[tuple[str, str], list]:
    """(lang, normalized) -> [searches, first, last] of first-page searches with words and
    the outcome ("empty" or "unclicked"); all groups, or those of `keys`."""
    if keys is not None and not keys:
        return {}
    rolled, raw = _searches(period, outcome, keys)
    found: dict[tuple[str, str], list] = {}
    queries = []
    if rolled is not None:
        queries.append(
            select(
                SearchRollup.lang,
                SearchRollup.normalized,
                func.sum(SearchRollup.searches),
                func.min(SearchRollup.first_at),
                func.max(SearchRollup.last_at),
            )
            .where(*rolled)
            .group_by(SearchRollup.lang, SearchRollup.normalized)
        )
    if raw is not None:
        queries.append(
            select(
                SearchEvent.lang,
                SearchEvent.normalized,
                func.count(),
                func.min(SearchEvent.created_at),
                func.max(SearchEvent.created_at),
            )
            .where(*raw)
            .group_by(SearchEvent.lang, SearchEvent.normalized)
        )
    for lang, norm, count, first, last in _rows(*queries):
        row = found.setdefault((lang, norm), [0, None, None])
        row[0] += int(count)
        row[1], row[2] = _earlier(first, row[1]), _later(last, row[2])
    return found


def spellings(period: Period, outcome: str, keys) -> dict[tuple[str, str], Counter[str]]:
    """(lang, normalized) -> how often each spelling was typed, for the groups of `keys`."""
    if not keys:
        return {}
    rolled, raw = _searches(period, outcome, keys)
    queries = []
    if rolled is not None:
        queries.append(
            select(
                SearchRollup.lang,
                SearchRollup.normalized,
                SearchRollup.query,
                func.sum(SearchRollup.searches),
            )
            .where(*rolled)
            .group_by(SearchRollup.lang, SearchRollup.normalized, SearchRollup.query)
        )
    if raw is not None:
        queries.append(
            select(SearchEvent.lang, SearchEvent.normalized, SearchEvent.query, func.count())
            .where(*raw)
            .group_by(SearchEvent.lang, SearchEvent.normalized, SearchEvent.query)
        )
    found: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for lang, norm, text, count in _rows(*queries):
        found[(lang, norm)][text] += int(count)
    return found


def search_visitors(period: Period, outcome: str, keys) -> dict[tuple[str, str], int]:
    """(lang, normalized) -> distinct customers (models.customer_of: networks) whose searches
    with the outcome are counted."""
    if not keys:
        return {}
    # Every group of the outcome, kept to `keys` after: from the roll-ups one index-only scan
    # in group order, where a list of 200 groups in SQL had PostgreSQL probe the index 200
    # times and recheck the table.
    found = _distinct_visitors(
        period,
        "search",
        outcome,
        (
            SearchEvent.lang,
            SearchEvent.normalized,
            customer_of(SearchEvent),
            SearchEvent.created_at,
        ),
        [*SEARCHED, *OUTCOMES[outcome][0], *_among(SearchEvent, keys)],
    )
    wanted = set(keys)
    return {key: count for key, count in found.items() if key in wanted}


@once
def readers(period: Period) -> dict[tuple[str, str], int]:
    """(lang, article id) -> distinct customers (models.customer_of: networks) who opened it in
    the period (a search result that was clicked opens the article page too, so page views
    count every reader)."""
    return _distinct_visitors(
        period,
        "view",
        "read",
        (PageView.lang, PageView.article_id, customer_of(PageView), PageView.created_at),
        _in_language(PageView, period),
    )


def _distinct_visitors(
    period: Period, rolled: str, kind: str, raw, raw_where
) -> dict[tuple[str, str], int]:
    """(lang, target) -> distinct customers of `kind` ("empty", "unclicked" or "read") in the
    period. `raw` = the raw log's lang, target, customer and time columns, `raw_where` its rows
    to count; `rolled` the roll-ups' kind of those rows ("search" or "view").

    From the first and last rolled-up days of each visitor (activity/rollups.py) when the
    period starts at a midnight inside the rolled-up days, runs to the present or ends at a
    midnight no later than the roll-ups' edge, and no rolled-up day of `rolled` is being
    redone; from the raw log otherwise. To the present: those whose last rolled-up day is in
    the period, plus visitors of the raw log since the edge not counted already (that raw part
    is bounded on both sides, so the database reads it by time, not by group). In the past,
    [A, B): those whose first or last day is in it, plus those active both before A and from
    B on whom the raw log shows active in between (few: a visitor seen on one day of a group
    is the rule)."""
    lang_, target, visitor, created = raw
    cover = coverage()
    to_now = period.until >= utcnow()
    if (
        cover.through is None
        or cover.dirty[rolled]
        or not _is_midnight(period.since)
        or period.since.date() >= cover.through
        or (not to_now and (not _is_midnight(period.until) or period.until.date() > cover.through))
    ):
        query = (
            select(lang_, target, func.count(distinct(visitor)))
            .where(created >= period.since, created < period.until, *raw_where)
            .group_by(lang_, target)
        )
        return {(language, key): count for language, key, count in db.session.execute(query)}
    since = period.since.date()
    # Counted per pair of days (a row per target and pair) when those counts match the edge,
    # else a row per visitor.
    counts = RollupVisitorDay if cover.visitor_days else RollupVisitor
    if to_now:
        inside = counts.last_day >= since
    else:
        until = period.until.date()
        inside = or_(
            and_(counts.first_day >= since, counts.first_day < until),
            and_(counts.last_day >= since, counts.last_day < until),
        )
    known = (
        select(
            counts.lang,
            counts.target,
            func.sum(RollupVisitorDay.visitors) if cover.visitor_days else func.count(),
        )
        .where(counts.kind == kind, inside, *_in_language(counts, period))
        .group_by(counts.lang, counts.target)
    )
    if to_now:
        counted_before = exists().where(
            RollupVisitor.kind == kind,
            RollupVisitor.lang == lang_,
            RollupVisitor.target == target,
            RollupVisitor.visitor == visitor,
            RollupVisitor.last_day >= since,
        )
        rest = (
            select(lang_, target, func.count(distinct(visitor)))
            .where(
                created >= midnight(cover.through),
                created < period.until,
                *raw_where,
                ~counted_before,
            )
            .group_by(lang_, target)
        )
    else:
        active_between = exists().where(
            lang_ == RollupVisitor.lang,
            target == RollupVisitor.target,
            visitor == RollupVisitor.visitor,
            created >= period.since,
            created < period.until,
            *raw_where,
        )
        rest = (
            select(RollupVisitor.lang, RollupVisitor.target, func.count())
            .where(
                RollupVisitor.kind == kind,
                RollupVisitor.first_day < since,
                RollupVisitor.last_day >= until,
                *_in_language(RollupVisitor, period),
                active_between,
            )
            .group_by(RollupVisitor.lang, RollupVisitor.target)
        )
    found: Counter[tuple[str, str]] = Counter()
    for language, key, count in _rows(known, rest):
        found[(language, key)] += count
    return dict(found)


def _in_language(model, period: Period) -> list:
    return [model.lang == period.lang] if period.lang else []


def search_totals(period: Period) -> tuple[int, int, int]:
    """First-page searches (with words or not), how many found nothing, how many were
    clicked: the headline numbers."""
    total = [0, 0, 0]
    for _day, searches, empty, clicked in _search_days(period):
        total = [total[0] + searches, total[1] + empty, total[2] + clicked]
    return total[0], total[1], total[2]


def searches_per_day(period: Period) -> dict[str, tuple[int, int]]:
    """ "YYYY-MM-DD" -> (first-page searches, how many found nothing)."""
    per_day: dict[str, tuple[int, int]] = {}
    for day, searches, empty, _clicked in _search_days(period):
        before = per_day.get(day, (0, 0))
        per_day[day] = (before[0] + searches, before[1] + empty)
    return per_day


@once
def _search_days(period: Period) -> list[tuple[str, int, int, int]]:
    parts = split(period, "search")
    rolled, raw = parts.rolled(SearchDayRollup), parts.unrolled(SearchEvent)
    queries = []
    if rolled is not None:
        queries.append(
            select(
                SearchDayRollup.day,
                func.sum(SearchDayRollup.searches),
                func.sum(SearchDayRollup.empty),
                func.sum(SearchDayRollup.clicked),
            )
            .where(*rolled)
            .group_by(SearchDayRollup.day)
        )
    if raw is not None:
        day = func.date(SearchEvent.created_at)
        queries.append(
            select(
                day,
                func.count(),
                func.sum(case((SearchEvent.result_count == 0, 1), else_=0)),
                func.count(SearchEvent.clicked_article),
            )
            .where(*raw, SearchEvent.page == 1)
            .group_by(day)
        )
    return [
        (str(day)[:10], int(searches or 0), int(empty or 0), int(clicked or 0))
        for day, searches, empty, clicked in _rows(*queries)
    ]


@once
def visits_per_day(period: Period) -> dict[dt.date, tuple[int, int]]:
    """day -> (visits, how many ended in a contact request), for the whole days of the period;
    with a language, the visits that began in it."""
    cover = coverage()
    days = [
        period.first_day + dt.timedelta(days=n)
        for n in range((period.last_day - period.first_day).days + 1)
    ]
    rolled = [day for day in days if cover.rolled(day, "visit")]
    raw = sorted(set(days) - set(rolled))
    queries = []
    if rolled:
        queries.append(
            select(VisitRollup.day, func.sum(VisitRollup.visits), func.sum(VisitRollup.escalated))
            .where(
                VisitRollup.day >= rolled[0],
                VisitRollup.day <= rolled[-1],
                *([VisitRollup.day.not_in(raw)] if raw else []),
                *_in_language(VisitRollup, period),
            )
            .group_by(VisitRollup.day)
        )
    for first, last in _runs(raw):
        queries.append(
            select(Visit.day, func.count(), func.sum(case((Visit.escalated, 1), else_=0)))
            .where(
                Visit.day >= first,
                Visit.day <= last,
                *_in_language(Visit, period),
            )
            .group_by(Visit.day)
        )
    found: dict[dt.date, tuple[int, int]] = {}
    for day, visits, escalated in _rows(*queries):
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
        found[day] = (int(visits), int(escalated or 0))
    return found


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


@once
def views(period: Period) -> Counter[tuple[str, str]]:
    """(lang, article id) -> article pages shown."""
    return _per_article(period, "view", ViewRollup, ViewRollup.views, PageView, PageView.article_id)


@once
def clicks(period: Period) -> Counter[tuple[str, str]]:
    """(lang, article id) -> search results opened (any results page)."""
    return _per_article(
        period,
        "search",
        ClickRollup,
        ClickRollup.clicks,
        SearchEvent,
        SearchEvent.clicked_article,
        SearchEvent.clicked_article.is_not(None),
    )


def _per_article(
    period: Period, source: str, rollup, rolled_count, raw, raw_article, *raw_where
) -> Counter[tuple[str, str]]:
    """(lang, article id) -> count: the rolled-up days' sums of `rolled_count` plus the raw
    log's rows (those matching `raw_where`) for the days not rolled up."""
    parts = split(period, source)
    rolled, unrolled = parts.rolled(rollup), parts.unrolled(raw)
    queries = []
    if rolled is not None:
        queries.append(
            select(rollup.lang, rollup.article_id, func.sum(rolled_count))
            .where(*rolled)
            .group_by(rollup.lang, rollup.article_id)
        )
    if unrolled is not None:
        queries.append(
            select(raw.lang, raw_article, func.count())
            .where(*unrolled, *raw_where)
            .group_by(raw.lang, raw_article)
        )
    found: Counter[tuple[str, str]] = Counter()
    for lang, article, count in _rows(*queries):
        found[(lang, article)] += int(count)
    return found


@once
def votes(period: Period) -> list[tuple[str, str, bool, str | None, int, int]]:
    """(lang, article id, helpful, reason, votes, comments), by the day each vote was last
    cast; `comments`: how many of them carry words written after "No"."""
    parts = split(period, "vote")
    rolled, raw = parts.rolled(VoteRollup), parts.unrolled(Vote, Vote.updated_at)
    queries = []
    if rolled is not None:
        queries.append(
            select(
                VoteRollup.lang,
                VoteRollup.article_id,
                VoteRollup.helpful,
                VoteRollup.reason,
                func.sum(VoteRollup.votes),
                func.sum(VoteRollup.comments),
            )
            .where(*rolled)
            .group_by(VoteRollup.lang, VoteRollup.article_id, VoteRollup.helpful, VoteRollup.reason)
        )
    if raw is not None:
        queries.append(
            select(
                Vote.lang,
                Vote.article_id,
                Vote.helpful,
                Vote.reason,
                func.count(),
                func.sum(case((COMMENTED, 1), else_=0)),
            )
            .where(*raw)
            .group_by(Vote.lang, Vote.article_id, Vote.helpful, Vote.reason)
        )
    found: dict[tuple, list[int]] = {}
    for lang, article, helpful, reason, count, comments in _rows(*queries):
        row = found.setdefault((lang, article, bool(helpful), reason or None), [0, 0])
        row[0] += int(count)
        row[1] += int(comments or 0)
    return [(*key, count, comments) for key, (count, comments) in found.items()]
