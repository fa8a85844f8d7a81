import dataclasses
from collections import Counter

import pytest
from whoosh.analysis.analyzers import CompositeAnalyzer

from helpcenter.search.plan import normalize_query, plan_query
from helpcenter.search.searcher import SearchService


@pytest.fixture
def shop(search):
    tree = search.tree
    tree.category("en", "account", "Account")
    tree.category("he", "guides", "מדריכים")
    tree.article("en/account/reset-password.md", "Reset your password", "Use the e-mail link.\n")
    tree.article("en/account/autosave.md", "Autosave", "Documents save themselves.\n")
    tree.article("he/guides/outlook.md", "הגדרת תיבת דואר ב-Outlook", "פתחו את Outlook.\n")
    tree.article("he/guides/printer.md", "הוספת מדפסת", "פתחו את לוח הבקרה ובחרו מדפסת.\n")
    search.index()
    return search


@pytest.fixture
def analyzed(monkeypatch):
    """Every (analyzer, text) an analyzer chain is run on."""
    runs: list[tuple[int, str]] = []
    run = CompositeAnalyzer.__call__

    def counted(self, value, **options):
        runs.append((id(self), value))
        return run(self, value, **options)

    monkeypatch.setattr(CompositeAnalyzer, "__call__", counted)
    return runs


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "auto save pasword"),  # joined words, a typo: "did you mean", then its search
        ("en", "teamse"),  # an unknown word: known beginnings, splitting
        ("he", "אאוטלוק מדפסת"),  # transliteration
    ],
)
def test_a_search_analyzes_the_customer_s_text_once_per_analyzer(shop, analyzed, lang, text):
    shop.service.search(lang, text)
    runs_of_text = Counter(run for run in analyzed if run[1] == text)
    assert runs_of_text and max(runs_of_text.values()) == 1, runs_of_text


def test_the_plan_holds_the_words_as_typed_their_forms_and_the_log_s_key(shop):
    searcher = shop.service._searcher("en")
    plan = plan_query("en", "Auto save Pasword", searcher)
    assert [(word.word, word.start, word.end) for word in plan.typed] == [
        ("auto", 0, 4),
        ("save", 5, 9),
        ("pasword", 10, 17),
    ]
    assert "autosav" in plan.words[0].text and "autosav" in plan.words[1].text  # joined
    assert plan.normalized == normalize_query("en", "Auto save Pasword")
    assert plan.terms == {form for word in plan.words for form in word.text}
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.text = "something else"  # type: ignore[misc]


class _RecordingSemantic:
    """A semantic side that records which text it was asked to embed, and adds nothing."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def fuse(self, lang, text, ranked, **_):
        self.embedded.append(text)


def test_the_semantic_side_embeds_the_correction_the_page_searches(shop):
    semantic = _RecordingSemantic()
    service = SearchService(shop.indexes, refresh_interval=0, min_score_ratio=0, semantic=semantic)
    found = service.search("en", "  pasword ")
    assert found.corrected_from == "pasword" and found.hits
    assert semantic.embedded == ["pasword", "password"]


def test_the_plan_names_each_word_as_typed_and_what_it_was_taken_for(shop):
    hebrew = plan_query("he", "אאוטלוק מדפסת", shop.service._searcher("he"))
    assert [(word.typed, word.transliterated) for word in hebrew.words] == [
        ("אאוטלוק", ("outlook",)),
        ("מדפסת", ()),
    ]
    split = plan_query("en", "resetpassword", shop.service._searcher("en"))
    assert [(word.typed, word.text) for word in split.words] == [
        ("resetpassword", ("reset",)),
        ("resetpassword", ("password",)),
    ]
