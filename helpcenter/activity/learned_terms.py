"""Words customers use: search words learned from visits that ended well (issue 13).

A visitor's searches in one language in the 30 minutes before they opened an article (from a
search result, or from browsing after a search whose results they left) are evidence that the
words of those searches mean that article, when the visit ended well: they voted "Yes", or
within the next 10 minutes they neither searched again, nor voted "No", nor sent a contact
request. Earlier searches of the same chain count too ("my pics are gone" → nothing useful →
"restore deleted photos" → opened *Recover deleted photos*), back to the article the visitor
opened before, if any. A visit that ended in "No" or a contact request teaches nothing.

A word becomes a learned term of (language, article) when LEARN_MIN_VISITORS different
customers taught it within LEARN_WINDOW_DAYS, and the article does not already contain it.
Customers are told apart by their network (networks.py: an IPv4 /24, an IPv6 /48, kept as a
keyed hash that does not change), so many cookies or addresses of one network, on one day or
over months, are one teacher; and by their visitor cookie, so one person is one teacher whatever
network they come from. (Searches logged before networks were recorded count by the coarse
daily key of the address they kept, SearchEvent.client, or else by their cookie.) Words that
look personal or accidental (digits, `@`, addresses, more than 30 characters) are never
counted. Vetoed terms never come back.

Everything here is recomputed from the log (`learn`), so pruning the log shrinks the terms.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Row, delete, select

from ..content.catalog import Article, Catalog
from ..extensions import db
from ..models import ContactRequest, LearnedTerm, PageView, SearchEvent, TermVeto, Vote, utcnow
from ..search.analyzers import analyzer_for, is_lemma
from ..search.indexer import article_document, language_articles
from ..search.plan import clean_query

log = logging.getLogger(__name__)

CHAIN = dt.timedelta(minutes=30)  # searches this long before the opening count
SETTLE = dt.timedelta(minutes=10)  # what happens this long after it decides how it ended
# A contact form takes a while to fill in: a request sent this long after the opening still
# means the article did not answer (the form's opening itself is not logged).
CONTACT_SETTLE = dt.timedelta(minutes=40)
MAX_TERM_CHARS = 30
VISITOR_CHUNK = 500  # visitors whose activity is read at once

# A chunk of a query that may name a person or be a one-off: never learned.
_PERSONAL = re.compile(r"[\d@]|://|^www\.|\w\.[a-z]{2,}\b", re.IGNORECASE)


@dataclass(frozen=True)
class LearningSettings:
    min_visitors: int = 3
    window_days: int = 180
    max_terms: int = 50

    @classmethod
    def from_config(cls, config) -> LearningSettings:
        return cls(
            # One visitor alone never teaches, whatever the setting says.
            min_visitors=max(2, int(config["LEARN_MIN_VISITORS"])),
            window_days=int(config["LEARN_WINDOW_DAYS"]),
            max_terms=int(config["LEARN_MAX_TERMS"]),
        )


@dataclass(frozen=True)
class Opening:
    """A visitor opened `article_id` in `lang` at `at`."""

    lang: str
    article_id: str
    at: dt.datetime


@dataclass
class _Evidence:
    visitors: set[str] = field(default_factory=set)
    # The networks the lessons came from (see _client): many cookies of one network are one.
    clients: set[str] = field(default_factory=set)
    spellings: Counter[str] = field(default_factory=Counter)
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    @property
    def teachers(self) -> int:
        """Different customers, as far as different cookies and different networks tell."""
        return min(len(self.visitors), len(self.clients))

    def add(self, visitor: str, client: str, spelling: str, at: dt.datetime) -> None:
        self.visitors.add(visitor)
        self.clients.add(client)
        self.spellings[spelling] += 1
        self.first = at if self.first is None or at < self.first else self.first
        self.last = at if self.last is None or at > self.last else self.last


def search_words(lang: str, query: str) -> list[tuple[str, str]]:
    """(term, word as typed) for each word of a query that may be learned: personal-looking
    chunks are dropped before analysis, long or numeric terms after. For Hebrew a word's term
    is its most prefix-stripped form, as reports group queries (plan.normalize_query)."""
    kept = " ".join(chunk for chunk in clean_query(query).split() if not _PERSONAL.search(chunk))
    return list(_words(lang, kept))


def _words(lang: str, text: str) -> Iterator[tuple[str, str]]:
    by_position: dict[int, tuple[str, str]] = {}
    for token in analyzer_for(lang)(text, positions=True, chars=True):
        if is_lemma(token.text):
            continue  # a word is learned by its stem, as reports group it (word_key)
        typed = text[token.startchar : token.endchar]
        by_position[token.pos] = (token.text, by_position.get(token.pos, ("", typed))[1])
    for term, typed in by_position.values():
        if term and len(term) <= MAX_TERM_CHARS and not any(c.isdigit() for c in term):
            yield term, typed.casefold()[:40]


def article_terms(lang: str, article: Article) -> frozenset[str]:
    """Every term the article's own text gives the index: these are never learned."""
    return _article_terms(lang, article.digest, article)


