"""The articles a host page's `data-context` names, listed first in the help widget's panel."""

from helpcenter.content.context import MAX_CONTEXT_WORDS, context_articles
from helpcenter.content.loader import load_catalog
from helpcenter.languages import resolve_languages

LANGUAGES = resolve_languages(["en", "pl", "he"], "en")


def ids(catalog, lang: str, context: str) -> list[str]:
    return [view.article.id for view in context_articles(catalog, lang, context)]


def test_a_context_names_articles_categories_and_tags_in_its_order(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    assert ids(catalog, "en", "payments/declined") == ["payments/declined"]
    # A category: its articles in the writers' order; then a tag's articles, each once.
    assert ids(catalog, "en", "payments, card password") == [
        "payments/methods",
        "payments/declined",
        "account/reset-password",
    ]
    assert ids(catalog, "en", "PASSWORD") == ["account/reset-password"]  # tags fold case


def test_a_reader_of_another_language_gets_the_same_articles_in_theirs(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    # The source's tag names the Polish translation too, and its own tag does as well.
    assert (
        ids(catalog, "pl", "login") == ids(catalog, "pl", "logowanie") == ["account/reset-password"]
    )
    [view] = context_articles(catalog, "pl", "payments/declined")
    assert view.fallback  # not translated: the source, as everywhere else


def test_unknown_words_and_long_contexts_name_nothing_more(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    assert ids(catalog, "en", "") == ids(catalog, "en", "nowhere ../../etc nothing/here") == []
    flooded = " ".join(["nowhere"] * MAX_CONTEXT_WORDS + ["payments"])
    assert ids(catalog, "en", flooded) == ["payments/methods", "payments/declined"]  # once each
    crowded = " ".join(f"w{n}" for n in range(MAX_CONTEXT_WORDS)) + " payments"
    assert ids(catalog, "en", crowded) == []  # past the words a context may have
