"""The shape every report shares (tables of rows, an optional chart) and its output formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.numbers import format_percent

from ..content.catalog import Catalog
from ..labels import N_

if TYPE_CHECKING:
    from ..search.searcher import SearchService

EARLIEST = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Period:
    """Half-open [since, until) in UTC, and optionally one language."""

    since: dt.datetime
    until: dt.datetime
    lang: str | None = None

    @classmethod
    def from_dates(
        cls, since: dt.date | None, until: dt.date | None, lang: str | None = None, days: int = 30
    ) -> Period:
        """Whole days; the default is the last `days` days up to and including today. Dates are
        kept between 1970 and ten years from now, so that the period before (for trends) can
        always be computed: "0001-01-01" or "9999-12-31" in a URL is no error."""
        today = dt.datetime.now(dt.UTC).date()

        def bounded(day: dt.date) -> dt.date:
            return min(max(day, EARLIEST), today + dt.timedelta(days=3653))

        until_date = bounded(until or today) + dt.timedelta(days=1)
        since_date = bounded(since or until_date - dt.timedelta(days=days))
        return cls(_midnight(since_date), _midnight(until_date), lang or None)

    def previous(self) -> Period:
        """The period of the same length just before this one (for trends)."""
        return Period(self.since - (self.until - self.since), self.since, self.lang)

    @property
    def first_day(self) -> dt.date:
        return self.since.date()

    @property
    def last_day(self) -> dt.date:
        return (self.until - dt.timedelta(days=1)).date()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class RequestReference(str):
    """A contact request's reference in a table: the report pages link it to the request."""


class ArticleLink(str):
    """A cell that names one article in one language: the report pages link it to the staff
    page of that article (its votes and what customers wrote after "No")."""

    article_id: str
    lang: str

    def __new__(cls, text: str, article_id: str, lang: str) -> ArticleLink:
        link = super().__new__(cls, text)
        link.article_id, link.lang = article_id, lang
        return link


class CustomerText(str):
    """Words a customer typed (a query, a comment, a name): the report pages and the digest
    show them inert (defang.py), never as a link; exports keep them as typed."""


class Spellings(CustomerText):
    """A group of queries that mean the same (one stem), shown as the spelling customers typed
    most often; the other spellings go with it (a tooltip on the pages, a column in exports)."""

    variants: tuple[str, ...]

    def __new__(cls, variants: list[str] | tuple[str, ...]) -> Spellings:
        shown = super().__new__(cls, variants[0] if variants else "")
        shown.variants = tuple(variants)
        return shown


class Detail(str):
    """Where the evidence for an action is: a report, or one article's staff page. As text
    (CSV, JSON, the CLI) it is that staff page's path; the report pages make it a link."""

    report: str
    lang: str | None
    article_id: str | None

    def __new__(cls, report: str, *, lang: str | None = None, article_id: str | None = None):
        path = f"/reports/article/{article_id}" if article_id else f"/reports/{report}"
        detail = super().__new__(cls, path + (f"?lang={lang}" if lang else ""))
        detail.report, detail.lang, detail.article_id = report, lang, article_id
        return detail


class SourceFile(str):
    """A path in the articles repository (`pl/payments/methods.md`): the file to edit."""


class FrontMatter(str):
    """Front matter a writer pastes into a file as it is (`tags: [payment, klarna]`, a new
    article's `title:`): the report pages show it as code; it may hold words customers typed."""


class Message(CustomerText):
    """A customer's own words in a table: the pages give it room and its own direction."""


class Context(tuple):
    """(label, value) pairs shown together in one compact cell: where a contact request came
    from (its subject, article, search and what was missing). Empty values are left out."""

    def __new__(cls, pairs) -> Context:
        return super().__new__(cls, [(label, value) for label, value in pairs if value])

    def __str__(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self)


class Percent(float):
    """A share in percent (97.3 means 97.3%): "97.3%" in CSV, JSON and the CLI; the report
    pages write it the reader's way (`localized`: "97,3 %" in Lithuanian)."""

    def __str__(self) -> str:
        return f"{float(self):.1f}%"

    def localized(self, locale: Locale | str | None) -> str:
        # Through Decimal: 94.9 / 100 as a float is 0.9490000000000001, which Babel would print.
        share = Decimal(str(round(float(self), 1))) / 100
        return format_percent(share, locale=locale, decimal_quantization=False)


class Change(Percent):
    """A change from the period before, in whole percent with its sign ("+12%")."""

    def __str__(self) -> str:
        return f"{float(self):+.0f}%"

    def localized(self, locale: Locale | str | None) -> str:
        sign = "+" if self > 0 else ""  # Babel writes the minus sign itself
        return sign + format_percent(round(self) / 100, locale=locale)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""  # a footnote: how a column is computed
    # A table of less evidence, folded away: the pages show it closed under its title.
    collapsed: bool = False


