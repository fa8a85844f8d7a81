"""Speed: our search against the SQLite FTS5 baseline on 10,000 real-text articles.

    .venv/bin/python bench/search.py                 # 10,000 articles over six languages
    .venv/bin/python bench/search.py --articles 20000 --rounds 5
    .venv/bin/python bench/search.py --langs pl      # the same build, Polish queries timed

The corpus is the real one (../shared/corpus, 1,280 articles in each of six languages, mapped
by bench/corpus.py); articles beyond that are made from the same language's real paragraphs,
recombined, so term statistics stay those of real help text. Both engines index the same
catalog; each phase runs in a fresh process (so peak memory is that phase's own), and every
query goes through the real code: `SearchService.search` with highlighted snippets for the top
10, and FTS5 `MATCH … ORDER BY bm25 … snippet()`. The queries are those of
bench/eval/corpus.tsv, written like customers write.

Prints build time, index size, query p50/p95 (over all rounds), peak memory, incremental
re-index of one edited article, and the ratio ours/FTS5 for each. The machine is shared and
noisy, so compare the ratios and run it twice before believing a change.

Ours is measured twice: as shipped (semantic search on: passages embedded with the index, each
query embedded before it is searched) and lexical only (SEARCH_SEMANTIC off). Each timed round
starts with an empty result cache (and, semantic, an empty query-embedding cache), so its
p50/p95 include searching (and embedding) the query; "repeated query" is a round with every
query already searched, answered from the result cache as the site answers a repeated search;
"repeated query, Redis" the same with the results in Redis (SEARCH_RESULT_CACHE_URL), a private
redis-server started on loopback on this machine (skipped without Debian's redis-server).
Passage embeddings are kept in --embedding-cache between runs (the first run embeds the whole
corpus, which takes long: its rate is printed); "passages embedded" says how many this run
embedded.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from corpus import build_corpus_tree  # noqa: E402
from fts5 import Fts5Baseline  # noqa: E402
from timing import percentile  # noqa: E402

from helpcenter.content.frontmatter import parse_front_matter  # noqa: E402
from helpcenter.content.loader import TreeLoader, load_catalog  # noqa: E402
from helpcenter.languages import resolve_languages  # noqa: E402
from helpcenter.search.evaluation import read_queries  # noqa: E402
from helpcenter.search.hybrid import passage_embedder, semantic_search  # noqa: E402
from helpcenter.search.indexer import IndexStore, article_document  # noqa: E402
from helpcenter.search.result_cache import LruResults  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402
from helpcenter.search.semantic import article_passages  # noqa: E402
from helpcenter.search.shared_results import RedisResults  # noqa: E402
from helpcenter.search.sync import deepen_indexes, update_indexes  # noqa: E402
from helpcenter.settings import SETTINGS  # noqa: E402
from tests.redisserver import RedisServer  # noqa: E402

CODES = ["en", "pl", "he", "lt", "el", "hr"]
LANGUAGES = resolve_languages(CODES, "en")
GENERATED = "generated"
# The site's result cache (SEARCH_RESULT_CACHE): "repeated query" is served from it.
RESULT_CACHE = next(s.default for s in SETTINGS if s.name == "SEARCH_RESULT_CACHE")
# Each phase runs in a process of its own: they must all trust the builds (indexer.py's seal).
BENCH_SECRET = "bench"


# ---------------------------------------------------------------- the corpus


def make_tree(destination: Path, total: int, seed: int = 7) -> dict[str, int]:
    """The real corpus, topped up to `total` articles with recombined same-language paragraphs."""
    counts = build_corpus_tree(destination, languages=CODES)
    missing = max(0, total - sum(counts.values()))
    rng = random.Random(seed)
    for index, lang in enumerate(CODES):
        share = missing // len(CODES) + (1 if index < missing % len(CODES) else 0)
        if share:
            counts[lang] += _generate(destination / lang, share, rng)
    return counts


def _generate(lang_dir: Path, count: int, rng: random.Random) -> int:
    sources = []
    for path in sorted(lang_dir.glob("*/*.md")):
        if path.name == "_category.md":
            continue
        parsed = parse_front_matter(path.read_text(encoding="utf-8"))
        paragraphs = [p for p in parsed.body.split("\n\n") if p.strip()]
        if paragraphs:
            sources.append((str(parsed.values.get("title", path.stem)), paragraphs))
    out = lang_dir / GENERATED
    out.mkdir(exist_ok=True)
    (out / "_category.md").write_text("---\ntitle: More articles\n---\n", encoding="utf-8")
    for number in range(count):
        picked = rng.sample(sources, 3)
        title = picked[0][0].replace('"', "'")
        body = "\n\n".join(p for _, paragraphs in picked for p in paragraphs[:6])
        (out / f"article-{number:05d}.md").write_text(
            f'---\ntitle: "{title} ({number})"\n---\n\n{body}\n', encoding="utf-8"
        )
    return count


# ---------------------------------------------------------------- phases (each in its own process)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Each phase runs in its own process, and a store trusts only builds sealed with its secret.
SECRET = "bench"
PROCESSES = 2  # embedding processes while building (the SEARCH_INDEX_PROCESSES default)


def _store(work: Path, cache: Path | None) -> IndexStore:
    """Ours: semantic when given an embedding cache, else lexical only (its own folder)."""
    if cache is None:
        return IndexStore(work / "index-lexical", secret=SECRET)
    return IndexStore(work / "index", secret=SECRET, embedder=passage_embedder(cache))


class _Deadline(Exception):
    """The bench's time for tier 2 is over (the build stays consistent: see deepen)."""


