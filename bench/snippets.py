"""Snippets: our snippet builder against Whoosh's highlighter on the same hits.

    .venv/bin/python bench/snippets.py

Indexes the real corpus (bench/corpus.py, 1,280 articles in six languages) into a temporary
folder, runs the corpus evaluation queries, and for the top 10 hits of each builds snippets
with `helpcenter.search.snippets.make_snippet` and, as the baseline, with
`whoosh.highlight.highlight` (the same analyzer and query terms, the fragmenter the search
page used before). Prints the time per page of 10 results: median and p95.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from corpus import build_corpus_tree  # noqa: E402
from timing import percentile  # noqa: E402
from whoosh import highlight  # noqa: E402

from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.languages import resolve_languages  # noqa: E402
from helpcenter.search.analyzers import analyzer_for  # noqa: E402
from helpcenter.search.evaluation import read_queries  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.plan import clean_query, plan_query  # noqa: E402
from helpcenter.search.searcher import build_query  # noqa: E402
from helpcenter.search.snippets import make_snippet  # noqa: E402
from helpcenter.search.sync import update_indexes  # noqa: E402

LANGUAGES = resolve_languages(["en", "pl", "he", "lt", "el", "hr"], "en")
FRAGMENTER = highlight.ContextFragmenter(maxchars=220, surround=70)
FORMATTER = highlight.HtmlFormatter(tagname="mark", between=" … ")


def main() -> None:
    queries = [(q.lang, q.query) for q in read_queries(BENCH / "eval" / "corpus.tsv")]
    with tempfile.TemporaryDirectory(prefix="hc-snippets-") as scratch:
        build_corpus_tree(Path(scratch) / "articles")
        indexes = IndexStore(Path(scratch) / "index")
        update_indexes(indexes, load_catalog(Path(scratch) / "articles", LANGUAGES))
        searchers = {lang.code: indexes.searcher(lang.code) for lang in LANGUAGES}
        ours, whoosh = [], []
        for round_number in range(2):  # the first round warms the caches
            for lang, text in queries:
                text = clean_query(text)
                plan = plan_query(lang, text)
                query = build_query(plan)
                if query is None:
                    continue
                bodies = [hit.get("body", "") for hit in searchers[lang].search(query, limit=10)]
                terms = plan.terms
                started = time.perf_counter()
                for body in bodies:
                    make_snippet(lang, body, terms)
                middle = time.perf_counter()
                for body in bodies:
                    highlight.highlight(
                        body, terms, analyzer_for(lang), FRAGMENTER, FORMATTER, top=2
                    )
                if round_number:
                    ours.append((middle - started) * 1000)
                    whoosh.append((time.perf_counter() - middle) * 1000)
    for name, values in (("helpcenter snippets", ours), ("whoosh highlight", whoosh)):
        print(
            f"{name:<20} per page of 10: median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms"
        )
    print(f"ratio of medians: {statistics.median(ours) / statistics.median(whoosh):.2f}")


if __name__ == "__main__":
    main()
