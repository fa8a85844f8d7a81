"""The support lead's pages: a dashboard and one page per report, each downloadable as CSV.
Staff only; nothing here is cached by browsers or proxies."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from babel.dates import format_skeleton
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    gettext,
    ngettext,
    to_user_timezone,
)
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..activity.learned_terms import MAX_TERM_CHARS, veto
from ..defang import defang
from ..labels import N_, Label
from ..parallel import side_by_side
from ..reports import REPORTS, Period, Report, ReportSettings, run_report
from ..reports.computed_once import sharing
from ..reports.headline import Headline, activity_charts, headline
from ..reports.learned import LearnedWord
from ..reports.outcomes import article_report, source_path
from ..reports.report import (
    TITLES,
    ArticleLink,
    Change,
    Context,
    CustomerText,
    Detail,
    FrontMatter,
    Message,
    Percent,
    RequestReference,
    SourceFile,
    Spellings,
)
from .catalog_access import current_catalog, current_search
from .charts import bar_chart_svg, x_label
from .forms import Form
from .i18n import language_codes, left_to_right
from .staff_login import current_user, staff_required
from .staff_pages import never_cache, page_context, requested_period

bp = Blueprint("reports", __name__, url_prefix="/reports")
log = logging.getLogger(__name__)
DASHBOARD_ROWS = 5
DASHBOARD_THREADS = 4


@bp.app_template_global()
def translated(text: str) -> str:
    """A report's title, description, column or `Label` in the reader's language. Without
    parameters it does no %-formatting (unlike `_()` in templates), so "95% confidence" is safe;
    parameters that are labels themselves are translated too."""
    if isinstance(text, Label) and text.params:
        params = {k: _parameter(v) for k, v in text.params.items()}
        if text.plural is not None:
            return ngettext(text.msgid, text.plural, **params)  # params hold `num`
        return gettext(text.msgid, **params)
    return gettext(text)


def _parameter(value: Any) -> Any:
    # Numbers stay numbers: the catalogs format them with %(num)d.
    if isinstance(value, Label):
        return translated(value)
    return localized(value) if isinstance(value, dt.date | Percent) else value


bp.add_app_template_global(N_, "N_")
bp.add_app_template_filter(translated, "translated")  # a table's column names, each

# The staff navigation: the overview, then each report (its own title), then finding a request.
NAVIGATION_FIRST = ("actions",)


@bp.app_template_global()
def staff_navigation() -> list[tuple[str, str, bool]]:
    """(URL, title, is this page) of each link in the staff bar; the chosen period and language
    go along to the reports."""
    kept = {k: v for k, v in request.args.items() if k in ("since", "until", "lang")}
    names = [*NAVIGATION_FIRST, *(n for n in REPORTS if n not in NAVIGATION_FIRST)]
    here = request.endpoint, (request.view_args or {}).get("name")
    links = [
        (
            url_for("reports.dashboard", **kept),
            N_("Gap reports"),
            here == ("reports.dashboard", None),
        )
    ]
    links += [
        (url_for("reports.show", name=name, **kept), TITLES[name], here == ("reports.show", name))
        for name in names
        if name in REPORTS
    ]
    links.append(
        (
            url_for("contact_requests.find"),
            N_("Find a contact request"),
            here[0] == "contact_requests.find",
        )
    )
    return links


def localized(value: Any) -> Any:
    """A date, time or number written the reader's way: "23 listopada 2026", "97,3 %",
    "12 345"; times in the configured TIME_ZONE, which they name."""
    if isinstance(value, dt.datetime):
        return time_with_zone(value)
    if isinstance(value, dt.date):
        return format_date(value, "long")
    if isinstance(value, Change):
        return left_to_right(value.localized(get_locale()))
    if isinstance(value, Percent):
        return value.localized(get_locale())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value)
    return value


@bp.app_template_filter()
def time_with_zone(value: dt.datetime) -> str:
    """ "15 sty 2026, 14:05:07 CET": staff compare these times with their own clocks, and with
    one another's, so every language has the 24-hour clock (the Greek medium pattern would
    say "3:53:52 μ.μ."); the locale still orders date and time and writes each its way."""
    locale = get_locale()
    local = to_user_timezone(value)
    time = format_skeleton("Hms", local, tzinfo=local.tzinfo, locale=locale)
    day = format_date(value, "medium")
    # As Babel's format_datetime joins its date and time: "{1}, {0}", quotes dropped.
    joined = str(locale.datetime_formats["medium"]).replace("'", "")
    zone = left_to_right(format_datetime(value, "z"))
    return f"{joined.replace('{0}', time).replace('{1}', day)} {zone}"


@bp.app_template_global()
def cell(value: Any) -> Any:
    """A table cell on a report page: labels translated, several labels joined, numbers and
    dates in the reader's language, no value "—"; each kind of value its own renderer below."""
    if value is None:
        return "—"
    for kind, render in _CELL_RENDERERS:
        if isinstance(value, kind):
            return render(value)
    if isinstance(value, list | tuple):  # after them: a Context is a list too
        return "; ".join(str(cell(part)) for part in value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value, "medium")  # a column of dates stays short
    return localized(value)


