"""An article in one language only (a BLIK payment, a local courier): served, indexed,
searched and reported in its language, and nowhere else; no error anywhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from helpcenter import services
from helpcenter.content.problems import ERROR
from helpcenter.reports import REPORTS, Period, ReportSettings, run_report
from tests.helpers import LANGUAGES, Activity, logged_in_staff, make_app

BLIK = "payments/blik"


@pytest.fixture
def local(tmp_path, basic):
    """The basic tree with two Polish-only articles, one in a Polish-only category."""
    basic.article(
        "pl/payments/blik.md",
        "Płatność BLIK",
        "Wpisz sześciocyfrowy kod BLIK z aplikacji banku i potwierdź płatność.\n",
        tags="[blik, kod]",
    )
    basic.category("pl", "lokalne", "Tylko w Polsce", order=3)
    basic.article("pl/lokalne/kurier.md", "Kurier w Warszawie", "Dowozimy meble kurierem.\n")
    basic.commit("Polish-only articles")
    return make_app(tmp_path, basic.root)


def test_a_polish_only_article_loads_without_a_problem(local):
    catalog = services.content_store(local).catalog()
    assert ("pl", BLIK) in catalog.articles
    assert [p for p in catalog.problems if p.severity == ERROR] == []
    assert not any("blik" in str(problem.path) for problem in catalog.problems)


def test_it_is_served_in_polish_without_a_notice_and_missing_in_english(local):
    client = local.test_client()
    page = client.get(f"/pl/{BLIK}").get_data(as_text=True)
    assert "Płatność BLIK" in page
    assert "nie został jeszcze przetłumaczony" not in page  # no "not translated" notice
    for lang in ("en", "he", "lt"):
        assert client.get(f"/{lang}/{BLIK}").status_code == 404
        assert client.get(f"/{lang}/lokalne/kurier").status_code == 404
        assert client.get(f"/{lang}/lokalne/").status_code == 404


def test_its_language_switcher_and_alternates_name_only_polish(local):
    client = local.test_client()
    page = client.get(f"/pl/{BLIK}").get_data(as_text=True)
    switcher = page.split('<details class="language-switcher">', 1)[1].split("</details>", 1)[0]
    assert re.findall(r'hreflang="(\w+)"', switcher) == ["pl"]
    assert "(nie przetłumaczono)" not in switcher and "untranslated" not in switcher
    head = page.split("</head>", 1)[0]
    assert re.findall(r'<link rel="alternate" hreflang="(\w+)"', head) == ["pl"]
    # An article with an English source still offers every language (English where missing).
    other = client.get("/pl/payments/declined").get_data(as_text=True)
    switcher = other.split('<details class="language-switcher">', 1)[1].split("</details>", 1)[0]
    assert re.findall(r'hreflang="(\w+)"', switcher) == LANGUAGES


def test_a_polish_only_category_offers_only_polish(local):
    page = local.test_client().get("/pl/lokalne/").get_data(as_text=True)
    switcher = page.split('<details class="language-switcher">', 1)[1].split("</details>", 1)[0]
    assert re.findall(r'hreflang="(\w+)"', switcher) == ["pl"]
    page = local.test_client().get("/pl/payments/").get_data(as_text=True)
    switcher = page.split('<details class="language-switcher">', 1)[1].split("</details>", 1)[0]
    assert re.findall(r'hreflang="(\w+)"', switcher) == LANGUAGES


def test_the_sitemap_lists_it_in_polish_alone(local):
    xml = local.test_client().get("/sitemap.xml").get_data(as_text=True)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {
        url.find("s:loc", ns).text: [link.get("hreflang") for link in url.findall("x:link", ns)]
        for url in ET.fromstring(xml).findall("s:url", ns)
    }
    blik = [loc for loc in urls if loc.endswith(f"/{BLIK}")]
    assert [loc.split("/")[3] for loc in blik] == ["pl"]
    assert urls[blik[0]] == ["pl"]
    assert any(loc.endswith("/pl/lokalne/kurier") for loc in urls)


def test_the_polish_home_lists_its_category_and_the_english_one_does_not(local):
    client = local.test_client()
    assert "Tylko w Polsce" in client.get("/pl/").get_data(as_text=True)
    assert "Tylko w Polsce" not in client.get("/en/").get_data(as_text=True)


def test_polish_search_finds_it_and_no_other_language_does(local):
    client = local.test_client()
    found = client.get("/pl/search?q=blik").get_data(as_text=True)
    assert f'href="/pl/{BLIK}"' in found
    for lang in ("en", "he"):
        page = client.get(f"/{lang}/search?q=blik").get_data(as_text=True)
        assert BLIK not in page
    suggestions = client.get("/api/search?lang=pl&q=blik").get_json()
    assert [hit["url"] for hit in suggestions["results"]] == [f"/pl/{BLIK}"]


def test_every_report_runs_with_its_activity_and_none_calls_it_missing(local):
    activity = Activity(local)
    activity.search("pl", "blik", 1, clicked=BLIK)
    for visitor in ("a", "b", "c"):
        activity.view("pl", BLIK, visitor=visitor)
    activity.votes("pl", BLIK, yes=0, no=3, reason="unclear", comment="Kod nie działa")
    activity.contact("pl", BLIK, email="klient@example.com")
    with local.test_request_context():
        catalog = services.content_store(local).catalog()
        settings = ReportSettings.from_config(local.config)
        reports = {
            name: run_report(name, Period.from_dates(None, None), catalog, settings)
            for name in REPORTS
        }
    translations = reports["translations"].tables[0].rows
    assert not any(row[1] == BLIK for row in translations)
    actions = reports["actions"].tables[0].rows
    blik = [row for row in actions if row[2] == "Płatność BLIK"]
    # Fixing it is the one thing to do; translating it is not asked for.
    assert [str(row[1]) for row in blik] == ["Fix"]
    assert str(blik[0][7]) == "pl/payments/blik.md"
    articles = reports["articles"].tables[0].rows
    assert any(row[1] == BLIK and row[0] == "pl" for row in articles)
    # And the staff's pages of them.
    staff = logged_in_staff(local)
    for url in ["/reports/actions?lang=pl", "/reports/articles", "/reports/translations"]:
        assert staff.get(url).status_code == 200, url
    page = staff.get(f"/reports/article/{BLIK}").get_data(as_text=True)
    assert "Kod nie działa" in page and "pl/payments/blik.md" in page
