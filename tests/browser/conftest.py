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


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


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
