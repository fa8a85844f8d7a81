"""Cost of one query: a typical customer search per language against the worst hostile ones.

    .venv/bin/python bench/query_cost.py               # the sample content, 7 runs a query
    .venv/bin/python bench/query_cost.py --runs 11 --plans

Anyone can send any query, and every search costs a worker CPU time: a query that costs 20
times a normal one lets one client saturate a site with a few requests a second, under any
throttle. So each query goes through the real app, as a customer's request does (the search
page, and the JSON endpoint behind instant suggestions), on a copy of the sample content
(articles/) with its synonyms, timed as CPU time (`time.process_time`), median of `--runs`
runs. "Did you mean" answers are forgotten before every run: a hostile client sends new
misspellings each time, so a remembered answer is not what it costs.

"typical" is the median over the language's queries in bench/eval/sample.tsv. Every hostile
query is printed with its cost and its ratio to its language's typical one; the bar is 5×.
The last row is a writers' `_synonyms.txt` made as costly as the old rules allowed (2,000
groups of 12 members, each member a phrase of 8 words, every group holding "refund"), searched
for "refund". `--plans` adds each query's plan (words and forms searched: what the bounds
cap), read from SearchService directly.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from helpcenter import create_app, services  # noqa: E402
from helpcenter.database import upgrade_database  # noqa: E402
from helpcenter.search.analyzers import fold  # noqa: E402
from helpcenter.search.evaluation import read_queries  # noqa: E402
from helpcenter.search.plan import clean_query, plan_query  # noqa: E402
from helpcenter.search.synonym_expansion import builtin_thesaurus  # noqa: E402
from helpcenter.search.transliteration import greek_key  # noqa: E402

CODES = ["en", "pl", "he", "lt", "el", "hr"]
ARTICLES = BENCH.parent / "articles"


def _up_to(words: list[str], chars: int = 200) -> str:
    """As many of `words` as fit in `chars` characters: the longest query the search reads."""
    out: list[str] = []
    for word in words:
        if len(" ".join([*out, word])) > chars:
            break
        out.append(word)
    return " ".join(out)


def vocabulary(lang: str, min_letters: int = 5) -> list[str]:
    """The language's article words, most used first: real words the index knows."""
    counts = Counter(
        word
        for path in sorted((ARTICLES / lang).rglob("*.md"))
        for word in re.findall(rf"[^\W\d_]{{{min_letters},}}", path.read_text().lower())
    )
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def typo(word: str) -> str:
    """One slip of the keyboard: two letters in the middle swapped."""
    middle = len(word) // 2
    return word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]


def made_up(letters: str, count: int, length: int, seed: int) -> list[str]:
    """Distinct words of `letters` no article uses (each new to "did you mean")."""
    rng = random.Random(seed)
    return ["".join(rng.choice(letters) for _ in range(length)) for _ in range(count)]


HEBREW = "אבגדהוזחטיכלמנסעפצקרשת"


def hostile() -> list[tuple[str, str, str]]:
    """(language, what it tries, the query): every query of distinct words (a repeated word is
    searched once), each as long as the search reads. The Hebrew ו-words are the issue's worst
    case: every "and …" of the articles shares their first letter."""
    rows = [
        ("he", "ו-words, known", _up_to(["ו" + word for word in vocabulary("he")])),
        ("he", "ו-words, unknown", _up_to(["וכשה" + w for w in made_up(HEBREW, 40, 7, 1)])),
        ("he", "one long ו-word", "וכשמה" + "".join(made_up(HEBREW, 1, 195, 2))),
        ("he", "short words", _up_to(made_up(HEBREW, 80, 2, 3))),
    ]
    for lang in CODES:
        rows.append((lang, "typos", _up_to([typo(word) for word in vocabulary(lang, 6)])))
    latin = "abcdefghijklmnopqrstuvwxyz"
    rows += [
        ("en", "new words", _up_to(made_up(latin, 60, 6, 4))),
        ("en", "one long word", "".join(made_up(latin, 1, 200, 5))),
        ("en", "long words", _up_to(made_up(latin, 10, 22, 6))),
        (
            "en",
            "joined words",
            _up_to([a + b for a, b in zip(vocabulary("en"), vocabulary("en")[1:], strict=False)]),
        ),
        ("en", "synonyms", _up_to([m for group in builtin_thesaurus("en") for m in group])),
        ("en", "200 words", " ".join(vocabulary("en", 3)[:200])),
        ("el", "Greeklish", _up_to([greek_key(word) for word in vocabulary("el")])),
        ("pl", "no diacritics", _up_to([fold(word) for word in vocabulary("pl")])),
    ]
    return rows


BOMB = "'refund', synonyms bomb"


