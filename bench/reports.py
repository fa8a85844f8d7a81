"""Speed of the gap reports on a year of traffic, with and without the daily roll-ups.

    .venv/bin/python bench/reports.py                            # 1,000,000 searches on SQLite
    .venv/bin/python bench/reports.py --database postgresql      # the same on a private PostgreSQL
    .venv/bin/python bench/reports.py --searches 100000          # a quicker look

Fills a fresh database (SQLite in a scratch folder; with `--database postgresql` a private
server on loopback, as the tests start one, or the one HELPCENTER_SQLALCHEMY_DATABASE_URI names)
with a year of generated activity over the sample articles (each visitor in a network with one
other, as customers are counted): searches (a Zipf mix of real
customer queries from bench/eval, 30% without results, 45% clicked), votes (a tenth of the
searches), page views (half) and contact requests (one in 200). Then rolls it up
(`helpcenter rollup --rebuild`) and renders every report page, logged in, through the real
app, for the default period (the last 30 days), a whole year, two years and a year that ended
a month ago, and prints the
median of 3 renders per page. The baseline in the same run is the same pages computed from the
raw log alone (the roll-ups switched off), as before roll-ups existed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from sqlalchemy import text  # noqa: E402

from helpcenter import create_app, services  # noqa: E402
from helpcenter.activity.rollups import rebuild as rebuild_rollups  # noqa: E402
from helpcenter.activity.visits import rebuild_visits  # noqa: E402
from helpcenter.database import upgrade_database  # noqa: E402
from helpcenter.extensions import db  # noqa: E402
from helpcenter.models import (  # noqa: E402
    ContactRequest,
    PageView,
    RollupState,
    SearchEvent,
    Vote,
)
from helpcenter.reports import REPORTS  # noqa: E402
from helpcenter.search.evaluation import read_queries  # noqa: E402
from helpcenter.search.plan import normalize_query  # noqa: E402
from helpcenter.staff_accounts import create_user  # noqa: E402
from tests.helpers import log_in  # noqa: E402

NOW = dt.datetime.now(dt.UTC)
BATCH = 20_000


def generate(app, searches: int, votes: int, views: int, requests: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    queries = [(q.lang, q.query) for q in read_queries(BENCH / "eval" / "sample.tsv")]
    weights = [1 / (rank + 1) for rank in range(len(queries))]
    with app.app_context():
        catalog = services.content_store(app).catalog()
        articles = [(lang, aid) for (lang, aid) in catalog.articles]
        normalized = {(lang, q): normalize_query(lang, q) for lang, q in queries}
        visitors = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(max(1, searches // 8))]
        # Each visitor's network key (networks.py), two visitors to a network on average.
        network = {visitor: f"{n // 2:05x}" for n, visitor in enumerate(visitors)}
        pool = list(network.values())

        def when() -> dt.datetime:
            return NOW - dt.timedelta(seconds=rng.random() * 365 * 86400)

        def insert(model, make, total: int) -> None:
            for start in range(0, total, BATCH):
                rows = [make(i) for i in range(start, min(total, start + BATCH))]
                db.session.execute(db.insert(model), rows)
                db.session.commit()

        def search_row(i: int) -> dict:
            lang, query = rng.choices(queries, weights)[0]
            found = 0 if rng.random() < 0.3 else rng.randint(1, 20)
            clicked = rng.choice(articles)[1] if found and rng.random() < 0.45 else None
            visitor = rng.choice(visitors)
            return {
                "key": uuid.UUID(int=rng.getrandbits(128)).hex,
                "created_at": when(),
                "lang": lang,
                "query": query,
                "normalized": normalized[(lang, query)],
                "result_count": found,
                "category": None,
                "page": 1,
                "visitor": visitor,
                "network": network[visitor],
                "clicked_article": clicked,
                "clicked_rank": 1 if clicked else None,
                "clicked_at": None,
            }

        def vote_row(i: int) -> dict:
            lang, aid = rng.choice(articles)
            at = when()
            helpful = rng.random() < 0.7
            return {
                "article_id": aid,
                "lang": lang,
                "visitor": f"{i:032x}",
                "network": rng.choice(pool),
                "helpful": helpful,
                "reason": None if helpful else rng.choice(["steps-failed", "unclear", None]),
                "comment": None,
                "created_at": at,
                "updated_at": at,
            }

        def view_row(i: int) -> dict:
            lang, aid = rng.choice(articles)
            visitor = rng.choice(visitors)
            return {
                "created_at": when(),
                "lang": lang,
                "article_id": aid,
                "visitor": visitor,
                "network": network[visitor],
                "fallback": False,
            }

        def request_row(i: int) -> dict:
            lang, aid = rng.choice(articles)
            visitor = rng.choice(visitors)
            return {
                "reference": f"HC-{i:04X}-{rng.getrandbits(16):04X}",
                "created_at": when(),
                "lang": lang,
                "email": f"customer{i}@example.com",
                "name": "",
                "message": "Help",
                "about": "",
                "article_id": aid,
                "search_query": None,
                "reason": None,
                "visitor": visitor,
                "network": network[visitor],
                "forgotten_at": None,
            }

        for model, make, total in (
            (SearchEvent, search_row, searches),
            (Vote, vote_row, votes),
            (PageView, view_row, views),
            (ContactRequest, request_row, requests),
        ):
            started = time.perf_counter()
            insert(model, make, total)
            print(
                f"  {total:>9,} {model.__tablename__} rows in {time.perf_counter() - started:.0f} s"
            )
        started = time.perf_counter()
        rebuild_visits()
        print(f"  visits rebuilt in {time.perf_counter() - started:.0f} s")
        db.session.execute(text("ANALYZE"))  # fresh statistics after a bulk load
        db.session.commit()
        create_user("bench@example.com", "benchmark password")


def rollups_switched(app, on: bool, state: list) -> None:
    """Off: the reports read the raw log alone (the state row goes, the tables stay)."""
    with app.app_context():
        if on:
            for name, through in state:
                db.session.add(RollupState(name=name, through=through))
        else:
            state[:] = [(s.name, s.through) for s in db.session.scalars(db.select(RollupState))]
            db.session.execute(db.delete(RollupState))
        db.session.commit()


def measure(client, urls: list[str], repeats: int = 3) -> dict[str, float]:
    timings = {}
    for url in urls:
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings[url] = statistics.median(samples)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--searches", type=int, default=1_000_000)
    parser.add_argument("--votes", type=int, help="default: a tenth of the searches")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--keep", type=Path, help="instance folder to keep (and reuse) the data in")
    parser.add_argument("--no-baseline", action="store_true", help="skip the raw-log run")
    args = parser.parse_args()
    server = None
    config = {"RATELIMIT_ENABLED": False, "INDEX_AUTO_UPDATE": False}
    if args.database == "postgresql" and "HELPCENTER_SQLALCHEMY_DATABASE_URI" not in os.environ:
        from tests.postgres import PostgresServer

        server = PostgresServer()
        config["SQLALCHEMY_DATABASE_URI"] = server.new_database()
    try:
        with tempfile.TemporaryDirectory(prefix="hc-bench-reports-") as scratch:
            run(args, config | {"INSTANCE_PATH": str(args.keep or Path(scratch))})
    finally:
        if server is not None:
            server.stop()


def run(args, config: dict) -> None:
    app = create_app(config)
    upgrade_database(app)
    with app.app_context():
        dialect = db.engine.dialect.name
        if db.session.scalar(text("SELECT count(*) FROM search_event")) == 0:
            print(f"database: {dialect}; generating a year of activity")
            votes = args.votes if args.votes is not None else args.searches // 10
            generate(app, args.searches, votes, args.searches // 2, args.searches // 200)
        if db.session.scalar(db.select(RollupState.through)) is None:
            started = time.perf_counter()
            days = rebuild_rollups()
            print(f"  {days} days rolled up in {time.perf_counter() - started:.0f} s")
    periods = {
        "30 days": "",
        "a year": f"?since={(NOW - dt.timedelta(days=365)).date().isoformat()}",
        "two years": f"?since={(NOW - dt.timedelta(days=730)).date().isoformat()}",
        "a year, ended a month ago": (
            f"?since={(NOW - dt.timedelta(days=395)).date().isoformat()}"
            f"&until={(NOW - dt.timedelta(days=31)).date().isoformat()}"
        ),
    }
    urls = [
        f"/reports/{name}{query}"
        for query in periods.values()
        for name in ["", *REPORTS]  # "" is the dashboard
    ]
    client = app.test_client()
    log_in(client, "bench@example.com", "benchmark password")  # the real login form
    measure(client, urls[:1], repeats=1)  # warm the caches
    ours = measure(client, urls)
    baseline = {}
    if not args.no_baseline:
        state: list = []
        rollups_switched(app, False, state)
        try:
            baseline = measure(client, urls)
        finally:
            rollups_switched(app, True, state)  # a kept database stays usable
    print(f"\ndatabase: {dialect}")
    print(f"{'page':<62}{'roll-ups':>10}{'raw log':>10}{'ratio':>8}")
    for url in urls:
        raw = f"{baseline[url]:>8.0f}ms{ours[url] / baseline[url]:>8.2f}" if baseline else ""
        print(f"{url:<62}{ours[url]:>8.0f}ms{raw}")
    for label, query in periods.items():
        chosen = [url for url in urls if url.endswith(query) and (query or "?" not in url)]
        slowest = max(chosen, key=lambda url: ours[url])
        raw = f" (raw log: {max(baseline[url] for url in chosen):,.0f} ms)" if baseline else ""
        print(f"slowest page, {label}: {slowest} {ours[slowest]:,.0f} ms{raw}; target under 1,000")


if __name__ == "__main__":
    main()
