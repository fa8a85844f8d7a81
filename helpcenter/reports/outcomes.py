"""What happened after customers read: votes per article, and requests for a human."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..content.catalog import Catalog
from ..extensions import db
from ..labels import N_, REASONS
from ..models import ContactRequest, Vote
from . import rollup_counts
from .report import (
    ROW_LIMIT,
    ArticleLink,
    Chart,
    Context,
    CustomerText,
    Message,
    Percent,
    Period,
    Report,
    ReportSettings,
    RequestReference,
    Table,
    in_period,
    report,
)

Z = 1.96  # 95% confidence


def wilson_lower_bound(hits: int, total: int) -> float:
    """The lower end of the 95% confidence interval of a share (Wilson score interval)."""
    if total == 0:
        return 0.0
    p = hits / total
    centre = p + Z * Z / (2 * total)
    spread = Z * math.sqrt((p * (1 - p) + Z * Z / (4 * total)) / total)
    return (centre - spread) / (1 + Z * Z / total)


WILSON_NOTE = N_(
    "“At least … unhelpful”: the lower end of the confidence interval (95%) of the share of "
    "“No” votes (Wilson score interval). Few votes give a low figure, so one “No” of one vote "
    "does not outrank forty of fifty."
)


def _at_least(score: float) -> str:
    """ "at least 34% unhelpful": how sure we are that an article fails, in words."""
    return N_("at least %(share)s unhelpful", share=Percent(round(score * 100)))


def _title(catalog: Catalog, lang: str, article_id: str) -> str:
    view = catalog.find(lang, article_id)
    return view.article.title if view else N_("(%(article)s: no longer exists)", article=article_id)


@report("articles", N_("Articles that fail customers"))
def articles(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    return _articles(period, catalog)


def _articles(period: Period, catalog: Catalog) -> Report:
    counts: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"views": 0, "yes": 0, "no": 0, "requests": 0, "comments": 0, "reasons": Counter()}
    )
    for (lang, article_id), count in rollup_counts.views(period).items():
        counts[(lang, article_id)]["views"] = count
    for lang, article_id, helpful, reason, count, comments in rollup_counts.votes(period):
        row = counts[(lang, article_id)]
        row["yes" if helpful else "no"] += count
        row["comments"] += comments
        if reason:
            row["reasons"][reason] += count
    requests = (
        select(ContactRequest.lang, ContactRequest.article_id, func.count())
        .where(*in_period(ContactRequest, period), ContactRequest.article_id.is_not(None))
        .group_by(ContactRequest.lang, ContactRequest.article_id)
    )
    for lang, article_id, count in db.session.execute(requests):
        counts[(lang, article_id)]["requests"] = count

    table = Table(
        N_("Articles, least helpful first"),
        [
            N_("language"),
            N_("article"),
            N_("title"),
            N_("views"),
            N_("yes"),
            N_("no"),
            N_("unhelpful"),
            N_("reasons"),
            N_("comments"),
            N_("contact requests"),
        ],
    )
    scored = []
    for (lang, article_id), row in counts.items():
        total = row["yes"] + row["no"]
        # How sure we are that the article fails: the Wilson lower bound of the share of "No".
        # 1 "No" of 1 vote scores 0.21, 5 of 10 scores 0.24, 40 of 50 scores 0.67.
        score = wilson_lower_bound(row["no"], total)
        reasons = ", ".join(f"{REASONS.get(r, r)}: {n}" for r, n in row["reasons"].most_common())
        # Articles nobody voted on go last: no evidence either way.
        key = (total == 0, -score, -row["no"], -row["requests"], -row["views"], lang, article_id)
        scored.append(
            (
                key,
                [
                    lang,
                    article_id,
                    _title(catalog, lang, article_id),
                    row["views"],
                    row["yes"],
                    row["no"],
                    _at_least(score) if total else None,
                    reasons,
                    ArticleLink(str(row["comments"]), article_id, lang),
                    row["requests"],
                ],
            )
        )
    table.rows = [row for _, row in sorted(scored, key=lambda item: item[0])][:ROW_LIMIT]
    table.note = WILSON_NOTE
    return Report(
        "articles",
        N_("Articles that fail customers"),
        N_(
            "Views, votes and contact requests per article and language, worst first: sorted by "
            "the lower bound of the confidence interval (95%) of the share of “No”, so one “No” "
            "of one vote is not the worst article, forty of fifty is."
        ),
        [table, comments_table(period, catalog)],
    )


# A comment is what a customer wrote after "No" ("Anything else we should know?"); prune and
# retention delete it with its vote.
_COMMENTED = (Vote.helpful.is_(False), Vote.comment.is_not(None), Vote.comment != "")


def comments_table(period: Period, catalog: Catalog, article_id: str | None = None) -> Table:
    """What customers wrote after "No", newest first, with the language, reason and date: the
    most actionable words a lead gets. All articles, or one."""
    query = (
        select(Vote.updated_at, Vote.lang, Vote.article_id, Vote.reason, Vote.comment)
        .where(
            *in_period(Vote, period, Vote.updated_at),
            *_COMMENTED,
            *([Vote.article_id == article_id] if article_id else []),
        )
        .order_by(Vote.updated_at.desc(), Vote.id.desc())
        .limit(ROW_LIMIT)
    )
    table = Table(
        N_("What customers wrote after “No”, newest first"),
        [N_("date"), N_("language"), N_("article"), N_("title"), N_("reason"), N_("comment")],
    )
    for when, lang, voted_on, reason, comment in db.session.execute(query):
        table.rows.append(
            [
                when,
                lang,
                ArticleLink(voted_on, voted_on, lang),
                _title(catalog, lang, voted_on),
                str(REASONS.get(reason, reason)) if reason else None,
                CustomerText(comment),
            ]
        )
    return table


def source_path(catalog: Catalog, article) -> str:
    """The article's file in the content repository, as a writer opens it: `pl/account/x.md`."""
    try:
        return article.path.relative_to(catalog.root).as_posix()
    except ValueError:
        return article.path.as_posix()


