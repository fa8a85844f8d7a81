"""What `helpcenter` tells the cache in front after new content (helpcenter/cache_purge.py),
heard by a stand-in cache on loopback; tests/test_shared_cache.py runs it against Varnish."""

from __future__ import annotations

import re
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpcenter import services
from helpcenter.cache_purge import CachePurge
from tests.helpers import HangingServer, make_app, serving_thread


class CacheStandIn:
    """Answers BAN and PURGE with 200 and remembers (method, path, headers) of each."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, str, dict[str, str]]] = []
        heard = self.heard

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                heard.append((self.command, self.path, dict(self.headers)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_BAN = do_PURGE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        serving_thread(self.server).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cache():
    stand_in = CacheStandIn()
    yield stand_in
    stand_in.close()


def banned(cache: CacheStandIn) -> re.Pattern:
    """The last BAN's expression, as Varnish will match it against each cached path."""
    method, _, headers = cache.heard[-1]
    assert method == "BAN"
    return re.compile(headers["X-Ban-Url"])


def index(app) -> str:
    """`helpcenter index`, a process of its own in production: it reads the articles anew."""
    services.content_store(app).refresh()
    result = app.test_cli_runner().invoke(args=["index"])
    assert result.exit_code == 0, result.output
    return result.output


def test_editing_one_translation_bans_only_that_languages_pages(tmp_path, basic, cache):
    app = make_app(tmp_path, basic.root, CACHE_PURGE_URL=cache.url)
    index(app)
    basic.article("pl/account/reset-password.md", "Zresetuj hasło", "Poproś o nowe hasło.\n")
    assert "cache purged (BAN" in index(app)
    ban = banned(cache)
    for path in ["/pl/account/reset-password", "/pl/", "/pl/account/", "/sitemap.xml"]:
        assert ban.match(path), path
    for path in ["/en/account/reset-password", "/he/", "/static/css/site.css", "/media/pl/x.png"]:
        assert not ban.match(path), path


def test_editing_a_source_article_bans_every_language_it_stands_in_for(tmp_path, basic, cache):
    app = make_app(tmp_path, basic.root, CACHE_PURGE_URL=cache.url)
    index(app)
    basic.article("en/account/reset-password.md", "Reset your password", "New steps.\n")
    index(app)
    ban = banned(cache)
    assert ban.match("/en/account/reset-password") and ban.match("/he/account/reset-password")


def test_an_index_that_changed_nothing_purges_nothing(tmp_path, basic, cache):
    app = make_app(tmp_path, basic.root, CACHE_PURGE_URL=cache.url)
    index(app)
    heard = len(cache.heard)
    assert "cache purged" not in index(app)
    assert len(cache.heard) == heard


def test_a_purge_per_url_names_every_page_of_the_language_by_the_public_host(
    tmp_path, basic, cache
):
    app = make_app(
        tmp_path,
        basic.root,
        CACHE_PURGE_URL=cache.url,
        CACHE_PURGE_METHOD="PURGE",
        PUBLIC_URL="https://help.example.com",
    )
    result = app.test_cli_runner().invoke(args=["purge", "--lang", "pl"])
    assert result.exit_code == 0 and "cache purged (PURGE" in result.output, result.output
    paths = {path for method, path, _ in cache.heard if method == "PURGE"}
    assert {"/pl/", "/pl/account/", "/pl/account/reset-password", "/sitemap.xml"} <= paths
    assert not any(path.startswith("/en/") for path in paths)
    assert {headers["Host"] for _, _, headers in cache.heard} == {"help.example.com"}


def test_a_cache_answering_a_byte_at_a_time_is_cut_off_and_indexing_goes_on(tmp_path, basic):
    # The status line never ends: no socket timeout fires, only the bound on the whole purge.
    server = HangingServer(hang=60, trickle=b"HTTP/1.1 200 OK\r\nX-Slow: " + b"." * 600, every=0.1)
    try:
        app = make_app(tmp_path, basic.root, CACHE_PURGE_URL=f"http://127.0.0.1:{server.port}")
        started = time.monotonic()
        output = index(app)
        assert "cache not purged" in output
        # The purge gives up after 2 s; the server would have gone on for 60.
        assert time.monotonic() - started < 30
    finally:
        server.close()


def test_an_unknown_purge_method_stops_the_site_at_start(tmp_path, basic):
    with pytest.raises(ValueError, match="CACHE_PURGE_METHOD must be BAN or PURGE"):
        make_app(
            tmp_path, basic.root, CACHE_PURGE_URL="http://127.0.0.1:6081", CACHE_PURGE_METHOD="GET"
        )


def test_no_purge_url_means_no_purge():
    assert CachePurge.from_config({"CACHE_PURGE_URL": ""}) is None
