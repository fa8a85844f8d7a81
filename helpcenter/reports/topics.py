"""Topics: the query groups of one thing customers looked for, typos and all, with how many
different customers asked, in a search or in a contact request right after one.

The search log groups queries by their analysis (search/plan.py: normalize_query), so "Hasło",
"hasła" and "haslo" are one group; a typo is a group of its own. Three customers asking for
Klarna as "klarna", "klarma" and "klanra" were three groups of one visitor each, so "Do this
next" saw one visitor where there were three. Groups are merged into one topic when their
words pair up, each pair the same or a typo of the other (TYPO_EDITS), and never when both
words of a pair are words of the language or of the articles (SearchService.is_word): "macie"
and "mycie" (Polish "you have" and "washing") are one edit apart and two different things. A
group joins the first (most searched) topic it matches: a word only through the topic's most
searched spelling, a typo through any of them, so no chain of typos leads from one word to
another.

Measured on the tuning sets' customer queries (sample and colloquial: 1,311 distinct words in
six languages, bench/topics.py): the rule merges "adress" with "address", "pasword" with
"password" and Lithuanian "išjungt" with "išjungti", and keeps apart 24 pairs the distance
alone would merge ("change"/"charged", Polish "dostałem"/"dostawa": received, delivery). It
errs towards two rows: some of those 24 are two forms of one word the analysis does not join
(Polish "paczce"/"paczka"). Without the search service (the weekly digest) only the analysis
groups queries.

Customers are counted across the merged groups, and with those who sent a contact request
within 30 minutes of searching (followed_by_contact), each once (models.customer_of).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_, select, tuple_

from ..activity.learned_terms import search_words
from ..activity.rollups import SEARCHED
from ..extensions import db
from ..models import ContactRequest, SearchEvent, customer_of, seconds_before
from ..search.spelling import edit_distance
from . import rollup_counts
from .computed_once import once
from .report import ROW_LIMIT, Period, Spellings, in_period

# (letters, edits): a word of at least that many letters (the shorter of the two) may differ
# by that many edits, a transposition counting one (spelling.edit_distance); shorter words
# must be the same. The first letter must be the same too, as "did you mean" asks
# (spelling.closest_words): typos rarely change it, and "pakiranja"/"poliranje" (packing,
# polishing) would meet otherwise.
TYPO_EDITS = ((8, 2), (5, 1))

Words = list[tuple[str, str]]  # (analyzed term, word as typed) of a query

# A contact request this soon after a search counts as "the search did not answer it".
VISIT_GAP = dt.timedelta(minutes=30)
MARGIN_SECONDS = 1  # the SQL bound's slack (see models.seconds_before)
SPELLINGS = 10  # at most, per group


@once
def grouped_searches(period: Period, outcome: str) -> list:
    """(lang, normalized, searches, visitors, first, last) of the first-page searches with
    words and that outcome ("empty": nothing found, "unclicked": found, nothing opened), most
    searched first."""
    groups = rollup_counts.search_groups(period, outcome)
    top = sorted(groups.items(), key=lambda item: (-item[1][0], item[0][1], item[0][0]))
    top = top[:ROW_LIMIT]
    visitors = rollup_counts.search_visitors(period, outcome, [key for key, _ in top])
    return [
        (lang, norm, count, visitors.get((lang, norm), 0), first, last)
        for (lang, norm), (count, first, last) in top
    ]


def most_typed(typed: Counter[str]) -> Spellings:
    """The SPELLINGS spellings typed most often, most often first (ties alphabetically)."""
    ranked = sorted(typed.items(), key=lambda item: (-item[1], item[0]))
    return Spellings([text for text, _ in ranked][:SPELLINGS])


@dataclass
class FollowUp:
    """The contact requests that followed searches of one query group within VISIT_GAP: their
    ids, who sent them (models.customer_of) and the spellings of the searches before them."""

    ids: set[int] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    typed: Counter[str] = field(default_factory=Counter)


@once
def followed_by_contact(period: Period) -> dict[tuple[str, str], FollowUp]:
    """(lang, normalized) -> the contact requests of the period sent within VISIT_GAP after a
    search of that group by the same visitor. Each request joined to its visitor's searches
    in the VISIT_GAP before it (their index on visitor and time): the database narrows them to
    the second, and the exact bounds are checked here."""
    window = seconds_before(
        ContactRequest.created_at, int(VISIT_GAP.total_seconds()) + MARGIN_SECONDS
    )
    found = db.session.execute(
        select(
            ContactRequest.id,
            ContactRequest.created_at,
            customer_of(ContactRequest),
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
    groups: dict[tuple[str, str], FollowUp] = {}
    for request_id, created, customer, lang, norm, text, searched in found:
        if searched <= created <= searched + VISIT_GAP:
            group = groups.setdefault((lang, norm), FollowUp())
            group.ids.add(request_id)
            group.customers.add(customer)
            group.typed[text] += 1
    return groups


@dataclass
class Topic:
    """Query groups of one language that mean one thing, the most searched first."""

    lang: str
    keys: tuple[str, ...]  # the groups' normalized queries (SearchEvent.normalized)
    typed: Counter[str]  # each spelling as typed, and how often
    searches: int
    searchers: int  # different customers whose searches it holds
    customers: int  # ... and those who sent a contact request right after searching it
    requests: int  # contact requests sent within 30 minutes of a search of it
    first: dt.datetime | None
    last: dt.datetime | None

    @property
    def spellings(self) -> Spellings:
        return most_typed(self.typed)

    @property
    def most_typed(self) -> str:
        return self.spellings.variants[0] if self.typed else self.keys[0]


@once
def topics(period: Period, outcome: str, known: Callable[[str, str], bool] | None) -> list:
    """The period's topics of first-page searches with `outcome` ("empty": nothing found,
    "unclicked": found, nothing opened), most customers first. `known(lang, word)` tells a
    word from a typo (SearchService.is_word); None merges no typos."""
    groups = grouped_searches(period, outcome)
    keys = [(lang, norm) for lang, norm, *_ in groups]
    typed = _typed(keys, period, outcome)
    clusters: list[list[tuple]] = []
    members: list[tuple[str, list[Words]]] = []  # each cluster's language and groups' words
    for group in groups:  # most searched first
        lang, norm = group[0], group[1]
        words = _words(lang, norm, typed.get((lang, norm)))
        n = _topic_of(lang, words, members, known) if known is not None else None
        if n is None:
            clusters.append([group])
            members.append((lang, [words]))
        else:
            clusters[n].append(group)
            members[n][1].append(words)
    follow_ups = followed_by_contact(period)
    # Customers are counted from the raw log where they cannot be added up: across merged
    # groups, and with those who wrote in after searching.
    exact = {
        n
        for n, cluster in enumerate(clusters)
        if len(cluster) > 1 or any((g[0], g[1]) in follow_ups for g in cluster)
    }
    searchers = _searchers(
        period, outcome, [(g[0], g[1]) for n in sorted(exact) for g in clusters[n]]
    )
    found = []
    for n, cluster in enumerate(clusters):
        lang = cluster[0][0]
        norms = tuple(group[1] for group in cluster)
        after = [follow_ups[(lang, norm)] for norm in norms if (lang, norm) in follow_ups]
        if n in exact:
            who = set().union(*(searchers.get((lang, norm), set()) for norm in norms))
            asked = set().union(*(f.customers for f in after))
            counted, customers = len(who), len(who | asked)
        else:
            counted = customers = cluster[0][3]
        spelled: Counter[str] = Counter()
        for norm in norms:
            spelled.update(typed.get((lang, norm), Counter()))
        found.append(
            Topic(
                lang,
                norms,
                spelled,
                sum(group[2] for group in cluster),
                counted,
                customers,
                len(set().union(*(f.ids for f in after))),
                min((g[4] for g in cluster if g[4] is not None), default=None),
                max((g[5] for g in cluster if g[5] is not None), default=None),
            )
        )
    found.sort(key=lambda t: (-t.customers, -t.searches, t.lang, t.keys))
    return found


@once
def _typed(keys: list[tuple[str, str]], period: Period, outcome: str) -> dict:
    return rollup_counts.spellings(period, outcome, keys)


def _words(lang: str, norm: str, typed: Counter[str] | None) -> Words:
    """The group's words (its normalized terms) each with a spelling as typed, for telling
    typos from words; a term the most typed spelling does not give stands for itself."""
    spelled = dict(search_words(lang, most_typed(typed).variants[0])) if typed else {}
    return [(term, spelled.get(term, term)) for term in norm.split()]


def _topic_of(
    lang: str, words: Words, members: list[tuple[str, list[Words]]], known: Callable
) -> int | None:
    """The first topic a group belongs to: its words pair with those of the topic's first
    (most searched) group, or, for a group of typos only (no word of it is a word), with those
    of any group of the topic ("klanra" joins "klarna" through "klarma"). A word joins through
    the first group alone, so no chain of typos leads from one word to another."""
    typos_only = None  # asked only when a topic has several groups (is_word costs a lookup)
    for n, (code, groups) in enumerate(members):
        if code != lang:
            continue
        if _same_topic(lang, groups[0], words, known):
            return n
        if len(groups) > 1:
            if typos_only is None:
                typos_only = not any(known(lang, typed) for _term, typed in words)
            if typos_only and any(_same_topic(lang, g, words, known) for g in groups[1:]):
                return n
    return None


def _same_topic(lang: str, first: Words, other: Words, known: Callable[[str, str], bool]) -> bool:
    """Whether every word of `other` pairs with a word of `first`: the same term, or a typo
    of it (TYPO_EDITS) where the two are not both words (`known`)."""
    if len(first) != len(other):
        return False
    left = list(other)
    for term, typed in first:
        match = next((word for word in left if word[0] == term), None)
        if match is None:
            match = next(
                (word for word in left if _typo(lang, (term, typed), word, known)),
                None,
            )
        if match is None:
            return False
        left.remove(match)
    return True


def _typo(
    lang: str, one: tuple[str, str], other: tuple[str, str], known: Callable[[str, str], bool]
) -> bool:
    (a, typed_a), (b, typed_b) = one, other
    shorter = min(len(a), len(b))
    edits = next((edits for letters, edits in TYPO_EDITS if shorter >= letters), 0)
    if not edits or a[0] != b[0] or abs(len(a) - len(b)) > edits or edit_distance(a, b) > edits:
        return False
    return not (known(lang, typed_a) and known(lang, typed_b))


def _searchers(period: Period, outcome: str, keys: list[tuple[str, str]]) -> dict:
    """(lang, normalized) -> the customers (models.customer_of) whose searches with the
    outcome it holds, from the raw log: only for the few groups counted across (a merged
    topic, or one with contact requests after it), whose customers cannot be added up."""
    if not keys:
        return {}
    customer = customer_of(SearchEvent)
    query = (
        select(SearchEvent.lang, SearchEvent.normalized, customer)
        .where(
            *in_period(SearchEvent, period),
            *SEARCHED,
            *rollup_counts.OUTCOMES[outcome][0],
            tuple_(SearchEvent.lang, SearchEvent.normalized).in_(keys),
        )
        .group_by(SearchEvent.lang, SearchEvent.normalized, customer)
    )
    found: dict[tuple[str, str], set[str]] = {}
    for lang, norm, who in db.session.execute(query):
        found.setdefault((lang, norm), set()).add(who)
    return found
