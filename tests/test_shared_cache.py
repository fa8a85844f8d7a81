"""Behind a real Varnish (Debian's varnishd) with the shipped configuration,
deploy/varnish/helpcenter.vcl: what customers share is served from the cache, what one person
sends or sees never is, and a re-index purges what changed (helpcenter/cache_purge.py)."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, SearchEvent, Vote
from tests.helpers import free_port, make_app, serving_thread, wait_until
from tests.varnishserver import VarnishServer

pytestmark = pytest.mark.slow

ARTICLE = "/en/account/reset-password"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class CachedSite:
    """The app on loopback (werkzeug, threaded) with Varnish in front of it."""

    def __init__(self, app, folder, port: int) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", free_port(), app, threaded=True)
        self.thread = serving_thread(self.server)
        self.thread.start()
        self.app_url = f"http://127.0.0.1:{self.server.server_port}"
        self.varnish = VarnishServer(folder, self.server.server_port, port)
        self.url = self.varnish.url

    def stop(self) -> None:
        self.varnish.stop()
        self.server.shutdown()


@pytest.fixture
def cached_site(tmp_path, basic):
    port = free_port()
    app = make_app(tmp_path, basic.root, CACHE_PURGE_URL=f"http://127.0.0.1:{port}")
    site = CachedSite(app, tmp_path / "varnish", port)
    yield site
    site.stop()


def get(url: str, opener=None, headers: dict[str, str] | None = None):
    """(status, headers, body) of a GET, without following redirects' failures."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def post(url: str, data: dict[str, str], opener=None, origin: str | None = None):
    headers = {"Sec-Fetch-Site": "same-origin"}
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers=headers
    )
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def from_cache(headers) -> bool:
    """Varnish's own word: a hit carries two transaction ids in X-Varnish (this request's and
    the one that stored the object)."""
    return len(headers["X-Varnish"].split()) == 2


def rows(app, model) -> list:
    with app.app_context():
        return list(db.session.scalars(select(model)))


def test_a_second_reader_of_an_article_is_served_by_the_cache(cached_site):
    status, first, _ = get(cached_site.url + ARTICLE)
    assert status == 200 and not from_cache(first)
    status, second, body = get(cached_site.url + ARTICLE)
    assert status == 200 and from_cache(second), second
    assert "Reset your password" in body
    assert int(second["Age"]) >= 0 and second["X-Cache"] == "HIT"
    assert cached_site.varnish.counter_reaches("MAIN.cache_hit", 1) >= 1


def test_no_cookie_reaches_a_reader_of_a_cached_page(cached_site):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for path in ["/en/", "/en/account/", ARTICLE, ARTICLE, "/pl/", "/sitemap.xml"]:
        status, headers, _ = get(cached_site.url + path, opener)
        assert status == 200, path
        assert headers.get_all("Set-Cookie") is None, path
    assert len(jar) == 0


