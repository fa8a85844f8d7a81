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

from whoosh import sorting
from whoosh.query import DisjunctionMax, Or, Query, Term
from whoosh.searching import Searcher

from ..typed_text import CONTROL_CHARACTERS
from .analyzers import analyze, analyzer_for, loose_analyzer, vocabulary_analyzer
from .indexer import IndexStore
from .snippets import make_snippet

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_PREFIX_EXPANSIONS = 30
MIN_PREFIX_CHARS = 3
# The diacritic-insensitive prefix field (analyzers.loose_analyzer): a safety net, not a lead.
# (Title, tags, headings… are weighted inside each field: see indexer.SECTION_WEIGHTS.)
LOOSE_WEIGHT = 0.5
# Line breaks, zero-width characters and direction overrides also become spaces in a query.
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\n\r\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


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


def query_terms(lang: str, text: str, analyzer=None) -> list[list[str]]:
    """Analyzed terms grouped by word position: [["reset"], ["password"]]; Hebrew positions
    hold a word and its prefix-stripped variants."""
    positions: dict[int, list[str]] = {}
    for token in (analyzer or analyzer_for(lang))(text, positions=True):
        variants = positions.setdefault(token.pos, [])
        if token.text not in variants:
            variants.append(token.text)
    return list(positions.values())[:MAX_TERMS]


def _term_group(field: str, boost: float, variants: list[str]) -> list[Query]:
    # Every form of a word counts the same: it scores by its best one (see build_query). A
    # weight below 1 for Hebrew prefix-stripped forms lost 0.01-0.04 MRR@10 on both tuning sets.
    return [Term(field, variant, boost=boost) for variant in variants]


def _best_of(terms: list[Query]) -> Query:
    return DisjunctionMax(terms) if len(terms) > 1 else terms[0]


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
    stemmed = query_terms(lang, text)
    loose = query_terms(lang, text, loose_analyzer(lang))
    split: list[list[str]] = []
    if searcher is not None:
        stemmed, split = _joined_and_split(lang, text, stemmed, searcher)
    clauses: list[Query] = [_best_of(_term_group("text", 1.0, part)) for part in split]
    for position, variants in enumerate(stemmed):
        # Dismax within a field: a word scores by its best form. Summing the forms made a
        # Hebrew word with prefix variants weigh two or three times a brand name. The two
        # fields are two signals (stemmed, and loose as typed) and add up, as in BM25F.
        fields = [_best_of(_term_group("text", 1.0, variants))]
        if position < len(loose):
            fields.append(_best_of(_term_group("loose", LOOSE_WEIGHT, loose[position])))
        clauses.append(Or(fields) if len(fields) > 1 else fields[0])
    if prefix and searcher is not None:
        expansion = _prefix_expansion(lang, text, searcher)
        if expansion is not None:
            clauses.append(expansion)
    if not clauses:
        return None
    # BM25 sums over the words, so matching more of them already ranks higher. Whoosh's
    # coordination bonus (Or(scale=…)) changed neither evaluation set and cost 40% of the time.
    return Or(clauses) if len(clauses) > 1 else clauses[0]


MIN_SPLIT_CHARS = 3  # each part of a joined word ("autosave" -> "auto" + "save")


def _surface_words(lang: str, text: str) -> list[str]:
    """The query's words as typed, one per analyzed position (stop words left out)."""
    words: dict[int, str] = {}
    for token in analyzer_for(lang)(text, positions=True, chars=True):
        words.setdefault(token.pos, text[token.startchar : token.endchar])
    return list(words.values())[:MAX_TERMS]


