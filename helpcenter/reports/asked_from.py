"""Where customers asked for help: what the help widget's panel was used for, by the page of
the product (the host page's path) it was opened on, so a lead sees which screens send
customers for help. Read from the rows the panel marked (models.AskedFrom), through their
partial indexes: the site's own traffic is not read at all."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from ..activity.rollups import SEARCHED
from ..content.catalog import Catalog
from ..extensions import db
from ..labels import N_
from ..models import WIDGET, ContactRequest, PageView, SearchEvent, Vote
from .report import (
    ROW_LIMIT,
    CustomerText,
    Period,
    Report,
    ReportSettings,
    Table,
    in_period,
    report,
)


def _per_page(model, period: Period, *conditions, moment=None) -> Counter[str]:
    """How many rows of `model` the widget made in the period, per host page path."""
    rows = db.session.execute(
        select(model.host_path, func.count())
        .where(model.source == WIDGET, *in_period(model, period, moment), *conditions)
        .group_by(model.host_path)
    )
    return Counter({path or "/": count for path, count in rows})


@report("widget", N_("Where customers asked for help"))
def where_customers_asked(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    searches = _per_page(SearchEvent, period, *SEARCHED)
    empty = _per_page(SearchEvent, period, *SEARCHED, SearchEvent.result_count == 0)
    views = _per_page(PageView, period)
    votes = _per_page(Vote, period, moment=Vote.updated_at)
    unhelpful = _per_page(Vote, period, Vote.helpful.is_(False), moment=Vote.updated_at)
    requests = _per_page(ContactRequest, period)
    pages = set(searches) | set(views) | set(votes) | set(requests)
    ranked = sorted(
        pages,
        key=lambda path: (-requests[path], -(searches[path] + views[path] + votes[path]), path),
    )
    table = Table(
        N_("The help widget, by the page it was opened on"),
        [
            N_("host page"),
            N_("contact requests"),
            N_("searches"),
            N_("searches with no results"),
            N_("articles read"),
            N_("votes"),
            N_("“No” votes"),
        ],
        note=N_(
            "The page of your product the help widget was opened on: its path, without the "
            "parameters after “?”. Searches: first pages of results with words; votes by the "
            "day they were last cast."
        ),
    )
    for path in ranked[:ROW_LIMIT]:
        table.rows.append(
            [
                CustomerText(path),  # written by the host page: shown inert, never a link
                requests[path],
                searches[path],
                empty[path],
                views[path],
                votes[path],
                unhelpful[path],
            ]
        )
    return Report(
        "widget",
        N_("Where customers asked for help"),
        N_(
            "What customers did in the help widget on your product's pages, by page, most "
            "contact requests first: the screens where customers get stuck."
        ),
        [table],
    )