def _stop_after(minutes: float | None):
    deadline = time.perf_counter() + minutes * 60 if minutes else None

    def progress(_lang: str, _done: int, _of: int) -> None:
        if deadline is not None and time.perf_counter() > deadline:
            raise _Deadline

    return progress


def build_ours(
    articles: Path, work: Path, cache: Path | None = None, deep_minutes: float | None = None
) -> dict:
    """What `helpcenter index` does: every article searchable (its words, and its head
    passage when semantic), then the body's passages embedded into the live build (tier 2;
    at normal priority here, where `helpcenter index` lowers it, so that the figure is the
    machine's and not the neighbours' load)."""
    catalog = load_catalog(articles, LANGUAGES)
    store = _store(work, cache)
    embedder = store.embedder
    if embedder is not None:
        embedder.processes = PROCESSES
    started = time.perf_counter()
    update_indexes(store, catalog, full=True, deep=False)
    searchable = time.perf_counter() - started
    heads = embedder.embedded if embedder else 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    stopped = False
    if embedder is not None:
        try:
            deepen_indexes(store, catalog, niceness=0, progress=_stop_after(deep_minutes))
        except _Deadline:
            stopped = True
        embedder.close()
    return {
        "build_s": searchable,
        "deep_s": time.perf_counter() - started,
        "pending": sum(store.pending(lang.code) for lang in LANGUAGES) if embedder else 0,
        "pending_passages": _pending_passages(store, catalog) if embedder else 0,
        "stopped": stopped,
        "peak_mb": _peak_mb(),
        "helper_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "heads": heads,
        "embedded": embedder.embedded if embedder else 0,
        "reused": embedder.reused if embedder else 0,
    }


def _pending_passages(store: IndexStore, catalog) -> int:
    """The body passages tier 2 has still to embed."""
    total = 0
    for lang in LANGUAGES:
        current = store._current(lang.code)
        for aid in current.pending if current is not None else []:
            document = article_document(catalog.articles[(lang.code, aid)])
            passages = article_passages(document["title"], document["summary"], document["body"])
            total += len(passages) - 1
    return total


def build_fts5(articles: Path, work: Path) -> dict:
    catalog = load_catalog(articles, LANGUAGES)
    started = time.perf_counter()
    baseline = Fts5Baseline(work / "fts5.sqlite3")
    baseline.build(catalog)
    baseline.close()
    return {"build_s": time.perf_counter() - started, "peak_mb": _peak_mb()}


def query_ours(
    work: Path, queries: list[tuple[str, str]], rounds: int, cache: Path | None = None
) -> dict:
    store = _store(work, cache)
    semantic = semantic_search(store) if cache is not None else None
    results = LruResults(RESULT_CACHE)
    service = SearchService(store, refresh_interval=3600, semantic=semantic, results=results)
    search = lambda lang, text: service.search(lang, text).hits  # noqa: E731

    def forget() -> None:
        # Each timed round searches and (semantic) embeds its queries again.
        results.clear()
        if semantic is not None:
            semantic.dense._queries.clear()

    timed = _time_queries(search, queries, rounds, forget=forget)
    repeated = _time_queries(search, queries, 1)
    shared = _repeated_in_redis(store, semantic, queries, work)
    return {
        **timed,
        "repeated_p50_ms": repeated["p50_ms"],
        "repeated_p95_ms": repeated["p95_ms"],
        **shared,
    }


