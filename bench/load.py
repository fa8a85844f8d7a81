"""Load: the running app under a realistic mix, on loopback.

    .venv/bin/python bench/load.py                    # 2 gunicorn workers, 50 users, 60 s
    .venv/bin/python bench/load.py --users 20 --seconds 20

Starts gunicorn (`gunicorn.conf.py`, 2 workers) on the sample content with a fresh SQLite
database, then runs simulated customers, each with their own cookies and their own loopback address
in a network of their own (127.x.y.1, as the per-address rate limits and the per-network row
cap expect of real customers): home pages, searches,
articles, instant suggestions, votes and contact requests, in every language, each home, search
and article page followed by the page-view beacon its script sends (--no-beacons: readers
without JavaScript; votes and contact posts carry Origin and Sec-Fetch-Site as a browser's
do). Straight to gunicorn, no cache in front (bench/cache.py measures one). The baseline in
the same run is the same users fetching the stylesheet (the cheapest response the stack can
give). Prints throughput, p50/p95/p99 per kind of request and errors.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import percentile  # noqa: E402

from helpcenter.search.evaluation import read_queries  # noqa: E402

QUERIES = [(q.lang, q.query) for q in read_queries(ROOT / "bench" / "eval" / "sample.tsv")]
LANGS = sorted({lang for lang, _ in QUERIES})
ARTICLES = sorted(
    f"{p.parent.name}/{p.stem}"
    for p in (ROOT / "articles" / "en").glob("*/*.md")
    if p.name != "_category.md"
)
MIX = [("home", 15), ("search", 30), ("article", 30), ("suggest", 17), ("vote", 6), ("contact", 2)]
# Customer pages whose site.js reports them to /beacon once shown (web/beacon.py).
PAGES_WITH_BEACON = {"home", "search", "article"}
RAMP_UP = 5.0  # seconds over which the users arrive
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_SEARCH = re.compile(r'data-beacon-search="([^"]+)"')


class FromAddress(urllib.request.HTTPHandler):
    """Connects from a chosen loopback address: each customer comes from their own."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req):
        return self.do_open(http.client.HTTPConnection, req, source_address=(self.address, 0))


def loopback_address(number: int) -> str:
    """127.N.M.1: each customer from a network (a /24) of their own, as the per-address limits,
    the activity log's row cap and the reports' count of customers expect of real ones."""
    return f"127.{number // 250 + 1}.{number % 250}.1"


class Customer:
    def __init__(self, base: str, rng: random.Random, address: str) -> None:
        self.base, self.rng = base, rng
        self.last_article = self.last_search = ""
        self.opener = urllib.request.build_opener(
            FromAddress(address), urllib.request.HTTPCookieProcessor(CookieJar())
        )
        self.lang = rng.choice(LANGS)
        page = self.opener.open(f"{base}/{self.lang}/contact", timeout=30).read().decode()
        self.token = _TOKEN.search(page).group(1)

    def request(self, kind: str) -> int:
        rng, lang = self.rng, self.lang
        if kind != "beacon":
            self.last_article = self.last_search = ""
        data = None
        if kind == "home":
            url = f"/{lang}/"
        elif kind == "search":
            url = f"/{lang}/search?" + urllib.parse.urlencode({"q": rng.choice(QUERIES)[1]})
        elif kind == "article":
            self.last_article = rng.choice(ARTICLES)
            url = f"/{lang}/{self.last_article}"
        elif kind == "suggest":
            text = rng.choice(QUERIES)[1]
            url = "/api/search?" + urllib.parse.urlencode(
                {"lang": lang, "q": text[: rng.randint(3, len(text))]}
            )
        elif kind == "vote":
            url = f"/{lang}/feedback/{rng.choice(ARTICLES)}"
            data = {"csrf_token": self.token, "helpful": rng.choice(["yes", "no"])}
        elif kind == "contact":
            url = f"/{lang}/contact"
            data = {
                "csrf_token": self.token,
                "email": "load@example.com",
                "message": "Where is my order?",
            }
        elif kind == "beacon":  # what site.js sends once a page is shown
            url = "/beacon"
            data = {"lang": lang, "nonce": f"{rng.getrandbits(128):032x}"}
            if self.last_article:
                data["article"] = self.last_article
            if self.last_search:  # a results page's beacon logs its search (web/search_beacon.py)
                data["search"] = self.last_search
        else:  # the baseline
            url = "/static/css/site.css"
        # Posts as a browser on the site's own pages sends them (web/origin.py).
        headers = {"Origin": self.base, "Sec-Fetch-Site": "same-origin"} if data else {}
        body = urllib.parse.urlencode(data).encode() if data else None
        request = urllib.request.Request(self.base + url, data=body, headers=headers)
        with self.opener.open(request, timeout=30) as response:
            body = response.read()
            if kind == "search":
                found = _SEARCH.search(body.decode())
                self.last_search = found.group(1) if found else ""
            return response.status


