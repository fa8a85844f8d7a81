"""Speed of the gap reports on a year of traffic.

    .venv/bin/python bench/reports.py                       # 1,000,000 searches, 100,000 votes
    .venv/bin/python bench/reports.py --searches 200000     # a quicker look

Fills a fresh SQLite database (or the one HELPCENTER_SQLALCHEMY_DATABASE_URI names) with a year
of generated activity over the sample articles: searches (a Zipf mix of real customer queries
from bench/eval, 30% without results, 45% clicked), votes, page views and contact requests.
Then renders every report page, logged in, through the real app, for the default period (the
last 30 days) and for the whole year, and prints the median of 3 renders per page. The
baseline in the same run is the same pages with the report indexes dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from helpcenter.activity.visits import rebuild_visits  # noqa: E402
from helpcenter.database import upgrade_database  # noqa: E402
from helpcenter.extensions import db  # noqa: E402
from helpcenter.models import ContactRequest, PageView, SearchEvent, Vote  # noqa: E402
from helpcenter.reports import REPORTS  # noqa: E402
from helpcenter.search.evaluation import read_queries  # noqa: E402
from helpcenter.search.searcher import normalize_query  # noqa: E402
from helpcenter.staff import create_user  # noqa: E402

NOW = dt.datetime.now(dt.UTC)
BATCH = 20_000
# Indexes the reports rely on (beyond unique keys); dropped for the baseline.
REPORT_INDEXES = [
    "ix_search_event_report",
    "ix_search_event_normalized",
    "ix_search_event_visitor",
    "ix_page_view_report",
    "ix_vote_report",
    "ix_contact_request_created",
]


def generate(app, searches: int, votes: int, views: int, requests: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    queries = [(q.lang, q.query) for q in read_queries(BENCH / "eval" / "sample.tsv")]
    weights = [1 / (rank + 1) for rank in range(len(queries))]
    with app.app_context():
        catalog = services.content_store(app).catalog()
        articles = [(lang, aid) for (lang, aid) in catalog.articles]
        normalized = {(lang, q): normalize_query(lang, q) for lang, q in queries}
        visitors = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(max(1, searches // 8))]

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
            return {
                "key": uuid.UUID(int=rng.getrandbits(128)).hex,
                "created_at": when(),
                "lang": lang,
                "query": query,
                "normalized": normalized[(lang, query)],
                "result_count": found,
                "category": None,
                "page": 1,
                "visitor": rng.choice(visitors),
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
                "helpful": helpful,
                "reason": None if helpful else rng.choice(["steps-failed", "unclear", None]),
                "comment": None,
                "created_at": at,
                "updated_at": at,
            }

        def view_row(i: int) -> dict:
            lang, aid = rng.choice(articles)
            return {
                "created_at": when(),
                "lang": lang,
                "article_id": aid,
                "visitor": rng.choice(visitors),
                "fallback": False,
            }

        def request_row(i: int) -> dict:
            lang, aid = rng.choice(articles)
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
                "visitor": rng.choice(visitors),
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


def restore_indexes(app) -> None:
    with app.app_context():
        for table in db.metadata.tables.values():
            for index in table.indexes:
                if index.name in REPORT_INDEXES:
                    index.create(db.engine, checkfirst=True)
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def log_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"csrf_token": token, "email": "bench@example.com", "password": "benchmark password"},
    )
    return client


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
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="instance folder to keep (and reuse) the data in")
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without indexes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-bench-reports-") as scratch:
        instance = args.keep or Path(scratch)
        fresh = not (instance / "helpcenter.sqlite3").exists()
        app = create_app(
            {"INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": False, "INDEX_AUTO_UPDATE": False}
        )
        upgrade_database(app)
        with app.app_context():
            dialect = db.engine.dialect.name
            if fresh or db.session.scalar(text("SELECT count(*) FROM search_event")) == 0:
                print(f"database: {dialect}; generating a year of activity")
                generate(app, args.searches, args.votes, args.searches // 2, args.searches // 200)
        year = f"?since={(NOW - dt.timedelta(days=365)).date().isoformat()}"
        urls = ["/reports/"] + [f"/reports/{name}" for name in REPORTS]
        urls += [f"/reports/{year}"] + [f"/reports/{name}{year}" for name in REPORTS]
        restore_indexes(app)
        client = log_in(app)
        measure(client, urls[:1], repeats=1)  # warm the caches
        ours = measure(client, urls)
        if args.no_baseline:
            for url in urls:
                print(f"{url:<46}{ours[url]:>8.0f}ms")
            return
        with app.app_context():
            for name in REPORT_INDEXES:
                db.session.execute(text(f"DROP INDEX IF EXISTS {name}"))
            db.session.commit()
        baseline = measure(client, urls)
        restore_indexes(app)  # a kept database stays usable
    print(f"\n{'page':<46}{'indexed':>10}{'no indexes':>12}{'ratio':>8}")
    for url in urls:
        print(
            f"{url:<46}{ours[url]:>8.0f}ms{baseline[url]:>10.0f}ms{ours[url] / baseline[url]:>8.2f}"
        )
    default = [ours[url] for url in urls if "?" not in url]
    print(
        f"\nslowest page, default period (30 days): {max(default):.0f} ms (target: under 1,000 ms)"
    )
    print(f"slowest page, a whole year: {max(ours.values()):.0f} ms")


if __name__ == "__main__":
    main()
