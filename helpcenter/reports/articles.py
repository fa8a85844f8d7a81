"""What to translate and what to review: reports on the articles tree itself, ordered by the
demand the logs show."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..content.catalog import Catalog
from ..labels import N_, Nn_
from . import rollup_counts
from .report import Period, Report, ReportSettings, Table, report


def _demand(period: Period, lang: str) -> Counter[str]:
    """Per article id: views in `lang` (fallback views included) plus searches in `lang` that
    led to it. Read from the tallies of every language, which the dashboard shares with the
    other reports, rather than once more per language."""
    everywhere = Period(period.since, period.until)
    demand: Counter[str] = Counter()
    for tally in (rollup_counts.views(everywhere), rollup_counts.clicks(everywhere)):
        for (code, article_id), count in tally.items():
            if code == lang:
                demand[article_id] += count
    return demand


@report("translations", N_("Translation gaps"))
def translations(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    source = catalog.default_language
    table = Table(
        N_("Missing and outdated translations, most wanted first"),
        [
            N_("language"),
            N_("article"),
            N_("title (source)"),
            N_("state"),
            N_("source updated"),
            N_("translation updated"),
            N_("demand"),
        ],
    )
    rows = []
    targets = [code for code in catalog.language_codes if code != source]
    for lang in targets if not period.lang else [c for c in targets if c == period.lang]:
        demand = _demand(period, lang)
        for (code, article_id), article in catalog.articles.items():
            if code != source or article.draft:
                continue
            translated = catalog.articles.get((lang, article_id))
            if translated is None:
                state, updated = N_("missing"), None
            elif catalog.is_outdated(translated):
                state, updated = N_("outdated"), translated.updated
            else:
                continue
            rows.append(
                (
                    demand[article_id],
                    lang,
                    article_id,
                    article.title,
                    state,
                    article.updated,
                    updated,
                )
            )
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    table.rows = [
        [lang, aid, title, state, src, upd, demand]
        for demand, lang, aid, title, state, src, upd in rows
    ]
    return Report(
        "translations",
        N_("Translation gaps"),
        N_(
            "Articles of the source language with no translation, or whose source changed after "
            "the translation (from git history), ordered by demand in that language: views plus "
            "searches that led to the article."
        ),
        [table],
    )


@report("stale", N_("Stale articles"))
def stale(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    days = settings.stale_after_days
    today = dt.datetime.now(dt.UTC).date()
    cutoff = today - dt.timedelta(days=days)
    table = Table(
        N_("Articles to review"),
        [
            N_("language"),
            N_("article"),
            N_("title"),
            N_("last updated"),
            N_("review by"),
            N_("why"),
        ],
    )
    for (lang, article_id), article in sorted(catalog.articles.items()):
        if period.lang and lang != period.lang:
            continue
        reasons = []
        if article.review_by and article.review_by <= today:
            reasons.append(N_("review date %(date)s has passed", date=article.review_by))
        if article.updated.date() < cutoff:
            days_old = (today - article.updated.date()).days
            reasons.append(
                Nn_("not updated for %(num)d day", "not updated for %(num)d days", days_old)
            )
        if reasons:
            table.rows.append(
                [
                    lang,
                    article_id,
                    article.title,
                    article.updated.date(),
                    article.review_by,
                    reasons,
                ]
            )
    table.rows.sort(key=lambda row: (row[4] or dt.date.max, row[3]))
    return Report(
        "stale",
        N_("Stale articles"),
        # The number of days, not the setting's name: leads do not configure it.
        Nn_(
            "Articles whose review date has passed or that were not updated for %(num)d day "
            "or more.",
            "Articles whose review date has passed or that were not updated for %(num)d days "
            "or more.",
            days,
        ),
        [table],
    )