@lru_cache(maxsize=4096)
def _article_terms(lang: str, digest: str, article: Article) -> frozenset[str]:
    analyzer = analyzer_for(lang)
    sections = article_document(article)["text"]
    return frozenset(
        token.text for text, _ in sections for token in analyzer(text) if not token.stopped
    )


def learn(catalog: Catalog, settings: LearningSettings, *, now: dt.datetime | None = None) -> int:
    """Recomputes every learned term from the log and stores them (replacing the old ones, in
    one transaction). Returns how many terms there are."""
    now = now or utcnow()
    found = compute_terms(catalog, settings, now=now)
    db.session.execute(delete(LearnedTerm))
    if found:
        db.session.execute(db.insert(LearnedTerm), found)
    db.session.commit()
    return len(found)


def compute_terms(catalog: Catalog, settings: LearningSettings, *, now: dt.datetime) -> list[dict]:
    since = now - dt.timedelta(days=settings.window_days)
    evidence: dict[tuple[str, str, str], _Evidence] = defaultdict(_Evidence)
    for visitor, lessons in _lessons(since, now):
        for opening, searches in lessons:
            for at, query, client in searches:
                for term, typed in search_words(opening.lang, query):
                    evidence[(opening.lang, opening.article_id, term)].add(
                        visitor, client, typed, at
                    )
    vetoed = set(db.session.execute(select(TermVeto.lang, TermVeto.article_id, TermVeto.term)))
    articles = {lang.code: language_articles(catalog, lang.code) for lang in catalog.languages}
    per_article: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for (lang, article_id, term), seen in evidence.items():
        article = articles.get(lang, {}).get(article_id)
        if (
            article is None
            or seen.teachers < settings.min_visitors
            or (lang, article_id, term) in vetoed
            or term in article_terms(lang, article)
        ):
            continue
        per_article[(lang, article_id)].append(
            {
                "lang": lang,
                "article_id": article_id,
                "term": term,
                "spelling": _most_typed(seen.spellings),
                "visitors": seen.teachers,
                "first_seen": seen.first,
                "last_seen": seen.last,
            }
        )
    rows = []
    for terms in per_article.values():
        terms.sort(key=lambda row: (-row["visitors"], -row["last_seen"].timestamp(), row["term"]))
        rows += terms[: settings.max_terms]
    return rows


def _most_typed(spellings: Counter[str]) -> str:
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]


Chain = list[tuple[dt.datetime, str, str]]  # (when, query, client) of each search


def _client(event: SearchEvent | Row) -> str:
    """Who sent a search, for counting teachers: its network; for a search logged before
    networks were, the daily key of its address, else its own visitor."""
    if event.network:
        return f"n:{event.network}"
    return f"c:{event.client}" if event.client else f"v:{event.visitor}"