def _repeated_in_redis(store, semantic, queries: list[tuple[str, str]], work: Path) -> dict:
    """ "repeated query" with the results in Redis (SEARCH_RESULT_CACHE_URL): a private
    redis-server on loopback on this machine, so a round trip without a network; the warm-up
    searches every query into it, then a timed round reads them. {} without redis-server."""
    if shutil.which("redis-server") is None:
        return {}
    server = RedisServer(work / f"redis-{'semantic' if semantic else 'lexical'}")
    try:
        results = RedisResults(server.url, ttl=3600)
        service = SearchService(store, refresh_interval=3600, semantic=semantic, results=results)
        search = lambda lang, text: service.search(lang, text).hits  # noqa: E731
        repeated = _time_queries(search, queries, 1)  # its warm-up fills Redis
    finally:
        server.stop()
    return {"redis_p50_ms": repeated["p50_ms"], "redis_p95_ms": repeated["p95_ms"]}


def query_fts5(work: Path, queries: list[tuple[str, str]], rounds: int) -> dict:
    baseline = Fts5Baseline(work / "fts5.sqlite3")
    return _time_queries(baseline.search, queries, rounds)


def _time_queries(search, queries: list[tuple[str, str]], rounds: int, forget=None) -> dict:
    for lang, text in queries:  # warm-up: open searchers, fill the OS page cache
        search(lang, text)
    before = _peak_mb()
    timings = []
    for _ in range(rounds):
        if forget is not None:
            forget()
        for lang, text in queries:
            started = time.perf_counter()
            search(lang, text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "max_ms": timings[-1],
        "queries": len(timings),
        "peak_mb": max(before, _peak_mb()),
    }


def reindex_ours(articles: Path, work: Path, cache: Path | None = None, edit: int = 1) -> dict:
    """What `helpcenter serve` does after a writer saves: reload the catalog, update the index
    (and, semantic, embed the edited article's passages again and rewrite the passages file)."""
    loader = TreeLoader(articles, LANGUAGES)
    loader.load()
    edited = _edit_one(articles, edit)
    started = time.perf_counter()
    catalog = loader.load()  # only the edited file is read again (bench/reload.py)
    loaded = time.perf_counter()
    store = _store(work, cache)
    stats = update_indexes(store, catalog)
    finished = time.perf_counter()
    changed = sum(s.updated + s.added + s.removed for s in stats)
    return {
        "reindex_s": finished - loaded,
        "reload_s": loaded - started,
        "changed": changed,
        "embedded": store.embedder.embedded if store.embedder else 0,
        "edited": edited,
    }


def reindex_fts5(articles: Path, work: Path, edited: str) -> dict:
    catalog = load_catalog(articles, LANGUAGES)
    baseline = Fts5Baseline(work / "fts5.sqlite3")
    article = catalog.articles[("en", edited)]
    started = time.perf_counter()
    baseline.replace(article)
    return {"reindex_s": time.perf_counter() - started, "changed": 1}


EDITED = "insights/problem-resetting-password"


def _edit_one(articles: Path, edit: int = 1) -> str:
    """Adds a sentence to one English article (new text for each `edit`); returns its id."""
    path = articles / "en" / f"{EDITED}.md"
    if not path.exists():  # the corpus changed: take any English article
        path = next((articles / "en" / "insights").glob("[!_]*.md"))
    # At the top of the body, so its first passages change (and are embedded again).
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---", 3) + len("\n---\n")
    sentence = f"Edited ({edit}, {time.time()}): one more sentence a writer added.\n\n"
    path.write_text(text[:end] + sentence + text[end:], encoding="utf-8")
    return f"{path.parent.name}/{path.stem}"


def in_child(function, *args):
    # Not a multiprocessing.Pool: its workers are daemons, which may not start the
    # embedding helper processes.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