def _joined_and_split(
    lang: str, text: str, stemmed: list[list[str]], searcher: Searcher
) -> tuple[list[list[str]], list[list[str]]]:
    """Customers write "auto save" for the articles' "autosave" and the other way round.

    Two neighbouring words whose joined form is an indexed word get it as a form of both
    (so "auto save" meets "autosave" as two words would); a word the index does not know is
    also searched as two indexed words it splits into (returned as extra words). Only words
    the index holds are used, and the work is bounded by the query's 12 words."""
    surface = _surface_words(lang, text)
    if len(surface) != len(stemmed):
        return stemmed, []

    def known(term: str) -> bool:
        return searcher.doc_frequency("text", term) > 0

    def first_term(word: str) -> str | None:
        terms = analyze(lang, word)
        return terms[0] if terms else None

    joined_forms = [list(variants) for variants in stemmed]
    for i in range(len(surface) - 1):
        joined = first_term(surface[i] + surface[i + 1])
        if joined and known(joined):
            for variants in joined_forms[i : i + 2]:
                if joined not in variants:
                    variants.append(joined)
    split: list[list[str]] = []
    for word, variants in zip(surface, stemmed, strict=True):
        if len(word) < 2 * MIN_SPLIT_CHARS or any(known(term) for term in variants):
            continue
        # Not a misspelling or an inflection the stemmer missed: the loose field knows those.
        loose = [token.text for token in loose_analyzer(lang)(word)]
        if any(searcher.doc_frequency("loose", term) for term in loose):
            continue
        for cut in range(MIN_SPLIT_CHARS, len(word) - MIN_SPLIT_CHARS + 1):
            left, right = first_term(word[:cut]), first_term(word[cut:])
            if left and right and known(left) and known(right):
                split += [[left], [right]]
                break
    return joined_forms, split


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

    def document_count(self, lang: str) -> int | None:
        """Articles in the language's index (None when there is no index), from the cached
        searcher: health checks and metrics ask often and must not reopen the index."""
        searcher = self._searcher(lang)
        return searcher.doc_count() if searcher is not None else None

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
        query = build_query(lang, text, searcher) if searcher else None
        if searcher is None or query is None:
            return results
        facet = sorting.FieldFacet("category")
        wanted = page * per_page
        if category:
            # Counts over every category (for the filter links), then the filtered page.
            counted = searcher.search(
                query, limit=None, scored=False, groupedby=facet, maptype=sorting.Count
            )
            results.category_counts = dict(counted.groups("category"))
            found = searcher.search(query, limit=wanted, filter=Term("category", category))
            results.total = results.category_counts.get(category, 0)
        else:
            # One pass: every match is visited for the counts, the best `wanted` are kept.
            found = searcher.search(query, limit=wanted, groupedby=facet, maptype=sorting.Count)
            results.category_counts = dict(found.groups("category"))
            results.total = sum(results.category_counts.values())
        terms = {term for variants in query_terms(lang, text) for term in variants}
        first = (page - 1) * per_page
        for rank, hit in enumerate(found[first:wanted], start=first + 1):
            snippet = make_snippet(lang, hit.get("body", ""), terms)
            results.hits.append(_hit(hit, snippet or html.escape(hit.get("summary", "")), rank))
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
        corrected, changed, offset = [], False, 0
        for token in vocabulary_analyzer(lang)(text, chars=True):
            word = token.text
            if searcher.doc_frequency("words", word) == 0 and len(word) >= 3:
                options = _closest_words(searcher, word)
                if options:
                    corrected.append(text[offset : token.startchar] + options[0])
                    offset, changed = token.endchar, True
        if not changed:
            return None
        suggestion = "".join(corrected) + text[offset:]
        return suggestion if suggestion.casefold() != text.casefold() else None


SPELLING_CACHE = 2000  # words per searcher


def _closest_words(searcher: Searcher, word: str) -> list[str]:
    """The index's closest word to a misspelled one. Whoosh's edit-distance automaton costs
    15–20 ms a word, and customers repeat their misspellings, so answers are kept with the
    searcher: a new index generation gets a new searcher and so a fresh cache."""
    cache: dict[str, list[str]] | None = getattr(searcher, "_helpcenter_spelling", None)
    if cache is None:
        cache = {}
        searcher._helpcenter_spelling = cache  # type: ignore[attr-defined]
    if word not in cache:
        if len(cache) >= SPELLING_CACHE:
            cache.clear()
        cache[word] = searcher.corrector("words").suggest(
            word, limit=1, maxdist=1 if len(word) < 6 else 2, prefix=1
        )
    return cache[word]


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
