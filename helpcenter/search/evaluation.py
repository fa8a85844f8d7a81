"""Search relevance evaluation: queries with known answers -> MRR@10, recall@1, recall@10.

The metric code takes any `search(lang, query) -> [article ids]` function, so the same numbers
are computed for our search and for the SQLite FTS5 baseline (bench/relevance.py).
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .searcher import SearchService

NONE = "NONE"
CUTOFF = 10
HEADER = ["lang", "query", "expected"]
# A set may say what makes each query hard in a `kind` column (queries-dev2.tsv: paraphrase,
# typo, none_near…); a set without one is a single kind.
ALL_KINDS = "all"

SearchFunction = Callable[[str, str], list[str]]


@dataclass(frozen=True)
class EvalQuery:
    lang: str
    query: str
    expected: str  # an article id, or NONE
    line: int
    kind: str = ALL_KINDS


@dataclass
class LanguageScore:
    lang: str
    queries: int = 0
    reciprocal_ranks: list[float] = field(default_factory=list)
    hits_at_1: int = 0
    hits_at_10: int = 0
    none_queries: int = 0
    none_empty: int = 0
    misses: list[tuple[EvalQuery, list[str]]] = field(default_factory=list)

    @property
    def answerable(self) -> int:
        return len(self.reciprocal_ranks)

    @property
    def mrr(self) -> float:
        return sum(self.reciprocal_ranks) / self.answerable if self.answerable else 0.0

    @property
    def recall_at_1(self) -> float:
        return self.hits_at_1 / self.answerable if self.answerable else 0.0

    @property
    def recall_at_10(self) -> float:
        return self.hits_at_10 / self.answerable if self.answerable else 0.0

    @property
    def none_empty_share(self) -> float | None:
        return self.none_empty / self.none_queries if self.none_queries else None

    def add(self, query: EvalQuery, found: list[str]) -> None:
        self.queries += 1
        if query.expected == NONE:
            self.none_queries += 1
            self.none_empty += not found
            return
        top = found[:CUTOFF]
        rank = top.index(query.expected) + 1 if query.expected in top else None
        self.reciprocal_ranks.append(1 / rank if rank else 0.0)
        self.hits_at_1 += rank == 1
        self.hits_at_10 += rank is not None
        if rank != 1:
            self.misses.append((query, top[:3]))

    def merge(self, other: LanguageScore) -> None:
        self.queries += other.queries
        self.reciprocal_ranks += other.reciprocal_ranks
        self.hits_at_1 += other.hits_at_1
        self.hits_at_10 += other.hits_at_10
        self.none_queries += other.none_queries
        self.none_empty += other.none_empty


class EvalFileError(ValueError):
    pass


def read_queries(path: Path, expected_id: Callable[[str], str] | None = None) -> list[EvalQuery]:
    """Reads `lang<TAB>query<TAB>expected` lines; errors name the file and line.

    Columns after `expected` (a `note`, say) are allowed and ignored, as long as the header
    names them. `expected_id` maps the `expected` column to an article id when a set names
    answers another way (queries-dev.tsv names source paths, see bench/corpus.py)."""
    queries = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if not header or header[: len(HEADER)] != HEADER:
            raise EvalFileError(
                f"{path}:1: the header must be {' / '.join(HEADER)} (tab-separated)"
            )
        width = len(header)
        kind_column = header.index("kind") if "kind" in header[len(HEADER) :] else None
        for number, row in enumerate(rows, start=2):
            if not row or not "".join(row).strip():
                continue
            fields = [value.strip() for value in row[:3]]
            if len(row) not in (3, width) or not all(fields):
                raise EvalFileError(
                    f"{path}:{number}: expected {width} tab-separated fields, got {len(row)}"
                )
            lang, query, expected = fields
            if expected != NONE and expected_id is not None:
                expected = expected_id(expected)
            kind = row[kind_column].strip() if kind_column is not None else ""
            queries.append(EvalQuery(lang, query, expected, number, kind or ALL_KINDS))
    return queries


def evaluate(queries: Iterable[EvalQuery], search: SearchFunction) -> dict[str, LanguageScore]:
    """Scores per language plus "all"."""
    return score_answers(answers(queries, search))


Answers = list[tuple[EvalQuery, list[str]]]


def answers(queries: Iterable[EvalQuery], search: SearchFunction) -> Answers:
    """Each query with what `search` found for it: searched once, scored many ways."""
    return [(query, search(query.lang, query.query)) for query in queries]


def score_answers(
    found: Answers, key: Callable[[EvalQuery], str] = lambda query: query.lang
) -> dict[str, LanguageScore]:
    """Scores per `key` (the language unless told: `by_kind`) plus "all"."""
    scores: dict[str, LanguageScore] = {}
    for query, ids in found:
        group = key(query)
        scores.setdefault(group, LanguageScore(group)).add(query, ids)
    overall = LanguageScore("all")
    for score in scores.values():
        overall.merge(score)
    return {**dict(sorted(scores.items())), "all": overall}


def by_kind(query: EvalQuery) -> str:
    return query.kind


def engine_functions(service: SearchService) -> dict[str, SearchFunction]:
    """The ways to evaluate a search service side by side: the fused page as customers see
    it, and with semantic search on, the lexical and the dense side alone."""

    def page(searching: SearchService) -> SearchFunction:
        return lambda lang, text: [hit.id for hit in searching.search(lang, text).hits]

    if service.semantic is None:
        return {"lexical": page(service)}
    lexical = copy.copy(service)
    lexical.semantic = None
    return {
        "lexical": page(lexical),
        "semantic": service.semantic.dense_only,
        "fused": page(service),
    }


def format_scores(scores: dict[str, LanguageScore], heading: str = "lang") -> str:
    """A plain-text table, one row per language (or per kind: `heading`)."""
    width = max(6, *(len(name) + 1 for name in scores))
    lines = [
        f"{heading:<{width}}{'queries':>8}{'MRR@10':>9}{'R@1':>7}{'R@10':>7}{'NONE empty':>12}"
    ]
    for score in scores.values():
        share = score.none_empty_share
        none = "-" if share is None else f"{score.none_empty}/{score.none_queries}"
        lines.append(
            f"{score.lang:<{width}}{score.queries:>8}{score.mrr:>9.3f}{score.recall_at_1:>7.2f}"
            f"{score.recall_at_10:>7.2f}{none:>12}"
        )
    return "\n".join(lines)
