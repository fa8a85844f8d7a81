"""Relevance: our search against the SQLite FTS5 baseline on the same evaluation sets.

    .venv/bin/python bench/relevance.py                    # every set, side by side
    .venv/bin/python bench/relevance.py --sets sample      # only the sample content
    .venv/bin/python bench/relevance.py --keep /tmp/hc-rel # reuse the corpus tree and indexes

Sets: `sample` (bench/eval/sample.tsv on the bundled articles), `corpus`
(bench/eval/corpus.tsv on the real corpus, ../shared/corpus), `colloquial`
(bench/eval/colloquial.tsv: customer-style paraphrases on the real corpus, unanswerable
questions included) and `dev`
(../shared/corpus/queries-dev.tsv, written by people who never saw the engine; its `expected`
column names the source file under AlchemyInsights/, mapped to ids by bench/corpus.py) and
`dev2` (../shared/corpus/queries-dev2.tsv, the same recipe on articles no other set touches,
with a `kind` column). Tune on `sample`, `corpus` and `colloquial` only: `dev` and `dev2` are
checks, which is why `--misses` never lists their queries (and `dev` is contaminated:
bench/eval/learning-paraphrases.tsv asks for all its articles).

Prints, per set and language, MRR@10, recall@1, recall@10 and "unanswerable -> no results"
(queries whose answer is NONE that found nothing) for FTS5 and for ours: lexical alone,
semantic alone and fused (the page customers see), and a bound (the better of lexical and
semantic per query, chosen knowing the answer), as Markdown tables; then the same per kind
of query (sets without a `kind` column are one kind, "all"). `--lexical` measures lexical
search only (SEARCH_SEMANTIC off), without loading the model. The passage embeddings are kept
in `--embedding-cache` (default: embedding-cache/ in the `--keep` folder), so only the first
run embeds the corpus.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from corpus import DEFAULT_CORPUS, build_corpus_tree, corpus_ids  # noqa: E402
from fts5 import Fts5Baseline  # noqa: E402

from helpcenter.config_file import load_config_file  # noqa: E402
from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.languages import resolve_languages  # noqa: E402
from helpcenter.search.evaluation import (  # noqa: E402
    NONE,
    Answers,
    EvalQuery,
    LanguageScore,
    answers,
    by_kind,
    engine_functions,
    read_queries,
    score_answers,
)
from helpcenter.search.hybrid import passage_embedder, semantic_search  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402
from helpcenter.settings import article_placeholders, defaults  # noqa: E402

CODES = ["en", "pl", "he", "lt", "el", "hr"]
LANGUAGES = resolve_languages(CODES, "en")
# The sample content's own identity (support hours and the like fill its articles' placeholders).
PLACEHOLDERS = article_placeholders(
    {**defaults(), **load_config_file(BENCH.parent / "helpcenter.toml").values}, CODES
)
DEV_QUERIES = {
    "dev": DEFAULT_CORPUS.parent / "queries-dev.tsv",
    "dev2": DEFAULT_CORPUS.parent / "queries-dev2.tsv",
}
SETS = ("sample", "corpus", "colloquial", "dev", "dev2")
TUNING_SETS = ("sample", "corpus", "colloquial")


def _queries(name: str):
    if name in TUNING_SETS:
        return read_queries(BENCH / "eval" / f"{name}.tsv")
    ids = corpus_ids()
    return read_queries(
        DEV_QUERIES[name], lambda path: ids.get(path.removeprefix("AlchemyInsights/"), path)
    )


def _articles(name: str, scratch: Path) -> Path:
    if name == "sample":
        return BENCH.parent / "articles"
    articles = scratch / "articles"
    if not articles.exists():
        build_corpus_tree(articles)
    return articles


def _cell(score: LanguageScore | None, metric: str) -> str:
    if score is None:
        return ""
    if metric == "none":
        return f"{score.none_empty}/{score.none_queries}" if score.none_queries else ""
    if not score.answerable:
        return ""
    value = {"mrr": score.mrr, "r1": score.recall_at_1, "r10": score.recall_at_10}[metric]
    return f"{value:.3f}" if metric == "mrr" else f"{value:.2f}"


METRICS = {"mrr": "MRR@10", "r1": "R@1", "r10": "R@10", "none": "unanswerable → no results"}


def table(results: dict[str, dict[str, dict[str, LanguageScore]]], columns=None) -> str:
    """Markdown: one row per set, engine and metric; one column per language (or kind) and
    overall."""
    columns = columns or [*CODES, "all"]
    lines = [
        "| set | engine | metric | " + " | ".join(columns) + " |",
        "|---|---|---|" + "---|" * len(columns),
    ]
    for set_name, engines in results.items():
        for engine, scores in engines.items():
            for metric, label in METRICS.items():
                cells = [_cell(scores.get(code), metric) for code in columns]
                if not any(cells):
                    continue
                lines.append(f"| {set_name} | {engine} | {label} | " + " | ".join(cells) + " |")
        shown = "fused" if "fused" in engines else "lexical"
        ours, theirs = engines[shown], engines["FTS5"]
        ratios = [
            f"{ours[code].mrr / theirs[code].mrr:.2f}×"
            if code in ours and ours[code].answerable and code in theirs and theirs[code].mrr
            else ""
            for code in columns
        ]
        lines.append(f"| {set_name} | {shown} ÷ FTS5 | MRR@10 | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


# Not an engine: per query, the better of the lexical and the semantic ranking, chosen knowing
# the answer — what always picking the right engine would give. A fusion can beat it only by
# lifting answers that both engines rank low, so it says how far a better fusion of these two
# signals can go, and where a better signal is needed instead.
BOUND = "better of the two (bound)"


def better_of(lexical: Answers, semantic: Answers) -> Answers:
    """Each query with whichever of its two rankings puts its answer higher (the lexical one on
    a tie and for unanswerable questions: only it can say "nothing answers this")."""

    def rank(query: EvalQuery, ids: list[str]) -> float:
        top = ids[:10]
        return top.index(query.expected) if query.expected in top else float("inf")

    return [
        (query, dense if query.expected != NONE and rank(query, dense) < rank(query, ids) else ids)
        for (query, ids), (_, dense) in zip(lexical, semantic, strict=True)
    ]


def _fts5(baseline: Fts5Baseline):
    return lambda lang, text: [hit.id for hit in baseline.search(lang, text)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    parser.add_argument(
        "--keep", type=Path, help="keep the corpus tree and indexes here and reuse them next time"
    )
    parser.add_argument("--langs", help="comma-separated language codes (default: all six)")
    parser.add_argument(
        "--misses", action="store_true", help="list the tuning sets' queries not answered first"
    )
    parser.add_argument(
        "--lexical", action="store_true", help="lexical search only (SEARCH_SEMANTIC off)"
    )
    parser.add_argument(
        "--embedding-cache", type=Path, help="where passage embeddings are kept between runs"
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.sets.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SETS]
    if unknown:
        parser.error(f"unknown sets {unknown}; known: {', '.join(SETS)}")
    langs = set(args.langs.split(",")) if args.langs else set(CODES)
    results: dict[str, dict[str, dict[str, LanguageScore]]] = {}
    kinds: dict[str, dict[str, dict[str, LanguageScore]]] = {}
    with tempfile.TemporaryDirectory(prefix="hc-relevance-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        engines: dict[str, tuple[SearchService, Fts5Baseline]] = {}
        known_ids: dict[str, set[str]] = {}
        for name in chosen:
            source = "sample" if name == "sample" else "corpus"
            if source not in engines:
                catalog = load_catalog(
                    _articles(name, scratch), LANGUAGES, placeholders=PLACEHOLDERS
                )
                embedder = None
                if not args.lexical:
                    cache = args.embedding_cache or scratch / "embedding-cache"
                    embedder = passage_embedder(cache)
                indexes = IndexStore(scratch / f"index-{source}", embedder=embedder)
                for code in sorted(langs):
                    print(indexes.update(catalog, code).describe(), file=sys.stderr)
                baseline = Fts5Baseline()
                baseline.build(catalog)
                service = SearchService(
                    indexes,
                    synonyms=catalog.synonyms.get,
                    semantic=None if args.lexical else semantic_search(indexes),
                )
                engines[source] = (service, baseline)
                known_ids[source] = {article_id for _, article_id in catalog.articles}
            service, baseline = engines[source]
            queries = [query for query in _queries(name) if query.lang in langs]
            # An answer no article has (a typo, a case slip) would count as a miss forever.
            unknown_answers = sorted(
                f"{query.line}: {query.expected}"
                for query in queries
                if query.expected != NONE and query.expected not in known_ids[source]
            )
            if unknown_answers:
                sys.exit(f"{name}: answers that are no article's id: {unknown_answers}")
            found = {"FTS5": answers(queries, _fts5(baseline))}
            for engine, search in engine_functions(service).items():
                found[engine] = answers(queries, search)
            if "semantic" in found:
                found[BOUND] = better_of(found["lexical"], found["semantic"])
            label = f"{name} ({len(queries)})"
            results[label] = {engine: score_answers(pairs) for engine, pairs in found.items()}
            kinds[label] = {
                engine: score_answers(pairs, by_kind) for engine, pairs in found.items()
            }
            if args.misses and name in TUNING_SETS:
                shown = "fused" if "fused" in results[label] else "lexical"
                for score in results[label][shown].values():
                    for query, top in score.misses:
                        print(
                            f"{name}:{query.line}: {query.lang} {query.query!r} -> {top} (want {query.expected})"
                        )
    print(table(results))
    print()
    kind_columns = sorted(
        {kind for engines in kinds.values() for kind in engines["FTS5"]} - {"all"}
    )
    print(table(kinds, [*kind_columns, "all"]))


if __name__ == "__main__":
    main()