@dataclass
class Chart:
    title: str
    x_labels: list[str]
    series: dict[str, list[float | None]]
    unit: str = ""  # "%" for rates
    x_title: str = ""  # what each bar is (a day, a week)
    y_title: str = ""  # what its height counts


@dataclass
class Report:
    name: str
    title: str
    description: str
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)

    def to_csv(self, table: int = 0) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        chosen = self.tables[table]
        writer.writerow([spreadsheet_safe(column) for column in chosen.columns])
        for row in chosen.rows:
            writer.writerow([spreadsheet_safe(_plain(value)) for value in row])
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            {
                "report": self.name,
                "title": self.title,
                "tables": [
                    {
                        "title": t.title,
                        **({"note": t.note} if t.note else {}),
                        "rows": [
                            {c: _plain(v) for c, v in zip(t.columns, row, strict=True)}
                            for row in t.rows
                        ],
                    }
                    for t in self.tables
                ],
                "charts": [
                    {"title": c.title, "x": c.x_labels, "series": c.series, "unit": c.unit}
                    for c in self.charts
                ],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self) -> str:
        parts = [f"{self.title}\n{'=' * len(self.title)}"]
        for table in self.tables:
            rows = [[str(_plain(v)) for v in row] for row in table.rows]
            widths = [
                min(60, max([len(c)] + [len(r[i]) for r in rows]))
                for i, c in enumerate(table.columns)
            ]
            lines = [
                table.title,
                "  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)),
            ]
            # Cells are cut at 60 characters, but the last column is printed whole: in "Do
            # this next" it is the front matter to paste.
            lines += [
                "  ".join([*(v[:60].ljust(w) for v, w in zip(r[:-1], widths, strict=False)), r[-1]])
                for r in rows
            ]
            if not rows:
                lines.append("(nothing in this period)")
            parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"


# What a spreadsheet reads as the start of a formula (OWASP's CSV injection guidance).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text: customers' queries and contact fields reach these
    downloads, and `=HYPERLINK(…)` or `@SUM(…)` in them would run when a lead opens the file.
    Text that starts like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Percent | Context):
        return str(value)
    if isinstance(value, dt.datetime):  # ISO 8601 in UTC, to the second, for programs
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list | tuple):  # several labels in one cell
        return "; ".join(str(part) for part in value)
    return value


@dataclass(frozen=True)
class ReportSettings:
    """The settings the reports read, and the search service they ask, handed in by the
    caller: a report never reads the app's config or services, so it runs the same from a
    view, the CLI, the digest or a test."""

    stale_after_days: int
    # Learned words taught by this many visitors (twice LEARN_MIN_VISITORS) make "add tags".
    strong_learned_visitors: int = 6
    # "Do this next" ranks an action only with evidence from this many different customers.
    min_customers: int = 2
    learn_window_days: int = 180  # how far back the learned words look (LEARN_WINDOW_DAYS)
    # The search customers get (None: no search is run, e.g. a test of the counts alone): it
    # tells typos from words when spellings are grouped, and what a query finds now.
    search: SearchService | None = None

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], search: SearchService | None = None
    ) -> ReportSettings:
        return cls(
            stale_after_days=int(config["STALE_AFTER_DAYS"]),
            strong_learned_visitors=2 * max(2, int(config.get("LEARN_MIN_VISITORS", 3))),
            min_customers=max(1, int(config.get("ACTIONS_MIN_CUSTOMERS", 2))),
            learn_window_days=int(config.get("LEARN_WINDOW_DAYS", 180)),
            search=search,
        )


ReportFunction = Callable[[Period, Catalog, ReportSettings], Report]
REPORTS: dict[str, ReportFunction] = {}
TITLES: dict[str, str] = {}  # each report's title, for navigation without running it


def report(name: str, title: str) -> Callable[[ReportFunction], ReportFunction]:
    def register(function: ReportFunction) -> ReportFunction:
        REPORTS[name] = function
        TITLES[name] = title
        return function

    return register


def run_report(name: str, period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    return REPORTS[name](period, catalog, settings)


def in_period(model, period: Period, moment=None) -> list:
    """WHERE conditions for rows of `model` inside the period: its `moment` column (default
    `created_at`) in range, and its `lang` if the period has one."""
    moment = model.created_at if moment is None else moment
    conditions = [moment >= period.since, moment < period.until]
    if period.lang:
        conditions.append(model.lang == period.lang)
    return conditions


def trend(now: int, before: int) -> str | Change:
    if not before:
        return N_("new") if now else "—"
    return Change(round((now - before) / before * 100))


ROW_LIMIT = 200  # rows per table on a page or in a download
