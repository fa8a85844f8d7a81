"""`helpcenter serve` as a writer runs it: a real process, a real HTTP port, a live edit."""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import fetch, free_port, wait_until

# Each test starts `helpcenter serve` or gunicorn as a process of its own.
pytestmark = pytest.mark.slow


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
    # Its output goes to a file: an unread pipe fills up and stops the server mid-test.
    output = tmp_path / "serve.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            [str(helpcenter), "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield basic, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_shows_an_edit_without_restarting(served):
    tree, base = served
    assert "Check the card number." in fetch(f"{base}/en/payments/declined")
    tree.article("en/payments/declined.md", "My payment was declined", "Try another card.\n")
    wait_until(
        lambda: "Try another card." in fetch(f"{base}/en/payments/declined"),
        "the edit never showed up",
    )


def test_serve_searches_the_index_it_keeps_current(served):
    tree, base = served
    tree.article("en/payments/wallets.md", "Phone wallets", "Pay with your phone wallet.\n")
    wait_until(
        lambda: "Phone wallets" in fetch(f"{base}/en/search?q=wallet"),
        "the new article never became searchable",
    )


def logged_lines(command: list[str], env: dict, base: str) -> str:
    """What a server process logs while a customer searches and a lead looks up an e-mail."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        fetch(f"{base}/en/")
        fetch(f"{base}/en/search?q=confidentialword")
        urllib.request.urlopen(f"{base}/login?next=/reports/requests/find?q=dana@example.com")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    return output.decode()


@pytest.mark.parametrize("server", ["serve", "gunicorn"])
def test_server_logs_keep_no_address_and_no_query(basic, tmp_path, server):
    port = free_port()
    env = {
        **os.environ,
        "HELPCENTER_ARTICLES_DIR": str(basic.root),
        "HELPCENTER_INSTANCE_PATH": str(tmp_path / "instance"),
        "HELPCENTER_BIND": f"127.0.0.1:{port}",
        "HELPCENTER_WORKERS": "1",
    }
    bin_dir = Path(sys.executable).parent
    if server == "serve":
        command = [str(bin_dir / "helpcenter"), "serve", "--port", str(port)]
    else:
        root = Path(__file__).resolve().parent.parent
        subprocess.run(
            [str(bin_dir / "helpcenter"), "db", "upgrade"], env=env, check=True, capture_output=True
        )
        command = [str(bin_dir / "gunicorn"), "-c", str(root / "gunicorn.conf.py")]
    log = logged_lines(command, env, f"http://127.0.0.1:{port}")
    assert "GET /en/search" in log  # requests are logged…
    assert "127.0.0.1 -" not in log and "confidentialword" not in log  # …without who and what
    assert "dana@example.com" not in log
