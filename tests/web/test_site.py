import re
import xml.etree.ElementTree as ET

import pytest

from tests.helpers import beacon


@pytest.fixture
def client(shared_app):
    """These tests only read pages: one app for the module (tests/conftest.py: shared_app)."""
    return shared_app.test_client()


def lang_redirect(client, **headers):
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    return response.headers["Location"]


def test_root_redirects_by_accept_language(client):
    assert lang_redirect(client, **{"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.8"}) == "/pl/"
    assert lang_redirect(client, **{"Accept-Language": "de-DE,he;q=0.5"}) == "/he/"
    assert lang_redirect(client, **{"Accept-Language": "fr-FR"}) == "/en/"
    assert lang_redirect(client) == "/en/"


def test_remembered_language_is_used_at_the_root(client):
    client.get("/he/")
    beacon(client, "he")  # the Hebrew page's beacon remembers Hebrew (the page is cached)
    assert lang_redirect(client, **{"Accept-Language": "pl"}) == "/he/"


def test_remembered_cookie_with_an_unknown_language_is_ignored(client):
    client.set_cookie("hc_lang", "xx")
    assert lang_redirect(client, **{"Accept-Language": "pl"}) == "/pl/"


def test_home_lists_localized_categories_and_a_search_box(client):
    html = client.get("/pl/").get_data(as_text=True)
    assert '<html lang="pl" dir="ltr">' in html
    assert "Konto i hasło" in html and "Płatności" in html
    assert 'action="/pl/search"' in html and 'name="q"' in html


def test_article_page_has_breadcrumbs_toc_date_and_related(client):
    html = client.get("/en/account/reset-password").get_data(as_text=True)
    assert "<h1>Reset your password</h1>" in html
    assert re.search(r'class="breadcrumbs".*href="/en/account/".*Account and password', html, re.S)
    assert 'class="toc toc--aside"' in html and 'href="#user-content-request-a-reset-link"' in html
    assert "January 10, 2026" in html
    assert 'src="/media/en/account/padlock.svg?v=' in html


def test_article_images_carry_their_size_so_the_page_does_not_jump(client):
    for lang in ("en", "pl"):  # the Polish article uses the English copy of the image
        html = client.get(f"/{lang}/account/reset-password").get_data(as_text=True)
        [image] = re.findall(r'<img [^>]*src="/media/en/account/padlock.svg[^>]*>', html)
        assert 'width="4"' in image and 'height="4"' in image  # from the SVG's own size
        assert 'decoding="async"' in image and 'loading="lazy"' not in image  # the first one


def test_the_contents_come_after_the_title_and_before_the_body(client):
    """Reading and Tab order: the title, "On this page" (both forms: collapsed on phones, a list
    beside the article on wide screens, where the stylesheet places it), then the body."""
    html = client.get("/en/account/reset-password").get_data(as_text=True)
    order = [
        html.index(mark)
        for mark in (
            "<h1>",
            'class="toc toc--inline"',
            'class="toc toc--aside"',
            'class="article-body"',
        )
    ]
    assert order == sorted(order)
    assert html.index('class="article-body"') < html.index('id="feedback"')


def test_short_article_has_no_table_of_contents(client):
    response = client.get("/en/payments/declined")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>My payment was declined</h1>" in html
    assert 'class="toc ' not in html


def test_dates_are_formatted_for_the_locale(client):
    assert "10 stycznia 2026" in client.get("/pl/account/reset-password").get_data(as_text=True)


def test_language_switcher_stays_on_the_same_article(client):
    html = client.get("/en/account/reset-password").get_data(as_text=True)
    for lang in ("pl", "he", "lt", "el", "hr"):
        assert f'href="/{lang}/account/reset-password"' in html


def test_missing_translation_shows_source_with_notice_and_its_language(client):
    response = client.get("/pl/payments/declined")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "notice--fallback" in html
    assert '<article class="article" lang="en" dir="ltr">' in html
    assert '<html lang="pl"' in html


def test_hebrew_pages_are_right_to_left(client):
    html = client.get("/he/account/reset-password").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in html
    assert '<article class="article" lang="he" dir="rtl">' in html


