import re

import pytest

from helpcenter.search.plan import MAX_QUERY_CHARS, clean_query, normalize_query, plan_query
from helpcenter.search.searcher import MAX_CORRECTIONS


@pytest.fixture
def shop(search):
    tree = search.tree
    tree.category("en", "account", "Account")
    tree.category("en", "payments", "Payments")
    tree.article(
        "en/account/reset-password.md",
        "Reset your password",
        "Use the link we e-mail you.\n",
        summary="Forgot it?",
        tags="[login]",
    )
    tree.article(
        "en/payments/methods.md",
        "Payment methods",
        "Cards and PayPal. Your password is never needed for PayPal.\n",
    )
    tree.article(
        "en/payments/invoices.md",
        "Invoices",
        "Download an invoice from your orders.\n",
        tags="[receipt, billing]",
    )
    for n in range(12):
        tree.article(f"en/payments/card-{n}.md", f"Card topic {n}", "Card details and cards.\n")
    search.index()
    return search


def test_title_match_ranks_above_body_match(shop):
    assert shop.ids("en", "password")[:2] == ["account/reset-password", "payments/methods"]


def test_tags_count_more_than_nothing(shop):
    assert shop.ids("en", "receipt") == ["payments/invoices"]


def test_snippets_highlight_the_matched_words_and_escape_text(shop):
    shop.tree.article("en/payments/odd.md", "Odd", "If 5 < 6 & you like it, use PayPal.\n")
    shop.index()
    hit = next(h for h in shop.service.search("en", "paypal").hits if h.id == "payments/odd")
    assert re.search(r"<mark[^>]*>PayPal</mark>", hit.snippet)
    assert "5 &lt; 6 &amp; you" in hit.snippet


def test_category_filter_and_counts(shop):
    results = shop.service.search("en", "password", category="payments")
    assert [hit.id for hit in results.hits] == ["payments/methods"]
    assert results.category_counts == {"account": 1, "payments": 1}


def test_pagination(shop):
    first = shop.service.search("en", "card", per_page=5)
    third = shop.service.search("en", "card", per_page=5, page=3)
    assert first.total == 13 and first.page_count == 3  # 12 card topics + "Cards and PayPal"
    assert len(third.hits) == 3 and third.hits[0].rank == 11
    assert not {h.id for h in first.hits} & {h.id for h in third.hits}


def test_did_you_mean_comes_from_the_index_vocabulary(shop):
    results = shop.service.search("en", "pasword", correct=False)
    assert results.total == 0
    assert results.suggestion == "password"
    assert shop.service.search("en", "paypal").suggestion is None


def test_a_typo_that_finds_nothing_shows_the_correction_s_results(shop):
    results = shop.service.search("en", "pasword")
    assert (results.query, results.corrected_from) == ("password", "pasword")
    assert results.hits[0].id == "account/reset-password"
    assert results.suggestion is None
    assert shop.service.search("en", "password").corrected_from is None


def test_suggestions_match_the_unfinished_last_word(shop):
    assert [hit.id for hit in shop.service.suggest("en", "passw")][:1] == ["account/reset-password"]
    assert shop.service.suggest("en", "pa") == []  # too short to expand


HOSTILE = [
    '"unbalanced',
    "(((",
    ")",
    "AND",
    "OR NOT",
    "*",
    "*word",
    "?",
    "pass*",
    "title:x",
    "a" * 10_000,
    "\x00\x01\x02password",
    "🙂 password 🙂",
    "пароль password סיסמה",
    "password" * 500,
    " ".join(["word"] * 500),
    "\\",
    "%s%n%x",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u202epassword",
    "NOT",
    "[a TO z]",
    "~2",
    "^5",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(shop, query):
    results = shop.service.search("en", query)
    assert results.total >= 0
    assert len(results.query) <= MAX_QUERY_CHARS
    shop.service.suggest("en", query)


def test_operators_are_just_words(shop):
    # "NOT password" is not a negation: it still finds password articles.
    assert "account/reset-password" in shop.ids("en", "NOT password")


def test_clean_query_strips_control_and_bidi_characters():
    assert clean_query("\x00pass\u202eword\t ") == "pass word"


def test_normalized_query_groups_inflections():
    assert (
        normalize_query("pl", "Hasło ")
        == normalize_query("pl", "hasła")
        == normalize_query("pl", "haslo")
    )
    assert normalize_query("en", "reset password") == normalize_query("en", "password resetting")


def test_did_you_mean_looks_up_only_the_first_unknown_words_of_a_query(shop):
    """Each unknown word costs an edit-distance walk of the index (a Hebrew ו-word meets every
    "and …" of the articles): a query of new misspellings has only its first few looked up."""
    typed = ["pasword", "invoyce", "paypol", "recipt", "metods"]
    assert all(shop.service.did_you_mean("en", word) for word in typed)  # each alone: corrected
    suggestion = shop.service.did_you_mean("en", " ".join(typed)).split()
    corrected = [new != old for new, old in zip(suggestion, typed, strict=True)]
    assert corrected == [True] * MAX_CORRECTIONS + [False] * (len(typed) - MAX_CORRECTIONS)


def test_a_word_typed_again_and_again_is_searched_once(shop):
    plan = plan_query("en", "password " * 40, shop.service._searcher("en"))
    assert len(plan.words) == 1
    assert shop.ids("en", "password " * 40)[0] == "account/reset-password"
