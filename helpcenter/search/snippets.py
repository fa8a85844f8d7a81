"""Result snippets: the passages of an article's text around the query's words, marked.

Words are found with one regular expression and each distinct word is analyzed once (cached),
so an inflected form in the text ("orders") is marked for the query word ("order") at the cost
of a dictionary lookup per word. Whoosh's own highlighter runs the full analyzer chain over
every token of the text: about twice as slow per page of results (bench/snippets.py).

A passage starts where a reader would: at the start of its sentence or list item when that is
near, not mid-sentence in lower case. Table rows (cells kept apart by the plain text) read as
word soup once flattened, so a match in a table is used only when nothing else matches, and
then shown as "first cell: the other cells".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from ..content.plaintext import TABLE_CELL_SEPARATOR
from .analyzers import WORD_PATTERN, analyzer_for

SNIPPET_SOURCE_CHARS = 8000  # answers are near the top; a long article's tail is not read
FRAGMENT_CHARS = 200  # the longest passage, matches included
CONTEXT_CHARS = 50  # text kept before the first match of a passage
FRAGMENTS = 2
SEPARATOR = " … "
SENTENCE_REACH = 120  # how far back a passage may start to begin at its sentence
_WORD = re.compile(WORD_PATTERN)
# Where a sentence or a list item begins: after a line break, or after . ! ? (and a closing
# quote or bracket) and a space. Hebrew uses the same marks; Greek asks with ";".
_SENTENCE_START = re.compile(r"(?:\n|[.!?;\u037e…][\"'”»)\]]*\s)\s*")


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    terms: frozenset[str]


@lru_cache(maxsize=100_000)
def _word_terms(lang: str, word: str) -> frozenset[str]:
    return frozenset(token.text for token in analyzer_for(lang)(word))


def make_snippet(lang: str, text: str, terms: set[str]) -> str:
    """HTML (escaped text, <mark> around matches), or "" when no query word is in the text."""
    if not text or not terms:
        return ""
    text = text[:SNIPPET_SOURCE_CHARS]
    matches = []
    for found in _WORD.finditer(text):
        hit = _word_terms(lang, found.group().lower()) & terms
        if hit:
            matches.append(_Match(found.start(), found.end(), hit))
    if not matches:
        return ""
    in_text = [m for m in matches if not _in_table_row(text, m.start)]
    chosen = _best_passages(in_text or matches)
    return SEPARATOR.join(_render(text, passage) for passage in chosen)


def _line(text: str, index: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, len(text) if end == -1 else end


def _in_table_row(text: str, index: int) -> bool:
    start, end = _line(text, index)
    return TABLE_CELL_SEPARATOR in text[start:end]


def _best_passages(matches: list[_Match]) -> list[list[_Match]]:
    """Up to FRAGMENTS non-overlapping runs of matches, each within FRAGMENT_CHARS, preferring
    runs with more distinct query words, then more matches; returned in text order."""
    candidates = []
    end = 0
    for i, first in enumerate(matches):
        end = max(end, i + 1)
        while (
            end < len(matches) and matches[end].end - first.start <= FRAGMENT_CHARS - CONTEXT_CHARS
        ):
            end += 1
        run = matches[i:end]
        distinct = len(frozenset().union(*(m.terms for m in run)))
        candidates.append((distinct, len(run), -first.start, run))
    candidates.sort(reverse=True)
    chosen: list[list[_Match]] = []
    for *_, run in candidates:
        if all(
            run[0].start > c[-1].end + CONTEXT_CHARS or run[-1].end < c[0].start for c in chosen
        ):
            chosen.append(run)
        if len(chosen) == FRAGMENTS:
            break
    return sorted(chosen, key=lambda run: run[0].start)


def _render(text: str, run: list[_Match]) -> str:
    line_start, line_end = _line(text, run[0].start)
    if TABLE_CELL_SEPARATOR in text[line_start:line_end]:
        return _render_row(text, run, line_start, line_end)
    start = _sentence_start(text, run[0].start)
    if start is None:
        start = min(
            run[0].start, _word_boundary(text, max(0, run[0].start - CONTEXT_CHARS), forward=True)
        )
    end = _word_boundary(text, min(len(text), start + FRAGMENT_CHARS), forward=False)
    end = max(end, run[-1].end)
    # Never run on into a table: stop at the end of the line before it.
    for row in re.finditer(r"\n[^\n]*", text[run[-1].end : end]):
        if TABLE_CELL_SEPARATOR in row.group():
            end = run[-1].end + row.start()
            break
    return _marked(text, [m for m in run if m.end <= end], start, end)


def _sentence_start(text: str, index: int) -> int | None:
    """The start of the sentence or list item `index` is in, when it is within reach.

    A line break inside a paragraph (the writer's soft wrap) goes on in lower case; a list
    item or a new paragraph does not."""
    reach = max(0, index - SENTENCE_REACH)
    starts = [
        found.end()
        for found in _SENTENCE_START.finditer(text, reach, index)
        if found.end() <= index and not text[found.end()].islower()
    ]
    if starts:
        return starts[-1]
    return 0 if reach == 0 else None


def _render_row(text: str, run: list[_Match], start: int, end: int) -> str:
    """A table row as "first cell: other cells", its matches marked."""
    row = _marked(text, [m for m in run if m.end <= end], start, end)
    first, _, rest = row.partition(TABLE_CELL_SEPARATOR.strip())
    return f"{first.strip()}: {rest.strip().replace(' | ', ', ')}" if rest else row


def _marked(text: str, run: list[_Match], start: int, end: int) -> str:
    parts, position = [], start
    for match in run:
        parts.append(html.escape(text[position : match.start]))
        parts.append(f"<mark>{html.escape(text[match.start : match.end])}</mark>")
        position = match.end
    parts.append(html.escape(text[position:end]))
    return " ".join("".join(parts).split())


def _word_boundary(text: str, index: int, *, forward: bool) -> int:
    """Moves `index` off the middle of a word: forward to the next word's start, or back to
    the end of the previous word."""
    if index <= 0 or index >= len(text) or not text[index - 1].isalnum():
        return index
    if forward:
        space = text.find(" ", index)
        return index if space == -1 else space + 1
    space = text.rfind(" ", 0, index)
    return index if space == -1 else space