def _lessons(
    since: dt.datetime, now: dt.datetime
) -> Iterator[tuple[str, list[tuple[Opening, Chain]]]]:
    """Per visitor with searches in the window: each opening that ended well, with the
    searches that led to it."""
    visitors = db.session.scalars(
        select(SearchEvent.visitor).where(SearchEvent.created_at >= since).distinct()
    ).all()
    for start in range(0, len(visitors), VISITOR_CHUNK):
        chunk = visitors[start : start + VISITOR_CHUNK]
        activity = _Activity.read(chunk, since)
        for visitor in chunk:
            yield visitor, list(activity.lessons(visitor, now))


# What the lessons read of a search: its columns, not the ORM object (a tenth of the time for
# the tens of thousands a round or a report reads, and nothing left in the session).
SEARCH_COLUMNS = (
    SearchEvent.visitor,
    SearchEvent.created_at,
    SearchEvent.lang,
    SearchEvent.query,
    SearchEvent.normalized,
    SearchEvent.clicked_article,
    SearchEvent.clicked_at,
    SearchEvent.network,
    SearchEvent.client,
)


@dataclass
class _Activity:
    """What a chunk of visitors did in the window, by visitor, in time order."""

    searches: dict[str, list[Row]]  # rows of SEARCH_COLUMNS, read as a SearchEvent's fields
    views: dict[str, list[tuple[dt.datetime, str, str]]]
    votes: dict[str, dict[str, tuple[bool, dt.datetime]]]
    contacts: dict[str, list[dt.datetime]]

    @classmethod
    def read(cls, visitors: list[str], since: dt.datetime) -> _Activity:
        searches: dict[str, list[Row]] = defaultdict(list)
        for event in db.session.execute(
            select(*SEARCH_COLUMNS)
            .where(SearchEvent.visitor.in_(visitors), SearchEvent.created_at >= since)
            .order_by(SearchEvent.created_at, SearchEvent.id)
        ):
            searches[event.visitor].append(event)
        views: dict[str, list[tuple[dt.datetime, str, str]]] = defaultdict(list)
        for visitor, at, lang, article_id in db.session.execute(
            select(PageView.visitor, PageView.created_at, PageView.lang, PageView.article_id)
            .where(PageView.visitor.in_(visitors), PageView.created_at >= since)
            .order_by(PageView.created_at, PageView.id)
        ):
            views[visitor].append((at, lang, article_id))
        votes: dict[str, dict[str, tuple[bool, dt.datetime]]] = defaultdict(dict)
        for visitor, article_id, helpful, at in db.session.execute(
            select(Vote.visitor, Vote.article_id, Vote.helpful, Vote.updated_at).where(
                Vote.visitor.in_(visitors), Vote.updated_at >= since
            )
        ):
            votes[visitor][article_id] = (helpful, at)
        contacts: dict[str, list[dt.datetime]] = defaultdict(list)
        for visitor, at in db.session.execute(
            select(ContactRequest.visitor, ContactRequest.created_at).where(
                ContactRequest.visitor.in_(visitors), ContactRequest.created_at >= since
            )
        ):
            contacts[visitor].append(at)
        return cls(searches, views, votes, contacts)

    def openings(self, visitor: str) -> list[Opening]:
        """Result clicks, and article views after a search whose results were left unclicked
        (the visitor went on through the categories). A view after a clicked result is the
        click itself or a related article, and is not an opening of its own."""
        found = [
            Opening(event.lang, event.clicked_article, event.clicked_at or event.created_at)
            for event in self.searches.get(visitor, ())
            if event.clicked_article
        ]
        searches = self.searches.get(visitor, [])
        times = [event.created_at for event in searches]
        for at, lang, article_id in self.views.get(visitor, ()):
            last = bisect.bisect_right(times, at) - 1  # the last search before the view
            if last < 0:
                continue
            search = searches[last]
            if not search.clicked_article and at - search.created_at <= CHAIN:
                found.append(Opening(lang, article_id, at))
        found.sort(key=lambda opening: opening.at)
        return found

    def ended_well(self, visitor: str, opening: Opening, now: dt.datetime) -> bool | None:
        """True, False, or None while it cannot be known yet (less than 10 minutes ago)."""
        votes = self.votes.get(visitor, {})
        vote = votes.get(opening.article_id)
        if vote is not None and vote[1] >= opening.at:
            return vote[0]
        settled = opening.at + SETTLE
        if any(opening.at <= at <= opening.at + CONTACT_SETTLE for at in self.contacts[visitor]):
            return False
        if any(not yes and opening.at <= at <= settled for yes, at in votes.values()):
            return False
        if any(opening.at < e.created_at <= settled for e in self.searches.get(visitor, ())):
            return False
        if now < opening.at + CONTACT_SETTLE:
            return None
        return True

    def led_to(self, visitor: str) -> Iterator[tuple[Opening, list[Row]]]:
        """Each opening with the visitor's searches in its language that led there: those of
        the CHAIN before it, back to the article opened before, if any."""
        previous: dt.datetime | None = None
        for opening in self.openings(visitor):
            start = opening.at - CHAIN
            if previous is not None and previous > start:
                start = previous  # searches before the last article opened led there
            yield (
                opening,
                [
                    event
                    for event in self.searches.get(visitor, ())
                    if event.lang == opening.lang and start <= event.created_at <= opening.at
                ],
            )
            previous = opening.at

    def lessons(self, visitor: str, now: dt.datetime) -> Iterator[tuple[Opening, Chain]]:
        for opening, searches in self.led_to(visitor):
            if searches and self.ended_well(visitor, opening, now):
                yield opening, [(e.created_at, e.query, _client(e)) for e in searches]


