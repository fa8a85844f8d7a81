"""A real browser (Debian's Chromium, driven by Playwright) against the real app on loopback."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from helpcenter import services
from tests.conftest import SAMPLE_CONFIG, make_app
from tests.support.conftest import SmtpServer
from tests.test_serve import free_port

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class LiveSite:
    def __init__(self, app, smtp: SmtpServer) -> None:
        self.app = app
        self.smtp = smtp
        self.server = make_server("127.0.0.1", free_port(), app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for_deliveries(self) -> None:
        services.kicker(self.app).wait()


@pytest.fixture
def site(tmp_path, basic):
    smtp = SmtpServer(free_port())
    smtp.start()
    app = make_app(
        tmp_path, basic.root, CONFIG_FILE=SAMPLE_CONFIG, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
        SUPPORT_EMAIL="help@brightwood.example", PUBLIC_URL="https://help.example.com",
    )  # fmt: skip
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
