"""Each language: a query in one inflected form finds an article holding only another form."""

import pytest

from helpcenter.search.analyzers import analyze, fold, hebrew_variants

CASES = [
    # lang, article text (one form only), query (another form)
    ("en", "Resetting forgotten passwords takes a minute.", "password reset"),
    ("pl", "Nowe hasło ustawisz w ustawieniach konta.", "nie pamiętam hasła"),
    ("pl", "Zwrot pieniędzy trwa pięć dni.", "zwrotu pieniedzy"),
    ("lt", "Slaptažodis turi būti ilgas.", "pamiršau slaptažodį"),
    ("lt", "Užsakymą galite atšaukti per valandą.", "užsakymo atšaukimas"),
    ("el", "Η επιστροφή χρημάτων γίνεται σε πέντε ημέρες.", "επιστροφές χρηματων"),
    ("el", "Κάθε παραγγελία αποστέλλεται γρήγορα.", "παραγγελίες"),
    ("hr", "Lozinka mora imati deset znakova.", "zaboravio sam lozinku"),
    ("hr", "Narudžba se šalje za tri dana.", "narudžbu"),
    ("he", "אפשר לבטל הזמנה בתוך שעה.", "ובהזמנה"),
    ("he", "אפשר לבטל הזמנה בתוך שעה.", "הַזְמָנָה"),
    ("he", "איפוס הסיסמה נעשה במייל.", "סיסמה"),
]


@pytest.mark.parametrize(("lang", "text", "query"), CASES)
def test_inflected_query_finds_the_other_form(search, lang, text, query):
    search.tree.category(lang, "help", "Help")
    if lang != "en":
        search.tree.article("en/help/target.md", "Target", "English source.\n")
        search.tree.article("en/help/other.md", "Other", "English.\n")
    search.tree.article(f"{lang}/help/target.md", "Article", text + "\n")
    search.tree.article(f"{lang}/help/other.md", "Unrelated", "Nothing to see here at all.\n")
    search.tree.category("en", "help", "Help")
    search.index()
    assert search.ids(lang, query)[:1] == ["help/target"]


def test_folding_removes_accents_tonos_final_sigma_and_polish_l():
    assert fold("Hasło") == "haslo"
    assert fold("Ελληνικός") == "ελληνικοσ"
    assert fold("ŽŪKLĖ") == "zukle"
    assert fold("Đakovo") == "dakovo"


def test_polish_without_diacritics_meets_the_written_form():
    # (The written form also has its dictionary lemma, which a word typed without its
    # diacritics has not: Morfeusz does not know "haslo".)
    assert set(analyze("pl", "haslo")) <= set(analyze("pl", "hasło"))


def test_polish_inflected_form_is_found_through_its_dictionary_lemma(search):
    # Snowball stems "haseł" (genitive plural) "hasel" and "hasło" "hasl"; their first six
    # letters differ too ("hasel", "haslo"): only Morfeusz's lemma "hasło" joins them.
    search.tree.category("en", "help", "Help")
    search.tree.category("pl", "help", "Pomoc")
    search.tree.article("en/help/target.md", "Target", "English source.\n")
    search.tree.article("en/help/other.md", "Other", "English.\n")
    search.tree.article("pl/help/target.md", "Zmiana", "Hasło zmienisz w ustawieniach.\n")
    search.tree.article("pl/help/other.md", "Zwroty", "Zwrot pieniędzy trwa pięć dni.\n")
    search.index()
    assert search.ids("pl", "menedżer haseł") == ["help/target"]


def test_a_polish_word_gets_a_lemma_only_when_the_dictionary_is_sure_of_it():
    assert analyze("pl", "haseł") == ["hasel", "=haslo"]  # the stem first, then the lemma
    # "kopię" is a form of kopia (a copy), kopać (to dig) and kopić: the stem alone.
    assert analyze("pl", "kopię") == ["kopi", "kop"]
    assert analyze("pl", "zzqxv") == ["zzqxv"]  # nor for a word the dictionary lacks


def test_hebrew_prefixes_niqqud_and_final_letters():
    assert hebrew_variants("ובהזמנה") == ["ובהזמנה", "בהזמנה", "הזמנה"]
    assert hebrew_variants("שָׁלוֹם") == ["שלומ", "לומ"]  # niqqud gone, final mem normalized
    assert hebrew_variants("של") == ["של"]  # too short to strip


def test_stop_words_are_dropped_per_language():
    assert analyze("pl", "jak i gdzie") == []
    assert analyze("el", "και να το") == []
    assert analyze("en", "how do i") == []


def test_unknown_language_gets_a_generic_analyzer():
    assert analyze("xx", "Grüße AUS Köln") == ["grusse", "aus", "koln"]


@pytest.mark.parametrize(
    ("query", "term"),
    [("ב-Outlook", "outlook"), ("ה-PDF", "pdf"), ("ל-2FA", "2fa"), ("וב־Teams", "teams")],
)
def test_hebrew_prefix_letter_joined_to_a_latin_word_or_number_is_dropped(query, term):
    assert analyze("he", query) == [term]


def test_hebrew_query_with_a_prefixed_brand_name_finds_the_brand_article(search):
    search.tree.category("he", "help", "Help")
    search.tree.article("he/help/target.md", "חתימה", "הוספת חתימה בתוכנה Outlook.\n")
    search.tree.article("he/help/other.md", "חתימה", "חתימה במסמך.\n")
    search.index()
    assert search.ids("he", "חתימה ל-Outlook")[:1] == ["help/target"]


