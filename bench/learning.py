"""Learning: does search learn its customers' words? (issue 13)

    .venv/bin/python bench/learning.py                     # every language, 3 customers a query
    .venv/bin/python bench/learning.py --langs en,pl --customers 4 --keep /tmp/hc-learning

Serves the real corpus (mapped by bench/corpus.py) with the real app on loopback (werkzeug's
server in a thread, a fresh SQLite database) and replays simulated customers over HTTP, each
with a visitor cookie and a loopback address in a network of their own (teachers are counted by
network): for every answerable query of
../shared/corpus/queries-dev.tsv (the customers' own words), LEARN_MIN_VISITORS customers
search those words, then search the article's title (its official words), open the article
from the results through the result link and vote "Yes" with the page's CSRF token. Then one
round of the site's learning task runs (learned terms recomputed from the log, the articles
whose terms changed indexed again).

Measured before and after, on the same index:
- MRR@10 on bench/eval/learning-paraphrases.tsv: other customers asking for the same articles
  in other sentences (written for this bench; they share a customer's word with the replayed
  query at most, never the sentence), per language: the figure that says whether learning
  generalizes;
- MRR@10 on the replayed queries themselves (memory: learning must at least answer those);
- MRR@10 on the tuning sets bench/eval/corpus.tsv and colloquial.tsv (the other articles:
  learning for some articles must not lower the others);
- what is learned: Hebrew terms that are a fragment left by stripping a prefix (no word of
  the articles or the language), words learned by three articles or more at once, and the
  replayed words never learned because their article contains them, once only in its body;
- the cost: learning and index update time, a full rebuild with and without learned terms,
  and search p95 over both sets (three passes; the before and after in the same run).
"""

from __future__ import annotations

import argparse
import html
import logging
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from corpus import build_corpus_tree, corpus_ids  # noqa: E402
from load import FromAddress, loopback_address  # noqa: E402
from relevance import DEV_QUERIES  # noqa: E402
from timing import percentile  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from helpcenter import create_app, services  # noqa: E402
from helpcenter.activity.learned_terms import (  # noqa: E402
    LearningSettings,
    article_terms,
    learn,
    learned_terms_by_article,
    search_words,
)
from helpcenter.database import upgrade_database  # noqa: E402
from helpcenter.extensions import db  # noqa: E402
from helpcenter.models import LearnedTerm  # noqa: E402
from helpcenter.search.analyzers import analyzer_for, normalize_hebrew  # noqa: E402
from helpcenter.search.evaluation import NONE, EvalQuery, evaluate, read_queries  # noqa: E402
from helpcenter.search.indexer import SECTION_WEIGHTS, article_document  # noqa: E402
from helpcenter.search.sync import update_indexes  # noqa: E402

CODES = ["en", "pl", "he", "lt", "el", "hr"]
PARAPHRASES = BENCH / "eval" / "learning-paraphrases.tsv"
OTHERS = ("corpus", "colloquial")  # tuning sets, their `expected` already article ids
_RESULT = re.compile(r'href="(/\w+/search/click\?[^"]+)"')


def queries(path: Path, langs: set[str]) -> list[EvalQuery]:
    """A query set whose `expected` names the source file, as queries-dev.tsv does."""
    ids = corpus_ids()
    found = read_queries(path, lambda name: ids.get(name.removeprefix("AlchemyInsights/"), name))
    return [q for q in found if q.lang in langs]


class Customer:
    """One simulated customer: their own cookie jar (visitor cookie) and loopback address."""

    def __init__(self, base: str, number: int) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            FromAddress(loopback_address(number)), urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def search(self, lang: str, text: str) -> dict[str, str]:
        page = self.get(f"/{lang}/search?" + urllib.parse.urlencode({"q": text}))
        links = {}
        for link in map(html.unescape, _RESULT.findall(page)):
            article = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["a"][0]
            links.setdefault(article, link)
        return links

    def found_it(self, lang: str, own_words: str, official_words: str, article_id: str) -> bool:
        """Searches in their own words, then the official ones, opens the article from the
        results and votes "Yes"; False when the official words did not list it."""
        self.search(lang, own_words)
        link = self.search(lang, official_words).get(article_id)
        if link is None:
            return False
        self.get(link)  # the result link redirects to the article
        body = urllib.parse.urlencode({"helpful": "yes"}).encode()
        # What a browser says of a post from the site's own page (the vote has no token).
        vote = urllib.request.Request(
            f"{self.base}/{lang}/feedback/{article_id}",
            data=body,
            headers={"Sec-Fetch-Site": "same-origin"},
        )
        with self.opener.open(vote, timeout=60) as response:
            response.read()
        return True


