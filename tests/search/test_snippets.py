from helpcenter.search.snippets import FRAGMENT_CHARS, SEPARATOR, make_snippet
from tests.helpers import terms


def test_marks_an_inflected_form_of_the_query_word():
    text = "You can track all your orders from the account page."
    assert "<mark>orders</mark>" in make_snippet("en", text, terms("en", "order"))


def test_marks_polish_text_for_a_query_typed_without_diacritics():
    text = "Aby zmienić hasło, otwórz ustawienia konta."
    assert "<mark>hasło</mark>" in make_snippet("pl", text, terms("pl", "haslo"))


def test_marks_a_hebrew_word_behind_a_one_letter_prefix():
    text = "אפשר לעקוב אחרי ההזמנה שלך בדף החשבון."
    assert "<mark>ההזמנה</mark>" in make_snippet("he", text, terms("he", "הזמנה"))


def test_article_text_is_escaped_never_markup():
    text = 'Type <script>alert(1)</script> & your "password" here.'
    snippet = make_snippet("en", text, terms("en", "password"))
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet and "<mark>password</mark>" in snippet


def test_picks_the_passage_with_most_query_words_and_cuts_the_rest():
    filler = "Unrelated words about other things. " * 20
    text = (
        f"{filler}A refund reaches your card in five days.{filler}Refund and card details.{filler}"
    )
    snippet = make_snippet("en", text, terms("en", "refund card"))
    assert snippet.count("<mark>") == 4
    assert snippet.count(SEPARATOR) == 1
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) < 2 * FRAGMENT_CHARS + 10


def test_no_snippet_when_no_query_word_is_in_the_text():
    assert make_snippet("en", "Nothing relevant here.", terms("en", "invoice")) == ""