# ---------------------------------------------------------------- report


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _row(name: str, ours: float, base: float, unit: str) -> str:
    ratio = ours / base if base else float("inf")
    return f"{name:<34}{ours:>10.1f} {unit:<3}{base:>10.1f} {unit:<3}{ratio:>8.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=10_000, help="total articles (default 10,000)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "helpcenter-bench-embeddings",
        help="passage embeddings kept between runs (default: %(default)s)",
    )
    parser.add_argument(
        "--deep-minutes",
        type=float,
        help="stop embedding the body's passages after this long (their rate is printed)",
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the corpus and the indexes in this (new) folder"
    )
    args = parser.parse_args()
    cache = args.embedding_cache
    queries = [(q.lang, q.query) for q in read_queries(BENCH / "eval" / "corpus.tsv")]

    with tempfile.TemporaryDirectory(prefix="hc-bench-") as scratch:
        work = Path(scratch)
        if args.keep:
            args.keep.mkdir(parents=True)
            work = args.keep
        articles = work / "articles"
        started = time.perf_counter()
        counts = make_tree(articles, args.articles)
        print(
            f"corpus: {sum(counts.values())} articles "
            f"({', '.join(f'{k} {v}' for k, v in counts.items())}), "
            f"{_size_mb(articles):.0f} MB of Markdown, made in {time.perf_counter() - started:.0f} s"
        )
        ours_build = in_child(build_ours, articles, work, cache, args.deep_minutes)
        lexical_build = in_child(build_ours, articles, work)
        fts5_build = in_child(build_fts5, articles, work)
        ours_query = in_child(query_ours, work, queries, args.rounds, cache)
        lexical_query = in_child(query_ours, work, queries, args.rounds)
        fts5_query = in_child(query_fts5, work, queries, args.rounds)
        ours_reindex = in_child(reindex_ours, articles, work, cache, 1)
        lexical_reindex = in_child(reindex_ours, articles, work, None, 2)
        fts5_reindex = in_child(reindex_fts5, articles, work, ours_reindex["edited"])
        index_mb = _size_mb(work / "index")
        lexical_mb = _size_mb(work / "index-lexical")
        fts5_mb = (work / "fts5.sqlite3").stat().st_size / 1e6

    print(f"queries: {len(queries)} × {args.rounds} rounds, top 10 with highlighted snippets")
    print(
        f"passages: {ours_build['embedded']} embedded by this run in {PROCESSES} processes "
        f"({ours_build['heads']} head passages before searchable), "
        f"{ours_build['reused']} from the embedding cache; every passage embedded "
        f"{ours_build['deep_s']:.0f} s after the build started; peak memory of an embedding "
        f"helper {ours_build['helper_peak_mb']:.0f} MB"
    )
    if ours_build["stopped"]:
        deep = ours_build["embedded"] - ours_build["heads"]
        seconds = ours_build["deep_s"] - ours_build["build_s"]
        print(
            f"  stopped after {seconds:.0f} s of tier 2 (--deep-minutes): {deep} body passages "
            f"embedded ({deep / max(seconds, 1e-9):.2f}/s), {ours_build['pending']} articles "
            f"still with their head passage only ({ours_build['pending_passages']} body "
            "passages to go)"
        )
    print()
    columns = (("helpcenter", ours_build, ours_query, ours_reindex, index_mb),)
    columns += (("lexical only", lexical_build, lexical_query, lexical_reindex, lexical_mb),)
    for label, build, query, reindex, size in columns:
        print(f"{label:<34}{'ours':>14}{'FTS5':>14}{'ratio':>9}")
        print(_row("full build: searchable", build["build_s"], fts5_build["build_s"], "s"))
        if build.get("heads"):
            print(_row("  every passage embedded", build["deep_s"], fts5_build["build_s"], "s"))
        print(_row("  peak memory while building", build["peak_mb"], fts5_build["peak_mb"], "MB"))
        print(_row("index size", size, fts5_mb, "MB"))
        print(_row("query p50", query["p50_ms"], fts5_query["p50_ms"], "ms"))
        print(_row("query p95", query["p95_ms"], fts5_query["p95_ms"], "ms"))
        print(_row("query max", query["max_ms"], fts5_query["max_ms"], "ms"))
        if "repeated_p50_ms" in query:
            print(_row("repeated query p50", query["repeated_p50_ms"], fts5_query["p50_ms"], "ms"))
            print(_row("repeated query p95", query["repeated_p95_ms"], fts5_query["p95_ms"], "ms"))
        if "redis_p50_ms" in query:
            print(
                _row("repeated query p50, Redis", query["redis_p50_ms"], fts5_query["p50_ms"], "ms")
            )
            print(
                _row("repeated query p95, Redis", query["redis_p95_ms"], fts5_query["p95_ms"], "ms")
            )
        print(_row("  peak memory while searching", query["peak_mb"], fts5_query["peak_mb"], "MB"))
        print(
            _row(
                "re-index one edited article",
                reindex["reindex_s"] * 1000,
                fts5_reindex["reindex_s"] * 1000,
                "ms",
            )
        )
        print(
            f"  (plus {reindex['reload_s'] * 1000:.0f} ms to reload the changed catalog; "
            f"{reindex['changed']} document changed, {reindex['embedded']} passages embedded)\n"
        )


if __name__ == "__main__":
    main()
