"""Production shape: several gunicorn workers keep answering searches while the index is rebuilt."""

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from tests.test_serve import fetch, free_port

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
    env = {
        **os.environ,
        "HELPCENTER_ARTICLES_DIR": str(tree.root),
        "HELPCENTER_INSTANCE_PATH": str(tmp_path / "instance"),
        "HELPCENTER_LANGUAGES": "en",
        "HELPCENTER_INDEX_AUTO_UPDATE": "false",
        "HELPCENTER_CONTENT_CHECK_INTERVAL": "0",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "helpcenter"), "index"], env=env, check=True, capture_output=True)
    port = free_port()
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
                        env=env, check=True, capture_output=True,
                    )  # fmt: skip
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
