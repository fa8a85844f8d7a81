"""Ranking behaviour a customer notices: which article comes first, and why."""


def test_a_word_scores_by_its_best_form_not_the_sum_of_its_forms(search):
    """Dismax: a Hebrew word whose prefix forms all match must not outweigh a second word.

    "ובהזמנה" is indexed with its forms בהזמנה and הזמנה; summed, the one article holding that
    word outranked the article holding both query words."""
    search.tree.category("he", "help", "Help")
    search.tree.article("he/help/one-word.md", "מידע", "מידע נוסף ובהזמנה יש פרטים.\n")
    search.tree.article("he/help/both-words.md", "מידע", "מידע נוסף על הזמנה ב Outlook.\n")
    for number in range(4):
        search.tree.article(f"he/help/filler-{number}.md", "מידע", f"מידע נוסף מספר {number}.\n")
    search.index()
    assert search.ids("he", "ובהזמנה Outlook")[:1] == ["help/both-words"]


def test_a_title_holding_most_query_words_beats_a_long_body_repeating_them(search):
    search.tree.category("en", "help", "Help")
    search.tree.article("en/help/target.md", "Share a calendar", "Open it and pick people.\n")
    body = "Share the calendar in Outlook. " * 10 + "Other words here. " * 20
    search.tree.article("en/help/long.md", "Team tips", body + "\n")
    for number in range(6):
        search.tree.article(f"en/help/filler-{number}.md", f"Topic {number}", "Other text.\n")
    search.index()
    assert search.ids("en", "share my calendar outlook")[:1] == ["help/target"]


def test_instant_suggestions_put_titles_starting_with_the_prefix_first(search):
    search.tree.category("en", "help", "Help")
    search.tree.article("en/help/gift.md", "Gift cards", "Gift cards can be refunded. " * 5 + "\n")
    search.tree.article("en/help/refund.md", "Refund an order", "Ask us within 30 days.\n")
    search.index()
    assert [hit.id for hit in search.service.suggest("en", "refun")][:1] == ["help/refund"]


def test_a_product_name_with_a_case_ending_meets_the_name(search):
    """Lithuanian inflects product names like any noun: "teamse" (in Teams) is "Teams" with
    an ending its stemmer does not take off; the known word it begins with is searched."""
    search.tree.category("lt", "help", "Help")
    search.tree.article("lt/help/a-word.md", "Pokalbiai", "Pokalbiai programoje Word.\n")
    search.tree.article("lt/help/b-teams.md", "Pokalbiai", "Pokalbiai programoje Teams.\n")
    search.index()
    assert search.ids("lt", "pokalbiai teamse")[:1] == ["help/b-teams"]


def test_the_hebrew_password_with_a_prefix_finds_reset_your_password_first_on_the_sample(
    tmp_path,
):
    """'הסיסמה' (the password) and 'לסיסמה' (to the password) are 'סיסמה' with a prefix
    letter: on the bundled sample content, "Reset your password" answers them, not "Change
    your e-mail address", which mentions the password three times."""
    from helpcenter.content.loader import load_catalog
    from helpcenter.languages import resolve_languages
    from helpcenter.search.indexer import IndexStore
    from helpcenter.search.searcher import SearchService
    from tests.helpers import ROOT

    catalog = load_catalog(ROOT / "articles", resolve_languages(["en", "he"], "en"))
    indexes = IndexStore(tmp_path / "index")
    indexes.update(catalog, "he")
    service = SearchService(indexes, synonyms=catalog.synonyms.get)
    for query in ("הסיסמה", "לסיסמה", "סיסמה"):
        hits = [hit.id for hit in service.search("he", query).hits]
        assert hits[:1] == ["account/reset-your-password"], query
        assert hits.index("account/change-email-address") > 0
