"""What every response carries: no cookie on a response a shared cache may keep."""

from __future__ import annotations

import re

import pytest

from tests.helpers import LANGUAGES, beacon, logged_in_staff, make_app

YEAR = "max-age=31536000"


def shared_files(client) -> list[str]:
    """Article images under every language prefix, our static files at the versioned URLs the
    pages use, and the theme."""
    page = client.get("/en/account/reset-password").get_data(as_text=True)
    static = sorted({url.replace("&amp;", "&") for url in re.findall(r'="(/static/[^"]+)"', page)})
    assert any(".css?" in url for url in static) and any(".js?" in url for url in static)
    media = [f"/media/{lang}/account/padlock.svg?v=1" for lang in LANGUAGES]
    return [*media, *static, "/theme.css?v=1"]


@pytest.fixture
def refreshing_app(tmp_path, basic):
    """An operator who re-sends the session cookie on every request (SESSION_REFRESH_EACH_REQUEST)."""
    return make_app(tmp_path, basic.root, SESSION_REFRESH_EACH_REQUEST=True)


def test_media_and_static_files_carry_no_cookie_and_keep_their_year_of_public_cache(
    refreshing_app,
):
    urls = shared_files(refreshing_app.test_client())
    first_visit = refreshing_app.test_client()
    reader = refreshing_app.test_client()
    reader.get("/he/account/reset-password")  # has a language, a visitor and a session cookie
    staff = logged_in_staff(refreshing_app)  # a permanent session, re-sent on every request
    for client in (first_visit, reader, staff):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, (url, response.headers["Set-Cookie"])
            cache = response.headers["Cache-Control"]
            assert "public" in cache and YEAR in cache, (url, cache)
            assert "Cookie" not in response.headers.get("Vary", ""), url


def test_pages_still_remember_the_language_read_last(client):
    assert "Set-Cookie" not in client.get("/pl/").headers  # the page is cached: its beacon does
    assert "hc_lang=pl" in beacon(client, "pl").headers["Set-Cookie"]
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"] == "/pl/"
