"""The site behind a shared cache: Debian's Varnish with the SHIPPED configuration
(deploy/varnish/helpcenter.vcl) in front of gunicorn (gunicorn.conf.py, 2 workers), on loopback.

    .venv/bin/python bench/cache.py                      # 200 customers, 30 s a phase
    .venv/bin/python bench/cache.py --users 50 --seconds 10

Simulated customers, each with their own cookies and loopback network (as bench/load.py),
read article, home and category pages in every language, with votes and a few contact
requests mixed in; the same customers then do the same straight to gunicorn: the baseline.
Each run has two phases: customers reading 1–3 s between requests (latency, hit ratio; measured
after a warm-up, since a cache in service is never empty), and the same mix with no reading
time (throughput: what the stack can serve). `--beacons` follows every page with the page-view
beacon site.js sends, which always reaches the app. Prints the hit ratio
(varnishstat: hits / (hits + misses) of what the cache may keep), p50/p95 per kind, throughput
and errors; checks that every vote and contact request sent through the cache is recorded
once; and times an edit: from saving an article (then `helpcenter index`, which purges) to
the cache serving the new text, against the pages' s-maxage plus the re-index time.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import shutil
import sqlite3
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
from collections.abc import Callable
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import FromAddress, loopback_address, start_site  # noqa: E402
from timing import percentile  # noqa: E402

from tests.helpers import free_port  # noqa: E402
from tests.varnishserver import VarnishServer  # noqa: E402

LANGS = ["en", "pl", "he", "lt", "el", "hr"]
ARTICLES = sorted(
    f"{p.parent.name}/{p.stem}"
    for p in (ROOT / "articles" / "en").glob("*/*.md")
    if p.name != "_category.md"
)
CATEGORIES = sorted({article.split("/")[0] for article in ARTICLES})
MIX = [("article", 60), ("home", 17), ("category", 17), ("vote", 5), ("contact", 1)]
RAMP_UP = 5.0
# The article the edit check rewrites (in a copy of the tree).
EDITED = "account/reset-your-password"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


PAGES = ("article", "home", "category")


class Customer:
    """A reader with their own cookies and address; votes and contact requests are posted as a
    browser on the site's pages posts them (Origin and Sec-Fetch-Site of the site itself). With
    `beacons`, every page is followed by its page-view beacon, as site.js sends it."""

    def __init__(self, base: str, rng: random.Random, address: str, beacons: bool) -> None:
        self.base, self.rng, self.beacons = base, rng, beacons
        self.opener = urllib.request.build_opener(
            FromAddress(address), urllib.request.HTTPCookieProcessor(CookieJar())
        )
        self.lang = rng.choice(LANGS)
        self.voted: set[str] = set()  # one vote per visitor and article: a later one replaces it
        self.contacts = 0

    def visit(self, kind: str) -> list[tuple[str, float, bool]]:
        """(kind, milliseconds, ok) of each request the step made."""
        rng, lang = self.rng, self.lang
        done = []
        article = rng.choice(ARTICLES)
        if kind == "home":
            url = f"/{lang}/"
        elif kind == "category":
            url = f"/{lang}/{rng.choice(CATEGORIES)}/"
        elif kind == "article":
            url = f"/{lang}/{article}"
        elif kind == "vote":
            url = f"/{lang}/feedback/{article}"
        elif kind == "contact":
            url = f"/{lang}/contact"
        else:
            raise ValueError(kind)
        data = None
        if kind == "vote":
            data = {"helpful": rng.choice(["yes", "no"])}
        elif kind == "contact":
            status, page = self._timed(done, "contact form", url)
            if status != 200:
                return done
            data = {
                "csrf_token": _TOKEN.search(page).group(1),
                "email": "load@example.com",
                "message": "Where is my order?",
            }
        status, _ = self._timed(done, kind, url, data)
        if status < 400 and kind == "vote":
            self.voted.add(article)
        elif status < 400 and kind == "contact":
            self.contacts += 1
        if self.beacons and kind in PAGES and status == 200:
            beacon = {"lang": lang, "nonce": f"{rng.getrandbits(128):032x}"}
            if kind == "article":
                beacon["article"] = article
            self._timed(done, "beacon", "/beacon", beacon)
        return done

    def _timed(self, done: list, kind: str, url: str, data: dict | None = None) -> tuple[int, str]:
        headers = {}
        if data is not None:
            headers = {"Origin": self.base, "Sec-Fetch-Site": "same-origin"}
        body = urllib.parse.urlencode(data).encode() if data else None
        request = urllib.request.Request(self.base + url, data=body, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
        except (urllib.error.URLError, OSError):
            status, text = 599, ""
        done.append((kind, (time.perf_counter() - started) * 1000, status < 400))
        return status, text


def run(
    base: str,
    users: int,
    seconds: float,
    think: tuple[float, float],
    beacons: bool,
    warm_up: float = RAMP_UP,
    on_measure: Callable[[], None] | None = None,
) -> dict:
    """Customers arrive over RAMP_UP seconds and go on until `warm_up` seconds have passed (a
    cache in service is never empty); what they do in the next `seconds` is measured, and
    `on_measure` is called when that starts (to read the cache's counters)."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    sent = {"vote": 0, "contact": 0}
    lock = threading.Lock()
    measure_from = time.monotonic() + max(warm_up, RAMP_UP)
    deadline = measure_from + seconds
    if on_measure is not None:
        timer = threading.Timer(measure_from - time.monotonic(), on_measure)
        timer.start()
    names, weights = zip(*MIX, strict=True)

    def user(number: int) -> None:
        rng = random.Random(number)
        time.sleep(RAMP_UP * number / users)
        customer = Customer(base, rng, loopback_address(number), beacons)
        while (now := time.monotonic()) < deadline:
            done = customer.visit(rng.choices(names, weights)[0])
            if now >= measure_from:
                with lock:
                    for kind, elapsed, ok in done:
                        timings[kind].append(elapsed)
                        if not ok:
                            errors[kind] += 1
            if think[1]:
                time.sleep(rng.uniform(*think))
        with lock:
            sent["vote"] += len(customer.voted)
            sent["contact"] += customer.contacts

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if on_measure is not None:
        timer.join()
    return {"timings": timings, "errors": errors, "seconds": seconds, "sent": sent}


def report(title: str, result: dict) -> dict[str, float]:
    """Prints the table; returns the figures the summary compares (pages: article, home and
    category requests; all: every request, posts and beacons included)."""
    timings, errors = result["timings"], result["errors"]
    pages = [t for kind in PAGES for t in timings.get(kind, [])]
    everything = [t for v in timings.values() for t in v]
    rate = len(pages) / result["seconds"]
    failed = sum(errors.values())
    print(f"\n{title}: {len(pages)} pages in {result['seconds']:.0f} s = {rate:.0f}/s "
          f"({len(everything)} requests in all), {failed} errors")  # fmt: skip
    print(f"{'kind':<14}{'count':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}")
    rows = [*sorted(timings.items()), ("pages", pages), ("all", everything)]
    for kind, values in rows:
        wrong = failed if kind == "all" else errors.get(kind, 0)
        if kind == "pages":
            wrong = sum(errors.get(k, 0) for k in PAGES)
        print(
            f"{kind:<14}{len(values):>8}{statistics.median(values):>7.1f}ms"
            f"{percentile(values, 0.95):>7.1f}ms{percentile(values, 0.99):>7.1f}ms{wrong:>8}"
        )
    return {
        "rate": rate,
        "p50": statistics.median(pages),
        "p95": percentile(pages, 0.95),
        "p95_all": percentile(everything, 0.95),
        "errors": failed,
    }


def read_counters(varnish: VarnishServer, into: dict[str, int]) -> None:
    into.update(varnish.counters())


def hit_times(varnish: VarnishServer) -> list[float]:
    """Milliseconds Varnish itself took to answer each hit in its log so far (varnishncsa %D):
    the cache's own share of a page's time, without the load generator's (200 Python threads
    on the same two cores)."""
    output = subprocess.run(
        ["varnishncsa", "-n", str(varnish.folder / "work"), "-d", "-F", "%D %{Varnish:handling}x"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [
        int(micros) / 1000
        for micros, handling in (line.split() for line in output.splitlines() if line.strip())
        if handling == "hit"
    ]


def hit_ratio(before: dict[str, int], after: dict[str, int]) -> tuple[float, int, int, int]:
    """Hits / (hits + misses) between two varnishstat readings, and the passes (posts, the
    contact form: never cacheable, so not in the ratio)."""
    hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
    misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
    passes = after["MAIN.s_pass"] - before["MAIN.s_pass"]
    return (hits / (hits + misses) if hits + misses else 0.0), hits, misses, passes


def recorded(database: Path) -> tuple[int, int]:
    """Votes and contact requests in the database: each one sent must be there, once."""
    with sqlite3.connect(database) as connection:
        votes = connection.execute("SELECT count(*) FROM vote").fetchone()[0]
        contacts = connection.execute("SELECT count(*) FROM contact_request").fetchone()[0]
    return votes, contacts


def time_an_edit(base: str, articles: Path, env: dict[str, str], bin_dir: Path) -> None:
    """Saves an edited article, runs `helpcenter index` (which purges) and polls through the
    cache until the new text is served."""
    url = f"{base}/en/{EDITED}"
    for _ in range(2):
        urllib.request.urlopen(url, timeout=30).read()  # cached
    marker = f"Edited at {time.time():.0f}"
    path = articles / "en" / f"{EDITED}.md"
    saved = time.monotonic()
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{marker}.\n", encoding="utf-8")
    started = time.monotonic()
    index = subprocess.run(
        [str(bin_dir / "helpcenter"), "index"], env=env, capture_output=True, text=True, check=True
    )
    index_seconds = time.monotonic() - started
    purged = "cache purged" in index.stderr
    while marker not in urllib.request.urlopen(url, timeout=30).read().decode():
        if time.monotonic() - saved > 120:
            print("edit: NOT served by the cache within 120 s")
            return
        time.sleep(0.05)
    visible = time.monotonic() - saved
    s_maxage = int(env.get("HELPCENTER_SITE_CACHE_SECONDS", "60"))
    print(
        f"\nedit: served by the cache {visible * 1000:.0f} ms after the save "
        f"(re-index {index_seconds * 1000:.0f} ms, purge {'sent' if purged else 'NOT sent'}; "
        f"bound: s-maxage {s_maxage} s + re-index) -> "
        + ("ok" if visible <= s_maxage + index_seconds else "TOO LATE")
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--warm-up", type=float, default=15, help="seconds of customers before measuring"
    )
    parser.add_argument(
        "--beacons",
        action="store_true",
        help="follow every page with its page-view beacon, as site.js does (each reaches the app)",
    )
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="hc-cache-") as scratch:
        folder = Path(scratch)
        articles = folder / "articles"
        shutil.copytree(ROOT / "articles", articles)  # the edit check rewrites an article
        varnish_port, app_port = free_port(), free_port()
        base, app_base = f"http://127.0.0.1:{varnish_port}", f"http://127.0.0.1:{app_port}"
        env = {
            **os.environ,
            "HELPCENTER_INSTANCE_PATH": str(folder / "instance"),
            "HELPCENTER_ARTICLES_DIR": str(articles),
            # The writers' staging set-up (docs/deploy.md): workers pick up edits by themselves.
            "HELPCENTER_CONTENT_CHECK_INTERVAL": "1",
            "HELPCENTER_INDEX_AUTO_UPDATE": "false",
            "HELPCENTER_WORKERS": str(args.workers),
            "HELPCENTER_PROXY_COUNT": "1",  # Varnish adds the customer's address
            # The no-reading-time phase sends each customer's posts faster than the per-address
            # limits allow a real one (docs/deploy.md): off, as for load tests.
            "HELPCENTER_RATELIMIT_ENABLED": "false",
            # No search in this mix: the embedding model would only slow the set-up.
            "HELPCENTER_SEARCH_SEMANTIC": "false",
            "HELPCENTER_CACHE_PURGE_URL": base,
        }
        server = start_site(env, app_port, folder / "gunicorn.log")
        varnish = None
        try:
            varnish = VarnishServer(folder / "varnish", app_port, varnish_port)
            print(
                f"varnish {base} -> gunicorn {app_base} ({args.workers} workers); "
                f"{args.users} customers, {args.seconds:g} s a phase"
            )
            summary: dict[str, dict[str, float]] = {}
            for name, url in (("cached", base), ("uncached", app_base)):
                counters: dict[str, int] = {}
                result = run(
                    url, args.users, args.seconds, (1.0, 3.0), args.beacons, args.warm_up,
                    on_measure=functools.partial(read_counters, varnish, counters),
                )  # fmt: skip
                summary[name] = report(f"{name}: customers reading 1–3 s between requests", result)
                if name == "cached":
                    ratio, hits, misses, passes = hit_ratio(counters, varnish.counters())
                    summary[name]["hit ratio"] = ratio
                    print(f"hit ratio {ratio:.1%} ({hits} hits, {misses} misses; {passes} passed)")
                    served = hit_times(varnish)
                    summary[name]["varnish p95"] = percentile(served, 0.95)
                    print(
                        f"as Varnish saw its {len(served)} hits: p50 {statistics.median(served):.2f} "
                        f"ms, p95 {percentile(served, 0.95):.2f} ms"
                    )
                saturated = run(url, args.users, args.seconds / 2, (0.0, 0.0), args.beacons)
                busy = report(f"{name}: no reading time (throughput)", saturated)
                summary[name]["throughput"] = busy["rate"]
                summary[name]["errors"] += busy["errors"]
                if name == "cached":
                    # Only the cached run's posts are counted here: the database is read now.
                    sent = {k: result["sent"][k] + saturated["sent"][k] for k in result["sent"]}
                    votes, contacts = recorded(folder / "instance" / "helpcenter.sqlite3")
                    same = (votes, contacts) == (sent["vote"], sent["contact"])
                    print(
                        f"\nrecorded through the cache: {votes} votes of {sent['vote']} accepted, "
                        f"{contacts} contact requests of {sent['contact']} accepted -> "
                        + ("ok" if same else "MISMATCH")
                    )
            cached, uncached = summary["cached"], summary["uncached"]
            print(
                f"\nsummary: hit ratio {cached['hit ratio']:.1%}; pages p50/p95 "
                f"{cached['p50']:.1f}/{cached['p95']:.1f} ms cached "
                f"(hits in Varnish: p95 {cached['varnish p95']:.2f} ms), "
                f"{uncached['p50']:.1f}/{uncached['p95']:.1f} ms uncached; throughput "
                f"{cached['throughput']:.0f} against {uncached['throughput']:.0f} pages/s = "
                f"{cached['throughput'] / uncached['throughput']:.1f}×; errors "
                f"{cached['errors']:.0f} cached, {uncached['errors']:.0f} uncached"
            )
            time_an_edit(base, articles, env, bin_dir)
        finally:
            if varnish is not None:
                varnish.stop()
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