def test_english_fallback_inside_a_hebrew_page_is_left_to_right(client):
    html = client.get("/he/payments/methods").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in html
    assert '<article class="article" lang="en" dir="ltr">' in html


def test_outdated_translation_is_flagged(basic, tmp_path):
    from tests.helpers import make_app

    basic.article("en/payments/methods.md", "Payment methods", "Now also BLIK.\n")
    basic.commit("update source", date="2026-05-01T10:00:00+00:00")
    client = make_app(tmp_path, basic.root).test_client()
    assert "notice--outdated" in client.get("/pl/payments/methods").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/pl/nothing/here", "/pl/account/missing", "/xx/", "/pl/nothing/"])
def test_not_found_is_a_localized_page(client, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'class="search-form' in html


def test_not_found_under_a_language_prefix_uses_that_language(client):
    html = client.get("/he/account/missing").get_data(as_text=True)
    assert '<html lang="he" dir="rtl">' in html


def test_alias_redirects_permanently(basic, tmp_path):
    from tests.helpers import make_app

    basic.article("en/payments/methods.md", "Payment methods", "Text\n", aliases="[ways-to-pay]")
    client = make_app(tmp_path, basic.root).test_client()
    response = client.get("/pl/payments/ways-to-pay")
    assert response.status_code == 301 and response.headers["Location"] == "/pl/payments/methods"


def test_contact_link_is_on_every_page(client):
    for url in [
        "/en/",
        "/pl/account/",
        "/he/account/reset-password",
        "/pl/search?q=x",
        "/pl/missing/x",
    ]:
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'href="/(en|pl|he)/contact"', html), url


def test_images_are_served_with_long_cache_lifetime(client):
    response = client.get("/media/pl/account/padlock.svg?v=abc")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert client.get("/media/pl/account/none.svg").status_code == 404
    assert client.get("/media/pl/../../etc/passwd").status_code == 404


def test_sitemap_lists_translations_with_hreflang_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(response.data)
    entries = {url.findtext("s:loc", namespaces=ns): url for url in root.findall("s:url", ns)}
    polish = entries["http://localhost/pl/account/reset-password"]
    alternates = {link.get("hreflang"): link.get("href") for link in polish.findall("x:link", ns)}
    assert alternates == {
        "en": "http://localhost/en/account/reset-password",
        "pl": "http://localhost/pl/account/reset-password",
        "he": "http://localhost/he/account/reset-password",
        "x-default": "http://localhost/en/account/reset-password",
    }
    assert polish.findtext("s:lastmod", namespaces=ns) == "2026-01-10"
    assert "http://localhost/pl/payments/declined" not in entries  # untranslated: not a Polish page


def test_security_headers_and_no_inline_script(client):
    response = client.get("/en/account/reset-password")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html


def test_pages_need_no_third_party_requests(client):
    response = client.get("/en/")
    html = response.get_data(as_text=True)
    # The home page with its stylesheet and script (our own), not an error page.
    assert response.status_code == 200 and 'class="categories"' in html
    assert '<link rel="stylesheet" href="/static/' in html and '<script src="/static/' in html
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="http://localhost', ""))


def test_a_made_up_host_header_never_reaches_a_link(tmp_path, basic):
    from tests.helpers import make_app

    evil = {"Host": "evil.example"}
    # Without PUBLIC_URL (development): redirects are paths, not URLs on the caller's host.
    client = make_app(tmp_path / "a", basic.root).test_client()
    redirect = client.get("/en/account", headers=evil)
    assert redirect.status_code == 308 and redirect.headers["Location"] == "/en/account/"
    # With PUBLIC_URL: every absolute link uses it, and other host names are refused.
    public = make_app(tmp_path / "b", basic.root, PUBLIC_URL="https://help.example.com")
    client = public.test_client()
    assert client.get("/sitemap.xml", headers=evil).status_code == 400
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "<loc>https://help.example.com/en/</loc>" in sitemap and "localhost" not in sitemap
    article = client.get("/en/account/reset-password").get_data(as_text=True)
    assert 'href="https://help.example.com/pl/account/reset-password"' in article
