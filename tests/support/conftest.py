"""Real services on loopback for the support flow: an SMTP server (aiosmtpd) and a webhook
(tests/helpers.py: SmtpServer, WebhookServer)."""

from __future__ import annotations

import pytest

from tests.helpers import SAMPLE_CONFIG, SmtpServer, WebhookServer, free_port, make_app


@pytest.fixture
def app(tmp_path, basic):
    """The support flow on a site with an identity: a support address, a mail sender, support
    hours and response time in every language (the sample's)."""
    return make_app(tmp_path, basic.root, CONFIG_FILE=SAMPLE_CONFIG)


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def webhook():
    server = WebhookServer()
    yield server
    server.close()
