"""Fusion: which way of joining the lexical and the dense candidates ranks best, measured.

    .venv/bin/python bench/fusion.py --keep /tmp/hc-rel            # the tuning sets
    .venv/bin/python bench/fusion.py --keep /tmp/hc-rel --grid     # and a grid of parameters

Each query of the tuning sets (sample, corpus, colloquial: never dev or dev2) is searched once
through the real code, recording both engines' candidates (the lexical page before fusion,
with its "nothing answers this" verdict, and the dense top 50); then every way of fusing them
is scored on the same candidates: reciprocal-rank fusion (RRF) with its constant and the
dense side's weight, a score fusion (the lexical score ratio plus the scaled cosine), and the
two thresholds of the no-results decision (hybrid.ANSWER_COSINE, hybrid.REJECT_COSINE). Prints
MRR@10 per set and "unanswerable → no results", one row per setting, best first.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from relevance import CODES, LANGUAGES, PLACEHOLDERS, TUNING_SETS, _articles, _queries  # noqa: E402

from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.search import hybrid  # noqa: E402
from helpcenter.search.evaluation import LanguageScore  # noqa: E402
from helpcenter.search.fusion import Candidate, reciprocal_rank, score_sum  # noqa: E402
from helpcenter.search.hybrid import SemanticSearch, passage_embedder, semantic_search  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402


@dataclass
class Recorded:
    """One search's candidates from both engines."""

    lexical: list[tuple[str, float]]  # (id, score) in the lexical page's order
    ceiling: float
    lexically_nothing: bool
    dense: list[tuple[str, float]]  # (id, cosine), best first
    ratio: float = 0.0  # the lexical page's score ratio


class Recorder(SemanticSearch):
    """Keeps what fusion would get and leaves the page lexical."""

    def __init__(self, inner: SemanticSearch) -> None:
        super().__init__(inner.dense)
        self.seen: dict[tuple[str, str], Recorded] = {}

    def fuse(self, lang, text, ranked, *, searcher, ceiling, category, categories, make_hit):
        found = self.dense.search(lang, text, depth=50)
        self.seen[(lang, text)] = Recorded(
            [(hit["id"], score) for score, hit in ranked[: hybrid.LEXICAL_DEPTH]],
            ceiling,
            False,
            list(zip(found.ids, found.scores, strict=True)) if found else [],
        )
        return None  # the page stays lexical: its hits give the lexical verdict


def record(service: SearchService, recorder: Recorder, lang: str, text: str) -> Recorded:
    """Searches like the page (lexically), keeping both engines' candidates."""
    page = service.search(lang, text)
    found = recorder.seen.get((lang, service_clean(text)))
    if found is None:  # no words, or an empty index
        return Recorded([], 0.0, True, [])
    found.lexically_nothing = not page.hits
    found.ratio = page.score_ratio
    if page.corrected_from:  # the lexical page is its correction's
        corrected = recorder.seen.get((lang, page.query))
        if corrected is not None:
            corrected.lexically_nothing = False
            return corrected
    return found


def service_clean(text: str) -> str:
    from helpcenter.search.searcher import clean_query

    return clean_query(text)


@dataclass(frozen=True)
class Setting:
    method: str  # "lexical", "dense", "rrf", "score"
    k: int = 60
    dense_weight: float = 1.0
    cosine_base: float = 0.75
    dense_scale: float = 4.0
    answer_cosine: float = 2.0  # never rescues
    reject_cosine: float = 0.0  # never rejects
    counted_cosine: float = 0.82
    gate: float = 99.0  # a lexical score ratio from which the page stays lexical

    def label(self) -> str:
        if self.method == "lexical":
            return "lexical"
        if self.method == "dense":
            return f"dense answer≥{self.answer_cosine}"
        fusion = (
            f"rrf k={self.k} w={self.dense_weight}"
            if self.method == "rrf"
            else f"score base={self.cosine_base} scale={self.dense_scale}"
        )
        return (
            f"{fusion} counted≥{self.counted_cosine} answer≥{self.answer_cosine} "
            f"reject<{self.reject_cosine}" + (f" gate≥{self.gate}" if self.gate < 99 else "")
        )


