import datetime as dt
import os

from helpcenter.content.catalog import PlainUrls
from helpcenter.content.loader import load_catalog
from helpcenter.languages import resolve_languages

LANGUAGES = resolve_languages(["en", "pl", "he"], "en")


def test_translations_are_matched_by_relative_path(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    assert set(catalog.translations("account/reset-password")) == {"en", "pl", "he"}
    assert set(catalog.translations("payments/declined")) == {"en"}


def test_missing_translation_falls_back_to_the_source(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    view = catalog.find("pl", "payments/declined")
    assert view.article.lang == "en" and view.fallback
    assert not catalog.find("pl", "payments/methods").fallback
    assert catalog.find("pl", "payments/nothing") is None


def test_dates_come_from_the_last_commit(basic):
    basic.article("en/payments/declined.md", "My payment was declined", "Changed.\n")
    basic.commit("edit declined", date="2026-03-02T12:00:00+00:00")
    catalog = load_catalog(basic.root, LANGUAGES)
    assert catalog.find("en", "payments/declined").article.updated == dt.datetime(
        2026, 3, 2, 12, tzinfo=dt.UTC
    )
    assert catalog.find("en", "payments/methods").article.updated == dt.datetime(
        2026, 1, 10, 9, tzinfo=dt.UTC
    )


def test_modification_time_is_used_outside_git(tmp_path):
    root = tmp_path / "plain"
    (root / "en" / "faq").mkdir(parents=True)
    path = root / "en" / "faq" / "hello.md"
    path.write_text("---\ntitle: Hello\n---\nHi\n")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    catalog = load_catalog(root, LANGUAGES)
    assert catalog.find("en", "faq/hello").article.updated == dt.datetime.fromtimestamp(
        1_700_000_000, dt.UTC
    )


def test_translation_is_outdated_when_its_source_changed_later(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    polish = catalog.articles[("pl", "account/reset-password")]
    assert not catalog.is_outdated(polish)
    basic.article("en/account/reset-password.md", "Reset your password", "New steps.\n")
    basic.commit("rewrite source", date="2026-02-01T08:00:00+00:00")
    catalog = load_catalog(basic.root, LANGUAGES)
    assert catalog.is_outdated(catalog.articles[("pl", "account/reset-password")])
    assert not catalog.is_outdated(catalog.articles[("en", "account/reset-password")])


def test_links_resolve_into_the_readers_language(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    english = catalog.articles[("en", "account/reset-password")]
    # The English source shown to a Hebrew reader links to Hebrew URLs (which fall back as needed).
    html = catalog.render(english, "he", PlainUrls()).html
    assert 'href="/he/payments/methods"' in html
    polish = catalog.articles[("pl", "account/reset-password")]
    assert 'href="/pl/payments/methods"' in catalog.render(polish, "pl", PlainUrls()).html


def test_translation_uses_the_source_image_when_it_has_none(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    polish = catalog.articles[("pl", "account/reset-password")]
    html = catalog.render(polish, "pl", PlainUrls()).html
    asset = catalog.asset("pl", "account/padlock.svg")
    assert asset.lang == "en"
    assert f'src="/media/en/account/padlock.svg?v={asset.digest[:12]}"' in html


def test_broken_file_is_skipped_and_the_rest_still_loads(basic):
    basic.write("en/payments/broken.md", "---\ntitle: [unclosed\n---\nBody\n")
    catalog = load_catalog(basic.root, LANGUAGES)
    assert ("en", "payments/broken") not in catalog.articles
    assert ("en", "payments/methods") in catalog.articles
    assert any("invalid YAML" in problem.message for problem in catalog.problems)


def test_drafts_are_hidden_unless_previewing(basic):
    basic.article("en/payments/crypto.md", "Paying with crypto", draft="true")
    assert load_catalog(basic.root, LANGUAGES).find("en", "payments/crypto") is None
    assert load_catalog(basic.root, LANGUAGES, show_drafts=True).find("en", "payments/crypto")


def test_categories_are_ordered_and_localized(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    assert [c.title for c in catalog.category_list("pl")] == ["Konto i hasło", "Płatności"]
    assert [v.article.id for v in catalog.articles_in("pl", "payments")] == [
        "payments/methods",
        "payments/declined",
    ]


def test_related_articles_share_tags_or_category(basic):
    catalog = load_catalog(basic.root, LANGUAGES)
    related = catalog.related(catalog.find("pl", "payments/methods"), limit=3)
    assert [view.article.id for view in related] == ["payments/declined"]
    assert related[0].lang == "pl"


def test_aliases_find_the_moved_article(basic):
    basic.article("en/payments/methods.md", "Payment methods", "Text\n", aliases="[ways-to-pay]")
    catalog = load_catalog(basic.root, LANGUAGES)
    assert catalog.find_alias("pl", "payments", "ways-to-pay").article.id == "payments/methods"
    assert catalog.find_alias("pl", "payments", "unknown") is None
