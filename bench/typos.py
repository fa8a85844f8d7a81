"""Typos: the tuning sets' questions with a slip of the keyboard, and what "did you mean" does.

    .venv/bin/python bench/typos.py                 # sample, corpus and colloquial
    .venv/bin/python bench/typos.py --keep /tmp/hc-rel   # reuse bench/relevance.py's tree

Every answerable query of the tuning sets gets one typo in its longest word of five letters or
more (a letter dropped, doubled, swapped with the next or replaced by a neighbour of the same
script; the same typo every run). Prints, per set and language, MRR@10 of the queries as
written and with the typo, how many typo'd queries were corrected in the customer's place
("searched") or only offered a correction ("offered"), and how many of the searched
corrections put the answer first. The unanswerable queries, as written, count the corrections
made for them: each is a real word replaced by another, since those queries have no typos.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from relevance import CODES, LANGUAGES, PLACEHOLDERS, TUNING_SETS, _articles, _queries  # noqa: E402

from helpcenter.content.loader import load_catalog  # noqa: E402
from helpcenter.search.evaluation import NONE  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402

_WORD = re.compile(r"\w{5,}")


def with_typo(text: str, rng: random.Random) -> str:
    """The text with one slip in its longest word of five letters or more."""
    words = _WORD.findall(text)
    if not words:
        return text
    word = max(words, key=len)
    letters = sorted(set(word.lower()))
    cut = rng.randrange(1, len(word) - 1)  # never the first letter: few typos are there
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        typo = word[:cut] + word[cut + 1 :]
    elif kind == "double":
        typo = word[:cut] + word[cut] + word[cut:]
    elif kind == "swap":
        typo = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
    else:
        others = [letter for letter in letters if letter != word[cut]] or [word[cut]]
        typo = word[:cut] + rng.choice(others) + word[cut + 1 :]
    return text.replace(word, typo, 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", type=Path, help="the corpus tree folder to reuse")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="hc-typos-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        services: dict[str, SearchService] = {}
        for name in TUNING_SETS:
            source = "sample" if name == "sample" else "corpus"
            if source not in services:
                catalog = load_catalog(
                    _articles(name, scratch), LANGUAGES, placeholders=PLACEHOLDERS
                )
                indexes = IndexStore(Path(tempfile.mkdtemp(dir=scratch, prefix="typos-index-")))
                for code in CODES:
                    indexes.update(catalog, code)
                services[source] = SearchService(indexes, synonyms=catalog.synonyms.get)
            service = services[source]
            rng = random.Random(11)
            totals: dict[str, Counter] = defaultdict(Counter)
            for query in _queries(name):
                count = totals[query.lang]
                if query.expected == NONE:
                    found = service.search(query.lang, query.query)
                    count["none"] += 1
                    count["none_searched"] += found.corrected_from is not None
                    count["none_offered"] += found.suggestion is not None
                    continue
                typo = with_typo(query.query, rng)
                clean = [hit.id for hit in service.search(query.lang, query.query).hits]
                found = service.search(query.lang, typo)
                typoed = [hit.id for hit in found.hits]
                count["queries"] += 1
                count["clean"] += _reciprocal_rank(clean, query.expected)
                count["typo"] += _reciprocal_rank(typoed, query.expected)
                searched = found.corrected_from is not None
                count["searched"] += searched
                count["offered"] += found.suggestion is not None
                count["searched_first"] += searched and typoed[:1] == [query.expected]
            for lang in [*CODES, "all"]:
                count = sum(totals.values(), Counter()) if lang == "all" else totals.get(lang)
                if count and count["queries"]:
                    rows.append((name, lang, count))
    print(
        "| set | lang | MRR@10 as written | with a typo | typo searched corrected (answer "
        "first) | typo offered a correction | unanswerable: corrected / offered |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, lang, count in rows:
        print(
            f"| {name} | {lang} | {count['clean'] / count['queries']:.3f} | "
            f"{count['typo'] / count['queries']:.3f} | {count['searched']} "
            f"({count['searched_first']}) | {count['offered']} | "
            f"{count['none_searched']} / {count['none_offered']} of {count['none']} |"
        )


def _reciprocal_rank(found: list[str], expected: str) -> float:
    top = found[:10]
    return 1 / (top.index(expected) + 1) if expected in top else 0.0


if __name__ == "__main__":
    main()