def test_a_reader_holding_the_pages_etag_gets_304_from_the_cache(cached_site):
    get(cached_site.url + ARTICLE)
    _, headers, _ = get(cached_site.url + ARTICLE)
    status, again, body = get(cached_site.url + ARTICLE, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == "" and from_cache(again)


def test_a_visitors_cookies_do_not_split_the_cache(cached_site):
    get(cached_site.url + ARTICLE)
    status, headers, _ = get(
        cached_site.url + ARTICLE, headers={"Cookie": "hc_visitor=abc; session=whatever"}
    )
    assert status == 200 and from_cache(headers)


def test_a_vote_through_the_cache_with_the_sites_origin_is_recorded_once(cached_site):
    get(cached_site.url + ARTICLE)  # the page is cached; the vote must still reach the app
    status, _, _ = post(
        cached_site.url + "/en/feedback/account/reset-password",
        {"helpful": "yes"},
        origin=cached_site.url,
    )
    assert status == 200
    [vote] = rows(cached_site.app, Vote)
    assert (vote.article_id, vote.helpful) == ("account/reset-password", True)


def test_a_contact_request_through_the_cache_is_recorded_once_and_its_pages_never_cached(
    cached_site,
):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for _ in range(2):
        status, headers, page = get(cached_site.url + "/en/contact", opener)
        assert status == 200 and not from_cache(headers)
    token = _TOKEN.search(page).group(1)
    status, headers, page = post(
        cached_site.url + "/en/contact",
        {"csrf_token": token, "email": "ada@example.com", "message": "Where is my order?"},
        opener,
        origin=cached_site.url,
    )
    assert status == 200 and "HC-" in page and not from_cache(headers)
    [request] = rows(cached_site.app, ContactRequest)
    assert request.email == "ada@example.com"
    sent = re.search(r"/en/contact/sent/[^\"'?#]+", page)
    if sent:
        for _ in range(2):
            _, headers, _ = get(cached_site.url + sent.group(0), opener)
            assert not from_cache(headers)


def test_staff_pages_are_never_served_from_the_cache(cached_site):
    for path in ["/login", "/login", "/reports/", "/reports/"]:
        status, headers, body = get(cached_site.url + path)
        # The login form (/reports/ leads there when logged out), not an error page.
        assert status == 200 and 'autocomplete="current-password"' in body, path
        assert not from_cache(headers), path


def edit_article(basic) -> None:
    basic.article(
        "en/account/reset-password.md",
        "Reset your password",
        "Forgot it? Use the new self-service page.\n",
        summary="Get a new password when you forgot yours.",
        order=1,
    )
    basic.commit("reword")


def test_helpcenter_index_purges_the_edited_article_from_the_cache(cached_site, basic, tmp_path):
    get(cached_site.url + ARTICLE)
    _, headers, body = get(cached_site.url + ARTICLE)
    assert from_cache(headers) and "new self-service page" not in body
    edit_article(basic)
    # The workers have the new content (a deploy restarted them, or they reloaded it) …
    services.content_store(cached_site.app).refresh()
    _, headers, body = get(cached_site.url + ARTICLE)
    assert from_cache(headers) and "new self-service page" not in body  # … the cache not yet
    result = cached_site.app.test_cli_runner().invoke(args=["index"])
    assert result.exit_code == 0, result.output
    assert "cache purged (BAN" in result.output
    _, headers, body = get(cached_site.url + ARTICLE)
    assert "new self-service page" in body and not from_cache(headers)


def test_a_purge_per_url_drops_the_edited_article_too(tmp_path, basic):
    # CACHE_PURGE_METHOD=PURGE (nginx's cache-purge module, CDNs): one request per page URL;
    # the shipped VCL answers PURGE from loopback as well.
    port = free_port()
    app = make_app(
        tmp_path, basic.root, CACHE_PURGE_URL=f"http://127.0.0.1:{port}", CACHE_PURGE_METHOD="PURGE"
    )
    site = CachedSite(app, tmp_path / "varnish", port)
    try:
        get(site.url + ARTICLE)
        _, headers, _ = get(site.url + "/en/")
        edit_article(basic)
        services.content_store(app).refresh()
        result = app.test_cli_runner().invoke(args=["index"])
        assert "cache purged (PURGE" in result.output, result.output
        _, headers, body = get(site.url + ARTICLE)
        assert "new self-service page" in body and not from_cache(headers)
    finally:
        site.stop()


def test_a_worker_that_loads_new_content_purges_the_cache(cached_site, basic):
    get(cached_site.url + ARTICLE)
    _, headers, _ = get(cached_site.url + ARTICLE)
    assert from_cache(headers)
    get(cached_site.app_url + "/healthz")  # the worker has seen its current catalog
    edit_article(basic)
    services.content_store(cached_site.app).refresh()
    get(cached_site.app_url + "/healthz")  # the next request the worker serves purges
    wait_until(
        lambda: "new self-service page" in get(cached_site.url + ARTICLE)[2],
        "the edited article never replaced the cached one",
    )


def test_a_purge_to_a_cache_that_is_down_never_breaks_indexing(tmp_path, basic):
    app = make_app(tmp_path, basic.root, CACHE_PURGE_URL=f"http://127.0.0.1:{free_port()}")
    edit_article(basic)
    result = app.test_cli_runner().invoke(args=["index"])
    assert result.exit_code == 0, result.output
    assert "cache not purged" in result.output


def test_helpcenter_purge_drops_every_cached_page_after_a_deploy(cached_site):
    get(cached_site.url + ARTICLE)
    _, headers, _ = get(cached_site.url + ARTICLE)
    assert from_cache(headers)
    result = cached_site.app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "cache purged (BAN" in result.output, result.output
    _, headers, _ = get(cached_site.url + ARTICLE)
    assert not from_cache(headers)


def test_helpcenter_purge_without_a_cache_says_so(app):
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code != 0 and "CACHE_PURGE_URL is not set" in result.output


def landing(site, accept_language: str) -> str:
    """Where `/` sends a first visitor (no cookie) with this Accept-Language."""
    connection = http.client.HTTPConnection("127.0.0.1", site.varnish.port, timeout=10)
    connection.request("GET", "/", headers={"Accept-Language": accept_language})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 302
    return response.headers["Location"]


def test_the_cache_sends_each_first_visitor_to_their_own_language(cached_site):
    for _ in range(2):  # the second round may come from the cache: still each their own
        assert landing(cached_site, "pl-PL,pl;q=0.9,en;q=0.8").endswith("/pl/")
        assert landing(cached_site, "en-GB,en;q=0.9").endswith("/en/")
        assert landing(cached_site, "he").endswith("/he/")
        assert landing(cached_site, "de-DE,de;q=0.9,pl;q=0.5").endswith("/pl/")


def ban(site, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", site.varnish.port, timeout=10)
    connection.request("BAN", "/", headers={"X-Ban-Url": "^/", **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def test_a_ban_relayed_by_the_proxy_in_front_is_refused(cached_site):
    # The TLS proxy on the same machine connects from loopback too; what it relays carries the
    # customer's address in X-Forwarded-For, and such a ban would empty the cache for anyone.
    get(cached_site.url + ARTICLE)
    assert ban(cached_site, {"X-Forwarded-For": "203.0.113.9"}) == 405
    _, headers, _ = get(cached_site.url + ARTICLE)
    assert from_cache(headers)
    assert ban(cached_site, {}) == 200  # the help center's own, straight from loopback
    _, headers, _ = get(cached_site.url + ARTICLE)
    assert not from_cache(headers)


# --- searches: logged by the page's beacon, so a cached results page is counted too ---------

SEARCH = "/en/search?q=password"
_SEARCH_TOKEN = re.compile(r'data-beacon-search="([^"]+)"')
_RESULT = re.compile(r'data-result-rank="(\d+)" data-result-article="([^"]+)"')


class Searcher:
    """A customer with their own cookies who searches as a browser with JavaScript does: the
    results page, then its beacon (which logs the search and gives its key), then site.js's
    click links."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def search(self, path: str = SEARCH, *, beacon: bool = True):
        status, headers, html = get(self.base + path, self.opener)
        assert status == 200
        self.html, self.key = html, None
        self.cached = "X-Varnish" in headers and from_cache(headers)
        if beacon:
            shown = {"lang": "en", "nonce": uuid.uuid4().hex, "q": "password"}
            if token := _SEARCH_TOKEN.search(html):
                shown["search"] = token.group(1)
            status, _, answer = post(self.base + "/beacon", shown, self.opener)
            assert status == 200
            self.key = json.loads(answer).get("search")
        return self

    def open_first_result(self) -> str:
        rank, article = _RESULT.search(self.html).groups()
        query = urllib.parse.urlencode({"e": self.key, "r": rank, "a": article})
        status, _, _ = get(f"{self.base}/en/search/click?{query}", self.opener)
        assert status == 200
        return article


def searches(app) -> list[SearchEvent]:
    assert services.search_log(app).flush()
    with app.app_context():
        return list(db.session.scalars(select(SearchEvent).order_by(SearchEvent.id)))


def test_two_visitors_same_search_within_the_cache_lifetime_are_both_logged(cached_site):
    first = Searcher(cached_site.url).search()
    second = Searcher(cached_site.url).search()
    assert not first.cached and second.cached  # the second never reached the app's page
    logged = searches(cached_site.app)
    assert [(s.query, s.result_count >= 1) for s in logged] == [("password", True)] * 2
    assert logged[0].visitor != logged[1].visitor and logged[0].key != logged[1].key


def test_a_javascript_visitors_search_counts_once_directly_and_through_the_cache(cached_site):
    """The app renders the page (directly, or for the cache's miss) and logs nothing itself;
    the beacon logs it: one row per search whichever way the page came."""
    Searcher(cached_site.app_url).search()
    assert len(searches(cached_site.app)) == 1
    assert not Searcher(cached_site.url).search().cached  # a miss: the app rendered it
    assert len(searches(cached_site.app)) == 2


def test_a_click_from_a_cached_results_page_is_the_clicking_visitors(cached_site):
    first = Searcher(cached_site.url).search()
    second = Searcher(cached_site.url).search()
    assert second.cached and "search/click?" not in second.html  # the page names no search
    article = second.open_first_result()
    by_key = {s.key: s for s in searches(cached_site.app)}
    assert by_key[second.key].clicked_article == article
    assert by_key[first.key].clicked_article is None


def test_a_search_without_javascript_is_not_logged_cached_or_not(cached_site):
    """docs/deploy.md, "Pages a shared cache can serve": without JavaScript no beacon is sent,
    so the search is not counted, whether the cache or the app answered the page (as article
    views)."""
    assert not Searcher(cached_site.url).search(beacon=False).cached
    assert Searcher(cached_site.url).search(beacon=False).cached
    assert searches(cached_site.app) == []
