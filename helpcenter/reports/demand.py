"""What customers looked for: searches that found nothing, and searches that found something
that did not help (no click, or a contact request soon after), one row per topic (topics.py:
query groups of one thing, typos included)."""

from __future__ import annotations

from ..content.catalog import Catalog
from ..labels import N_
from . import rollup_counts
from .report import (
    ROW_LIMIT,
    CustomerText,
    Period,
    Report,
    ReportSettings,
    Table,
    report,
    trend,
)
from .topics import followed_by_contact, most_typed, topics


def _counts_for(keys: list[tuple[str, str]], period: Period, outcome: str) -> dict:
    if not keys:
        return {}
    groups = rollup_counts.search_groups(period, outcome, keys)
    return {key: row[0] for key, row in groups.items()}


def _search_table(title: str, period: Period, outcome: str, settings: ReportSettings) -> Table:
    known = settings.search.is_word if settings.search is not None else None
    found = sorted(topics(period, outcome, known), key=lambda t: (-t.searches, t.lang, t.keys))
    before = _counts_for(
        [(t.lang, key) for t in found for key in t.keys], period.previous(), outcome
    )
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
            "Queries that mean the same (inflections, case, accents and typos of a word) are "
            "counted together and shown as customers typed them most often. Visitors: "
            "different customers, counted by network, so one client with many cookies or "
            "addresses counts once."
        ),
    )
    for topic in found:
        previous = sum(before.get((topic.lang, key), 0) for key in topic.keys)
        shown = topic.spellings
        table.rows.append(
            [
                topic.lang,
                shown,
                topic.searches,
                topic.searchers,
                topic.first,
                topic.last,
                previous,
                trend(topic.searches, previous),
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
        [_search_table(N_("Searches with no results"), period, "empty", settings)],
    )


@report("no-click", N_("Searches that did not help"))
def no_click(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    unanswered = _search_table(
        N_("Searches with results but no click"), period, "unclicked", settings
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
    table = Table(
        N_("Searches followed by a contact request"),
        [N_("language"), N_("query"), N_("contact requests"), N_("spellings")],
    )
    groups = followed_by_contact(period)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1].ids), item[0]))
    for (lang, _norm), group in ranked:
        shown = most_typed(group.typed)
        spelled = CustomerText(" | ".join(shown.variants))
        table.rows.append([lang, shown, len(group.ids), spelled])
    table.rows = table.rows[:ROW_LIMIT]
    return table
