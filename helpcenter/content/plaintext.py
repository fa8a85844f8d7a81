"""Markdown source -> plain text and headings, for the search index (cheaper than rendering HTML)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*(\{[^}]*\})?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ATTR_LIST = re.compile(r"\{:?\s*[#.][^}]*\}")
_HTML_TAG = re.compile(r"<[^>]{0,500}>")
_MARKUP = re.compile(r"[*_`>|#~]+|^\s*[-+]\s+|^\s*\d+\.\s+|^\s*:?-{3,}:?\s*$", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|?)+\s*$")
# The line under a table's header row: cells of dashes with a pipe between them.
_TABLE_HEAD_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")
TABLE_CELL_SEPARATOR = " | "  # table rows keep their cells apart, so snippets can tell them
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class PlainText:
    headings: tuple[str, ...]
    text: str


def markdown_to_text(body: str) -> PlainText:
    headings: list[str] = []
    lines: list[str] = []
    in_fence = in_table = False
    previous = ""
    for line in body.splitlines():
        if _FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if not in_fence and lines and "|" in previous and _TABLE_HEAD_RULE.match(line):
            lines[-1], in_table = _table_row(previous), True
            continue
        if in_table and "|" in line:
            lines.append(_table_row(line))
            continue
        in_table, previous = False, line
        if not in_fence and _TABLE_RULE.match(line):
            continue
        if not in_fence and (match := _HEADING.match(line)):
            headings.append(_inline(match.group(1)))
            continue
        lines.append(line if in_fence else _inline(line))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in lines)
    return PlainText(tuple(headings), re.sub(r"\n{3,}", "\n\n", text).strip())


def _table_row(line: str) -> str:
    cells = [_inline(cell) for cell in line.strip().strip("|").split("|")]
    return TABLE_CELL_SEPARATOR.join(cell or "-" for cell in cells)


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _ATTR_LIST.sub("", line)
    line = _HTML_TAG.sub(" ", line)
    return _MARKUP.sub(" ", line).strip()
