"""Result snippets: the passages of an article's text around the query's words, marked.

Words are found with one regular expression and each distinct word is analyzed once (cached),
so an inflected form in the text ("orders") is marked for the query word ("order") at the cost
of a dictionary lookup per word. Whoosh's own highlighter runs the full analyzer chain over
every token of the text: about twice as slow per page of results (bench/snippets.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from .analyzers import WORD_PATTERN, analyzer_for

SNIPPET_SOURCE_CHARS = 8000  # answers are near the top; a long article's tail is not read
FRAGMENT_CHARS = 200  # the longest passage, matches included
CONTEXT_CHARS = 50  # text kept before the first match of a passage
FRAGMENTS = 2
SEPARATOR = " … "
_WORD = re.compile(WORD_PATTERN)


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
    chosen = _best_passages(matches)
    return SEPARATOR.join(_render(text, passage) for passage in chosen)


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
    start = min(
        run[0].start, _word_boundary(text, max(0, run[0].start - CONTEXT_CHARS), forward=True)
    )
    end = _word_boundary(text, min(len(text), start + FRAGMENT_CHARS), forward=False)
    end = max(end, run[-1].end)
    parts, position = [], start
    for match in run:
        parts.append(html.escape(text[position : match.start]))
        parts.append(f"<mark>{html.escape(text[match.start : match.end])}</mark>")
        position = match.end
    parts.append(html.escape(text[position:end]))
    return "".join(parts).strip()


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
