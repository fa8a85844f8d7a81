import pytest

from helpcenter.search import searcher as searcher_module
from helpcenter.search.result_cache import LruResults, result_store


@pytest.fixture
def shop(search, monkeypatch):
    """English and Polish articles, searched through a result store, with every run of the
    lexical retriever counted."""
    tree = search.tree
    tree.category("en", "account", "Account")
    tree.category("en", "payments", "Payments")
    tree.article("en/account/reset-password.md", "Reset your password", "Use the e-mail link.\n")
    tree.article("en/payments/methods.md", "Payment methods", "Your password is not needed.\n")
    tree.article("pl/account/reset-password.md", "Zresetuj hasło", "Password: link w e-mailu.\n")
    search.index()
    search.service.results = LruResults(16)
    search.retrieved = []
    retrieve = searcher_module.score_words

    def counted(searcher, fields, matched):
        search.retrieved.append(fields)
        return retrieve(searcher, fields, matched)

    monkeypatch.setattr(searcher_module, "score_words", counted)
    return search


def test_a_repeated_search_is_answered_without_retrieving_again(shop):
    first = shop.service.search("en", "password")
    again = shop.service.search("en", " password ")
    assert len(shop.retrieved) == 1
    assert [hit.id for hit in again.hits] == [hit.id for hit in first.hits]
    assert [hit.snippet for hit in again.hits] == [hit.snippet for hit in first.hits]


def test_an_index_update_makes_the_next_search_find_the_new_article(shop):
    assert shop.ids("en", "password") == ["account/reset-password", "payments/methods"]
    shop.tree.article("en/account/password-rules.md", "Password rules", "Long ones.\n")
    shop.index()
    assert "account/password-rules" in shop.ids("en", "password")
    assert len(shop.retrieved) == 2


def test_a_rebuilt_index_is_searched_again(shop):
    shop.service.search("en", "password")
    shop.tree.article("en/account/password-rules.md", "Password rules", "Long ones.\n")
    shop.index(full=True)
    assert "account/password-rules" in shop.ids("en", "password")


def test_languages_categories_and_pages_do_not_share_results(shop):
    english = shop.ids("en", "password")
    polish = shop.ids("pl", "password")
    payments = shop.ids("en", "password", category="payments")
    second_page = shop.service.search("en", "password", per_page=1, page=2)
    assert english == ["account/reset-password", "payments/methods"]
    assert polish == ["account/reset-password"] and payments == ["payments/methods"]
    assert [hit.id for hit in second_page.hits] == ["payments/methods"]
    assert len(shop.retrieved) == 4


def test_changing_returned_results_does_not_change_the_next_answer(shop):
    first = shop.service.search("en", "passwrod")
    assert first.corrected_from == "passwrod"  # its correction's results, marked
    first.hits.clear()
    first.corrected_from = None
    again = shop.service.search("en", "passwrod")
    assert again.corrected_from == "passwrod"
    assert [hit.id for hit in again.hits] == ["account/reset-password", "payments/methods"]


def test_repeated_suggestions_are_answered_without_retrieving_again(shop, monkeypatch):
    queries = []
    plan = searcher_module.plan_query

    def counted(lang, text, *args):
        queries.append(text)
        return plan(lang, text, *args)

    monkeypatch.setattr(searcher_module, "plan_query", counted)
    first = shop.service.suggestions("en", "passw")
    again = shop.service.suggestions("en", "passw")
    assert queries == ["passw"] and again == first and first[0]
    assert shop.service.suggestions("pl", "passw")[0][0].title == "Zresetuj hasło"
    assert queries == ["passw", "passw"]


def test_a_result_cache_of_zero_keeps_nothing():
    assert result_store(0) is None
    store = result_store(2)
    for key in "abc":
        store.put(key, key.upper())
    assert (store.get("a"), store.get("b"), store.get("c")) == (None, "B", "C")
