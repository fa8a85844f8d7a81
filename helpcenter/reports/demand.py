"""What customers looked for: searches that found nothing, and searches that found something
that did not help (no click, or a contact request soon after)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import and_, select

from ..activity.rollups import SEARCHED
from ..content.catalog import Catalog
from ..extensions import db
from ..labels import N_
from ..models import ContactRequest, SearchEvent, seconds_before
from . import tallies
from .base import (
    ROW_LIMIT,
    CustomerText,
    Period,
    Report,
    ReportSettings,
    Spellings,
    Table,
    in_period,
    report,
    trend,
)
from .shared import once

# A contact request this soon after a search counts as "the search did not answer it".
VISIT_GAP = dt.timedelta(minutes=30)
MARGIN_SECONDS = 1  # the SQL bound's slack (see models.seconds_before)
SPELLINGS = 10  # at most, per group


@once
def grouped_searches(period: Period, outcome: str) -> list:
    """(lang, normalized, searches, visitors, first, last) of the first-page searches with
    words and that outcome ("empty": nothing found, "unclicked": found, nothing opened), most
    searched first."""
    groups = tallies.search_groups(period, outcome)
    top = sorted(groups.items(), key=lambda item: (-item[1][0], item[0][1], item[0][0]))
    top = top[:ROW_LIMIT]
    visitors = tallies.search_visitors(period, outcome, [key for key, _ in top])
    return [
        (lang, norm, count, visitors.get((lang, norm), 0), first, last)
        for (lang, norm), (count, first, last) in top
    ]


def _counts_for(keys: list[tuple[str, str]], period: Period, outcome: str) -> dict:
    if not keys:
        return {}
    groups = tallies.search_groups(period, outcome, keys)
    return {key: row[0] for key, row in groups.items()}


@once
def spellings_of(keys: list[tuple[str, str]], period: Period, outcome: str) -> dict:
    """The queries as customers typed them for each group, most frequent first: the first is
    what the pages show for the group (a stem such as "kryptowalut" reads like a typo)."""
    return {
        key: _most_typed(typed) for key, typed in tallies.spellings(period, outcome, keys).items()
    }


def _most_typed(typed: Counter[str]) -> Spellings:
    """The SPELLINGS spellings typed most often, most often first (ties alphabetically)."""
    ranked = sorted(typed.items(), key=lambda item: (-item[1], item[0]))
    return Spellings([text for text, _ in ranked][:SPELLINGS])


def _search_table(title: str, period: Period, outcome: str) -> Table:
    groups = grouped_searches(period, outcome)
    keys = [(row[0], row[1]) for row in groups]
    before = _counts_for(keys, period.previous(), outcome)
    spellings = spellings_of(keys, period, outcome)
    table = Table(
        title,
        [
            N_("language"),
            N_("query"),
            N_("searches"),
            N_("visitors"),
            N_("first seen"),
            N_("last seen"),
            N_("previous period"),
            N_("trend"),
            N_("spellings"),
        ],
        note=N_(
            "Queries that mean the same (inflections, case and accents folded) are counted "
            "together and shown as customers typed them most often. Visitors: different "
            "customers, counted by network, so one client with many cookies or addresses "
            "counts once."
        ),
    )
    for lang, norm, count, visitors, first, last in groups:
        previous = before.get((lang, norm), 0)
        shown = spellings.get((lang, norm)) or Spellings([norm])
        table.rows.append(
            [
                lang,
                shown,
                count,
                visitors,
                first,
                last,
                previous,
                trend(count, previous),
                CustomerText(" | ".join(shown.variants)),
            ]
        )
    return table


@report("zero-results", N_("Searches with no results"))
def zero_results(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    return Report(
        "zero-results",
        N_("Searches with no results"),
        N_(
            "What customers searched for and found nothing, grouped by meaning (inflections, "
            "case and accents folded), most searched first: the articles to write next."
        ),
        [_search_table(N_("Searches with no results"), period, "empty")],
    )


@report("no-click", N_("Searches that did not help"))
def no_click(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    unanswered = _search_table(
        N_("Searches with results but no click"),
        period,
        "unclicked",
    )
    return Report(
        "no-click",
        N_("Searches that did not help"),
        N_(
            "Searches whose results nobody opened, and searches followed by a contact request "
            "within 30 minutes: the results did not answer."
        ),
        [unanswered, _followed_by_contact(period)],
    )


def _followed_by_contact(period: Period) -> Table:
    """Each contact request of the period joined to its visitor's searches in the VISIT_GAP
    before it (their index on visitor and time): the database narrows them to the second, and
    the exact bounds are checked here."""
    window = seconds_before(
        ContactRequest.created_at, int(VISIT_GAP.total_seconds()) + MARGIN_SECONDS
    )
    found = db.session.execute(
        select(
            ContactRequest.id,
            ContactRequest.created_at,
            SearchEvent.lang,
            SearchEvent.normalized,
            SearchEvent.query,
            SearchEvent.created_at,
        )
        .join(
            SearchEvent,
            and_(
                SearchEvent.visitor == ContactRequest.visitor,
                SearchEvent.created_at <= ContactRequest.created_at,
                SearchEvent.created_at >= window,
            ),
        )
        .where(
            *in_period(ContactRequest, period),
            *SEARCHED,
            *([SearchEvent.lang == period.lang] if period.lang else []),
        )
    )
    groups: dict[tuple[str, str], dict] = {}
    for request_id, created, lang, norm, text, searched in found:
        if searched <= created <= searched + VISIT_GAP:
            group = groups.setdefault((lang, norm), {"ids": set(), "typed": Counter()})
            group["ids"].add(request_id)
            group["typed"][text] += 1
    table = Table(
        N_("Searches followed by a contact request"),
        [N_("language"), N_("query"), N_("contact requests"), N_("spellings")],
    )
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]["ids"]), item[0]))
    for (lang, _norm), group in ranked:
        shown = _most_typed(group["typed"])
        spelled = CustomerText(" | ".join(shown.variants))
        table.rows.append([lang, shown, len(group["ids"]), spelled])
    table.rows = table.rows[:ROW_LIMIT]
    return table
