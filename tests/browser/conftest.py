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
def screenshot():
    """Saves a full-page screenshot under test-artifacts/ (kept by CI as an artifact)."""

    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
