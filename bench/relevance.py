"""Relevance: our search against the SQLite FTS5 baseline on the same evaluation sets.

    .venv/bin/python bench/relevance.py                      # sample content, bench/eval/sample.tsv
    .venv/bin/python bench/relevance.py --corpus             # real corpus (../shared/corpus), corpus.tsv

Prints MRR@10, recall@1, recall@10 and the NONE share per language for both engines.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from fts5 import Fts5Baseline  # noqa: E402

from helpcenter.content.catalog import load_catalog  # noqa: E402
from helpcenter.languages import resolve_languages  # noqa: E402
from helpcenter.search.evaluation import evaluate, format_scores, read_queries  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402
from helpcenter.search.service import update_indexes  # noqa: E402
from helpcenter.settings import article_placeholders, defaults  # noqa: E402

LANGUAGES = resolve_languages(["en", "pl", "he", "lt", "el", "hr"], "en")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", action="store_true", help="use the real corpus instead of the sample content"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-relevance-") as scratch:
        if args.corpus:
            from corpus import build_corpus_tree

            articles = Path(scratch) / "articles"
            build_corpus_tree(articles)
            queries = read_queries(BENCH / "eval" / "corpus.tsv")
        else:
            articles = BENCH.parent / "articles"
            queries = read_queries(BENCH / "eval" / "sample.tsv")
        placeholders = article_placeholders(defaults(), [lang.code for lang in LANGUAGES])
        catalog = load_catalog(articles, LANGUAGES, placeholders=placeholders)
        indexes = IndexStore(Path(scratch) / "index")
        update_indexes(indexes, catalog)
        service = SearchService(indexes)
        ours = evaluate(
            queries, lambda lang, text: [hit.id for hit in service.search(lang, text).hits]
        )
        baseline = Fts5Baseline()
        baseline.build(catalog)
        fts5 = evaluate(queries, lambda lang, text: [hit.id for hit in baseline.search(lang, text)])
    print(f"helpcenter (Whoosh), {len(queries)} queries\n{format_scores(ours)}\n")
    print(f"SQLite FTS5 baseline\n{format_scores(fts5)}")


if __name__ == "__main__":
    main()
