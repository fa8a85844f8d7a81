import re
import uuid
from urllib.parse import parse_qs, urlsplit

from limits import parse_many

from helpcenter import create_app, services
from helpcenter.extensions import db
from helpcenter.models import SearchEvent
from helpcenter.web.search import SEARCH_ADDRESS_THROTTLE, SUGGEST_ADDRESS_THROTTLE
from helpcenter.web.visitor import COOKIE
from tests.helpers import beacon, make_app, search_as_browser


def search_log(app):
    assert services.search_log(app).flush()
    with app.app_context():
        return db.session.scalars(db.select(SearchEvent).order_by(SearchEvent.id)).all()


def test_search_page_lists_highlighted_results(client):
    html = client.get("/pl/search?q=hasła").get_data(as_text=True)
    assert "Zresetuj hasło" in html
    assert re.search(r"<mark[^>]*>hasła</mark>", html, re.I)


def test_zero_results_offer_the_default_language_and_contact_with_the_query(client):
    html = client.get("/pl/search?q=declined").get_data(as_text=True)
    assert 'class="no-results"' in html
    assert 'href="/en/search?q=declined"' in html  # the same search in English finds one
    assert 'href="/pl/contact?q=declined"' in html


def test_a_typo_shows_the_correction_s_results_and_offers_the_words_as_typed(client):
    html = client.get("/en/search?q=pasword").get_data(as_text=True)
    assert "Showing results for <strong><bdi>password</bdi></strong>" in html
    assert 'href="/en/search?q=pasword&amp;exact=1"' in html
    assert 'class="search-results"' in html and 'class="no-results"' not in html


def test_did_you_mean_is_a_link_to_the_corrected_search(client):
    """When the customer chose their own words ("search instead for"), only a suggestion."""
    html = client.get("/en/search?q=pasword&exact=1").get_data(as_text=True)
    assert 'href="/en/search?q=password"' in html
    assert 'class="no-results"' in html


def test_api_suggestions_correct_a_typo_and_say_so(client):
    data = client.get("/api/search?lang=en&q=pasword").get_json()
    assert data["corrected"] == "password"
    assert data["results"] and "password" in data["results"][0]["title"].lower()
    assert client.get("/api/search?lang=en&q=passw").get_json()["corrected"] is None


def test_empty_and_hostile_queries_render_normally(client):
    for query in ["", "((", '"', "*", "a" * 5000, "%00", "<b>x</b>"]:
        response = client.get("/en/search", query_string={"q": query, "page": "x"})
        assert response.status_code == 200
        assert "<b>x</b>" not in response.get_data(as_text=True)


def test_api_returns_suggestions_as_json(client):
    data = client.get("/api/search?lang=pl&q=hasl").get_json()
    assert data["lang"] == "pl"
    first = data["results"][0]
    assert first["url"] == "/pl/account/reset-password"
    assert set(first) == {"id", "title", "url", "snippet", "score"}
    assert client.get("/api/search?lang=xx&q=(((").status_code == 200


