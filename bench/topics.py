"""Topics: which customers' words the gap reports count as typos of one another.

    .venv/bin/python bench/topics.py                      # the tuning sets' queries, lexical
    .venv/bin/python bench/topics.py --keep /tmp/hc-topics  # reuse the indexes

"Do this next" and the query reports merge query groups whose words are typos of one another
(reports/topics.py: the same first letter, TYPO_EDITS edits apart, and never two words of the
language or of the articles). Every pair of distinct words of the tuning sets' customer
queries (bench/eval: sample and colloquial, each word as the reports group it) is put to the
rule on the sample content's indexes; prints, per language, the pairs it merges and how many
pairs within the distance it keeps apart because both are words, with examples.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from relevance import CODES, LANGUAGES, PLACEHOLDERS, _articles, _queries  # noqa: E402

from helpcenter.activity.learned_terms import search_words  # noqa: E402
from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.reports.topics import _same_topic  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402

SETS = ("sample", "colloquial")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", type=Path, help="keep the indexes here and reuse them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-topics-") as temporary:
        scratch = args.keep or Path(temporary)
        catalog = load_catalog(_articles("sample", scratch), LANGUAGES, placeholders=PLACEHOLDERS)
        indexes = IndexStore(scratch / "index-sample")
        for code in CODES:
            indexes.update(catalog, code)
        service = SearchService(indexes, synonyms=catalog.synonyms.get)
        words: dict[str, dict[str, str]] = {}
        for name in SETS:
            for query in _queries(name):
                for term, typed in search_words(query.lang, query.query):
                    words.setdefault(query.lang, {}).setdefault(term, typed)
        total = sum(len(found) for found in words.values())
        print(f"{total} distinct words in {len(words)} languages ({', '.join(SETS)})\n")
        print("| language | words | merged | kept apart (both words) | examples kept apart |")
        print("|---|---:|---|---:|---|")
        for lang in CODES:
            pairs = sorted(words.get(lang, {}).items())
            merged, apart = [], []
            for one, other in itertools.combinations(pairs, 2):
                if _same_topic(lang, [one], [other], lambda *_: False):  # the distance alone
                    if _same_topic(lang, [one], [other], service.is_word):
                        merged.append(f"{one[1]}/{other[1]}")
                    else:
                        apart.append(f"{one[1]}/{other[1]}")
            print(
                f"| {lang} | {len(pairs)} | {', '.join(merged) or '—'} | {len(apart)} "
                f"| {', '.join(apart[:6]) or '—'} |"
            )


if __name__ == "__main__":
    main()