def _period_args() -> dict[str, str]:
    """The page's period, kept by the links a cell makes."""
    return {k: v for k, v in request.args.items() if k in ("since", "until")}


def _article_link(value: ArticleLink) -> Markup:
    url = url_for("reports.article", article_id=value.article_id, lang=value.lang, **_period_args())
    return Markup('<a href="{}">{}</a>').format(url, value)


def _detail_link(value: Detail) -> Markup:
    kept = _period_args()
    if value.lang:
        kept["lang"] = value.lang
    if value.article_id:
        url = url_for("reports.article", article_id=value.article_id, **kept)
    else:
        url = url_for("reports.show", name=value.report, **kept)
    return Markup('<a href="{}">{}</a>').format(url, gettext("Details"))


def _source_file(value: SourceFile) -> Markup:
    return Markup('<code dir="ltr">{}</code>').format(value)


def _request_context(value: Context) -> Any:
    if not value:
        return "—"
    # The request's subject and search are the customer's words.
    pairs = Markup("").join(
        Markup("<dt>{}</dt><dd><bdi>{}</bdi></dd>").format(translated(label), defang(text))
        for label, text in value
    )
    return Markup('<dl class="request-context">{}</dl>').format(pairs)


def _request_link(value: RequestReference) -> Markup:
    url = url_for("contact_requests.show", reference=value)
    return Markup('<a href="{}">{}</a>').format(url, value)


def customer_text(value: CustomerText) -> Any:
    """What a customer typed, made inert (defang.py): a web address in it is never a link."""
    if isinstance(value, Spellings) and len(value.variants) > 1:
        also = ", ".join(defang(variant) for variant in value.variants[1:])
        return Markup('<span class="spellings" title="{}">{}</span>').format(
            gettext("Also typed as: %(spellings)s", spellings=also), defang(value)
        )
    if isinstance(value, Message):
        return Markup('<div class="request-message-cell" dir="auto">{}</div>').format(defang(value))
    return defang(value)


bp.add_app_template_filter(defang, "defang")  # customers' words on staff pages and in the digest


def veto_button(word: LearnedWord) -> Markup:
    """A learned word with the staff's button that removes it for good (reports/_macros.html)."""
    macro = get_template_attribute("reports/_macros.html", "veto_button")
    return macro(word, url_for("reports.veto_learned_word", **_kept_filters()), generate_csrf())


# Tried in order (a Label is a str, as are several of the others).
def _front_matter(value: FrontMatter) -> Markup:
    """A ready-to-paste front matter line: it may hold words customers typed, so inert."""
    return Markup('<code dir="ltr" class="front-matter">{}</code>').format(defang(value))


_CELL_RENDERERS: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (Label, translated),
    (CustomerText, customer_text),
    (ArticleLink, _article_link),
    (Detail, _detail_link),
    (LearnedWord, veto_button),
    (SourceFile, _source_file),
    (FrontMatter, _front_matter),
    (Context, _request_context),
    (RequestReference, _request_link),
)


def _kept_filters() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in ("since", "until", "lang")}


bp.add_app_template_global(x_label, "chart_label")


@bp.app_template_global()
def chart_value(value: float | None, unit: str) -> Any:
    """A number of a chart's table, in percent for rates."""
    return cell(Percent(value) if unit == "%" and value is not None else value)


bp.after_request(never_cache)


def report_settings() -> ReportSettings:
    """The settings the reports read, and the search customers get (the reports ask it what
    a query finds now, and which of two spellings is a typo)."""
    return ReportSettings.from_config(current_app.config, current_search())


