"""`helpcenter serve` as a writer runs it: a real process, a real HTTP port, a live edit."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, attempts: int = 100) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def served(basic, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "HELPCENTER_ARTICLES_DIR": str(basic.root),
        "HELPCENTER_INSTANCE_PATH": str(tmp_path / "instance"),
        "HELPCENTER_CONTENT_CHECK_INTERVAL": "0.2",
    }
    helpcenter = Path(sys.executable).with_name("helpcenter")
    process = subprocess.Popen(
        [str(helpcenter), "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield basic, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_shows_an_edit_without_restarting(served):
    tree, base = served
    assert "Check the card number." in fetch(f"{base}/en/payments/declined")
    tree.article("en/payments/declined.md", "My payment was declined", "Try another card.\n")
    for _ in range(50):
        if "Try another card." in fetch(f"{base}/en/payments/declined"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the edit never showed up")


def test_serve_searches_the_index_it_keeps_current(served):
    tree, base = served
    tree.article("en/payments/wallets.md", "Phone wallets", "Pay with your phone wallet.\n")
    for _ in range(50):
        if "Phone wallets" in fetch(f"{base}/en/search?q=wallet"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the new article never became searchable")
