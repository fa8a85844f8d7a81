"""Customer pages a shared cache can serve (web/caching.py): public, the same bytes for every
visitor, revalidated by ETag; every other response is private."""

from __future__ import annotations

import re
import time

import pytest

from helpcenter import services
from helpcenter.reports import REPORTS
from tests.helpers import LANGUAGES, beacon, csrf_token, logged_in_staff, make_app

SHARED_PAGES = {
    "site.landing",
    "site.home",
    "site.category",
    "site.article",
    "site.sitemap",
    "site.robots",
    "search.results",
}
# Files with content-hashed URLs, public for a year (tests/web/test_security.py).
SHARED_FILES = {
    "static",
    "site.media",
    "identity.theme",
    "identity.logo",
    "identity.favicon",
    "identity.touch_icon",
}


def returning_visitor(app):
    """A client holding every cookie a customer can have: visitor, language, a session with a
    CSRF token and a remembered search."""
    client = app.test_client()
    csrf_token(client, "/en/contact")
    beacon(client, "he", "account/reset-password", q="password")
    assert {cookie.key for cookie in client._cookies.values()} >= {
        "hc_visitor",
        "hc_lang",
        "session",
    }
    return client


def customer_urls(app, lang: str) -> list[str]:
    catalog = services.content_store(app).catalog()
    urls = [f"/{lang}/", f"/{lang}/search?q=password", f"/{lang}/search?q=zzqxv"]
    urls += [f"/{lang}/{category.slug}/" for category in catalog.category_list(lang)]
    urls += [f"/{lang}/{view.article.id}" for view in catalog.all_articles(lang)]
    return urls


def assert_shared(response, url: str, lifetime: int = 60) -> None:
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers, (url, response.headers.getlist("Set-Cookie"))
    cache = response.headers["Cache-Control"]
    for part in ("public", "max-age=0", f"s-maxage={lifetime}", "stale-while-revalidate=30"):
        assert part in cache, (url, cache)
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/"), (url, etag)  # strong
    assert not any(name.startswith("X-RateLimit") for name, _value in response.headers), url


def test_every_customer_page_in_every_language_is_shared_and_carries_nothing_per_visitor(site):
    app, _references = site
    staff = logged_in_staff(app)
    for client in (app.test_client(), returning_visitor(app), staff):
        visitor = client.get_cookie("hc_visitor")
        for lang in LANGUAGES:
            for url in [*customer_urls(app, lang), "/sitemap.xml", "/robots.txt"]:
                response = client.get(url)
                lifetime = 15 if "/search" in url else 60
                assert_shared(response, url, lifetime)
                body = response.get_data(as_text=True)
                assert "csrf_token" not in body, url
                assert visitor is None or visitor.value not in body, url
                assert "Log out" not in body, url


def test_the_same_page_is_the_same_bytes_for_every_visitor(site):
    app, _references = site
    url = "/he/account/reset-password"
    first, returning = app.test_client().get(url), returning_visitor(app).get(url)
    assert first.get_data() == returning.get_data()
    assert first.headers["ETag"] == returning.headers["ETag"]


def test_a_matching_if_none_match_gets_304_without_a_body(client):
    url = "/pl/account/reset-password"
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and "public" in again.headers["Cache-Control"]
    assert "Set-Cookie" not in again.headers
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data()


def test_the_etag_differs_per_language_and_changes_with_the_content(basic, tmp_path):
    client = make_app(tmp_path, basic.root, CONTENT_CHECK_INTERVAL=0.01).test_client()
    url = "/en/payments/declined"
    tags = {lang: client.get(f"/{lang}/payments/declined").headers["ETag"] for lang in LANGUAGES}
    assert len(set(tags.values())) == len(LANGUAGES)  # untranslated too: the UI is translated
    basic.article("en/payments/declined.md", "My payment was declined", "Call your bank first.\n")
    basic.commit()
    time.sleep(0.05)
    edited = client.get(url, headers={"If-None-Match": tags["en"]})
    assert edited.status_code == 200 and "Call your bank first." in edited.get_data(as_text=True)
    assert edited.headers["ETag"] != tags["en"]


