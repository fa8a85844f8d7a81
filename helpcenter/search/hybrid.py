"""Semantic search beside the lexical one: a result page's candidates from both engines fused
into one ranking (fusion.py), and "nothing answers this" decided from both signals.

The lexical side (searcher.py) keeps everything it does today (writers' synonyms, learned
words, transliteration, the title signal, snippets); this module only adds the dense
candidates to its ranked list and re-orders it. An article only the dense side found is shown
with its summary, or its best passage, as snippet: no query word is in it to highlight.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.searching import Searcher

from .dense import DenseHits, DenseRetriever
from .fusion import Candidate, agree, cosine_base, nothing_answers, reciprocal_rank, score_sum
from .indexer import IndexStore
from .semantic import Encoder, PassageEmbedder, article_passages, shared_encoder

# Which fusion ranks the page: "rrf" (reciprocal rank) or "score" (see fusion.py).
FUSION = "score"
# How many of the dense side's best candidates are fused (the lexical side gives its page's).
DENSE_DEPTH = 30
# From this lexical score ratio the page is lexical: the query's words are the articles' words,
# and embedding the query (a few tens of milliseconds) would change little. On the tuning sets
# fusing those pages too gave MRR@10 0.889 / 0.924 / 0.548 (sample, corpus, colloquial)
# against 0.894 / 0.924 / 0.545 (bench/fusion.py, issue 23's retuning).
CONFIDENT_RATIO = 0.6
# A candidate only the dense side found is shown (and counted) from this cosine.
COUNTED_COSINE = 0.82
SNIPPET_CHARS = 240

HitFactory = Callable[[dict, float], Any]


@dataclass
class Fused:
    """A page's candidates in fused order, with what the page's counts and decision need."""

    ranked: list[tuple[float, Any]]
    dense: DenseHits
    ratio: float  # the lexical score ratio (searcher.SearchResults.score_ratio)
    agreeing: bool  # the two engines' first articles meet (fusion.agree)
    extra: Counter = field(default_factory=Counter)  # dense-only counted hits per category

    @property
    def best_cosine(self) -> float:
        return self.dense.best

    def nothing_answers(self, lexically_nothing: bool) -> bool:
        """The page's decision, from the lexical floor's and the dense side's."""
        return nothing_answers(
            lexically_nothing, self.ratio, self.dense.scores, agreeing=self.agreeing
        )


class SemanticSearch:
    """Adds dense candidates to a lexical result list (see the module's docstring)."""

    def __init__(self, dense: DenseRetriever, fusion: str = FUSION) -> None:
        self.dense = dense
        self.fusion = fusion

    def fuse(
        self,
        lang: str,
        text: str,
        ranked: Sequence[tuple[float, Any]],
        *,
        searcher: Searcher,
        ceiling: float,
        ratio: float,
        category: str | None,
        keep: int,
        make_hit: HitFactory,
    ) -> Fused | None:
        """`ranked`'s (score, hit) pairs and the dense candidates in one order, the first `keep`
        of them (what the page shows); None when the page stays lexical: the language has no
        passages, or the lexical side is sure of its answer (CONFIDENT_RATIO; the query is
        then not even embedded)."""
        if ratio >= CONFIDENT_RATIO and ranked:
            return None
        found = self.dense.search(lang, text, depth=max(DENSE_DEPTH, 1))
        if found is None:
            return None
        by_id = {hit["id"]: (score, hit) for score, hit in ranked}
        lexical = [
            Candidate(hit["id"], rank, score) for rank, (score, hit) in enumerate(ranked, start=1)
        ]
        dense: list[Candidate] = []
        passages: dict[str, int] = {}
        extra: Counter = Counter()
        for aid, cosine, passage in zip(found.ids, found.scores, found.passages, strict=True):
            if aid not in by_id:
                if cosine < COUNTED_COSINE:
                    continue  # only shown when lexically found too
                # An article id is "<category>/<slug>": no index look-up to count or filter it.
                topic = aid.split("/", 1)[0]
                if category and topic != category:
                    continue
                extra[topic] += 1
            passages[aid] = passage
            dense.append(Candidate(aid, len(dense) + 1, cosine))
        if self.fusion == "score":
            base = cosine_base(found.scores)
            order = score_sum(lexical, dense, ceiling=ceiling, cosine_base=base)
        else:
            order = reciprocal_rank(lexical, dense)
        # Only the articles the page can show are read from the index (`keep`).
        fused = []
        for aid, score in order[:keep]:
            if aid in by_id:
                hit = by_id[aid][1]
            else:
                docnum = searcher.document_number(id=aid)
                if docnum is None:
                    continue  # indexed since the passages were written, or skipped
                hit = _dense_only(make_hit(searcher.stored_fields(docnum), 0.0), passages[aid])
            fused.append((score, hit))
        agreeing = agree([hit["id"] for _, hit in ranked], found.ids)
        return Fused(fused, found, ratio, agreeing, extra)

    def generation(self, lang: str) -> str | None:
        """What the passages the dense side reads for `lang` hold (see DenseRetriever.generation)."""
        return self.dense.generation(lang)

    def dense_only(self, lang: str, text: str, limit: int = 10) -> list[str]:
        """The dense side's own ranking (for evaluation): its best articles, always (it has
        no "nothing answers this" of its own: the page decides from both signals)."""
        found = self.dense.search(lang, text, depth=limit)
        return found.ids if found is not None else []


def semantic_search(indexes: IndexStore, encoder: Encoder | None = None) -> SemanticSearch:
    """Semantic search over `indexes`' passages with the process's model (or `encoder`)."""
    return SemanticSearch(DenseRetriever(indexes, encoder or shared_encoder()))


def passage_embedder(cache_dir: Path, encoder: Encoder | None = None) -> PassageEmbedder:
    """What an IndexStore embeds passages with: the process's model through the cache."""
    return PassageEmbedder(encoder or shared_encoder(), cache_dir)


def _dense_only(hit: Any, passage: int) -> Any:
    """A hit only the dense side found: no query word is in it to highlight, so its snippet is
    its summary, or its best passage when it has none (the body is left out: the lexical
    snippet would scan it for words that are not there)."""
    if not hit.get("summary") and passage:
        passages = article_passages(hit.get("title", ""), "", hit.get("body", ""))
        if passage < len(passages):
            text = passages[passage].removeprefix(f"{' '.join(hit.get('title', '').split())}. ")
            hit["summary"] = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    hit["body"] = ""
    return hit