def test_searches_and_clicks_are_logged_without_ip_addresses(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    beacon(client, "pl")  # the first page's beacon gave the visitor their cookie
    found = search_as_browser(client, "pl", "Hasła")
    search_as_browser(client, "pl", "nic-takiego-nie-ma")
    response = client.get(found.links[0])
    assert (
        response.status_code == 302 and response.headers["Location"] == "/pl/account/reset-password"
    )

    first, second = search_log(app)
    assert (first.lang, first.query, first.normalized) == ("pl", "Hasła", "hasl")
    assert first.result_count >= 1 and second.result_count == 0
    assert first.visitor == second.visitor == client.get_cookie(COOKIE).value
    assert (first.clicked_article, first.clicked_rank) == ("account/reset-password", 1)
    row = " ".join(str(value) for value in vars(first).values())
    assert "203.0.113.9" not in row


def test_a_results_page_logs_nothing_until_its_beacon_says_it_was_shown(app, client):
    """The page may come from a shared cache (then the app never sees it): its beacon logs
    the search, once per page load, and a page without JavaScript logs nothing (docs/deploy.md)."""
    html = client.get("/en/search?q=pasword").get_data(as_text=True)
    assert search_log(app) == []
    assert "search/click?" not in html  # a shared page names nobody's search
    token = re.search(r'data-beacon-search="([^"]+)"', html).group(1)
    load = uuid.uuid4().hex
    first = beacon(client, "en", search=token, nonce=load)
    again = beacon(client, "en", search=token, nonce=load)  # a retry of the same page load
    assert first.json["search"] == again.json["search"] == load
    (event,) = search_log(app)
    # What the page showed: the words as typed, not the correction it searched for.
    assert (event.query, event.normalized, event.key) == ("pasword", "pasword", load)
    assert event.result_count >= 1 and event.page == 1


def test_a_forged_search_is_refused_by_the_beacon(app, client):
    """A client can replay a page's search, not invent one or its result count."""
    html = client.get("/en/search?q=password").get_data(as_text=True)
    token = re.search(r'data-beacon-search="([^"]+)"', html).group(1)
    for forged in (token[:-2] + "xx", "W1siZW4iLCJ4Il1d.abc", "nonsense"):
        assert beacon(client, "en", search=forged).status_code == 400
    assert search_log(app) == []


def test_instant_suggestions_are_not_logged_as_searches(app, client):
    """Typing fetches suggestions for every prefix; only the search submitted is a search."""
    for prefix in ("pa", "pass", "passw", "password"):
        assert client.get(f"/api/search?lang=en&q={prefix}").status_code == 200
    assert search_log(app) == []


def test_click_link_refuses_unknown_articles(client):
    assert client.get("/pl/search/click?e=" + "a" * 32 + "&r=1&a=../../etc").status_code == 404
    assert client.get("/pl/search/click?e=x&r=1&a=payments/nope").status_code == 404


def test_search_works_when_the_database_is_down(basic, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "ARTICLES_DIR": str(basic.root),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            # A database that cannot be opened: /dev/null is not a folder.
            "SQLALCHEMY_DATABASE_URI": "sqlite:////dev/null/helpcenter.sqlite3",
        }
    )
    log = services.search_log(app)
    log.retries = 1
    client = app.test_client()
    found = search_as_browser(client, "en", "password")
    assert "Reset your password" in found.html
    assert found.links  # its beacon answered too, though the search could not be counted
    assert log.flush()


def test_pagination_keeps_the_search_key(app, basic, tmp_path):
    """A later page is the same search: site.js adds its key to the page links, and that
    page's beacon logs nothing new and gives its result links the same key."""
    for n in range(12):
        basic.article(f"en/payments/extra-{n}.md", f"Card extra {n}", "Card card card.\n")
    app = make_app(tmp_path, basic.root, SEARCH_RESULTS_PER_PAGE=5)
    client = app.test_client()
    first = search_as_browser(client, "en", "card")
    next_link = re.search(r'rel="next" href="([^"]+)"', first.html).group(1).replace("&amp;", "&")
    params = parse_qs(urlsplit(next_link).query)
    assert params["page"] == ["2"] and "e" not in params  # the shared page names no search
    second = search_as_browser(client, "en", "card", page="2", e=first.key)
    assert second.key == first.key and all(f"e={first.key}&" in link for link in second.links)
    (event,) = search_log(app)
    assert event.key == first.key and event.page == 1