def article_report(period: Period, catalog: Catalog, article_id: str) -> Report:
    """One article for staff: its row of the articles report in each language, and every
    comment on it. Not a report of its own in REPORTS (it needs an article)."""
    every = _articles(period, catalog).tables[0]
    rows = Table(
        N_("Votes and contact requests by language"),
        every.columns,
        [row for row in every.rows if row[1] == article_id],
    )
    return Report(
        "article",
        N_("One article"),
        N_(
            "Views, votes, reasons and contact requests of one article in each language, and "
            "what customers wrote after “No”, newest first."
        ),
        [rows, comments_table(period, catalog, article_id)],
    )


@report("escalations", N_("Escalations to a human"))
def escalations(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    base = in_period(ContactRequest, period)
    languages = (
        select(ContactRequest.lang, func.count())
        .where(*base)
        .group_by(ContactRequest.lang)
        .order_by(func.count().desc())
    )
    by_language = Table(
        N_("Contact requests by language"),
        [N_("language"), N_("contact requests")],
        [list(row) for row in db.session.execute(languages)],
    )

    by_article = Table(
        N_("Contact requests by article"),
        [N_("language"), N_("article"), N_("title"), N_("contact requests")],
    )
    query = (
        select(ContactRequest.lang, ContactRequest.article_id, func.count())
        .where(*base)
        .group_by(ContactRequest.lang, ContactRequest.article_id)
        .order_by(func.count().desc())
    )
    categories: Counter[str] = Counter()
    for lang, article_id, count in db.session.execute(query):
        title = _title(catalog, lang, article_id) if article_id else N_("(not from an article)")
        by_article.rows.append([lang, article_id or "", title, count])
        categories[article_id.split("/", 1)[0] if article_id else N_("(none)")] += count
    by_article.rows = by_article.rows[:ROW_LIMIT]
    by_category = Table(
        N_("Contact requests by category"),
        [N_("category"), N_("contact requests")],
        [[name, count] for name, count in categories.most_common(ROW_LIMIT)],
    )
    weeks, rates, visits_table = self_service(period)
    return Report(
        "escalations",
        N_("Escalations to a human"),
        N_(
            "Contact requests by article, category and language, and the self-service rate: the "
            "share of visits (a visitor's activity on one day) that ended without a contact "
            "request."
        ),
        [by_article, by_category, by_language, visits_table],
        [
            Chart(
                N_("Self-service rate per week"),
                weeks,
                {N_("self-service rate"): rates},
                unit="%",
                x_title=N_("week"),
                y_title=N_("self-service rate"),
            )
        ],
    )


def self_service(period: Period) -> tuple[list[str], list[float | None], Table]:
    """Visits per ISO week (a visitor's day with any search or article view, see activity/visits.py)
    and how many of them ended in a contact request; the rate is the share that did not.
    With a language filter: visits that began in that language."""
    visits: Counter[str] = Counter()
    escalated: Counter[str] = Counter()
    for day, (count, with_request) in rollup_counts.visits_per_day(period).items():
        visits[_week(day)] += count
        escalated[_week(day)] += with_request
    weeks = sorted(visits)
    table = Table(
        N_("Self-service rate per week"),
        [N_("week"), N_("visits"), N_("visits with a contact request"), N_("self-service rate")],
    )
    rates: list[float | None] = []
    for week in weeks:
        total, with_request = visits[week], escalated[week]
        rate = round((total - with_request) / total * 100, 1) if total else None
        rates.append(rate)
        table.rows.append([week, total, with_request, Percent(rate) if rate is not None else "—"])
    return weeks, rates, table


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@report("requests", N_("Contact requests"))
def requests(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    query = (
        select(ContactRequest)
        .where(*in_period(ContactRequest, period))
        .order_by(ContactRequest.created_at.desc())
        .limit(ROW_LIMIT)
        # Every row shows its deliveries: one query for all, not one per request.
        .options(selectinload(ContactRequest.deliveries))
    )
    table = Table(
        N_("Contact requests"),
        [
            N_("reference"),
            N_("message"),
            N_("received"),
            N_("language"),
            N_("e-mail"),
            N_("name"),
            N_("context"),
            N_("delivery"),
        ],
    )
    for request in db.session.scalars(query):
        delivery = [
            N_("%(channel)s: %(state)s", channel=d.channel, state=d.describe())
            for d in request.deliveries
        ] or N_("stored only")
        reason = str(REASONS[request.reason]) if request.reason in REASONS else ""
        context = Context(
            [
                (N_("about"), request.about),
                (N_("article"), request.article_id),
                (N_("search"), request.search_query),
                (N_("what was missing"), reason),
            ]
        )
        table.rows.append(
            [
                RequestReference(request.reference),
                Message(request.message),
                request.created_at,
                request.lang,
                request.email or N_("(erased)"),
                CustomerText(request.name),
                context,
                delivery,
            ]
        )
    return Report(
        "requests",
        N_("Contact requests"),
        N_(
            "Every request with its context and where its delivery stands. "
            "Personal data: staff only."
        ),
        [table],
    )
