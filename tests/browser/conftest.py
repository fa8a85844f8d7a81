"""A real browser (Debian's Chromium, driven by Playwright) against the real app on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import (
    ARTIFACTS,
    LiveSite,
    SmtpServer,
    free_port,
    mail_app,
)

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items) -> None:
    """Every test in this folder drives the browser: marked `browser` (-m "not browser")."""
    for item in items:
        if Path(item.path).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


# Chromium preloads two browser-interface pages (the address bar's suggestion pop-ups) in
# every window it opens, and each page a test opens is a window: that interface took more of
# the processor than the pages under test (half of Chromium's time in tests/browser/). Turned
# off here; the page of a test renders as before.
OMNIBOX_POPUPS = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"]
# Playwright's own --disable-features (playwright-core, chromiumSwitches.ts), repeated because a
# second --disable-features replaces the first.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled",
    "PreconnectToSearch",
]  # fmt: skip


@pytest.fixture(scope="session")
def chromium():
    disabled = ",".join(PLAYWRIGHT_DISABLED_FEATURES + OMNIBOX_POPUPS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", f"--disable-features={disabled}"]
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The session's Chromium; what a test opened in it is closed after the test."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def site(tmp_path, basic):
    smtp = SmtpServer(free_port())
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    live = LiveSite(app, smtp)
    live.thread.start()
    yield live
    live.server.shutdown()
    smtp.stop()


@pytest.fixture
def screenshot(request):
    """Saves a screenshot under test-artifacts/ when the run asks for them (`--screenshots`),
    for a person to look at: scripts/test leaves them out, since rendering ~100 full-page PNGs
    was a fifth of the browser's work and nothing asserts on them."""

    def save(page, name: str, *, full_page: bool = True) -> None:
        if not request.config.getoption("--screenshots"):
            return
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    return save
