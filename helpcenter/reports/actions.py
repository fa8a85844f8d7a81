"""“Do this next”: the reports merged into one ranked list of things a lead can do, each with
its evidence and how many customers it would reach (distinct customers in the period).

Customers are counted by network (networks.py, models.customer_of), never by the cookies a
client chooses: one client sending a new cookie with every search, vote or page it asks for
reaches one customer, and cannot lift what it typed to the top of the list (or of the digest).

- write an article: a query group that found nothing (reach: the customers who searched it);
- translate an article: read in a language it does not exist in, as the default-language
  fallback, whether found by a search or not (reach: those readers);
- fix an article: “No” votes at least as many as “Yes”, or contact requests sent from it
  (reach: its readers in that language, and at least the customers who said so);
- update a translation: its source changed after it (reach: its readers in that language);
- review a stale article: past its review date or not updated for STALE_AFTER_DAYS, and its
  share of “Yes” fell against the period before (reach: its readers, and at least its voters);
- add tags: customers found the article with words it does not contain, each taught by at
  least twice LEARN_MIN_VISITORS customers (reach: the teachers of its strongest word).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import distinct, func, select, tuple_, union_all

from ..content.catalog import Catalog
from ..extensions import db
from ..labels import N_, Nn_
from ..models import ContactRequest, Vote, customer_of
from . import tallies
from .base import (
    ROW_LIMIT,
    Detail,
    Percent,
    Period,
    Report,
    ReportSettings,
    SourceFile,
    Spellings,
    Table,
    in_period,
    report,
)
from .demand import grouped_searches, spellings_of
from .learned import learned_words
from .outcomes import source_path

# Equal reach: the surer and cheaper action first.
KINDS = {
    "fix": N_("Fix"),
    "write": N_("Write"),
    "translate": N_("Translate"),
    "update": N_("Update the translation"),
    "review": N_("Review"),
    "tags": N_("Add tags"),
}


@dataclass
class Action:
    kind: str
    lang: str
    target: str  # a title or the query customers typed
    evidence: str
    reach: int
    detail: Detail
    path: str


def _votes(period: Period) -> dict[tuple[str, str], dict[str, int]]:
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"yes": 0, "no": 0, "comments": 0}
    )
    for lang, article_id, helpful, _reason, count, comments in tallies.votes(period):
        row = votes[(lang, article_id)]
        row["yes" if helpful else "no"] += count
        row["comments"] += 0 if helpful else comments
    return votes


def _requesters(period: Period) -> dict[tuple[str, str], int]:
    """(lang, article id) -> how many visitors sent a contact request from it."""
    query = (
        select(
            ContactRequest.lang,
            ContactRequest.article_id,
            func.count(distinct(ContactRequest.visitor)),
        )
        .where(*in_period(ContactRequest, period), ContactRequest.article_id.is_not(None))
        .group_by(ContactRequest.lang, ContactRequest.article_id)
    )
    return {(lang, article_id): count for lang, article_id, count in db.session.execute(query)}


def _said_no(votes: dict, key: tuple[str, str]) -> int:
    return votes[key]["no"] if key in votes else 0  # (reading a defaultdict adds the key)


def _answered(
    period: Period, keys: list[tuple[str, str]], *, only_no: bool, with_requests: bool
) -> dict[tuple[str, str], int]:
    """(lang, article id) -> distinct customers who voted on it in the period (“No” only, with
    `only_no`), together with those who sent a contact request from it (`with_requests`); for
    the articles of `keys` (the few the list proposes to fix or review)."""
    if not keys:
        return {}
    parts = [
        select(Vote.lang, Vote.article_id, customer_of(Vote).label("customer")).where(
            *in_period(Vote, period, Vote.updated_at),
            tuple_(Vote.lang, Vote.article_id).in_(keys),
            *([Vote.helpful.is_(False)] if only_no else []),
        )
    ]
    if with_requests:
        parts.append(
            select(
                ContactRequest.lang, ContactRequest.article_id, customer_of(ContactRequest)
            ).where(
                *in_period(ContactRequest, period),
                tuple_(ContactRequest.lang, ContactRequest.article_id).in_(keys),
            )
        )
    answered = union_all(*parts).subquery()
    query = select(
        answered.c.lang, answered.c.article_id, func.count(distinct(answered.c.customer))
    ).group_by(answered.c.lang, answered.c.article_id)
    return {(lang, article_id): count for lang, article_id, count in db.session.execute(query)}


def _file(catalog: Catalog, lang: str, article_id: str) -> str:
    """The file to edit, or to create for a translation (the source's path in `lang`/)."""
    article = catalog.articles.get((lang, article_id))
    if article is not None:
        return source_path(catalog, article)
    source = catalog.articles[(catalog.default_language, article_id)]
    return lang + "/" + source_path(catalog, source).split("/", 1)[1]


def next_actions(
    period: Period, catalog: Catalog, *, stale_after_days: int, strong_learned_visitors: int = 6
) -> list[Action]:
    """Every action the period's data supports, most customers reached first."""
    readers, votes, requesters = tallies.readers(period), _votes(period), _requesters(period)
    source = catalog.default_language
    languages = [period.lang] if period.lang else catalog.language_codes
    actions: list[Action] = []

    groups = grouped_searches(period, "empty")
    spellings = spellings_of([(g[0], g[1]) for g in groups], period, "empty")
    for lang, norm, searches, visitors, _first, _last in groups:
        actions.append(
            Action(
                "write",
                lang,
                spellings.get((lang, norm)) or Spellings([norm]),
                Nn_(
                    "%(num)d visitor searched and found nothing (%(searches)s searches)",
                    "%(num)d visitors searched and found nothing (%(searches)s searches)",
                    visitors,
                    searches=searches,
                ),
                visitors,
                Detail("zero-results", lang=lang),
                f"{lang}/",
            )
        )

    shown = [
        (key, article)
        for key, article in sorted(catalog.articles.items())
        if not article.draft and key[0] in languages
    ]
    to_fix = [
        key
        for key, _article in shown
        if (key in votes and votes[key]["no"] >= max(1, votes[key]["yes"])) or key in requesters
    ]
    # Those who said so can outnumber the readers only where their votes and requests do (each
    # vote is a visitor of its own, each network one or more of them): count only there.
    complained = _answered(
        period,
        [
            key
            for key in to_fix
            if _said_no(votes, key) + requesters.get(key, 0) > readers.get(key, 0)
        ],
        only_no=True,
        with_requests=True,
    )
    for (lang, article_id), article in shown:
        key = (lang, article_id)
        reached, vote, asked = readers.get(key, 0), votes.get(key), requesters.get(key, 0)
        if key in to_fix:
            vote = vote or {"yes": 0, "no": 0, "comments": 0}
            actions.append(
                Action(
                    "fix",
                    lang,
                    article.title,
                    # The total of votes picks the plural form ("of 1 vote", Croatian "od 23
                    # glasa"); the other counts follow a label, so they need none.
                    Nn_(
                        "“No” %(no)s of %(num)d vote, comments: %(comments)s, contact requests "
                        "after reading: %(requests)s",
                        "“No” %(no)s of %(num)d votes, comments: %(comments)s, contact requests "
                        "after reading: %(requests)s",
                        vote["yes"] + vote["no"],
                        no=vote["no"],
                        comments=vote["comments"],
                        requests=asked,
                    ),
                    max(reached, complained.get(key, 0)),
                    Detail("articles", lang=lang, article_id=article_id),
                    _file(catalog, lang, article_id),
                )
            )
        if lang != source and catalog.is_outdated(article) and reached:
            actions.append(
                Action(
                    "update",
                    lang,
                    article.title,
                    Nn_(
                        "the source changed on %(date)s; %(num)d reader in this language",
                        "the source changed on %(date)s; %(num)d readers in this language",
                        reached,
                        date=catalog.articles[(source, article_id)].updated.date(),
                    ),
                    reached,
                    Detail("translations", lang=lang),
                    _file(catalog, lang, article_id),
                )
            )

    for (lang, article_id), article in sorted(catalog.articles.items()):
        if lang != source or article.draft:
            continue
        for target in languages:
            reached = readers.get((target, article_id), 0)
            if target == source or (target, article_id) in catalog.articles or not reached:
                continue
            actions.append(
                Action(
                    "translate",
                    target,
                    article.title,
                    Nn_(
                        "%(num)d reader got it in the default language",
                        "%(num)d readers got it in the default language",
                        reached,
                    ),
                    reached,
                    Detail("translations", lang=target),
                    _file(catalog, target, article_id),
                )
            )

    actions += _falling_stale(period, catalog, readers, votes, languages, stale_after_days)
    actions += _tags_to_add(period, catalog, strong_learned_visitors)
    order = list(KINDS)
    actions.sort(key=lambda a: (-a.reach, order.index(a.kind), a.lang, str(a.target)))
    return actions


def _falling_stale(period, catalog, readers, votes, languages, stale_after_days) -> list[Action]:
    today = period.last_day
    cutoff = today - dt.timedelta(days=stale_after_days)
    before = _votes(period.previous())
    falling = []
    for (lang, article_id), article in sorted(catalog.articles.items()):
        if lang not in languages or article.draft:
            continue
        due = article.review_by is not None and article.review_by <= today
        if not (due or article.updated.date() < cutoff):
            continue
        now, then = votes.get((lang, article_id)), before.get((lang, article_id))
        if not now or not then:
            continue
        share_now = now["yes"] / (now["yes"] + now["no"])
        share_then = then["yes"] / (then["yes"] + then["no"])
        if share_now < share_then:
            falling.append((lang, article_id, article, share_now, share_then))
    voters = _answered(  # as for "fix": only where the votes outnumber the readers
        period,
        [
            (lang, aid)
            for lang, aid, *_ in falling
            if votes[(lang, aid)]["yes"] + votes[(lang, aid)]["no"] > readers.get((lang, aid), 0)
        ],
        only_no=False,
        with_requests=False,
    )
    found = []
    for lang, article_id, article, share_now, share_then in falling:
        reached = max(readers.get((lang, article_id), 0), voters.get((lang, article_id), 0))
        found.append(
            Action(
                "review",
                lang,
                article.title,
                N_(
                    "last updated %(date)s; “Yes” fell from %(before)s to %(now)s",
                    date=article.updated.date(),
                    before=_percent(share_then),
                    now=_percent(share_now),
                ),
                reached,
                Detail("articles", lang=lang, article_id=article_id),
                _file(catalog, lang, article_id),
            )
        )
    return found


def _tags_to_add(period: Period, catalog: Catalog, strong_visitors: int) -> list[Action]:
    """Articles customers find with words they lack (the learned words, whatever the period:
    they are learned over the whole learning window)."""
    found = []
    for words in learned_words(catalog, period.lang):
        strong = [t for t in words.terms if t.visitors >= strong_visitors]
        suggested = words.strongest()
        if not strong or not suggested:
            continue
        reach = max(t.visitors for t in strong)
        found.append(
            Action(
                "tags",
                words.lang,
                words.article.title,
                Nn_(
                    "%(num)d visitor found it searching for words it does not contain: %(words)s",
                    "%(num)d visitors found it searching for words it does not contain: %(words)s",
                    reach,
                    words=", ".join(suggested),
                ),
                reach,
                Detail("learned-words", lang=words.lang),
                _file(catalog, words.lang, words.article.id),
            )
        )
    return found


def _percent(share: float) -> Percent:
    return Percent(round(share * 100))


def actions_table(actions: list[Action]) -> Table:
    table = Table(
        N_("Do this next, most customers reached first"),
        [
            N_("rank"),
            N_("action"),
            N_("what"),
            N_("language"),
            N_("evidence"),
            N_("customers reached"),
            N_("detail"),
            N_("file"),
        ],
        note=N_(
            "Customers reached: different customers in the period who searched for it, read "
            "it or said it did not help. Customers are counted by network (an office, a home, a "
            "mobile operator's gateway), so one client with many cookies or addresses counts "
            "once."
        ),
    )
    for rank, action in enumerate(actions[:ROW_LIMIT], start=1):
        table.rows.append(
            [
                rank,
                KINDS[action.kind],
                action.target,
                action.lang,
                action.evidence,
                action.reach,
                action.detail,
                SourceFile(action.path),
            ]
        )
    return table


@report("actions", N_("Do this next"))
def actions(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    found = next_actions(
        period,
        catalog,
        stale_after_days=settings.stale_after_days,
        strong_learned_visitors=settings.strong_learned_visitors,
    )
    return Report(
        "actions",
        N_("Do this next"),
        N_(
            "The reports merged into one list: articles to write, translate, fix, update, "
            "review or tag, ranked by how many customers each would reach, with the evidence, a link to "
            "the details and the file to edit in the articles repository."
        ),
        [actions_table(found)],
    )
