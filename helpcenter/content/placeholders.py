"""`{{ support_hours }}` in an article: facts that live in the configuration, not in the text.

Support hours, the response time and the support address are promised in many articles and on
the page shown after a contact request. Written out in each article they drift apart (one
language promised Sunday service nobody gives), so articles name them and the catalog fills
in the configured value for the article's language when the tree is loaded. Search, pages
and checks all see the filled-in text.

The syntax is `{{ name }}`: two braces are not Markdown (attribute lists use one, `{: .x }`),
so a placeholder never changes how the rest of a line is read. Fenced code blocks are left
alone, so an article can show the syntax itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

# language code -> placeholder name -> the text it stands for in that language
PlaceholderValues = Mapping[str, Mapping[str, str]]

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]*)\s*\}\}")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# 8:00, 18:30 (not 3:1 or 12:345): a time of day as writers state opening hours.
_CLOCK_TIME = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")


def fill_placeholders(
    body: str, values: Mapping[str, str], first_line: int
) -> tuple[str, list[tuple[int, str]]]:
    """`body` with every known `{{ name }}` replaced by its value, and (line, message) for
    each unknown one (left as written, so the page shows what is missing)."""
    problems: list[tuple[int, str]] = []

    def replace(match: re.Match[str], line: int) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        known = ", ".join(f"{{{{ {key} }}}}" for key in sorted(values)) or "none configured"
        problems.append((line, f"unknown placeholder '{match.group(0)}' (known: {known})"))
        return match.group(0)

    lines = []
    for number, text in _prose_lines(body, first_line):
        if number is None or "{{" not in text:
            lines.append(text)
        else:
            lines.append(PLACEHOLDER.sub(lambda m, n=number: replace(m, n), text))
    return "\n".join(lines), problems


def literal_hours(body: str, support_hours: str, first_line: int) -> list[tuple[int, str]]:
    """(line, message) for each line of a filled-in `body` that states opening hours itself
    (two times of day) instead of through `{{ support_hours }}`: such a line keeps its old hours
    when the configuration changes, and may already contradict it."""
    configured = _CLOCK_TIME.findall(support_hours)
    problems = []
    for number, text in _prose_lines(body, first_line):
        if number is None:
            continue
        if support_hours:  # what the placeholder put there is not stated by the writer
            text = text.replace(support_hours, "")
        times = _CLOCK_TIME.findall(text)
        if len(times) < 2:
            continue
        stated = "–".join(times)
        if configured and times != configured:
            message = (
                f"states the hours {stated}, but the configured support hours are "
                f"'{support_hours}'; write {{{{ support_hours }}}} to show the configured ones"
            )
        else:
            message = (
                f"states the hours {stated} as text; write {{{{ support_hours }}}} instead, "
                "so the article follows the configured support hours"
            )
        problems.append((number, message))
    return problems


def _prose_lines(body: str, first_line: int) -> Iterator[tuple[int | None, str]]:
    """Each line of `body` with its line number in the file, None for lines of code blocks."""
    in_fence = False
    for offset, text in enumerate(body.split("\n")):
        if _FENCE.match(text):
            in_fence = not in_fence
            yield None, text
        else:
            yield (None if in_fence else first_line + offset), text