@dataclass(frozen=True)
class Afterwards:
    """An article a visitor opened after searching: the searches that led there, as
    (when, normalized query) pairs, who searched (see _client) and how the visit ended
    (`_Activity.ended_well`: None while it cannot be known yet)."""

    visitor: str
    client: str
    opening: Opening
    searches: tuple[tuple[dt.datetime, str], ...]
    ended_well: bool | None


def opened_after_searching(
    visitors: list[str], since: dt.datetime, now: dt.datetime
) -> Iterator[Afterwards]:
    """What these visitors opened after their searches since `since`, by the same rules as
    the lessons learning takes (the gap reports ask where the customers of a query that found
    nothing found their answer: reports/answered.py). Read VISITOR_CHUNK visitors at a time."""
    for start in range(0, len(visitors), VISITOR_CHUNK):
        chunk = visitors[start : start + VISITOR_CHUNK]
        activity = _Activity.read(chunk, since)
        for visitor in chunk:
            for opening, searches in activity.led_to(visitor):
                if searches:
                    yield Afterwards(
                        visitor,
                        _client(searches[-1]),
                        opening,
                        tuple((event.created_at, event.normalized) for event in searches),
                        activity.ended_well(visitor, opening, now),
                    )


def learned_terms_by_article(lang: str | None = None) -> dict[str, dict[str, list[str]]]:
    """lang -> article id -> its learned terms, strongest first: what the index adds."""
    query = select(LearnedTerm.lang, LearnedTerm.article_id, LearnedTerm.term).order_by(
        LearnedTerm.lang, LearnedTerm.article_id, LearnedTerm.visitors.desc(), LearnedTerm.term
    )
    if lang:
        query = query.where(LearnedTerm.lang == lang)
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code, article_id, term in db.session.execute(query):
        found[code][article_id].append(term)
    return {code: dict(articles) for code, articles in found.items()}


def veto(lang: str, article_id: str, term: str, user_id: int) -> bool:
    """Removes a learned term and keeps it from coming back; False if it was vetoed before."""
    exists = db.session.scalar(
        select(TermVeto.id).where(
            TermVeto.lang == lang, TermVeto.article_id == article_id, TermVeto.term == term
        )
    )
    db.session.execute(
        delete(LearnedTerm).where(
            LearnedTerm.lang == lang, LearnedTerm.article_id == article_id, LearnedTerm.term == term
        )
    )
    if exists is None:
        db.session.add(TermVeto(lang=lang, article_id=article_id, term=term, user_id=user_id))
    db.session.commit()
    return exists is None