def measure(service, sets: dict[str, list[EvalQuery]], passes: int = 3):
    """MRR per set and language, and search p95 in ms over every query of every set."""
    scores = {
        name: evaluate(found, lambda lang, text: [h.id for h in service.search(lang, text).hits])
        for name, found in sets.items()
    }
    timings = []
    for _ in range(passes):
        for found in sets.values():
            for query in found:
                started = time.perf_counter()
                service.search(query.lang, query.query)
                timings.append((time.perf_counter() - started) * 1000)
    return scores, percentile(timings, 0.95)


def _sharing(paraphrases: list[EvalQuery], learned) -> int:
    """How many paraphrases contain a word learned for their article: the only ones learning
    can move."""
    return sum(
        1
        for q in paraphrases
        if {term for term, _ in search_words(q.lang, q.query)}
        & set(learned.get(q.lang, {}).get(q.expected, ()))
    )


def once_in_body(replayed: list[EvalQuery], catalog) -> tuple[int, int]:
    """(replayed words their article already contains, of which once only, in its body): a
    word an article holds is never learned, however weakly the article holds it."""
    contained: set[tuple[str, str, str]] = set()
    once = 0
    for query in replayed:
        article = catalog.find(query.lang, query.expected).article
        analyzer = analyzer_for(query.lang)
        where: dict[str, list[float]] = {}
        for text, weight in article_document(article)["text"]:
            for token in analyzer(text):
                if not token.stopped:
                    where.setdefault(token.text, []).append(weight)
        for term, _typed in search_words(query.lang, query.query):
            key = (query.lang, query.expected, term)
            if term in article_terms(query.lang, article) and key not in contained:
                contained.add(key)
                once += where.get(term) == [SECTION_WEIGHTS["body"]]
    return len(contained), once


