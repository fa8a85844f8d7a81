"""Bar charts as inline SVG, drawn on the server: no script, a bar for every day or week of the
period (so two days of data read as two bars, not as one dot on an empty axis), both axes
labelled, readable by screen readers (role="img" with a title and a description) and with the
numbers as a table beside each chart on the page."""

from __future__ import annotations

import datetime as dt
import math

from flask_babel import format_date, format_decimal, get_locale, gettext
from markupsafe import Markup, escape

from ..reports.report import Chart, Percent

WIDTH, HEIGHT = 640, 250
LEFT, RIGHT, TOP, BOTTOM = 70, 12, 20, 62
COLOURS = ["#1d5fb8", "#b3261e", "#2e7d32", "#6a1b9a"]
VALUES_ON_BARS_UP_TO = 14  # with few bars each carries its number


def _nice_top(value: float, unit: str) -> float:
    """The axis maximum: four gridline steps of 1, 2, 2.5 or 5 times a power of ten, at or
    above the highest bar; counts step by whole numbers (no "1.2 searches")."""
    if value <= 0:
        return 100.0 if unit == "%" else 4.0
    wanted = value / 4
    power = 10 ** math.floor(math.log10(wanted))
    step = next(n * power for n in (1, 2, 2.5, 5, 10) if n * power >= wanted)
    if unit != "%":
        step = max(1.0, math.ceil(step))
    return min(step * 4, 100.0) if unit == "%" else step * 4


def bar_chart_svg(chart: Chart, chart_id: str) -> Markup:
    values = [v for series in chart.series.values() for v in series if v is not None]
    top = _nice_top(max(values, default=0.0), chart.unit)
    count = max(1, len(chart.x_labels))
    groups = max(1, len(chart.series))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / count
    bar = slot * 0.72 / groups

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(gettext(chart.title))}</title>',
        f'<desc id="{chart_id}-desc">{escape(_describe(chart))}</desc>',
    ]
    for step in range(5):
        value = top * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#d8dde6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#4f5b6d">{escape(_number(value, chart.unit))}</text>'
        )
    every = max(1, math.ceil(count / 10))
    for i, label in enumerate(chart.x_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle" font-size="13" fill="#4f5b6d">{escape(x_label(label))}</text>'
            )
    for n, series in enumerate(chart.series.values()):
        colour = COLOURS[n % len(COLOURS)]
        for i, value in enumerate(series):
            if value is None:
                continue
            x = LEFT + slot * i + (slot - bar * groups) / 2 + bar * n
            height = max(plot_h * value / top, 1.0 if value else 0.0)
            text = _number(value, chart.unit)
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(x_label(chart.x_labels[i]))}: '
                f"{escape(text)}</title></rect>"
            )
            if count <= VALUES_ON_BARS_UP_TO:
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h - height - 4:.1f}" '
                    f'text-anchor="middle" font-size="13" fill="#1c2330">{escape(text)}</text>'
                )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        f'stroke="#4f5b6d" stroke-width="1"/>'
    )
    if chart.x_title:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
            f'font-size="14" fill="#1c2330">{escape(gettext(chart.x_title))}</text>'
        )
    if chart.y_title:
        unit = f" ({chart.unit})" if chart.unit else ""
        parts.append(
            f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle" font-size="14" fill="#1c2330">'
            f"{escape(gettext(chart.y_title) + unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def x_label(label: str) -> str:
    """A day as the reader writes it short ("26 lis"); weeks stay ISO weeks ("2026-W48")."""
    try:
        day = dt.date.fromisoformat(label)
    except ValueError:
        return label
    return format_date(day, "d MMM")


def _describe(chart: Chart) -> str:
    pieces = []
    for name, series in chart.series.items():
        known = [
            (label, v) for label, v in zip(chart.x_labels, series, strict=True) if v is not None
        ]
        if known:
            pieces.append(
                gettext(
                    "%(series)s: from %(first)s (%(first_label)s) to %(last)s (%(last_label)s)",
                    series=gettext(name),
                    first=_number(known[0][1], chart.unit),
                    first_label=x_label(known[0][0]),
                    last=_number(known[-1][1], chart.unit),
                    last_label=x_label(known[-1][0]),
                )
            )
    return "; ".join(pieces) or gettext("Nothing in this period.")


def _number(value: float, unit: str) -> str:
    """A value of the chart the reader's way: "97,3 %" in Lithuanian, "1 234" in Polish."""
    if unit == "%":
        return Percent(round(value, 1)).localized(get_locale())
    return format_decimal(round(value, 1))
