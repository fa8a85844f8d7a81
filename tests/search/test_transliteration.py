"""Words typed in another script meet the index's own spelling (issue 11, defect 7)."""

import pytest

from helpcenter.search.plan import plan_query
from helpcenter.search.transliteration import (
    greek_key,
    greeklish_keys,
    hebrew_skeletons,
    latin_skeleton,
)


@pytest.fixture
def hebrew(search):
    tree = search.tree
    tree.category("en", "guides", "Guides")
    tree.category("he", "guides", "מדריכים")
    for slug, title in [
        ("bitlocker", "BitLocker"),
        ("outlook", "Outlook"),
        ("word", "Word"),
        ("printer", "Printer"),
    ]:
        tree.article(f"en/guides/{slug}.md", title, "Text.\n")
    tree.article(
        "he/guides/bitlocker.md",
        "הצפנת כונן עם BitLocker",
        "כדי להפעיל את BitLocker פתחו את לוח הבקרה.\n",
    )
    tree.article(
        "he/guides/outlook.md", "הגדרת תיבת דואר ב-Outlook", "פתחו את Outlook ובחרו חשבון חדש.\n"
    )
    tree.article("he/guides/word.md", "שמירת מסמך ב-Word", "ב-Word בחרו קובץ ושמירה.\n")
    tree.article("he/guides/printer.md", "הוספת מדפסת", "פתחו את לוח הבקרה ובחרו מדפסת.\n")
    search.index()
    return search


def test_hebrew_product_names_in_hebrew_letters_find_the_latin_spelling(hebrew):
    assert hebrew.ids("he", "איך מפעילים ביטלוקר")[0] == "guides/bitlocker"
    assert hebrew.ids("he", "לא מצליח להגדיר אאוטלוק")[0] == "guides/outlook"
    # With a prefix letter and a doubled vav: "in Word".
    assert hebrew.ids("he", "שמירה בוורד")[0] == "guides/word"


@pytest.fixture
def hebrew_short(search):
    tree = search.tree
    tree.category("he", "guides", "מדריכים")
    tree.article("he/guides/zoom.md", "פגישות", "הוספת קישור Zoom לפגישה ביומן.\n")
    tree.article("he/guides/teams.md", "פגישות", "הוספת קישור Teams לפגישה ביומן.\n")
    tree.article("he/guides/bitcoin.md", "תשלום", "תשלום ב-Bitcoin לא נתמך.\n")
    tree.article("he/guides/token.md", "תשלום", "תשלום עם Token חומרה.\n")
    search.index()
    return search


def test_short_product_names_in_hebrew_letters_find_the_latin_spelling(hebrew_short):
    """ "זום" has a two-consonant skeleton (Z-M): matched only to Latin words about as short
    as the word typed, as Hebrew leaves out vowels."""
    assert hebrew_short.ids("he", "קישור זום לפגישה")[:1] == ["guides/zoom"]


def test_a_name_starting_with_a_prefix_letter_is_transliterated_whole(hebrew_short):
    """ "ביטקוין" is not "ב" + "יטקוין" (T-K-N, "token"): the whole word is tried first."""
    assert hebrew_short.ids("he", "תשלום ביטקוין")[:1] == ["guides/bitcoin"]


def test_a_word_the_index_knows_is_not_transliterated(hebrew):
    searcher = hebrew.service._searcher("he")
    words = plan_query("he", "מדפסת", searcher).words
    assert all(form.isascii() is False for word in words for form in word.text)


@pytest.fixture
def greek(search):
    tree = search.tree
    tree.category("en", "guides", "Guides")
    tree.category("el", "guides", "Οδηγοί")
    for slug in ("laptop", "screen", "payment"):
        tree.article(f"en/guides/{slug}.md", slug.title(), "Text.\n")
    tree.article(
        "el/guides/laptop.md",
        "Μπαταρία του laptop",
        "Φορτίστε το laptop πριν από την πρώτη χρήση.\n",
    )
    tree.article(
        "el/guides/screen.md", "Σύνδεση δεύτερης οθόνης", "Συνδέστε την οθόνη με καλώδιο HDMI.\n"
    )
    tree.article("el/guides/payment.md", "Τρόποι πληρωμής", "Πληρωμή με κάρτα.\n")
    search.index()
    return search


def test_greek_loanwords_in_greek_letters_find_the_latin_spelling(greek):
    assert greek.ids("el", "λάπτοπ") == ["guides/laptop"]
    assert greek.ids("el", "ίντερνετ λάπτοπ")[0] == "guides/laptop"


def test_greeklish_finds_the_greek_words(greek):
    assert greek.ids("el", "pos sindeo deuteri othoni")[0] == "guides/screen"
    assert greek.ids("el", "plhrwmh me karta")[0] == "guides/payment"


def test_keys_both_spellings_share():
    assert latin_skeleton("bitlocker") in hebrew_skeletons("ביטלוקר")
    assert latin_skeleton("word") in hebrew_skeletons("וורד")
    assert greek_key("οθόνη") in greeklish_keys("othoni")
    assert greek_key("πληρωμή") in greeklish_keys("plhrwmh")
