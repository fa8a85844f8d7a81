import pytest

from helpcenter.search import searcher as searcher_module
from helpcenter.search.fallback import default_language_answers
from helpcenter.search.result_cache import LruResults, result_store
from tests.helpers import SemanticSearchFixture, WordHashEncoder


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
    # The unfinished word is searched completed (searcher.SearchService._completed).
    assert queries == ["password"] and again == first and first[0]
    assert shop.service.suggestions("pl", "passw")[0][0].title == "Zresetuj hasło"
    assert queries == ["password", "password"]


def test_a_result_cache_of_zero_keeps_nothing():
    assert result_store(0) is None
    store = result_store(2)
    for key in "abc":
        store.put(key, key.upper())
    assert (store.get("a"), store.get("b"), store.get("c")) == (None, "B", "C")


@pytest.fixture
def semantic_shop(tree, tmp_path):
    """English and Greek articles with semantic search on (a stand-in encoder), searched
    through a result store."""
    tree.category("en", "care", "Care")
    tree.category("el", "care", "Φροντίδα")
    tree.article("en/care/wood.md", "Wood furniture care", "Oil wood furniture twice a year.\n")
    tree.article("en/care/glass.md", "Glass table care", "Wipe glass with a soft cloth.\n")
    tree.article("el/care/glass.md", "Φροντίδα γυάλινου τραπεζιού", "Σκουπίστε το γυαλί.\n")
    search = SemanticSearchFixture(tree, tmp_path / "index", WordHashEncoder(), tmp_path / "e")
    search.index()
    search.service.results = LruResults(16)
    return search


def test_an_edited_article_s_new_passages_are_searched_not_the_stored_answer(semantic_shop):
    service = semantic_shop.service
    before = service.generation("en")
    semantic_shop.tree.article(
        "en/care/wood.md", "Wood furniture care", "Oil wood furniture once a year.\n"
    )
    semantic_shop.index()
    after = service.generation("en")
    assert after != before and after[1] != before[1]  # the passages are in the key


def test_default_language_answers_are_kept_with_the_page(semantic_shop, monkeypatch):
    service = semantic_shop.service
    searched = []
    dense_search = service.semantic.dense.search

    def counted(lang, text, depth=50):
        searched.append((lang, text))
        return dense_search(lang, text, depth)

    monkeypatch.setattr(service.semantic.dense, "search", counted)
    found = service.search("el", "wood furniture oil")
    answers = [
        default_language_answers(service, found, "en", lambda aid: aid == "care/glass")
        for _ in range(2)
    ]
    assert answers[0] == answers[1]
    assert [lang for lang, _ in searched].count("en") == 1  # the second came from the store
