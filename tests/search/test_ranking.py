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
