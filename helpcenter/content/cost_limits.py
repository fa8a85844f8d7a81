"""What an article may cost: checked on the raw text BEFORE Python-Markdown ever sees it.

Python-Markdown (3.11) has three costs that grow faster than the text, found by profiling:

- Brackets. For every `[` each link processor (link, image, reference, ...) calls `getText`,
  which walks forward to the matching `]`, or to the end of the paragraph when there is none;
  for every `](` `getLink` walks to the matching `)`. 20 KB of `[` is ~200 million steps (about
  a minute of CPU). A link in a real article costs a few dozen steps.
- Raw HTML. The HTML block preprocessor (the standard library's html.parser) walks from every
  `<tag` to the next `>`; 16 KB of `<a ` took 4 s.
- Nesting. Each level of a list or block quote is a recursion (parseBlocks -> ListProcessor.run):
  about 500 levels (`- - - … x` on one line) end in RecursionError, and deep indentation
  re-copies the text at every level (1,000 levels: 812 MB).

So an article is refused when it is larger than `ARTICLE_MAX_BYTES`, nests lists or quotes
deeper than `ARTICLE_MAX_NESTING`, or would need more than `ARTICLE_MAX_BRACKET_SCAN` steps to
pair up its brackets. With the defaults the worst accepted article renders in well under a
second; the largest real article of the sample content is 5 KB with three levels of nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_FENCE = re.compile(r"^\s*(```|~~~)")
# A horizontal rule (`- - -`, `* * * *`) is not a nested list, however many markers it has.
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
# One level of nesting at the start of a line: a block-quote marker or a list marker.
_CONTAINER = re.compile(r"(?:>|[-+*](?=\s)|\d{1,9}[.)](?=\s))[ \t]*")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_BRACKET = re.compile(r"\\.|[\[\]()]", re.DOTALL)


@dataclass(frozen=True)
class MarkdownLimits:
    max_bytes: int = 100_000
    max_nesting: int = 20
    max_bracket_scan: int = 1_000_000

    @classmethod
    def from_config(cls, config: Any) -> MarkdownLimits:
        return cls(
            int(config["ARTICLE_MAX_BYTES"]),
            int(config["ARTICLE_MAX_NESTING"]),
            int(config["ARTICLE_MAX_BRACKET_SCAN"]),
        )


def limit_problems(body: str, first_line: int, limits: MarkdownLimits) -> list[tuple[int, str]]:
    """(line, message) for each limit the article body breaks; empty when it is safe to render.

    Cheap (linear in the text), so it runs on every article, in `check` and when loading."""
    size = len(body.encode("utf-8"))
    if size > limits.max_bytes:
        # Checked first and alone: the other measures are linear but need not run on megabytes.
        return [
            (
                first_line,
                f"article is too large to show ({size:,} bytes, at most "
                f"{limits.max_bytes:,}): split it into several articles",
            ),
        ]
    lines = body.split("\n")
    problems = []
    depth, line = _deepest_nesting(lines)
    if depth > limits.max_nesting:
        problems.append(
            (
                first_line + line,
                f"lists or block quotes nested {depth} levels deep (at most "
                f"{limits.max_nesting}): flatten the structure",
            ),
        )
    scan, line = _bracket_scan(lines)
    if scan > limits.max_bracket_scan:
        problems.append(
            (
                first_line + line,
                "too many unclosed or deeply nested brackets ('[', '](' or '<') "
                f"from this line on would make the article too slow to show ({scan:,} steps, at most "
                f"{limits.max_bracket_scan:,}): close them, or write a literal bracket as \\[",
            ),
        )
    return problems


def _code_mask(lines: list[str]) -> list[bool]:
    """True for lines inside fenced code blocks (and the fences): Markdown stashes them unread."""
    mask, inside = [], False
    for text in lines:
        fence = bool(_FENCE.match(text))
        mask.append(inside or fence)
        if fence:
            inside = not inside
    return mask


def _deepest_nesting(lines: list[str]) -> tuple[int, int]:
    """(levels, line offset) of the most deeply nested line: 4 columns of indentation, a list
    marker or a `>` each count as one level."""
    deepest, where = 0, 0
    for offset, (text, code) in enumerate(zip(lines, _code_mask(lines), strict=True)):
        if code or _RULE.match(text):
            continue
        stripped = text.lstrip(" \t")
        indent = len(text[: len(text) - len(stripped)].expandtabs(4))
        levels = indent // 4
        position = 0
        while match := _CONTAINER.match(stripped, position):
            levels += 1
            position = match.end()
        if levels > deepest:
            deepest, where = levels, offset
    return deepest, where


def _bracket_scan(lines: list[str]) -> tuple[int, int]:
    """(steps, line offset): how far Python-Markdown walks to pair up brackets, and the line of
    the first bracket of the paragraph that costs most.

    A `[` costs the distance to its `]` or, unclosed, to the end of its paragraph (Markdown
    looks no further); a `(` right after `]` likewise to its `)`; a `<tag` the distance to the
    next `>` anywhere in the article. Backslash-escaped brackets cost nothing.
    """
    text_lines = ["" if code else text for text, code in zip(lines, _code_mask(lines), strict=True)]
    total, worst, worst_line = 0, -1, 0
    start = 0
    while start < len(text_lines):
        if not text_lines[start].strip():
            start += 1
            continue
        end = start
        while end < len(text_lines) and text_lines[end].strip():
            end += 1
        cost, first = _paragraph_scan(text_lines[start:end])
        total += cost
        if cost > worst:
            worst, worst_line = cost, start + first
        start = end
    total += _tag_scan("\n".join(text_lines))
    return total, worst_line


def _paragraph_scan(lines: list[str]) -> tuple[int, int]:
    text = "\n".join(lines)
    cost = 0
    squares: list[int] = []  # positions of open `[`
    parens: list[tuple[int, bool]] = []  # open `(`, and whether it follows `]` (a link target)
    first_bracket = -1
    for match in _BRACKET.finditer(text):
        char, position = match.group(), match.start()
        if char == "[":
            squares.append(position)
        elif char == "]" and squares:
            cost += position - squares.pop()
        elif char == "(":
            link = position > 0 and text[position - 1] == "]"
            parens.append((position, link))
        elif char == ")" and parens:
            opened, link = parens.pop()
            cost += position - opened if link else 0
        else:
            continue  # an escaped character, or a `]` closing nothing
        first_bracket = position if first_bracket < 0 else first_bracket
    unclosed = [*squares, *(opened for opened, link in parens if link)]
    cost += sum(len(text) - opened for opened in unclosed)
    where = min(unclosed) if unclosed else max(first_bracket, 0)
    return cost, text.count("\n", 0, where)


def _tag_scan(text: str) -> int:
    """Steps html.parser takes over `<tag` starts: each one reads on to the next `>`."""
    cost, close = 0, -1
    for match in _TAG_START.finditer(text):
        start = match.start()
        if close < start:
            close = text.find(">", start)
            close = len(text) if close < 0 else close
        cost += close - start
    return cost
