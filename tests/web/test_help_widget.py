"""The help widget over HTTP: widget.js, the panel's pages and who may frame them, the site's
pages shown in the panel, and the host page its posts name (the reports' "widget" source).
The widget in a real browser, framed by another origin: tests/browser/test_widget.py."""

from __future__ import annotations

import gzip
import json
import re
import uuid

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ContactRequest, PageView, SearchEvent, Vote
from tests.helpers import SAME_ORIGIN, beacon, csrf_token, make_app

SHOP = "https://shop.example.com"
APP = "https://app.example.com:8443"
ORIGINS = f"{SHOP}, {APP}"
HOST_PAGE = f"{SHOP}/billing/invoices?email=ana@example.com#total"


@pytest.fixture
def app(tmp_path, basic):
    return make_app(tmp_path, basic.root, WIDGET_ORIGINS=ORIGINS, SITE_NAME="Brightwood Help")


@pytest.fixture
def off(tmp_path, basic):
    """The same site with WIDGET_ORIGINS empty (the default)."""
    return make_app(tmp_path / "off", basic.root).test_client()


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1)


def stored(app, model) -> list:
    with app.app_context():
        return list(db.session.scalars(select(model)))


# --- widget.js ------------------------------------------------------------------------------


def test_widget_script_is_public_small_and_names_the_button_in_every_language(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=3600" in cache
    assert "Set-Cookie" not in response.headers  # nothing on the host's domain, nothing at all
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    body = response.get_data(as_text=True)
    config = json.loads(re.search(r"\}\)\((\{.*\})\);\s*$", body, re.S).group(1))
    assert config["default"] == "en"
    assert config["languages"]["en"]["label"] == "Help"
    assert config["languages"]["pl"]["label"] == "Pomoc"
    assert config["languages"]["he"] == {
        "label": "עזרה",
        "title": "Brightwood Help",
        "dir": "rtl",
        "panel": "/widget/he/",
        "search": "/widget/he/search",
    }
    assert config["aliases"]["iw"] == "he" and config["accent"] == "#1d5fb8"
    assert len(gzip.compress(response.get_data())) <= 10 * 1024
    # One ETag for everyone: a browser that has it gets a 304.
    again = client.get("/widget.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_widget_is_off_until_the_operator_names_the_sites_that_embed_it(off):
    for url in (
        "/widget.js",
        "/widget/en/",
        "/widget/en/search?q=card",
        "/widget/en/article/payments/methods",
    ):
        assert off.get(url).status_code == 404, url
    # `?in=widget` shows nothing in a panel either: the contact form may be framed by nobody.
    response = off.get("/en/contact?in=widget")
    assert frame_ancestors(response) == "'none'" and response.headers["X-Frame-Options"] == "DENY"
    assert 'class="panel"' not in response.get_data(as_text=True)


# --- the panel's pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/widget/en/",
        "/widget/en/?context=payments",
        "/widget/he/search?q=password",
        "/widget/pl/article/account/reset-password",
    ],
)
def test_panel_pages_are_framed_only_by_the_embedding_sites_and_cached_for_everyone(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == f"{SHOP} {APP}"
    assert "X-Frame-Options" not in response.headers  # DENY would forbid the allowed sites too
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "s-maxage" in cache and "ETag" in response.headers
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")  # the same bytes for every origin


def test_the_sites_own_pages_still_refuse_every_frame(client):
    for url in ("/en/", "/en/account/reset-password", "/en/contact", "/en/search?q=card"):
        response = client.get(url)
        assert frame_ancestors(response) == "'none'", url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_a_context_lists_the_articles_it_names_first(client):
    page = client.get("/widget/en/?context=payments/declined,password").get_data(as_text=True)
    suggested = page.split('id="context-title"')[1].split("</section>")[0]
    links = re.findall(r'href="([^"]+)"', suggested)
    assert links == [
        "/widget/en/article/payments/declined",  # named by its id, first as named
        "/widget/en/article/account/reset-password",  # tagged "password"
    ]
    # A category lists its articles in the writers' order; nothing named: the popular list.
    page = client.get("/widget/en/?context=payments").get_data(as_text=True)
    assert page.index("/widget/en/article/payments/methods") < page.index(
        "/widget/en/article/payments/declined"
    )
    assert 'id="context-title"' not in client.get("/widget/en/?context=nothing").get_data(
        as_text=True
    )


def test_an_article_in_the_panel_links_to_the_panel_and_its_vote_stays_there(client):
    panel = client.get("/widget/en/article/account/reset-password").get_data(as_text=True)
    assert 'href="/widget/en/article/payments/methods"' in panel  # the body's link
    assert 'action="/en/feedback/account/reset-password?in=widget"' in panel
    assert 'href="/en/account/reset-password" target="_blank"' in panel  # "open in the help center"
    # The site's page, rendered after it, keeps the site's links (each has its own rendering).
    site = client.get("/en/account/reset-password").get_data(as_text=True)
    assert 'href="/en/payments/methods"' in site and "/widget/" not in site
    assert 'action="/en/feedback/account/reset-password"' in site


def test_the_panels_search_results_open_in_the_panel_and_their_clicks_are_logged(client):
    page = client.get("/widget/en/search?q=password").get_data(as_text=True)
    assert 'href="/widget/en/article/account/reset-password" data-result-rank="1"' in page
    assert 'data-search-click="/en/search/click?in=widget"' in page
    assert 'data-beacon-after="helpcenter:context"' in page  # the beacon waits for the host page
    click = client.get(f"/en/search/click?in=widget&e={uuid.uuid4().hex}&r=1&a=payments/methods")
    assert click.headers["Location"] == "/widget/en/article/payments/methods"
    site_click = client.get(f"/en/search/click?e={uuid.uuid4().hex}&r=1&a=payments/methods")
    assert site_click.headers["Location"] == "/en/payments/methods"


# --- the site's pages in the panel ----------------------------------------------------------


def test_the_contact_form_in_the_panel_is_the_sites_form_kept_private_and_in_the_panel(app):
    client = app.test_client()
    url = "/en/contact?in=widget&article=account/reset-password&reason=unclear"
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert frame_ancestors(response) == f"{SHOP} {APP}"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert '<body class="panel"' in page and "site-header" not in page
    assert 'action="/en/contact?in=widget"' in page
    assert 'href="/widget/en/article/account/reset-password"' in page  # the summary's article
    assert "data-widget-page-summary" in page
    sent = client.post(
        "/en/contact?in=widget",
        data={
            "csrf_token": csrf_token(client, url),
            "email": "ana@example.com",
            "message": "The link expired.",
            "about": "Invoices · Shop (https://shop.example.com/billing/invoices)",
            "article": "account/reset-password",
            "widget_page": HOST_PAGE,
        },
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith("?in=widget")
    confirmation = client.get(sent.headers["Location"])
    assert frame_ancestors(confirmation) == f"{SHOP} {APP}"
    assert 'href="/widget/en/"' in confirmation.get_data(as_text=True)  # back to the panel
    [request] = stored(app, ContactRequest)
    assert (request.source, request.host_path) == ("widget", "/billing/invoices")
    assert request.about == "Invoices · Shop (https://shop.example.com/billing/invoices)"


def test_a_vote_from_the_panel_keeps_the_way_to_a_human_in_the_panel(app):
    client = app.test_client()
    answer = client.post(
        "/en/feedback/account/reset-password?in=widget",
        data={"helpful": "no", "widget_page": HOST_PAGE},
        headers={**SAME_ORIGIN, "X-Requested-With": "fetch"},
    )
    assert answer.status_code == 200
    # The reasons post where the panel's vote did; "Ask a person" sends them, then the form.
    assert 'action="/en/feedback/account/reset-password?in=widget"' in answer.get_data(as_text=True)
    then = client.post(
        "/en/feedback/account/reset-password?in=widget",
        data={"helpful": "no", "reason": "unclear", "then": "contact", "widget_page": HOST_PAGE},
        headers=SAME_ORIGIN,
    )
    assert then.status_code == 303 and "in=widget" in then.headers["Location"]
    assert frame_ancestors(client.get(then.headers["Location"])) == f"{SHOP} {APP}"
    [vote] = stored(app, Vote)
    assert (vote.source, vote.host_path, vote.reason) == ("widget", "/billing/invoices", "unclear")
    # The same visitor's vote on the site later is the site's.
    client.post("/en/feedback/account/reset-password", data={"helpful": "yes"}, headers=SAME_ORIGIN)
    [vote] = stored(app, Vote)
    assert (vote.source, vote.host_path) == (None, None)


# --- the host page in the panel's posts -----------------------------------------------------


def test_the_panels_beacon_logs_views_and_searches_with_the_host_pages_path(app):
    client = app.test_client()
    beacon(client, "en", "account/reset-password", widget_page=HOST_PAGE)
    page = client.get("/widget/en/search?q=password").get_data(as_text=True)
    token = re.search(r'data-beacon-search="([^"]+)"', page).group(1).replace("&amp;", "&")
    beacon(client, "en", search=token, q="password", widget_page=f"{APP}/settings")
    beacon(client, "en", "payments/methods")  # on the site
    with app.app_context():
        from helpcenter import services

        services.search_log(app).flush()
    views = {view.article_id: (view.source, view.host_path) for view in stored(app, PageView)}
    assert views == {
        "account/reset-password": ("widget", "/billing/invoices"),
        "payments/methods": (None, None),
    }
    [search] = stored(app, SearchEvent)
    assert (search.source, search.host_path) == ("widget", "/settings")


@pytest.mark.parametrize(
    "named",
    [
        "https://evil.example/billing",  # a site not on the list
        "http://shop.example.com/billing",  # another scheme is another origin
        "https://app.example.com/settings",  # the allowed site names its port
        "javascript:alert(1)",
        "/billing",
        "",
    ],
)
def test_a_host_page_outside_the_embedding_sites_is_not_recorded(app, named):
    client = app.test_client()
    client.post(
        "/en/feedback/payments/methods",
        data={"helpful": "no", "widget_page": named},
        headers=SAME_ORIGIN,
    )
    [vote] = stored(app, Vote)
    assert (vote.source, vote.host_path) == (None, None)


def test_a_host_pages_path_is_kept_short_and_on_one_line(app):
    client = app.test_client()
    long_path = "/a%0Ab" + "/x" * 300
    client.post(
        "/en/feedback/payments/methods",
        data={"helpful": "yes", "widget_page": SHOP + long_path + "?token=secret"},
        headers=SAME_ORIGIN,
    )
    [vote] = stored(app, Vote)
    assert vote.host_path == long_path[:200] and "secret" not in vote.host_path
