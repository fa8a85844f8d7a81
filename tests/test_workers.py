"""Production shape: several gunicorn workers keep answering searches while the index is rebuilt."""

import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from helpcenter import create_app
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, SearchEvent, Vote
from tests.helpers import fetch, free_port, server_env

# Each test starts gunicorn with several workers.
pytestmark = pytest.mark.slow

WORKERS = 2
ARTICLES = 300


def test_gunicorn_workers_search_through_full_rebuilds(tree, tmp_path):
    tree.category("en", "guides", "Guides")
    for number in range(ARTICLES):
        tree.article(
            f"en/guides/guide-{number:03d}.md",
            f"Guide number {number}",
            f"Step by step help for task {number}. Open settings, choose an option, save it.\n",
        )
    tree.article("en/guides/wallets.md", "Pay with a phone wallet", "Apple Pay and Google Pay.\n")
    env = {**server_env(tree, tmp_path), "HELPCENTER_INDEX_AUTO_UPDATE": "false"}
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "helpcenter"), "index"], env=env, check=True, capture_output=True)
    port = free_port()
    # Each option beside its value, as on a command line (one item a line would split the pairs).
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "helpcenter:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        fetch(f"{base}/en/")
        rebuilding = threading.Event()
        rebuilding.set()

        def rebuild() -> None:
            try:
                for _ in range(3):
                    subprocess.run(
                        [str(bin_dir / "helpcenter"), "index", "--full"],
                        env=env,
                        check=True,
                        capture_output=True,
                    )
            finally:
                rebuilding.clear()

        rebuilder = threading.Thread(target=rebuild)
        rebuilder.start()
        answers = []
        while rebuilding.is_set():
            with urllib.request.urlopen(f"{base}/api/search?lang=en&q=wallet", timeout=10) as r:
                answers.append((r.status, json.load(r)))
            with urllib.request.urlopen(f"{base}/en/search?q=guide+task+7", timeout=10) as r:
                answers.append((r.status, r.read().decode()))
        rebuilder.join()
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert len(answers) >= 10, "the rebuilds finished before the searches could overlap them"
    assert all(status == 200 for status, _ in answers)
    suggestions = [body for _, body in answers if isinstance(body, dict)]
    assert all(s["results"][0]["title"] == "Pay with a phone wallet" for s in suggestions)
    pages = [body for _, body in answers if isinstance(body, str)]
    assert all("Guide number 7" in page for page in pages)


VISITORS = 30


def _visit(base: str, number: int) -> list[int]:
    """One customer: a search, a vote and a contact request, with their own cookies."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/en/contact", timeout=20).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    results = opener.open(f"{base}/en/search?q=guide+{number}", timeout=20)
    search = re.search(r'data-beacon-search="([^"]+)"', results.read().decode()).group(1)
    shown = {"lang": "en", "nonce": uuid.uuid4().hex, "search": search}  # logged by its beacon
    beacon = urllib.request.Request(
        f"{base}/beacon",
        data=urllib.parse.urlencode(shown).encode(),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    statuses = [results.status, opener.open(beacon, timeout=20).status]
    for url, fields in (
        ("/en/feedback/guides/wallets", {"helpful": "no", "reason": "unclear"}),
        ("/en/contact", {"email": f"c{number}@example.com", "message": f"Message {number}"}),
    ):
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        statuses.append(opener.open(f"{base}{url}", data=data, timeout=20).status)
    return statuses


def test_concurrent_writes_from_several_workers_lose_nothing(tree, tmp_path, database_backend):
    tree.category("en", "guides", "Guides")
    tree.article("en/guides/wallets.md", "Pay with a phone wallet", "Apple Pay and Google Pay.\n")
    env = server_env(tree, tmp_path)
    bin_dir = Path(sys.executable).parent
    for command in (["db", "upgrade"], ["index"]):
        subprocess.run(
            [str(bin_dir / "helpcenter"), *command], env=env, check=True, capture_output=True
        )
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        # Each option beside its value, as on a command line (one item a line would split the pairs).
        server = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "-w", "3", "--threads", "4", "-b", f"127.0.0.1:{port}",
             "helpcenter:create_app()"],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            fetch(f"{base}/en/")
            with ThreadPoolExecutor(max_workers=12) as pool:
                statuses = [
                    s
                    for result in pool.map(lambda n: _visit(base, n), range(VISITORS))
                    for s in result
                ]
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": env.get("HELPCENTER_SQLALCHEMY_DATABASE_URI"),
                    "INSTANCE_PATH": env["HELPCENTER_INSTANCE_PATH"],
                    "ARTICLES_DIR": str(tree.root),
                }
            )
            with app.app_context():
                for _ in range(100):  # searches are written by each worker's log thread
                    searches = db.session.query(SearchEvent).count()
                    if searches >= VISITORS:
                        break
                    time.sleep(0.1)
                    db.session.rollback()
                votes = db.session.query(Vote).count()
                messages = sorted(r.message for r in db.session.query(ContactRequest))
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert statuses == [200] * (4 * VISITORS)
    assert (searches, votes) == (VISITORS, VISITORS)
    assert messages == sorted(f"Message {n}" for n in range(VISITORS))
    assert "database is locked" not in log.read_text()