@pytest.mark.parametrize(
    ("written", "typed"),
    [("ג׳ימייל", "ג'ימייל"), ("ג׳ימייל", "גימייל"), ("דו״ח", 'דו"ח'), ("דו״ח", "דוח")],
)
def test_hebrew_geresh_and_gershayim_neither_split_nor_separate_words(written, typed):
    assert analyze("he", written) == analyze("he", typed)
    assert len(analyze("he", written)) == len(analyze("he", "דוח"))


def test_hebrew_query_without_gershayim_finds_the_article_written_with_them(search):
    search.tree.category("he", "help", "Help")
    search.tree.article("he/help/target.md", "דו״ח", "הפקת דו״ח חודשי.\n")
    search.tree.article("he/help/other.md", "חודשי", "מנוי חודשי.\n")
    search.index()
    assert search.ids("he", "דוח")[:1] == ["help/target"]


def test_hebrew_strips_only_prefixes_the_proclitic_grammar_allows():
    assert hebrew_variants("משלוח") == ["משלוח", "שלוח"]  # never "לוח" (board)
    assert hebrew_variants("מהאתר") == ["מהאתר", "האתר", "אתר"]  # מ then ה
    assert hebrew_variants("בהזמנה") == ["בהזמנה", "הזמנה"]  # no ה after ב
    assert hebrew_variants("וכשהמחשב")[-1] == "מחשב"


def test_hebrew_shipping_article_does_not_answer_a_query_about_a_board(search):
    search.tree.category("he", "help", "Help")
    search.tree.article("he/help/shipping.md", "משלוח", "משלוח מהיר לכל הארץ.\n")
    search.tree.article("he/help/board.md", "לוח שנה", "לוח השנה של הצוות.\n")
    search.index()
    assert search.ids("he", "לוח") == ["help/board"]


@pytest.mark.parametrize(
    ("lang", "written", "typed"),
    [
        ("en", "Change your e-mail signature.", "email"),
        ("en", "Change your e-mail signature.", "mail"),
        ("en", "Change your email signature.", "e-mail"),
        ("hr", "Otvorite web-preglednik.", "preglednik"),
    ],
)
def test_hyphenated_words_meet_their_joined_form_and_parts(search, lang, written, typed):
    search.tree.category(lang, "help", "Help")
    search.tree.article(f"{lang}/help/target.md", "Article", written + "\n")
    search.tree.article(f"{lang}/help/other.md", "Unrelated", "Nothing to see here at all.\n")
    if lang != "en":
        search.tree.category("en", "help", "Help")
        search.tree.article("en/help/target.md", "Target", "English.\n")
    search.index()
    assert search.ids(lang, typed)[:1] == ["help/target"]


@pytest.mark.parametrize(
    ("written", "typed"), [("autosave", "auto save"), ("auto save", "autosave")]
)
def test_joined_and_separate_words_are_the_same_to_a_customer(search, written, typed):
    search.tree.category("en", "help", "Help")
    search.tree.article("en/help/target.md", "Files", f"Turn on {written} for files.\n")
    search.tree.article("en/help/other.md", "Files", "Files are stored in the cloud.\n")
    search.tree.article("en/help/third.md", "Cars", "Save money on your car.\n")
    search.index()
    assert search.ids("en", typed)[:1] == ["help/target"]


@pytest.mark.parametrize(
    ("written", "typed"), [("מסמכים", "מסמך"), ("הזמנות", "הזמנה"), ("סיסמאות", "סיסמה")]
)
def test_hebrew_singular_meets_plural(search, written, typed):
    search.tree.category("he", "help", "Help")
    search.tree.article("he/help/target.md", "מידע", f"רשימת {written} באתר.\n")
    search.tree.article("he/help/other.md", "מידע", "רשימת קבצים באתר.\n")
    search.index()
    assert search.ids("he", typed)[:1] == ["help/target"]


@pytest.mark.parametrize(
    ("lang", "typed", "terms"),
    [
        ("en", "i cant log in please", ["log"]),
        ("en", "dont want emails anymore", ["email"]),
        ("pl", "dlaczego nie moge sie zalogowac", ["zalogowac"]),
        ("hr", "zasto mi ne radi pisac", ["rad", "pisc"]),
        ("el", "πως μπορω να αλλαξω τον κωδικο", ["αλλαξ", "κωδ"]),
        ("lt", "noriu pakeisti slaptažodį", ["pakeis", "slaptazod"]),
    ],
)
def test_customers_filler_words_are_stop_words_also_typed_without_diacritics(lang, typed, terms):
    assert analyze(lang, typed) == terms


@pytest.mark.parametrize(
    ("lang", "written", "typed"),
    [("pl", "zmienić", "zmienic"), ("pl", "skasować", "skasowac"), ("pl", "usunąć", "usunac")],
)
def test_a_word_typed_without_diacritics_meets_its_stem(lang, written, typed):
    """The Polish stemmer needs the diacritics: alone it stems "zmienić" to "zmien" and
    "zmienic" to "zmienic"; the word is also stemmed as typed without them."""
    assert set(analyze(lang, written)) & set(analyze(lang, typed))


@pytest.mark.parametrize(
    "forms",
    [
        ("izbrisati", "izbrišem", "izbrisao"),  # infinitive, present, past
        ("promijeniti", "promijenim", "promijenio"),
        ("vidjeti", "vidim"),
        ("otvoriti", "otvorim"),
    ],
)
def test_croatian_verb_forms_share_a_stem(forms):
    """Snowball's Serbian left infinitive and present stems apart ("izbrisa", "izbris")."""
    assert len({analyze("hr", form)[0] for form in forms}) == 1
