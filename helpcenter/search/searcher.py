"""Searching: safe query building (no query syntax reaches Whoosh), ranking, snippets, did-you-mean.

Customers' text is never parsed as a query language: it is analyzed into terms, and the query
is built from those terms, so quotes, parentheses, operators and wildcards are just characters.
Length and the number of terms and prefix expansions are bounded, so no query runs long.
"""

from __future__ import annotations

import html
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from whoosh import highlight, sorting
from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher

from .analyzers import analyzer_for, vocabulary_analyzer
from .indexer import IndexStore

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_PREFIX_EXPANSIONS = 30
MIN_PREFIX_CHARS = 3
# Where a word is found says how much it is about the article.
FIELD_BOOSTS = {"title": 5.0, "tags": 3.0, "headings": 2.5, "summary": 2.0, "body": 1.0}
# Hebrew prefix-stripped variants count for less than the word as typed (see analyzers.py).
VARIANT_WEIGHT = 0.6
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class SearchHit:
    id: str
    category: str
    title: str
    summary: str
    snippet: str  # HTML: escaped text with <mark> around matches
    score: float
    rank: int


@dataclass
class SearchResults:
    query: str
    lang: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    category: str | None = None
    category_counts: dict[str, int] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))


def clean_query(text: str) -> str:
    """What is left of a query after control characters and excess length are removed."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def query_terms(lang: str, text: str) -> list[list[str]]:
    """Analyzed terms grouped by word position: [["reset"], ["password"]]; Hebrew positions
    hold a word and its prefix-stripped variants."""
    positions: dict[int, list[str]] = {}
    for token in analyzer_for(lang)(text, positions=True):
        variants = positions.setdefault(token.pos, [])
        if token.text not in variants:
            variants.append(token.text)
    return list(positions.values())[:MAX_TERMS]


def normalize_query(lang: str, text: str) -> str:
    """One key per meaning, for grouping searches in reports: the distinct analyzed terms,
    sorted, so "Hasło ", "hasła" and "haslo" are one row. For Hebrew each word counts by its
    most prefix-stripped form, so "ובהזמנה" and "הזמנה" group together."""
    return " ".join(sorted({variants[-1] for variants in query_terms(lang, clean_query(text))}))[
        :400
    ]


def build_query(
    lang: str, text: str, searcher: Searcher | None = None, *, prefix: bool = False
) -> Query | None:
    groups = query_terms(lang, text)
    clauses: list[Query] = []
    for variants in groups:
        clauses.append(
            Or([
                Term(name, variant, boost=boost * (1.0 if i == 0 else VARIANT_WEIGHT))
                for name, boost in FIELD_BOOSTS.items()
                for i, variant in enumerate(variants)
            ])
        )  # fmt: skip
    if prefix and searcher is not None:
        expansion = _prefix_expansion(lang, text, searcher)
        if expansion is not None:
            clauses.append(expansion)
    if not clauses:
        return None
    # Or with a coordination bonus: matching more of the words ranks higher.
    return Or(clauses, scale=0.9) if len(clauses) > 1 else clauses[0]


def _prefix_expansion(lang: str, text: str, searcher: Searcher) -> Query | None:
    """The last, unfinished word as a prefix ("passw" -> password, passwords), for suggestions."""
    words = [token.text for token in vocabulary_analyzer(lang)(text)]
    if not words or len(words[-1]) < MIN_PREFIX_CHARS or text.endswith(" "):
        return None
    expansions = []
    for term in searcher.reader().expand_prefix("words", words[-1]):
        expansions.append(term.decode("utf-8") if isinstance(term, bytes) else term)
        if len(expansions) >= MAX_PREFIX_EXPANSIONS:
            break
    if not expansions:
        return None
    return Or([Term("words", word, boost=1.5) for word in expansions])


class SearchService:
    """Keeps one Whoosh searcher per language and thread, refreshed when the index changes."""

    def __init__(self, indexes: IndexStore, refresh_interval: float = 1.0) -> None:
        self.indexes = indexes
        self.refresh_interval = refresh_interval
        self._local = threading.local()

    def _searcher(self, lang: str) -> Searcher | None:
        cache: dict[str, tuple[Searcher, str, float]] = getattr(self._local, "cache", None) or {}
        self._local.cache = cache
        now = time.monotonic()
        cached = cache.get(lang)
        if cached and now - cached[2] < self.refresh_interval:
            return cached[0]
        link = self.indexes.link(lang)
        if not self.indexes.exists(lang):
            return None
        target = str(link.resolve())
        if cached and cached[1] == target:
            searcher = cached[0].refresh()
        else:
            if cached:
                cached[0].close()
            searcher = self.indexes.open(lang).searcher()
        cache[lang] = (searcher, target, now)
        return searcher

    def available(self, lang: str) -> bool:
        return self._searcher(lang) is not None

    def search(
        self,
        lang: str,
        text: str,
        *,
        category: str | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> SearchResults:
        text = clean_query(text)
        page = max(1, min(page, 1000))
        results = SearchResults(
            query=text, lang=lang, page=page, per_page=per_page, category=category
        )
        searcher = self._searcher(lang)
        query = build_query(lang, text) if searcher else None
        if searcher is None or query is None:
            return results
        counted = searcher.search(
            query, limit=1, groupedby=sorting.FieldFacet("category"), maptype=sorting.Count
        )
        results.category_counts = dict(counted.groups("category"))
        filter_query = Term("category", category) if category else None
        found = searcher.search_page(query, page, pagelen=per_page, filter=filter_query)
        results.total = found.total
        found.results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=70)
        found.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        for rank, hit in enumerate(found, start=(page - 1) * per_page + 1):
            snippet = hit.highlights("body", top=2) or html.escape(hit.get("summary", ""))
            results.hits.append(_hit(hit, snippet, rank))
        if results.total < 3:
            results.suggestion = self.did_you_mean(lang, text, searcher)
        return results

    def suggest(self, lang: str, text: str, limit: int = 5) -> list[SearchHit]:
        """Instant suggestions while typing: titles only, the last word matched as a prefix."""
        text = clean_query(text)
        searcher = self._searcher(lang)
        query = build_query(lang, text, searcher, prefix=True) if searcher else None
        if searcher is None or query is None:
            return []
        found = searcher.search(query, limit=limit)
        return [
            _hit(hit, html.escape(hit.get("summary", "")), rank)
            for rank, hit in enumerate(found, 1)
        ]

    def did_you_mean(self, lang: str, text: str, searcher: Searcher | None = None) -> str | None:
        """The query with unknown words replaced by the closest words the articles use."""
        searcher = searcher or self._searcher(lang)
        if searcher is None:
            return None
        corrector = searcher.corrector("words")
        corrected, changed, offset = [], False, 0
        for token in vocabulary_analyzer(lang)(text, chars=True):
            word = token.text
            if searcher.doc_frequency("words", word) == 0 and len(word) >= 3:
                options = corrector.suggest(
                    word, limit=1, maxdist=1 if len(word) < 6 else 2, prefix=1
                )
                if options:
                    corrected.append(text[offset : token.startchar] + options[0])
                    offset, changed = token.endchar, True
        if not changed:
            return None
        suggestion = "".join(corrected) + text[offset:]
        return suggestion if suggestion.casefold() != text.casefold() else None


def _hit(hit, snippet: str, rank: int) -> SearchHit:
    return SearchHit(
        id=hit["id"],
        category=hit["category"],
        title=hit["title"],
        summary=hit.get("summary", ""),
        snippet=snippet,
        score=float(hit.score or 0.0),
        rank=rank,
    )
