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
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class PlainText:
    headings: tuple[str, ...]
    text: str


def markdown_to_text(body: str) -> PlainText:
    headings: list[str] = []
    lines: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line.lstrip()):
            in_fence = not in_fence
            continue
        if not in_fence and _TABLE_RULE.match(line):
            continue
        if not in_fence and (match := _HEADING.match(line)):
            headings.append(_inline(match.group(1)))
            continue
        lines.append(line if in_fence else _inline(line))
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in lines)
    return PlainText(tuple(headings), re.sub(r"\n{3,}", "\n\n", text).strip())


def _inline(line: str) -> str:
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _ATTR_LIST.sub("", line)
    line = _HTML_TAG.sub(" ", line)
    return _MARKUP.sub(" ", line).strip()
