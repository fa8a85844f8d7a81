"""Search results kept in a real Redis on loopback (SEARCH_RESULT_CACHE_URL): shared by nodes
with the same content, never trusted beyond JSON, never in the way when Redis is not."""

import logging
import pickle
import socket
import threading
import time

import pytest

from helpcenter.search import searcher as searcher_module
from helpcenter.search.result_json import MalformedResult, decode, encode
from helpcenter.search.results import SearchHit, SearchResults
from helpcenter.search.shared_results import RedisResults
from tests.helpers import SearchFixture, make_app
from tests.redisserver import RedisServer

WORKING_REDIS_TIMEOUT = 2.0


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    redis_server.client.flushall()
    return redis_server.url


@pytest.fixture
def retrieved(monkeypatch):
    """Every run of the lexical retriever, on any node of the test."""
    runs = []
    retrieve = searcher_module.score_words

    def counted(searcher, fields, matched):
        runs.append(fields)
        return retrieve(searcher, fields, matched)

    monkeypatch.setattr(searcher_module, "score_words", counted)
    return runs


@pytest.fixture
def shop(tree, tmp_path, redis_url, retrieved):
    tree.category("en", "account", "Account")
    tree.category("en", "payments", "Payments")
    tree.article("en/account/reset-password.md", "Reset your password", "Use the e-mail link.\n")
    tree.article("en/payments/methods.md", "Payment methods", "Your password is not needed.\n")
    search = SearchFixture(tree, tmp_path / "index")
    search.index()
    # A search waits 50 ms for Redis at most; on this busy two-core machine a working Redis
    # sometimes answers later, and the search would then (rightly) go without it.
    search.service.results = RedisResults(redis_url, ttl=60, timeout=WORKING_REDIS_TIMEOUT)
    search.retrieved = retrieved
    return search


def test_two_nodes_with_the_same_content_share_a_search_result(
    basic, tmp_path, redis_url, redis_server, retrieved
):
    nodes = [
        make_app(tmp_path / name, basic.root, SEARCH_RESULT_CACHE_URL=redis_url)
        for name in ("node-1", "node-2")
    ]
    first = nodes[0].test_client().get("/en/search?q=password").get_data(as_text=True)
    runs = len(retrieved)
    assert runs >= 1 and redis_server.client.keys("helpcenter:results:*")
    second = nodes[1].test_client().get("/en/search?q=password").get_data(as_text=True)
    assert len(retrieved) == runs  # node 2 read node 1's answer: its retriever never ran
    assert "Reset your password" in second
    assert _results(second) == _results(first)


def _results(html: str) -> str:
    """The results list of a page (the rest holds per-request parts: the search event)."""
    return html[html.index("<ol") : html.index("</ol>")]


def test_an_edited_article_re_indexed_is_searched_under_a_new_key(shop):
    before = shop.service.generation("en")
    assert shop.ids("en", "password") == ["account/reset-password", "payments/methods"]
    assert shop.ids("en", "password") == ["account/reset-password", "payments/methods"]
    assert len(shop.retrieved) == 1
    shop.tree.article("en/account/password-rules.md", "Password rules", "Long ones.\n")
    shop.index()
    assert shop.service.generation("en") != before
    assert "account/password-rules" in shop.ids("en", "password")
    assert len(shop.retrieved) == 2


def test_the_same_content_indexed_twice_is_named_alike(shop, tmp_path):
    other = SearchFixture(shop.tree, tmp_path / "other-node-index")
    other.index(full=True)
    other.index(full=True)  # another build folder, another Whoosh history
    assert other.service.generation("en") == shop.service.generation("en")


@pytest.mark.parametrize(
    "planted",
    [
        pickle.dumps(SearchResults("password", "en")),
        b"{not json",
        b'{"tuple":[{"results":{"query":"password"}}]}',
        b'{"tuple":[{"os.system":["touch /tmp/x"]}]}',
        encode((SearchResults("password", "en", hits=[{"id": "x"}]),)).encode(),  # type: ignore[list-item]
    ],
    ids=["pickle", "not-json", "missing-fields", "unknown-shape", "wrong-field-type"],
)
def test_an_entry_written_into_redis_by_someone_else_is_searched_again(
    shop, redis_server, planted, caplog
):
    shop.service.search("en", "password")
    [name] = redis_server.client.keys("helpcenter:results:*")
    redis_server.client.set(name, planted)
    with caplog.at_level(logging.WARNING):
        found = shop.service.search("en", "password")
    assert [hit.id for hit in found.hits] == ["account/reset-password", "payments/methods"]
    assert len(shop.retrieved) == 2  # searched again, not read
    assert "ignored a malformed entry" in caplog.text
    shop.service.search("en", "password")
    assert len(shop.retrieved) == 2  # and the good answer stored over it


def test_a_result_and_its_hits_come_back_from_json_as_they_went_in():
    hit = SearchHit("account/reset", "account", "Reset", "Use the link", "<mark>Reset</mark>", 2, 1)
    results = SearchResults(
        "reset", "en", hits=[hit], total=1, category_counts={"account": 1}, score_ratio=0.5
    )
    value = (results,)
    assert decode(encode(value)) == value
    assert decode(encode(([hit], "reset"))) == ([hit], "reset")
    assert decode(encode((None,))) == (None,)


def test_a_hit_with_a_field_of_another_type_is_refused():
    text = encode((SearchHit("a", "b", "c", "d", "e", 1.0, 1),)).replace('"rank":1', '"rank":"1"')
    with pytest.raises(MalformedResult):
        decode(text)


def test_search_goes_on_when_redis_stops_mid_run(shop, tmp_path, caplog):
    server = RedisServer(tmp_path / "doomed-redis")
    try:
        shop.service.results = RedisResults(server.url, ttl=60)
        shop.service.search("en", "password")
        assert server.client.keys("helpcenter:results:*")
    finally:
        server.stop()
    with caplog.at_level(logging.WARNING):
        answers = [shop.ids("en", "password") for _ in range(5)] + [shop.ids("en", "link")]
    assert answers[0] == ["account/reset-password", "payments/methods"]
    assert all(answer == answers[0] for answer in answers[:5])
    assert answers[5] == ["account/reset-password"]
    assert caplog.text.count("search result cache: cannot") == 1  # once per interval


class SilentServer:
    """A TCP server on loopback that accepts connections and never answers (a hung Redis)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.socket.close()
        for connection in self.accepted:
            connection.close()


def test_a_redis_that_never_answers_holds_up_only_one_search_in_an_interval(shop):
    silent = SilentServer()
    try:
        shop.service.results = RedisResults(f"redis://127.0.0.1:{silent.port}", ttl=60)
        started = time.perf_counter()
        first = shop.ids("en", "password")
        waited = time.perf_counter() - started
        answers = [shop.ids("en", "password") for _ in range(10)]
    finally:
        silent.close()
    assert first == ["account/reset-password", "payments/methods"]
    assert all(answer == first for answer in answers)
    assert len(silent.accepted) == 1  # the ten searches after the timeout left Redis alone
    assert waited < 1.0  # the 50 ms timeout, not a client's default of none (a loose bound)
