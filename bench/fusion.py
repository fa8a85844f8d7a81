"""Fusion: which way of joining the lexical and the dense candidates ranks best, measured.

    .venv/bin/python bench/fusion.py --keep /tmp/hc-rel            # the tuning sets
    .venv/bin/python bench/fusion.py --keep /tmp/hc-rel --grid     # and a grid of parameters

Each query of the tuning sets (sample, corpus, colloquial: never dev or dev2) is searched once
through the real code, recording both engines' candidates (the lexical page before fusion,
with its "nothing answers this" verdict, and the dense top 50); then every way of fusing them
is scored on the same candidates: reciprocal-rank fusion (RRF) with its constant and the
dense side's weight, a score fusion (the lexical score ratio plus the scaled cosine), and the
no-results decision (fusion.ANSWER_COSINE, fusion.DOUBTFUL_RATIO, fusion.FLAT_PEAK and the
engines' agreement, fusion.agree). Prints
MRR@10 per set and "unanswerable → no results", one row per setting, best first.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from relevance import CODES, LANGUAGES, PLACEHOLDERS, TUNING_SETS, _articles, _queries  # noqa: E402

from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.search import fusion, hybrid  # noqa: E402
from helpcenter.search.evaluation import EvalQuery, LanguageScore  # noqa: E402
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

    def fuse(self, lang, text, ranked, *, ceiling, **_):
        found = self.dense.search(lang, text, depth=50)
        self.seen[(lang, text)] = Recorded(
            [(hit["id"], score) for score, hit in ranked],
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
    from helpcenter.search.plan import clean_query

    return clean_query(text)


@dataclass(frozen=True)
class Setting:
    method: str  # "lexical", "dense", "rrf", "score"
    k: int = fusion.RRF_K
    dense_weight: float = fusion.DENSE_WEIGHT
    cosine_base: float | None = None  # None: the query's background + base_offset (fusion.py)
    base_offset: float = fusion.BASE_ABOVE_BACKGROUND
    dense_scale: float = fusion.DENSE_SCALE
    counted_cosine: float = hybrid.COUNTED_COSINE
    answer_cosine: float = fusion.ANSWER_COSINE  # 2.0: never overrules the lexical floor
    doubtful_ratio: float = fusion.DOUBTFUL_RATIO  # 0.0: never says nothing for the lexical side
    flat_peak: float = fusion.FLAT_PEAK
    agreement: bool = True  # False: a doubtful page is no answer even when the engines agree
    gate: float = hybrid.CONFIDENT_RATIO  # a lexical score ratio from which the page is lexical

    def label(self) -> str:
        decision = (
            f"answer≥{self.answer_cosine} doubtful<{self.doubtful_ratio} flat<{self.flat_peak}"
            + ("" if self.agreement else " without agreement")
        )
        if self.method == "lexical":
            return "lexical"
        if self.method == "dense":
            return "dense alone"
        method = (
            f"rrf k={self.k} w={self.dense_weight}"
            if self.method == "rrf"
            else f"score base={self._base()} scale={self.dense_scale}"
        )
        gate = f" lexical from ratio {self.gate}" if self.gate < 99 else ""
        return f"{method} counted≥{self.counted_cosine} {decision}{gate}"

    def _base(self) -> str:
        if self.cosine_base is not None:
            return str(self.cosine_base)
        return f"background{self.base_offset:+}"


def answer(setting: Setting, found: Recorded) -> list[str]:
    if setting.method == "lexical":
        return [] if found.lexically_nothing else [aid for aid, _ in found.lexical][:10]
    cosines = [cosine for _, cosine in found.dense[: hybrid.DENSE_DEPTH]]
    decision = {
        "answer_cosine": setting.answer_cosine,
        "doubtful_ratio": setting.doubtful_ratio,
        "flat_peak": setting.flat_peak,
        "agreeing": setting.agreement
        and fusion.agree([aid for aid, _ in found.lexical], [aid for aid, _ in found.dense]),
    }
    if setting.method == "dense":
        return [aid for aid, _ in found.dense[:10]]
    if found.lexical and found.ratio >= setting.gate:
        return [aid for aid, _ in found.lexical][:10]
    if fusion.nothing_answers(found.lexically_nothing, found.ratio, cosines, **decision):
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
            cosine_base=setting.cosine_base
            if setting.cosine_base is not None
            else _relative_base(cosines, setting.base_offset),
            dense_scale=setting.dense_scale,
        )
    return [aid for aid, _ in order][:10]


def _relative_base(cosines: list[float], offset: float) -> float:
    level = fusion.background(cosines)
    return fusion.COSINE_BASE if level is None else level + offset


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", type=Path, help="the corpus tree kept by bench/relevance.py")
    parser.add_argument("--embedding-cache", type=Path, help="passage embeddings kept here")
    parser.add_argument("--sets", default=",".join(TUNING_SETS))
    parser.add_argument("--grid", action="store_true", help="also search a grid of parameters")
    parser.add_argument("--langs", help="comma-separated language codes (default: all six)")
    parser.add_argument("--dump", type=Path, help="also write the recorded candidates (JSON)")
    parser.add_argument("--load", type=Path, help="score candidates --dump wrote, searching none")
    args = parser.parse_args()
    langs = args.langs.split(",") if args.langs else CODES
    chosen = [name for name in args.sets.split(",") if name]
    if any(name not in TUNING_SETS for name in chosen):
        sys.exit(f"tune on {', '.join(TUNING_SETS)} only")
    recorded: dict[str, list[tuple[object, Recorded]]] = {}
    if args.load:
        recorded = _load(args.load)
    with tempfile.TemporaryDirectory(prefix="hc-fusion-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        cache = args.embedding_cache or scratch / "embedding-cache"
        services: dict[str, tuple[SearchService, Recorder]] = {}
        for name in [] if args.load else chosen:
            source = "sample" if name == "sample" else "corpus"
            if source not in services:
                catalog = load_catalog(
                    _articles(name, scratch), LANGUAGES, placeholders=PLACEHOLDERS
                )
                indexes = IndexStore(scratch / f"index-{source}", embedder=passage_embedder(cache))
                for code in langs:
                    print(indexes.update(catalog, code).describe(), file=sys.stderr)
                recorder = Recorder(semantic_search(indexes))
                service = SearchService(indexes, synonyms=catalog.synonyms.get, semantic=recorder)
                services[source] = (service, recorder)
            service, recorder = services[source]
            recorded[name] = [
                (query, record(service, recorder, query.lang, query.query))
                for query in _queries(name)
                if query.lang in langs
            ]

    if args.dump:
        args.dump.write_text(
            json.dumps(
                {
                    name: [
                        [dataclasses.asdict(query), dataclasses.asdict(found)]
                        for query, found in pairs
                    ]
                    for name, pairs in recorded.items()
                }
            )
        )
    # The lexical verdict alone, and fusion for every query.
    never = {"answer_cosine": 2.0, "doubtful_ratio": 0.0, "gate": 99.0}
    settings = [Setting("lexical"), Setting("dense")]
    settings += [Setting("rrf", **never), Setting("score", **never)]
    settings += [Setting(hybrid.FUSION)]
    if args.grid:
        settings += [
            Setting("rrf", k=k, dense_weight=w, counted_cosine=c, **never)
            for k, w, c in itertools.product((10, 30, 60), (0.5, 0.75, 1.0, 1.5), (0.82, 0.85))
        ]
        settings += [
            Setting("score", cosine_base=b, dense_scale=s, counted_cosine=c, **never)
            for b, s, c in itertools.product((0.75, 0.8, 0.82), (2.0, 3.0, 4.0, 6.0), (0.82, 0.85))
        ]
        settings += [
            Setting("score", base_offset=o, dense_scale=s, **never)
            for o, s in itertools.product((-0.02, -0.01, 0.0, 0.01), (3.0, 4.0, 6.0))
        ]
        # Fixed bases and the background's with the page's no-results decision.
        settings += [
            Setting(hybrid.FUSION, cosine_base=b, dense_scale=s)
            for b, s in itertools.product((0.8, 0.82), (3.0, 4.0))
        ]
        settings += [
            Setting(hybrid.FUSION, base_offset=o, dense_scale=s)
            for o, s in itertools.product((-0.02, -0.01, 0.0), (3.0, 4.0, 6.0))
        ]
        settings += [Setting(hybrid.FUSION, gate=g) for g in (0.4, 0.5, 0.6, 0.8, 99.0)]
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
        rows.append((sum(cell.mrr for cell in cells) / len(cells), total, cells, setting))
    # Settings are picked by the sets' mean: the colloquial set, the largest, would otherwise
    # outweigh the other two.
    print("| setting | " + " | ".join(recorded) + " | mean | all | unanswerable → no results |")
    print("|---|" + "---|" * (len(recorded) + 3))
    rows.sort(key=lambda row: -row[0])
    for mean, total, cells, setting in rows:
        print(
            f"| {setting.label()} | "
            + " | ".join(f"{cell.mrr:.3f}" for cell in cells)
            + f" | {mean:.3f} | {total.mrr:.3f} | {total.none_empty}/{total.none_queries} |"
        )
    if args.grid:
        _no_results_grid(recorded)


def _load(path: Path) -> dict[str, list[tuple[EvalQuery, Recorded]]]:
    recorded = {}
    for name, pairs in json.loads(path.read_text()).items():
        recorded[name] = []
        for query, found in pairs:
            found["lexical"] = [tuple(pair) for pair in found["lexical"]]
            found["dense"] = [tuple(pair) for pair in found["dense"]]
            recorded[name].append((EvalQuery(**query), Recorded(**found)))
    return recorded


def _no_results_grid(recorded) -> None:
    """The no-results decision with the page's fusion: MRR@10 against honest no-results."""
    print("\n| answer≥ | doubtful< | flat< | agreement | MRR@10 | unanswerable → no results |")
    print("|---|---|---|---|---|---|")
    for answer_cosine, doubtful, flat, agreement in itertools.product(
        (0.86, 0.87, 0.88, 0.89, 2.0),
        (0.0, 0.2, 0.25, 0.3, 0.35, 0.4),
        (0.01, 0.015, 0.02, 0.025, 0.03),
        (True, False),
    ):
        setting = Setting(
            hybrid.FUSION,
            answer_cosine=answer_cosine,
            doubtful_ratio=doubtful,
            flat_peak=flat,
            agreement=agreement,
        )
        total = LanguageScore("all")
        for pairs in recorded.values():
            for query, found in pairs:
                total.add(query, answer(setting, found))
        print(
            f"| {answer_cosine} | {doubtful} | {flat} | {agreement} | {total.mrr:.3f} | "
            f"{total.none_empty}/{total.none_queries} |"
        )


if __name__ == "__main__":
    main()