def answer(setting: Setting, found: Recorded) -> list[str]:
    best = found.dense[0][1] if found.dense else 0.0
    if setting.method == "lexical":
        return [] if found.lexically_nothing else [aid for aid, _ in found.lexical][:10]
    if setting.method == "dense":
        return [aid for aid, _ in found.dense[:10]] if best >= setting.answer_cosine else []
    if not found.lexically_nothing and found.ratio >= setting.gate:
        return [aid for aid, _ in found.lexical][:10]
    if best < setting.reject_cosine or (found.lexically_nothing and best < setting.answer_cosine):
        return []
    lexical_ids = {aid for aid, _ in found.lexical}
    lexical = [Candidate(aid, rank, score) for rank, (aid, score) in enumerate(found.lexical, 1)]
    dense: list[Candidate] = []
    for aid, cosine in found.dense[: hybrid.DENSE_DEPTH]:
        if aid not in lexical_ids and cosine < setting.counted_cosine:
            continue
        dense.append(Candidate(aid, len(dense) + 1, cosine))
    if setting.method == "rrf":
        order = reciprocal_rank(lexical, dense, k=setting.k, dense_weight=setting.dense_weight)
    else:
        order = score_sum(
            lexical,
            dense,
            ceiling=found.ceiling,
            cosine_base=setting.cosine_base,
            dense_scale=setting.dense_scale,
        )
    return [aid for aid, _ in order][:10]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", type=Path, help="the corpus tree kept by bench/relevance.py")
    parser.add_argument("--embedding-cache", type=Path, help="passage embeddings kept here")
    parser.add_argument("--sets", default=",".join(TUNING_SETS))
    parser.add_argument("--grid", action="store_true", help="also search a grid of parameters")
    args = parser.parse_args()
    chosen = [name for name in args.sets.split(",") if name]
    if any(name not in TUNING_SETS for name in chosen):
        sys.exit(f"tune on {', '.join(TUNING_SETS)} only")
    recorded: dict[str, list[tuple[object, Recorded]]] = {}
    with tempfile.TemporaryDirectory(prefix="hc-fusion-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        cache = args.embedding_cache or scratch / "embedding-cache"
        services: dict[str, tuple[SearchService, Recorder]] = {}
        for name in chosen:
            source = "sample" if name == "sample" else "corpus"
            if source not in services:
                catalog = load_catalog(
                    _articles(name, scratch), LANGUAGES, placeholders=PLACEHOLDERS
                )
                indexes = IndexStore(scratch / f"index-{source}", embedder=passage_embedder(cache))
                for code in CODES:
                    print(indexes.update(catalog, code).describe(), file=sys.stderr)
                recorder = Recorder(semantic_search(indexes))
                service = SearchService(indexes, synonyms=catalog.synonyms.get, semantic=recorder)
                services[source] = (service, recorder)
            service, recorder = services[source]
            recorded[name] = [
                (query, record(service, recorder, query.lang, query.query))
                for query in _queries(name)
            ]

    settings = [Setting("lexical"), Setting("dense", answer_cosine=0.0)]
    settings += [Setting("dense", answer_cosine=a) for a in (0.84, 0.86, 0.88)]
    settings += [Setting("rrf"), Setting("score")]
    if args.grid:
        settings += [
            Setting("rrf", k=k, dense_weight=w, counted_cosine=c)
            for k, w, c in itertools.product((10, 30, 60), (0.5, 0.75, 1.0, 1.5), (0.82, 0.85))
        ]
        settings += [
            Setting("score", cosine_base=b, dense_scale=s, counted_cosine=c)
            for b, s, c in itertools.product((0.75, 0.8), (2.0, 4.0, 8.0, 16.0), (0.82, 0.85))
        ]
        settings += [
            Setting("rrf", k=60, dense_weight=w, gate=g)
            for w, g in itertools.product((0.5, 0.75, 1.0), (0.4, 0.5, 0.6))
        ]
    rows = []
    for setting in settings:
        cells = []
        total = LanguageScore("all")
        for name, pairs in recorded.items():
            score = LanguageScore(name)
            for query, found in pairs:
                score.add(query, answer(setting, found))
            total.merge(score)
            cells.append(score)
        rows.append((total, cells, setting))
    print("| setting | " + " | ".join(recorded) + " | all | unanswerable → no results |")
    print("|---|" + "---|" * (len(recorded) + 2))
    rows.sort(key=lambda row: -row[0].mrr)
    for total, cells, setting in rows:
        print(
            f"| {setting.label()} | "
            + " | ".join(f"{cell.mrr:.3f}" for cell in cells)
            + f" | {total.mrr:.3f} | {total.none_empty}/{total.none_queries} |"
        )
    if args.grid:
        _no_results_grid(recorded)


def _no_results_grid(recorded) -> None:
    """The no-results thresholds with the default fusion: MRR@10 against honest no-results."""
    print("\n| answer≥ | reject< | MRR@10 | unanswerable → no results |\n|---|---|---|---|")
    for answer_cosine, reject_cosine in itertools.product(
        (0.84, 0.85, 0.86, 0.87, 0.88, 2.0), (0.0, 0.8, 0.81, 0.82, 0.83)
    ):
        setting = Setting(hybrid.FUSION, answer_cosine=answer_cosine, reject_cosine=reject_cosine)
        total = LanguageScore("all")
        for pairs in recorded.values():
            for query, found in pairs:
                total.add(query, answer(setting, found))
        print(
            f"| {answer_cosine} | {reject_cosine} | {total.mrr:.3f} | "
            f"{total.none_empty}/{total.none_queries} |"
        )


if __name__ == "__main__":
    main()
