"""The help widget: how much widget.js weighs, and how soon the panel paints after the click.

    .venv/bin/python bench/widget.py                 # 15 runs
    .venv/bin/python bench/widget.py --runs 30

Starts the site as deployed (gunicorn.conf.py, 2 workers) on the sample content with
HELPCENTER_WIDGET_ORIGINS naming another loopback port, where a plain page of "a shop" carries
the tag (tests/helpers.py: HostSite, with the Content-Security-Policy docs/deploy.md asks
for). In Debian's Chromium (Playwright), with a warm cache (the page and the panel opened once
before; then each run reloads the shop's page, as a customer moving through the shop does):
the time from the click on the help button to the panel's first contentful paint, in the
panel's own Paint Timing against the click event's time (both on the machine's clock).

The baseline in the same run: the same panel page opened in a tab of its own, warm too, from
navigation to first contentful paint; the difference is what the widget adds (the frame, the
click). Prints the median and the 90th percentile of each, and widget.js's size as served and
gzipped (level 6, as nginx's default), against the issue's bars: 10 KB, 300 ms.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import start_site  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from timing import percentile  # noqa: E402

from tests.helpers import HostSite, free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SCRIPT_BAR = 10 * 1024
PAINT_BAR = 300.0
# In the host page: the click's time; in the panel: its first contentful paint's. Absolute
# (timeOrigin + a time relative to it), so the two documents' clocks compare.
WATCH_CLICK = """() => window.addEventListener("click",
  event => { window.benchClicked = performance.timeOrigin + event.timeStamp; },
  {capture: true, once: true})"""
FIRST_PAINT = """() => new Promise(resolve => {
  const seen = entries => entries.find(e => e.name === "first-contentful-paint");
  setTimeout(() => resolve(NaN), 10000);  // never painted: shown as nan
  const found = seen(performance.getEntriesByType("paint"));
  if (found) return resolve(performance.timeOrigin + found.startTime);
  new PerformanceObserver(list => {
    const paint = seen(list.getEntries());
    if (paint) resolve(performance.timeOrigin + paint.startTime);
  }).observe({type: "paint", buffered: true});
})"""
PAINT_AFTER_NAVIGATION = FIRST_PAINT.replace("performance.timeOrigin + ", "")


def script_size(base: str) -> tuple[int, int]:
    with urllib.request.urlopen(f"{base}/widget.js", timeout=10) as response:
        body = response.read()
    return len(body), len(gzip.compress(body, compresslevel=6))


def panel_paint(page, host: HostSite) -> float:
    """Milliseconds from the click on the help button to the panel's first paint."""
    page.goto(f"{host.origin}/shop/billing")
    button = page.locator("helpcenter-widget").get_by_role("button", name="Help")
    button.wait_for()
    page.evaluate(WATCH_CLICK)
    button.click()
    frame = page.locator("helpcenter-widget iframe").element_handle().content_frame()
    frame.wait_for_load_state()
    painted = frame.evaluate(FIRST_PAINT)
    return painted - page.evaluate("benchClicked")


def page_paint(page, url: str) -> float:
    """Milliseconds from navigation to first paint of `url` in a tab of its own."""
    page.goto(url)
    return page.evaluate(PAINT_AFTER_NAVIGATION)


def summary(name: str, times: list[float]) -> str:
    return (
        f"{name:<42} median {statistics.median(times):6.1f} ms   p90 "
        f"{percentile(times, 0.9):6.1f} ms   min {min(times):6.1f}   max {max(times):6.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    host = HostSite()
    with tempfile.TemporaryDirectory(prefix="hc-widget-") as instance:
        port = free_port()
        env = {
            **os.environ,
            "HELPCENTER_INSTANCE_PATH": instance,
            "HELPCENTER_CONTENT_CHECK_INTERVAL": "0",
            "HELPCENTER_INDEX_AUTO_UPDATE": "false",
            "HELPCENTER_SEARCH_SEMANTIC": "false",  # the panel's start searches nothing
            "HELPCENTER_WIDGET_ORIGINS": host.origin,
            "HELPCENTER_WORKERS": "2",
        }
        server = start_site(env, port)
        base = f"http://127.0.0.1:{port}"
        host.start(base)
        try:
            raw, zipped = script_size(base)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                panel_paint(page, host)  # warm: the script, the panel and its files cached
                page_paint(page, f"{base}/widget/en/")
                widget = [panel_paint(page, host) for _ in range(args.runs)]
                alone = [page_paint(page, f"{base}/widget/en/") for _ in range(args.runs)]
                browser.close()
        finally:
            server.terminate()
            server.wait()
            host.stop()
    print(f"widget.js: {raw} bytes as served, {zipped} bytes gzipped (bar: {SCRIPT_BAR})")
    print(f"{args.runs} runs each, warm cache, Chromium at 1280 px:")
    print(summary("click to the panel's first paint", widget))
    print(summary("baseline: the panel page in a tab of its own", alone))
    ok = zipped <= SCRIPT_BAR and statistics.median(widget) <= PAINT_BAR
    print("within the bars" if ok else f"OVER A BAR (10 KB gzipped, {PAINT_BAR:.0f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
