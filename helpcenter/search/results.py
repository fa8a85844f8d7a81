"""A search's answer: the hits of one results page and what the page says about them.

Their own module because everything after the search reads them — the result cache and its
JSON form for Redis, the cross-language answers, the search beacon — and none of those should
have to import the searcher (it imports the result cache: that was a circle).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


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
    # The best hit's score as a share of the query's best possible score; below the floor the
    # hits are only "loosely related" and the page says nothing was found.
    score_ratio: float = 0.0
    related: list[SearchHit] = field(default_factory=list)
    # The query as typed when these are the results of its correction ("refnud" -> refund).
    corrected_from: str | None = None
    # The best passage's cosine with the query (semantic search; 0.0 when off).
    similarity: float = 0.0
    # The words as typed, as reports group searches (plan.normalize_query): the search log's.
    normalized: str = ""

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def copy(self) -> SearchResults:
        """A copy a caller may change (a corrected search marks its results) without changing
        this one (the hits themselves are frozen)."""
        return dataclasses.replace(
            self,
            hits=list(self.hits),
            related=list(self.related),
            category_counts=dict(self.category_counts),
        )