@bp.get("/")
@staff_required
def dashboard():
    period = requested_period()
    catalog = current_catalog()
    settings = report_settings()
    with sharing():  # what several reports count is counted once
        results = side_by_side(
            {
                **{name: partial(run_report, name, period, catalog, settings) for name in REPORTS},
                "headline": partial(headline, period),
                "activity": partial(activity_charts, period),
            },
            workers=DASHBOARD_THREADS,
        )
    numbers, activity = results.pop("headline"), results.pop("activity")
    reports = results
    charts = [*activity, *reports["escalations"].charts]
    return render_template(
        "reports/dashboard.html",
        reports=reports,
        rows=DASHBOARD_ROWS,
        actions=reports.pop("actions"),
        headline=numbers,
        charts=[(c, bar_chart_svg(c, f"chart-{i}")) for i, c in enumerate(charts)],
        **page_context(period),
    )


@bp.app_template_global()
def headline_value(number: Headline) -> str:
    if number.value is None:
        return "—"
    return localized(Percent(number.value) if number.unit == "%" else number.value)


@bp.app_template_global()
def headline_change(number: Headline) -> str:
    """ "+12%" for a count, "−2.1 pp" for a share (percentage points), with the value before."""
    before = (
        "—"
        if number.previous is None
        else localized(Percent(number.previous) if number.unit == "%" else number.previous)
    )
    if number.change is None:
        return gettext("previous period: %(value)s", value=before)
    if number.unit == "%":
        points = ("+" if number.change > 0 else "") + format_decimal(number.change)
        change = gettext("%(points)s pp", points=left_to_right(points))
    else:
        change = left_to_right(Change(number.change).localized(get_locale()))
    return gettext("%(change)s (previous period: %(value)s)", change=change, value=before)


def _requested_report(name: str) -> tuple[Report, Period]:
    if name not in REPORTS:
        abort(404)
    period = requested_period()
    return run_report(name, period, current_catalog(), report_settings()), period


@bp.get("/<name>")
@staff_required
def show(name: str):
    report, period = _requested_report(name)
    charts = [(c, bar_chart_svg(c, f"chart-{i}")) for i, c in enumerate(report.charts)]
    return render_template(
        "reports/report.html", report=report, charts=charts, **page_context(period)
    )


@bp.get("/article/<path:article_id>")
@staff_required
def article(article_id: str):
    """One article for staff: votes per language and every comment written after "No"."""
    catalog = current_catalog()
    if not any(key[1] == article_id for key in catalog.articles):
        abort(404)
    period = requested_period()
    report = article_report(period, catalog, article_id)
    views = [
        catalog.find(lang, article_id)
        for lang in language_codes()
        if (lang, article_id) in catalog.articles
    ]
    return render_template(
        "reports/article.html",
        report=report,
        article_id=article_id,
        views=views,
        source_path=lambda article: source_path(catalog, article),
        **page_context(period),
    )


@bp.post("/learned-words/veto")
@staff_required
def veto_learned_word():
    """Removes a learned word from an article for good, recorded with who and when; the search
    index drops it at its next update of the learned terms."""
    if not Form().validate():
        abort(400)
    lang, article_id = request.form.get("lang", ""), request.form.get("article", "")
    term = request.form.get("term", "").strip()
    if (
        lang not in language_codes()
        or (lang, article_id) not in current_catalog().articles
        or not 0 < len(term) <= MAX_TERM_CHARS
    ):
        abort(400)
    veto(lang, article_id, term, current_user().id)
    log.info(
        "staff %s vetoed the learned word %r of %s (%s)",
        current_user().email,
        term,
        article_id,
        lang,
    )
    return redirect(url_for("reports.show", name="learned-words", **_kept_filters()), code=303)


@bp.get("/<name>.<any(csv, json):format>")
@staff_required
def download(name: str, format: str):
    report, period = _requested_report(name)
    stem = f"{name}-{period.first_day.isoformat()}-{period.last_day.isoformat()}"
    if format == "json":
        body, mimetype = report.to_json(), "application/json"
    else:
        try:
            table = min(max(int(request.args.get("table", "0")), 0), len(report.tables) - 1)
        except ValueError:
            table = 0
        body, mimetype = "\ufeff" + report.to_csv(table), "text/csv; charset=utf-8"
        stem += f"-{table + 1}" if len(report.tables) > 1 else ""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{format}"'
    return response