def test_an_entry_the_database_refuses_does_not_take_the_others_with_it(app):
    import datetime as dt

    from helpcenter.activity.searchlog import SearchRecord

    def search(key: str, query: str) -> SearchRecord:
        return SearchRecord(
            key=key,
            created_at=dt.datetime.now(dt.UTC),
            lang="en",
            query=query,
            normalized=query,
            result_count=1,
            category=None,
            page=1,
            visitor="0" * 32,
        )

    log = services.search_log(app)
    log.write([search("a" * 32, "first")])
    # The same key again: the database refuses that one record of the batch.
    log.write([search("b" * 32, "before"), search("a" * 32, "again"), search("c" * 32, "after")])
    assert [event.query for event in search_log(app)] == ["first", "before", "after"]
    assert log.dropped == 1


def test_a_language_without_articles_yet_searches_without_error(client):
    """Lithuanian has no article in this tree: its index is empty, which once made the ranking
    divide by zero documents (a 500 for every Lithuanian search)."""
    response = client.get("/lt/search?q=password")
    assert response.status_code == 200
    assert "/en/" in response.get_data(as_text=True)  # the English answer is offered


def test_a_client_with_a_new_cookie_for_every_search_is_throttled_by_its_address(basic, tmp_path):
    """A made-up visitor cookie per request buys no more searches or suggestions: the client's
    address counts them too, and another address is not held back."""
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    for url, limit in (
        ("/en/search?q=password", SEARCH_ADDRESS_THROTTLE),
        ("/api/search?lang=en&q=passw", SUGGEST_ADDRESS_THROTTLE),
    ):
        codes = []
        for _ in range(parse_many(limit)[0].amount + 1):
            client.set_cookie(COOKIE, uuid.uuid4().hex)  # a fresh, well-formed visitor each time
            codes.append(client.get(url).status_code)
        assert set(codes[:-1]) == {200} and codes[-1] == 429, url
        assert client.get(url).headers["Retry-After"]
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "198.51.100.21"
        assert other.get(url).status_code == 200


def test_a_query_of_two_hundred_words_gets_a_normal_page(client):
    """Only its first words are searched (and looked up by "did you mean"), but it is
    answered like any other search."""
    words = " ".join(f"zq{n}x" for n in range(200))
    suggestions = client.get("/api/search", query_string={"lang": "en", "q": words})
    assert suggestions.status_code == 200 and suggestions.get_json()["results"] == []
    page = client.get("/en/search", query_string={"q": words}).get_data(as_text=True)
    assert 'class="no-results"' in page and "could not be handled" not in page
    page = client.get("/en/search", query_string={"q": "password " + words}).get_data(as_text=True)
    assert "Reset your password" in page


def test_the_search_heading_and_a_carried_search_are_named_not_commanded(client):
    """Issue 29 (X-A): one msgid "Search" served the button, the page heading and the contact
    form's label for the search a customer came from, so Polish and Croatian showed the
    button's imperative ("Szukaj: zwrot") where a noun belongs."""
    for lang, verb, heading, label in [
        ("pl", "Szukaj", "Wyszukiwanie", "Wyszukiwane hasło"),
        ("hr", "Pretraži", "Pretraživanje", "Pojam pretraživanja"),
    ]:
        page = client.get(f"/{lang}/search").get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in page and f"<title>{heading}" in page
        assert f">{verb}</span></button>" in page  # the button keeps its verb
        contact = client.get(f"/{lang}/contact?q=zwrot").get_data(as_text=True)
        assert f"<dt>{label}</dt>" in contact and f"<dt>{verb}</dt>" not in contact


def test_a_repeated_search_served_from_the_result_cache_is_still_logged(app, monkeypatch):
    from helpcenter.search import searcher

    retrieved = []
    retrieve = searcher.score_words
    monkeypatch.setattr(
        searcher, "score_words", lambda *args: retrieved.append(args) or retrieve(*args)
    )
    client = app.test_client()
    pages = [search_as_browser(client, "pl", "hasła").html for _ in range(2)]
    assert len(retrieved) == 1  # the second page came from the result cache
    assert "Zresetuj hasło" in pages[1]
    assert [(row.query, row.result_count) for row in search_log(app)] == [("hasła", 1)] * 2
