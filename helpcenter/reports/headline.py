"""The dashboard's headline numbers for a period and language, each beside the same number for
the period before, and the per-day (or per-week) series behind its charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..labels import N_
from ..models import ContactRequest
from . import rollup_counts
from .report import Chart, Period, in_period

# Up to this many days a chart has a bar per day; longer periods get a bar per ISO week.
DAILY_UP_TO = 31


@dataclass
class Headline:
    name: str  # a Label
    value: float | None
    previous: float | None
    unit: str = ""  # "%" for shares: their change is in percentage points
    higher_is_better: bool = True

    @property
    def change(self) -> float | None:
        """Percent for counts, percentage points for shares; None when there is no basis."""
        if self.value is None or self.previous is None:
            return None
        if self.unit == "%":
            return round(self.value - self.previous, 1)
        if not self.previous:
            return None
        return round((self.value - self.previous) / self.previous * 100)

    @property
    def improved(self) -> bool | None:
        if not self.change:
            return None
        return (self.change > 0) == self.higher_is_better


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _numbers(period: Period) -> dict[str, float | None]:
    searches, empty, clicked = rollup_counts.search_totals(period)
    per_day = rollup_counts.visits_per_day(period).values()
    visits, escalated = sum(v for v, _ in per_day), sum(e for _, e in per_day)
    requests = db.session.scalar(
        select(func.count()).select_from(ContactRequest).where(*in_period(ContactRequest, period))
    )
    # From the vote tallies the articles report and "Do this next" share (roll-ups, not a
    # year of raw votes).
    counted = rollup_counts.votes(period)
    votes = sum(row[4] for row in counted)
    yes = sum(row[4] for row in counted if row[2])
    return {
        "searches": searches or 0,
        "empty": _share(empty or 0, searches or 0),
        "clicks": _share(clicked or 0, searches or 0),
        "self_service": _share((visits or 0) - (escalated or 0), visits or 0),
        "escalations": round(100 * (requests or 0) / visits, 1) if visits else None,
        "yes": _share(yes or 0, votes or 0),
    }


def headline(period: Period) -> list[Headline]:
    now, before = _numbers(period), _numbers(period.previous())
    return [
        Headline(N_("searches"), now["searches"], before["searches"]),
        Headline(N_("searches with no results"), now["empty"], before["empty"], "%", False),
        Headline(N_("click-through"), now["clicks"], before["clicks"], "%"),
        Headline(N_("self-service rate"), now["self_service"], before["self_service"], "%"),
        Headline(
            N_("contact requests per 100 visits"),
            now["escalations"],
            before["escalations"],
            higher_is_better=False,
        ),
        Headline(N_("“Yes” votes"), now["yes"], before["yes"], "%"),
    ]


def buckets(period: Period) -> list[tuple[str, dt.date, dt.date]]:
    """(label, first day, last day) of each bar: days, or ISO weeks for long periods."""
    days = (period.last_day - period.first_day).days + 1
    if days <= DAILY_UP_TO:
        return [
            (day.isoformat(), day, day)
            for day in (period.first_day + dt.timedelta(days=n) for n in range(days))
        ]
    found, day = [], period.first_day
    while day <= period.last_day:
        year, week, weekday = day.isocalendar()
        end = min(day + dt.timedelta(days=7 - weekday), period.last_day)
        found.append((f"{year}-W{week:02d}", day, end))
        day = end + dt.timedelta(days=1)
    return found


def activity_charts(period: Period) -> list[Chart]:
    """Searches per bar, and the share of them that found nothing: every day (or week) of the
    period has its bar, so a quiet period reads as quiet rather than as one lone dot."""
    per_day = rollup_counts.searches_per_day(period)
    labels, totals, shares = [], [], []
    for label, first, last in buckets(period):
        total = empty = 0
        for n in range((last - first).days + 1):
            t, e = per_day.get((first + dt.timedelta(days=n)).isoformat(), (0, 0))
            total, empty = total + t, empty + e
        labels.append(label)
        totals.append(float(total))
        shares.append(_share(empty, total))
    daily = len(labels) == (period.last_day - period.first_day).days + 1
    x_title = N_("day") if daily else N_("week")
    return [
        Chart(
            N_("Searches per day") if daily else N_("Searches per week"),
            labels,
            {N_("searches"): totals},
            x_title=x_title,
            y_title=N_("searches"),
        ),
        Chart(
            N_("Searches with no results, share per day")
            if daily
            else N_("Searches with no results, share per week"),
            labels,
            {N_("no results"): shares},
            unit="%",
            x_title=x_title,
            y_title=N_("share of searches"),
        ),
    ]