def bomb_synonyms(groups: int = 2000, members: int = 12, words: int = 8) -> str:
    """A `_synonyms.txt` at the old rules' limits: every group holds "refund" and
    `members - 1` phrases of `words` made-up words."""
    lines = []
    for g in range(groups):
        phrases = (" ".join(f"w{g}x{m}y{w}" for w in range(words)) for m in range(1, members))
        lines.append(", ".join(["refund", *phrases]))
    return "\n".join(lines) + "\n"


def cpu(call: Callable[[], object], app, runs: int) -> float:
    """Median CPU milliseconds of `call`, "did you mean" answers forgotten before each run."""
    times = []
    for _ in range(runs):
        for searcher, *_ in getattr(services.search_service(app)._local, "cache", {}).values():
            if hasattr(searcher, "_helpcenter_spelling"):
                searcher._helpcenter_spelling.clear()
        start = time.process_time()
        call()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def page(client, lang: str, text: str) -> Callable[[], object]:
    url = f"/{lang}/search?" + urllib.parse.urlencode({"q": text})

    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def suggest(client, lang: str, text: str) -> Callable[[], object]:
    url = "/api/search?" + urllib.parse.urlencode({"lang": lang, "q": text, "limit": 8})

    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def plan_size(app, lang: str, text: str) -> str:
    """words/forms of the query plan: what the bounds cap."""
    service = services.search_service(app)
    plan = plan_query(lang, clean_query(text), service._searcher(lang), service.synonyms(lang))
    return f"{len(plan.words)}/{sum(len(word.text) + len(word.loose) for word in plan.words)}"


def make_app(scratch: Path, articles: Path):
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "ARTICLES_DIR": str(articles),
            "INSTANCE_PATH": str(scratch / "instance"),
            "CONTENT_CHECK_INTERVAL": 0,
            "RATELIMIT_ENABLED": False,
            "LEARN_INTERVAL": 0,
            # A hostile client sends a new query each time: a repeat answered from the result
            # cache costs nothing and is not what a query costs.
            "SEARCH_RESULT_CACHE": 0,
        }
    )
    upgrade_database(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="runs per query (median)")
    parser.add_argument("--plans", action="store_true", help="print each query's plan size")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the bomb's content problems, once per app
    queries = read_queries(BENCH / "eval" / "sample.tsv")
    with tempfile.TemporaryDirectory(prefix="hc-query-cost-") as temporary:
        scratch = Path(temporary)
        sample = scratch / "sample"
        shutil.copytree(ARTICLES, sample / "articles")
        bombed = scratch / "bombed"
        shutil.copytree(ARTICLES, bombed / "articles")
        (bombed / "articles" / "en" / "_synonyms.txt").write_text(bomb_synonyms())
        apps = {"sample": make_app(sample, sample / "articles")}
        apps["bombed"] = make_app(bombed, bombed / "articles")
        client = apps["sample"].test_client()
        print("| lang | query | page ms | ×typical | suggestions ms | ×typical | words/forms |")
        print("|---|---|---|---|---|---|---|")
        typical: dict[str, tuple[float, float]] = {}
        for lang in CODES:
            texts = [query.query for query in queries if query.lang == lang]
            for text in texts:  # warm what every query shares (analyzers, searchers, templates)
                page(client, lang, text)()
                suggest(client, lang, text)()
            typical[lang] = (
                statistics.median(
                    cpu(page(client, lang, t), apps["sample"], args.runs) for t in texts
                ),
                statistics.median(
                    cpu(suggest(client, lang, t), apps["sample"], args.runs) for t in texts
                ),
            )
            print(
                f"| {lang} | typical (median of {len(texts)}) | {typical[lang][0]:.1f} | 1.0 "
                f"| {typical[lang][1]:.1f} | 1.0 | |"
            )
        rows = [(lang, what, text, "sample") for lang, what, text in hostile()]
        rows.append(("en", BOMB, "refund", "bombed"))
        worst = 0.0
        for lang, what, text, which in rows:
            app = apps[which]
            client = app.test_client()
            page(client, lang, text)()  # the bomb's synonyms are compiled on the first search
            page_ms = cpu(page(client, lang, text), app, args.runs)
            suggest_ms = cpu(suggest(client, lang, text), app, args.runs)
            ratios = (page_ms / typical[lang][0], suggest_ms / typical[lang][1])
            worst = max(worst, *ratios)
            with app.app_context():
                plan = plan_size(app, lang, text) if args.plans else ""
            print(
                f"| {lang} | {what} | {page_ms:.1f} | {ratios[0]:.1f} | {suggest_ms:.1f} "
                f"| {ratios[1]:.1f} | {plan} |"
            )
        print(f"\nworst ratio to its language's typical query: {worst:.1f}×")


if __name__ == "__main__":
    main()
