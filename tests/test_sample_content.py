"""The bundled sample content is what a new user sees first: it must be complete and clean."""

from pathlib import Path

from helpcenter.content.catalog import load_catalog
from helpcenter.content.checks import check_tree
from helpcenter.languages import resolve_languages

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
LANGUAGES = resolve_languages(["en", "pl", "he", "lt", "el", "hr"], "en")


def test_sample_content_passes_check_without_problems():
    problems = check_tree(ARTICLES, LANGUAGES)
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