def run(
    base: str,
    users: int,
    seconds: float,
    kinds: list[tuple[str, int]],
    think: tuple[float, float],
    beacons: bool = False,
) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    names, weights = zip(*kinds, strict=True)

    def user(number: int) -> None:
        rng = random.Random(number)
        time.sleep(RAMP_UP * number / users)  # customers arrive over the first seconds
        customer = Customer(base, rng, loopback_address(number))
        while time.monotonic() < deadline:
            kind = rng.choices(names, weights)[0]
            steps = [kind, "beacon"] if beacons and kind in PAGES_WITH_BEACON else [kind]
            for step in steps:
                started = time.perf_counter()
                try:
                    ok = customer.request(step) < 400
                except (urllib.error.URLError, OSError):
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings[step].append(elapsed)
                    if not ok:
                        errors[step] += 1
                if not ok:
                    break
            if think[1]:
                time.sleep(rng.uniform(*think))  # reading the page

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors, "seconds": time.monotonic() - started}


def report(title: str, result: dict) -> None:
    timings, errors = result["timings"], result["errors"]
    total = sum(len(v) for v in timings.values())
    print(
        f"\n{title}: {total} requests in {result['seconds']:.0f} s = {total / result['seconds']:.0f}/s, "
        f"{sum(errors.values())} errors"
    )
    print(f"{'kind':<10}{'count':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}")
    everything = [t for v in timings.values() for t in v]
    for kind, values in [*sorted(timings.items()), ("all", everything)]:
        print(
            f"{kind:<10}{len(values):>8}{statistics.median(values):>7.0f}ms"
            f"{percentile(values, 0.95):>7.0f}ms{percentile(values, 0.99):>7.0f}ms"
            f"{(errors.get(kind, 0) if kind != 'all' else sum(errors.values())):>8}"
        )


def start_site(env: dict[str, str], port: int, log: Path | None = None) -> subprocess.Popen:
    """The site as deployed (`gunicorn.conf.py`) on 127.0.0.1:`port`, with the instance `env`
    names migrated and indexed, once it answers its health check (its errors go to `log`)."""
    bin_dir = Path(sys.executable).parent
    for command in (["db", "upgrade"], ["index"]):
        subprocess.run(
            [str(bin_dir / "helpcenter"), *command], env=env, check=True, capture_output=True
        )
    errors = log.open("wb") if log else subprocess.DEVNULL
    # Each option beside its value, as on a command line (one item a line would split the pairs).
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors,
    )  # fmt: skip
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            break
        except OSError:
            time.sleep(0.1)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds a customer reads between requests (default 1 3; 0 0 = saturation test)",
    )
    parser.add_argument(
        "--beacons",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="follow each home, search and article page with its page-view beacon, as site.js "
        "does (default; --no-beacons: customers without JavaScript)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hc-load-") as instance:
        env = {
            **os.environ,
            "HELPCENTER_INSTANCE_PATH": instance,
            "HELPCENTER_CONTENT_CHECK_INTERVAL": "0",
            "HELPCENTER_INDEX_AUTO_UPDATE": "false",
            "HELPCENTER_WORKERS": str(args.workers),
        }
        port = 18000 + os.getpid() % 1000
        server = start_site(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            print(
                f"gunicorn: {args.workers} workers on {base}; {args.users} users, "
                f"{args.think[0]:g}–{args.think[1]:g} s between requests"
            )
            think = tuple(args.think)
            baseline = run(base, args.users, min(15.0, args.seconds), [("static", 1)], think)
            report("baseline: the stylesheet", baseline)
            result = run(base, args.users, args.seconds, MIX, think, args.beacons)
            report("the customer mix", result)
        finally:
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
