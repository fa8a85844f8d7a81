"""Line charts as inline SVG, drawn on the server: no script, readable by screen readers
(role="img" with a title and a description; the page also shows the numbers as a table)."""

from __future__ import annotations

from flask_babel import format_decimal, get_locale, gettext
from markupsafe import Markup, escape

from .base import Chart, Percent

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36
COLOURS = ["#1f5fbf", "#b3261e", "#2e7d32", "#6a1b9a"]


def line_chart_svg(chart: Chart, chart_id: str) -> Markup:
    values = [v for series in chart.series.values() for v in series if v is not None]
    top = max([*values, 1.0])
    if chart.unit == "%":
        top = 100.0
    count = max(1, len(chart.x_labels) - 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + plot_w * i / count

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
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{escape(_number(round(value), chart.unit))}</text>'
        )
    every = max(1, len(chart.x_labels) // 8)
    for i, label in enumerate(chart.x_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
                f'fill="#555">{escape(label)}</text>'
            )
    for n, (name, series) in enumerate(chart.series.items()):
        colour = COLOURS[n % len(COLOURS)]
        points = [(x(i), y(v)) for i, v in enumerate(series) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5">'
                f"<title>{escape(gettext(name))}</title></polyline>"
            )
        parts += [
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>' for px, py in points
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


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
                    first=_number(known[0][1], chart.unit), first_label=known[0][0],
                    last=_number(known[-1][1], chart.unit), last_label=known[-1][0],
                )
            )  # fmt: skip
    return "; ".join(pieces) or gettext("Nothing in this period.")


def _number(value: float, unit: str) -> str:
    """A value of the chart the reader's way: "97,3 %" in Lithuanian, "1 234" in Polish."""
    return Percent(value).localized(get_locale()) if unit == "%" else format_decimal(value)