def learned_shapes(rows, vocabulary) -> tuple[list[str], Counter]:
    """Hebrew terms that are a fragment (a prefix stripped, no word the articles use), and
    how many articles learned each (lang, term)."""
    fragments = [
        f"{spelling}→{term}"
        for lang, term, spelling in rows
        if lang == "he"
        and normalize_hebrew(spelling) != term
        and term not in vocabulary.get("he", set())
    ]
    return fragments, Counter((lang, term) for lang, term, _ in rows)


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--langs", default=",".join(CODES), help="comma-separated codes")
    parser.add_argument("--customers", type=int, default=3, help="customers per replayed query")
    parser.add_argument("--keep", type=Path, help="build the corpus tree here and reuse it")
    args = parser.parse_args()
    langs = [code for code in args.langs.split(",") if code]
    replayed = [q for q in queries(DEV_QUERIES["dev"], set(langs)) if q.expected != NONE]
    paraphrases = queries(PARAPHRASES, set(langs))
    missing = {(q.lang, q.expected) for q in paraphrases} - {(q.lang, q.expected) for q in replayed}
    if missing:
        sys.exit(f"paraphrases for articles that are not replayed: {sorted(missing)}")

    with tempfile.TemporaryDirectory(prefix="hc-learning-") as temporary:
        scratch = args.keep or Path(temporary)
        articles = scratch / "articles"
        if not articles.exists():
            build_corpus_tree(articles)
        instance = Path(tempfile.mkdtemp(prefix="instance-", dir=scratch))
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "ARTICLES_DIR": str(articles),
                "INSTANCE_PATH": str(instance),
                "LANGUAGES": ",".join(dict.fromkeys(["en", *langs])),
                "CONTENT_CHECK_INTERVAL": 0,
                "LEARN_INTERVAL": 0,
                "LEARN_MIN_VISITORS": args.customers,
            }
        )
        upgrade_database(app)
        logging.disable(logging.INFO)  # one line per search otherwise
        catalog = services.content_store(app).catalog()
        indexes, service = services.indexes(app), services.search_service(app)
        service.refresh_interval = 0
        _, full_before = timed(lambda: update_indexes(indexes, catalog, full=True))
        others = {
            name: [
                q
                for q in read_queries(BENCH / "eval" / f"{name}.tsv")
                if q.lang in langs and q.expected != NONE
            ]
            for name in OTHERS
        }
        sets = {"paraphrases": paraphrases, "replayed": replayed, **others}
        before, p95_before = measure(service, sets)

        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        number, unfound = 0, Counter()
        started = time.perf_counter()
        for query in replayed:
            title = catalog.find(query.lang, query.expected).article.title
            for _ in range(args.customers):
                number += 1
                if not Customer(base, number).found_it(
                    query.lang, query.query, title, query.expected
                ):
                    unfound[query.lang] += 1
        replay_seconds = time.perf_counter() - started
        server.shutdown()
        services.search_log(app).flush(timeout=60)

        with app.app_context():
            settings = LearningSettings.from_config(app.config)
            count, learn_seconds = timed(lambda: learn(catalog, settings))
            learned = learned_terms_by_article()
            per_lang = Counter(lang for (lang,) in db.session.execute(db.select(LearnedTerm.lang)))
            examples = db.session.execute(
                db.select(LearnedTerm.lang, LearnedTerm.spelling, LearnedTerm.article_id)
                .order_by(LearnedTerm.visitors.desc(), LearnedTerm.lang)
                .limit(8)
            ).all()
            rows = db.session.execute(
                db.select(LearnedTerm.lang, LearnedTerm.term, LearnedTerm.spelling)
            ).all()
        searcher = services.search_service(app)._searcher("he")
        vocabulary = {
            "he": {
                term.decode() if isinstance(term, bytes) else term
                for term in (searcher.reader().lexicon("words") if searcher else ())
            }
        }
        fragments, articles_per_term = learned_shapes(rows, vocabulary)
        contained, once = once_in_body(replayed, catalog)
        sync = services.index_sync(app)
        _, update_seconds = timed(lambda: sync.use_learned(learned, catalog))
        after, p95_after = measure(service, sets)
        shared = _sharing(paraphrases, learned)
        _, full_after = timed(lambda: update_indexes(indexes, catalog, full=True, learned=learned))
        rebuilt, p95_rebuilt = measure(service, sets)

    print(
        f"{number} simulated customers ({args.customers} a query) replayed "
        f"{len(replayed)} queries in {replay_seconds:.0f} s; the article's title did not list "
        f"it for {sum(unfound.values())} of them."
    )
    print(
        f"{count} learned terms (LEARN_MIN_VISITORS={settings.min_visitors}), e.g. "
        + ", ".join(f"{lang}:{word}→{aid.split('/')[-1]}" for lang, word, aid in examples)
    )
    print(f"{shared} of {len(paraphrases)} paraphrases contain a word learned for their article.")
    he_terms = per_lang["he"]
    print(
        f"Hebrew: {len(fragments)} of {he_terms} learned terms are a fragment left by a "
        f"stripped prefix (no word of the articles), e.g. {', '.join(fragments[:6])}"
    )
    generic = [(key, n) for key, n in articles_per_term.most_common() if n >= 3]
    print(
        f"{len(generic)} terms learned by three articles or more, "
        f"{sum(n for _, n in generic)} learned terms in all, e.g. "
        + ", ".join(f"{lang}:{term}×{n}" for (lang, term), n in generic[:8])
    )
    print(
        f"{contained} replayed words were not learned because their article contains them; "
        f"{once} of them only once, in its body."
    )
    print()
    names = ["paraphrases", "replayed", *OTHERS]
    print(
        "| language | learned terms | "
        + " | ".join(f"MRR@10 {name} before | after" for name in names)
        + " |"
    )
    print("|---|---|" + "---|---|" * len(names))
    for code in [*langs, "all"]:
        if code not in before["paraphrases"]:
            continue
        terms = sum(per_lang.values()) if code == "all" else per_lang[code]
        cells = [
            f"{before[name][code].mrr:.3f} | {after[name][code].mrr:.3f}"
            if code in before[name]
            else " | "
            for name in names
        ]
        print(f"| {code} | {terms} | " + " | ".join(cells) + " |")
    print()
    print(
        f"learning (recompute from the log): {learn_seconds:.2f} s; index update of the "
        f"articles whose terms changed: {update_seconds:.2f} s"
    )
    print(
        f"full index rebuild: {full_before:.1f} s without learned terms, "
        f"{full_after:.1f} s with them"
    )
    print(
        "MRR@10 after the full rebuild (the same terms; BM25 statistics without the articles "
        "replaced in place): "
        + ", ".join(f"{name} {rebuilt[name]['all'].mrr:.3f}" for name in rebuilt)
    )
    print(
        f"search p95: {p95_before:.1f} ms before, {p95_after:.1f} ms after the update in "
        f"place, {p95_rebuilt:.1f} ms after the full rebuild"
    )


if __name__ == "__main__":
    main()
