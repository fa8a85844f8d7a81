"""Answered elsewhere: can a looser search tell which article answers a question the search
missed? (issue 26: "Do this next" said "Write" for questions an article answers.)

    .venv/bin/python bench/answered.py --keep /tmp/hc-rel                # sample and colloquial
    .venv/bin/python bench/answered.py --keep /tmp/hc-rel --sets sample

For every query of the tuning sets the search answers with no results (the page customers
see: lexical and semantic, fused), each looser rule names an article as "close", or none:

- words: the query without its words no article uses (neither field holds a form of them),
  through the same search and its floor (those words would be the ones to add);
- dense, level: the dense side's best article at search/fallback.py's level for an answer
  (fusion.ANSWER_COSINE), without the lexical verdict;
- dense, peak: its best article standing out from the query's background (fusion.FLAT_PEAK),
  without the level;
- words + dense: the words rule's article among the dense side's first five;
- related + peak: the page's first "loosely related" article when the two engines agree
  (fusion.agree) and the dense side's best stands out.

Prints, per set, for the answerable queries that found nothing how often each rule names the
right article, a wrong one or none, and for the unanswerable ones how often it names one
(each such article would have turned an honest "Write" into a wrong "Add these words").
reports/answered.py took the customers' own next steps instead, after these figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from relevance import CODES, LANGUAGES, PLACEHOLDERS, _articles, _queries  # noqa: E402

from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.search import fusion  # noqa: E402
from helpcenter.search.evaluation import NONE  # noqa: E402
from helpcenter.search.hybrid import passage_embedder, semantic_search  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.plan import clean_query, plan_query  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402

RULES = ("words", "dense, level", "dense, peak", "words + dense", "related + peak")


def known_and_unknown(service: SearchService, lang: str, text: str) -> tuple[list, list]:
    """The query's words as typed: those some article uses (in either field), and the rest."""
    searcher = service._searcher(lang)
    plan = plan_query(lang, clean_query(text), searcher, service.synonyms(lang))
    known, unknown = [], []
    for word in plan.words:
        used = any(searcher.doc_frequency("text", f) for f in word.text) or any(
            searcher.doc_frequency("loose", f) for f in word.loose
        )
        (known if used else unknown).append(word.typed)
    return known, unknown


def close(service: SearchService, lang: str, text: str, page) -> dict[str, str | None]:
    """Each rule's close article for a query whose page found nothing."""
    known, unknown = known_and_unknown(service, lang, text)
    by_words = None
    if known and unknown:
        rest = service.search(lang, " ".join(known))
        by_words = rest.hits[0].id if rest.hits else None
    dense = service.semantic.dense.search(lang, text, depth=30)
    ids, cosines = (dense.ids, dense.scores) if dense is not None else ([], [])
    stands_out = bool(cosines) and fusion.peak(cosines) >= fusion.FLAT_PEAK
    related = [hit.id for hit in page.related]
    return {
        "words": by_words,
        "dense, level": ids[0] if cosines and cosines[0] >= fusion.ANSWER_COSINE else None,
        "dense, peak": ids[0] if stands_out else None,
        "words + dense": by_words if by_words in ids[:5] else None,
        "related + peak": related[0]
        if related and stands_out and fusion.agree(related, ids)
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default="sample,colloquial", help="sample, colloquial, corpus")
    parser.add_argument("--keep", type=Path, help="keep the corpus tree and indexes here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-answered-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        services: dict[str, SearchService] = {}
        print("| set | rule | missed: right | wrong | none | unanswerable: named one |")
        print("|---|---|---:|---:|---:|---:|")
        for name in args.sets.split(","):
            source = "sample" if name == "sample" else "corpus"
            queries = list(_queries(name))
            if source not in services:
                catalog = load_catalog(
                    _articles(name, scratch), LANGUAGES, placeholders=PLACEHOLDERS
                )
                embedder = passage_embedder(scratch / "embedding-cache")
                indexes = IndexStore(scratch / f"index-{source}", embedder=embedder)
                for code in sorted({query.lang for query in queries} & set(CODES)):
                    print(indexes.update(catalog, code).describe(), file=sys.stderr)
                services[source] = SearchService(
                    indexes, synonyms=catalog.synonyms.get, semantic=semantic_search(indexes)
                )
            service = services[source]
            counts = {rule: Counter() for rule in RULES}
            missed = unanswerable = 0
            for query in queries:
                page = service.search(query.lang, query.query)
                if page.hits:
                    continue
                if query.expected == NONE:
                    unanswerable += 1
                else:
                    missed += 1
                for rule, article in close(service, query.lang, query.query, page).items():
                    if query.expected == NONE:
                        counts[rule]["named"] += article is not None
                    elif article is None:
                        counts[rule]["none"] += 1
                    else:
                        counts[rule]["right" if article == query.expected else "wrong"] += 1
            for rule in RULES:
                c = counts[rule]
                print(
                    f"| {name} ({missed} missed, {unanswerable} unanswerable) | {rule} "
                    f"| {c['right']} | {c['wrong']} | {c['none']} | {c['named']} |"
                )


if __name__ == "__main__":
    main()
