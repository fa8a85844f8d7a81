"""The results page with semantic search on: answers across languages, and the setting."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest

from helpcenter import services
from tests.helpers import ROOT, SAMPLE_CONFIG, make_app

GREEK_WOOD_QUESTION = "πώς να φροντίσω το ξύλινο τραπέζι μου"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The sample content in English and Greek (Greek has no wood-care article, on purpose),
    with semantic search on. The passages come from the suite's shared embedding cache."""
    folder = tmp_path_factory.mktemp("semantic-site")
    return make_app(
        folder, ROOT / "articles", CONFIG_FILE=SAMPLE_CONFIG, LANGUAGES="en,el",
        SEARCH_SEMANTIC=True,
    )  # fmt: skip


def test_a_greek_question_about_wood_furniture_finds_the_english_article(sample_site):
    assert not (ROOT / "articles/el/product-care/wood-furniture-care.md").exists()
    html = (
        sample_site.test_client().get(f"/el/search?q={GREEK_WOOD_QUESTION}").get_data(as_text=True)
    )
    listed = re.search(r'<ul class="default-language-results" lang="en">(.*?)</ul>', html, re.S)
    assert listed, "no answers from English"
    assert 'data-result-article="product-care/wood-furniture-care"' in listed.group(1)
    # Labelled with their language, in the customer's.
    assert "Απαντήσεις που δεν έχουν μεταφραστεί ακόμα (στα Αγγλικά):" in html
    # The link opens the English article on the Greek site, with the untranslated notice.
    link = re.search(r'href="([^"]*wood-furniture-care)"', listed.group(1))
    page = sample_site.test_client().get(html_unescape(link.group(1)), follow_redirects=True)
    assert page.request.path == "/el/product-care/wood-furniture-care"
    assert "notice--fallback" in page.get_data(as_text=True)


def test_greek_questions_answered_in_greek_list_no_english_articles(sample_site):
    """The English section is for what the customer's language lacks: questions about cast
    iron or a password, which Greek articles answer, show none (only wood care is missing)."""
    for question in ("πώς να καθαρίσω το μαντέμι τηγάνι", "ξέχασα τον κωδικό πρόσβασης"):
        html = sample_site.test_client().get(f"/el/search?q={question}").get_data(as_text=True)
        assert 'class="default-language-results"' not in html, question
        assert "<mark>" in html  # answered in Greek


@pytest.mark.parametrize(
    ("lang", "query"),
    [("en", "refund"), ("en", "my parcel never came"), ("el", "επιστροφή χρημάτων")],
)
def test_suggestions_are_the_fused_results_page_s_first_results(sample_site, lang, query):
    """Instant suggestions are the search's own best results, fused as on the results page,
    not a ranking of their own (for "refund" that one offered "Delete your account" third)."""
    client = sample_site.test_client()
    html = client.get(f"/{lang}/search", query_string={"q": query}).get_data(as_text=True)
    page = re.findall(
        r'<h2><a href="[^"]*" data-result-rank="\d+" data-result-article="([^"]+)"', html
    )
    data = client.get("/api/search", query_string={"lang": lang, "q": query}).get_json()
    assert len(page) >= 5 and [hit["id"] for hit in data["results"]] == page[:5]


def test_semantic_search_off_builds_and_searches_lexically_only(tmp_path, basic):
    app = make_app(tmp_path, basic.root, SEARCH_SEMANTIC=False)
    assert app.test_client().get("/en/search?q=password").status_code == 200
    assert services.search_service(app).semantic is None
    assert services.indexes(app).embedder is None
    build = services.indexes(app).link("en").resolve()
    assert not (build / "passages.npz").exists()
