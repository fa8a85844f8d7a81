"""'Did you mean' corrects typos, never a word of the language into another word."""

import pytest

from helpcenter.search.spelling import closest_words, edit_distance, is_word

HELP = {
    "en": ("Help", "Calls are routed to the support team within a day.\n"),
    "pl": ("Pomoc", "Mycie naczyń w zmywarce nie szkodzi patelni.\n"),
    "he": ("עזרה", "אפשר להחזיר מוצר בכל סניף ובכל יום.\n"),
    "el": ("Βοήθεια", "Πάρτε την παραγγελία από το κατάστημα.\n"),
}


@pytest.fixture
def shop(search):
    search.tree.category("en", "help", "Help")
    search.tree.article("en/help/answer.md", "Support", HELP["en"][1])
    search.tree.article("en/help/other.md", "Other", "Nothing to see here.\n")
    for lang, (category, body) in HELP.items():
        if lang != "en":
            search.tree.category(lang, "help", category)
            search.tree.article(f"{lang}/help/answer.md", category, body)
            search.tree.article(f"{lang}/help/other.md", category, "…\n")
    search.index()
    return search


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("he", "משלוח בתל אביב"),  # not "בכל אביב": Tel Aviv, not "in every spring"
        ("he", "תל אביב"),
        ("en", "rusted"),  # not "routed": a word the articles do not use is still a word
        ("pl", "macie"),  # not "mycie": Morfeusz knows it (a form of "mieć")
        ("el", "πάρτι"),  # not "πάρτε": a party, not "take"
        ("el", "den"),  # Greeklish δεν, not the articles' "de"
    ],
)
def test_a_word_of_the_language_is_never_offered_another_word(shop, lang, query):
    results = shop.service.search(lang, query)
    assert results.suggestion is None
    assert results.corrected_from is None
    assert shop.service.suggestions(lang, query)[1] is None


def test_greek_never_silently_replaces_a_correct_word(shop):
    """ "πάρτι" (a party) is one letter from the articles' "πάρτε" (take): searched in its
    place, the page showed results for another word without a word of warning."""
    shop.service.min_score_ratio = 0.2  # the site's floor
    results = shop.service.search("el", "πάρτι")
    assert results.corrected_from is None and results.query == "πάρτι"
    assert not results.hits


def test_a_typo_is_still_corrected_and_searched(shop):
    results = shop.service.search("en", "ruoted")
    assert (results.query, results.corrected_from) == ("routed", "ruoted")
    assert [hit.id for hit in results.hits] == ["help/answer"]


def test_a_closer_word_is_offered_before_a_more_frequent_one(search):
    """Whoosh's own corrector ranks candidates by frequency alone: "cluter" got "center"
    (two edits, in many articles) before "clutter" (one edit, in one)."""
    search.tree.category("en", "mail", "Mail")
    search.tree.article(
        "en/mail/missing-clutter-folder.md",
        "Missing clutter folder",
        "Your Clutter folder disappeared? Turn Clutter on again in the settings.\n",
    )
    for number in range(6):
        search.tree.article(
            f"en/mail/center-{number}.md",
            f"Admin center {number}",
            "Open the admin center. The center lists your users.\n",
        )
    search.tree.article(
        "en/mail/create-folder.md", "Create a folder", "Folders keep your mail in order.\n"
    )
    search.index()
    searcher = search.service._searcher("en")
    assert [c.word for c in closest_words(searcher, "cluter")][:2] == ["clutter", "center"]
    search.service.min_score_ratio = 0.2  # the site's floor: "folder" alone answers nothing
    results = search.service.search("en", "cluter folder dissapeared")
    assert results.corrected_from == "cluter folder dissapeared"
    assert results.hits[0].id == "mail/missing-clutter-folder"


def test_a_word_of_the_language_is_a_word_as_typed_without_its_accents(shop):
    searcher = shop.service._searcher("el")
    assert is_word("el", "ακουει", searcher)  # ακούει, typed without its accent
    assert not is_word("el", "ακουεξ", searcher)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("refnud", "refund", 1), ("cluter", "clutter", 1), ("cluter", "center", 2), ("ab", "ab", 0)],
)
def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit(a, b, distance):
    assert edit_distance(a, b) == distance