def test_the_root_is_shared_per_accept_language_and_cookie(client):
    response = client.get("/", headers={"Accept-Language": "pl"})
    assert response.status_code == 302 and response.headers["Location"] == "/pl/"
    assert {v.strip() for v in response.headers["Vary"].split(",")} == {"Accept-Language", "Cookie"}
    assert "public" in response.headers["Cache-Control"] and "Set-Cookie" not in response.headers
    # The other pages do not vary: every reader of the URL gets them.
    assert (
        "Vary" not in client.get("/pl/").headers
        or "Cookie" not in client.get("/pl/").headers["Vary"]
    )


# A value for every URL variable of the app's routes.
SAMPLE_ARGUMENTS = {
    "lang": "en",
    "code": "pl",
    "category": "account",
    "slug": "reset-password",
    "article_id": "account/reset-password",
    "path": "account/padlock.svg",
    "filename": "css/site.css",
    "name": REPORTS[0] if isinstance(REPORTS, list | tuple) else next(iter(REPORTS)),
    "format": "csv",
}


def route_urls(app, references: list[str]) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) for every route of the app, with sample values."""
    found = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            values = {arg: SAMPLE_ARGUMENTS.get(arg) for arg in rule.arguments}
            if "reference" in rule.arguments:
                values["reference"] = references[0]
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                found.append((rule.endpoint, method, url_for(rule.endpoint, **values)))
    return found


def test_every_route_is_a_shared_customer_page_or_private(site):
    """Walks the URL map: a customer GET page is shared and sets no cookie; every other answer
    (forms, confirmations, staff pages, anything answering a POST) is `no-store` (and never
    `public`), whoever asks."""
    app, references = site
    routes = route_urls(app, references)
    assert {endpoint for endpoint, _method, _url in routes} >= SHARED_PAGES | {
        "support.contact",
        "support.sent",
        "support.vote",
        "beacon.page_shown",
        "reports.dashboard",
        "staff.login",
    }
    for client in (app.test_client(), logged_in_staff(app)):
        for endpoint, method, url in routes:
            if endpoint == "staff.logout":
                continue  # would end the staff client's login for the routes after it
            response = client.open(url, method=method, headers={"Sec-Fetch-Site": "same-origin"})
            cache = response.headers.get("Cache-Control", "")
            if method == "GET" and endpoint in SHARED_PAGES and response.status_code in (200, 302):
                assert "public" in cache and "s-maxage" in cache, (url, cache)
                assert "Set-Cookie" not in response.headers, url
            elif method == "GET" and endpoint in SHARED_FILES and response.status_code == 200:
                assert "public" in cache and "Set-Cookie" not in response.headers, (url, cache)
            else:
                kept_by_none = "no-store" in cache and "public" not in cache
                assert kept_by_none, (endpoint, method, url, response.status_code, cache)


@pytest.mark.parametrize("lifetime, stale", [(300, 0), (5, 120)])
def test_the_lifetimes_are_settings(basic, tmp_path, lifetime, stale):
    app = make_app(
        tmp_path,
        basic.root,
        SITE_CACHE_SECONDS=lifetime,
        CACHE_STALE_SECONDS=stale,
        SEARCH_CACHE_SECONDS=7,
    )
    client = app.test_client()
    cache = client.get("/en/").headers["Cache-Control"]
    assert f"s-maxage={lifetime}" in cache and f"stale-while-revalidate={stale}" in cache
    assert "s-maxage=7" in client.get("/en/search?q=card").headers["Cache-Control"]


def test_robots_points_at_the_sitemap(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert re.search(r"^Sitemap: http://localhost/sitemap.xml$", body, re.M)
