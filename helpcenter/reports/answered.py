"""Which article answers what customers searched for in vain: where they found it afterwards.

"Do this next" proposed writing an article for every query that found nothing, also when an
article answers it in other words. The evidence that one does is what the customers did next:
a visitor who searched, found nothing (or nothing worth opening), then opened an article and
was content with it (a "Yes", or no further search, "No" or contact request: the rule the
learned words use, activity/learned_terms.py) found the answer there. So did the customers
who taught an article the topic's words over the learning window (a learned term).

A looser search was measured first and rejected (bench/answered.py, the tuning sets with
semantic search on): the same query without the words no article uses, through the same
search and floor; the dense side alone at search/fallback.py's bars (fusion.ANSWER_COSINE, or
fusion.FLAT_PEAK above the query's background); and both engines agreeing on a loosely
related article. Of the sample's 22 questions that find nothing, 5 have an answer: the rule
that names no article for the 17 unanswerable ones (the fallback's level) names none for the
5 either, the others name the right one for 1 to 3 of the 5 and an article for 3 to 17 of
the 17. On the colloquial set (38 answerable, 29 unanswerable) the best names the right one
for 4 of the 38, a wrong one for 7 and one for 9 of the 29: each of those would have turned
an honest "Write" into a wrong "Add these words". The search already decided with those
signals; what it missed, it misses again. The customers' next steps need no semantic search.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select, tuple_

from ..activity.learned_terms import article_terms, opened_after_searching
from ..activity.rollups import SEARCHED
from ..content.catalog import Catalog
from ..extensions import db
from ..models import LearnedTerm, SearchEvent, utcnow
from ..search.indexer import language_articles
from . import rollup_counts
from .report import Period, in_period
from .topics import Topic

# Whose next steps are read (their activity, VISITOR_CHUNK at a time): the most recent
# visitors of each query group asked about, enough to tell where its answer is, at most
# MAX_VISITORS for a report, and only from the searches of the period's last RECENT days: a
# lead looking at a year gets the answer today's customers find, and the report reads a
# month of the log, not a year. bench/reports.py, a year of 100,000 searches: "Do this next"
# for the year took 4.6 s reading 5,000 visitors' whole year, 0.25 s so (0.08 s before it
# asked where customers went).
VISITORS_PER_GROUP = 20
MAX_VISITORS = 1500
RECENT = dt.timedelta(days=30)


@dataclass
class NextSteps:
    """What a topic's customers opened after searching it."""

    found: dict[str, set[str]] = field(default_factory=dict)  # article id -> content customers
    opened: Counter[str] = field(default_factory=Counter)  # category -> customers who opened

    def answer(self) -> tuple[str, int] | None:
        """The article most of them found their answer in, and how many did."""
        if not self.found:
            return None
        article_id, who = min(self.found.items(), key=lambda item: (-len(item[1]), item[0]))
        return article_id, len(who)

    def category(self) -> str | None:
        """The category they looked in most."""
        if not self.opened:
            return None
        return min(self.opened.items(), key=lambda item: (-item[1], item[0]))[0]


def next_steps(period: Period, asked: dict[str, list[Topic]]) -> dict[str, list[NextSteps]]:
    """For each topic of `asked` (by the outcome of its searches: "empty", "unclicked"), what
    its customers opened after one of its searches in the period's last RECENT days, and where
    they found their answer. The visitors of both outcomes are read once."""
    steps = {outcome: [NextSteps() for _ in topics] for outcome, topics in asked.items()}
    where: dict[tuple[str, str], list[NextSteps]] = {}
    for outcome, topics in asked.items():
        for topic, step in zip(topics, steps[outcome], strict=True):
            for key in topic.keys:
                where.setdefault((topic.lang, key), []).append(step)
    if not where:
        return steps
    period = Period(max(period.since, period.until - RECENT), period.until, period.lang)
    searched = (
        select(
            SearchEvent.lang,
            SearchEvent.normalized,
            SearchEvent.visitor,
            func.max(SearchEvent.created_at).label("last"),
        )
        .where(
            *in_period(SearchEvent, period),
            *SEARCHED,
            or_(*(and_(*rollup_counts.OUTCOMES[outcome][0]) for outcome in asked)),
            tuple_(SearchEvent.lang, SearchEvent.normalized).in_(list(where)),
        )
        .group_by(SearchEvent.lang, SearchEvent.normalized, SearchEvent.visitor)
        .subquery()
    )
    recent = select(
        searched.c.visitor,
        searched.c.last,
        func.row_number()
        .over(
            partition_by=(searched.c.lang, searched.c.normalized),
            order_by=(searched.c.last.desc(), searched.c.visitor),
        )
        .label("n"),
    ).subquery()
    visitors = db.session.scalars(
        select(recent.c.visitor)
        .where(recent.c.n <= VISITORS_PER_GROUP)
        .group_by(recent.c.visitor)
        .order_by(func.max(recent.c.last).desc(), recent.c.visitor)
        .limit(MAX_VISITORS)
    ).all()
    opened: dict[int, dict[str, set[str]]] = {}
    for after in opened_after_searching(list(visitors), period.since, utcnow()):
        lang, article_id = after.opening.lang, after.opening.article_id
        hit = {
            id(step): step
            for at, norm in after.searches
            if period.since <= at < period.until
            for step in where.get((lang, norm), ())
        }
        for key, step in hit.items():
            opened.setdefault(key, {}).setdefault(article_id.split("/", 1)[0], set()).add(
                after.client
            )
            if after.ended_well:
                step.found.setdefault(article_id, set()).add(after.client)
    for outcome_steps in steps.values():
        for step in outcome_steps:
            categories = opened.get(id(step), {})
            step.opened = Counter({category: len(who) for category, who in categories.items()})
    return steps


def learned_answers(catalog: Catalog, asked: list[Topic]) -> list[str | None]:
    """For each topic, the article that learned its words from customers
    (activity/learned_terms.py): each word of the topic is a learned term of it or in its own
    text, one at least learned. None when no article or several did."""
    wanted = {(topic.lang, term) for topic in asked for term in topic.keys[0].split()}
    learned: dict[tuple[str, str], set[str]] = {}
    if wanted:
        rows = db.session.execute(
            select(LearnedTerm.lang, LearnedTerm.article_id, LearnedTerm.term).where(
                tuple_(LearnedTerm.lang, LearnedTerm.term).in_(sorted(wanted))
            )
        )
        for lang, article_id, term in rows:
            learned.setdefault((lang, article_id), set()).add(term)
    found: list[str | None] = []
    shown: dict[str, dict] = {}  # each language's articles, as its index holds them
    for topic in asked:
        words = set(topic.keys[0].split())
        if topic.lang not in shown:
            shown[topic.lang] = language_articles(catalog, topic.lang)
        articles = shown[topic.lang]
        answers = [
            article_id
            for (lang, article_id), terms in sorted(learned.items())
            if lang == topic.lang
            and article_id in articles
            and terms & words
            and words <= terms | article_terms(topic.lang, articles[article_id])
        ]
        found.append(answers[0] if len(answers) == 1 else None)
    return found
