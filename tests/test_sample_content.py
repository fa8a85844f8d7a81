"""The bundled sample content is what a new user sees first: it must be complete and clean."""

import re
from pathlib import Path

from helpcenter.content.checks import check_tree
from helpcenter.content.loader import load_catalog
from helpcenter.languages import resolve_languages
from helpcenter.search.synonym_expansion import synonym_problems
from helpcenter.settings import article_placeholders, defaults
from tests.helpers import SAMPLE_CONFIG, csrf_token, make_app

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
LANGUAGES = resolve_languages(["en", "pl", "he", "lt", "el", "hr"], "en")
PLACEHOLDERS = article_placeholders(defaults(), [lang.code for lang in LANGUAGES])
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")


def test_sample_content_passes_check_without_problems():
    problems = check_tree(
        ARTICLES, LANGUAGES, placeholders=PLACEHOLDERS, more_checks=(synonym_problems,)
    )
    assert [problem.format() for problem in problems] == []


def test_sample_content_has_enough_articles_categories_and_translations():
    catalog = load_catalog(ARTICLES, LANGUAGES)
    sources = [a for (lang, _), a in catalog.articles.items() if lang == "en"]
    assert len(sources) >= 15
    assert len({a.category for a in sources}) >= 4
    for lang in ("pl", "he", "lt", "el", "hr"):
        translated = [a for (code, _), a in catalog.articles.items() if code == lang]
        assert len(translated) >= len(sources) - 3, lang
        assert len(catalog.category_list(lang)) == len(catalog.category_list("en"))
    # Some translations are missing on purpose, so visitors see the fallback.
    assert any(catalog.find(lang, a.id).fallback for lang in ("he", "lt") for a in sources)


def test_sample_content_uses_links_tables_and_images():
    bodies = [path.read_text() for path in ARTICLES.glob("en/*/*.md")]
    assert sum("](../" in body or ".md)" in body for body in bodies) >= 15
    assert any("|---" in body or "| ---" in body for body in bodies)
    assert any("![" in body for body in bodies)


def test_every_article_promises_the_hours_of_the_confirmation_page_in_every_language(tmp_path):
    """A customer must not read one set of support hours in an article and another after
    sending a request (the Hebrew articles once said Monday–Friday, the page Sunday–Thursday)."""
    app = make_app(tmp_path, ARTICLES, CONFIG_FILE=SAMPLE_CONFIG)
    client = app.test_client()
    catalog = load_catalog(ARTICLES, LANGUAGES)
    for lang in [language.code for language in LANGUAGES]:
        url = f"/{lang}/contact"
        data = {"csrf_token": csrf_token(client, url), "email": "a@example.com", "message": "?"}
        sent = client.get(client.post(url, data=data).headers["Location"]).get_data(as_text=True)
        hours = app.config["SUPPORT_HOURS"][lang]
        assert hours in sent, lang
        stating = 0
        for (code, article_id), _article in catalog.articles.items():
            if code != lang:
                continue
            page = client.get(f"/{lang}/{article_id}").get_data(as_text=True)
            main = page[page.index("<main") : page.index("</main>")]
            if CLOCK_TIME.search(main):
                stating += 1
                assert hours in main, f"{lang}/{article_id} states other hours than {hours!r}"
                assert CLOCK_TIME.findall(main.replace(hours, "")) == [], f"{lang}/{article_id}"
        assert stating >= 5, lang
