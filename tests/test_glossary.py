"""One word per concept per language: `translations/<lang>/glossary.tsv` names the translation
of each term the UI uses, and the variants translators must not drift into (Croatian once
called a contact request *upit* on one page and *zahtjev* on the next)."""

import csv
import re
from dataclasses import dataclass

import pytest

from tests.helpers import ROOT, catalog

TRANSLATED = ["pl", "he", "lt", "el", "hr"]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass(frozen=True)
class Term:
    english: str
    translation: str
    rejected: tuple[str, ...]


def glossary(lang: str) -> list[Term]:
    path = ROOT / "translations" / lang / "glossary.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")
        ]
    assert all(len(row) == 3 for row in rows), f"{path}: three tab-separated columns per line"
    return [Term(e, t, tuple(v.strip() for v in r.split(",") if v.strip())) for e, t, r in rows]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_glossary_term_is_translated_one_way_in_the_catalog(lang):
    terms = glossary(lang)
    assert terms, f"translations/{lang}/glossary.tsv has no terms"
    problems = []
    for term in terms:
        assert not any(v.casefold() in term.translation.casefold() for v in term.rejected), term
        english = re.compile(rf"\b{re.escape(term.english)}", re.IGNORECASE)
        for message in catalog(lang):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            if not message.id or not any(english.search(_PLACEHOLDER.sub("", i)) for i in ids):
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                folded = _PLACEHOLDER.sub("", text).casefold()
                problems += [
                    f"{ids[0]!r}: {text!r} says {variant!r} for {term.english!r}; "
                    f"the glossary says {term.translation!r}"
                    for variant in term.rejected
                    if variant.casefold() in folded
                ]
    assert problems == []


# Each language's quotation marks, and the marks of other conventions it must not use: Polish
# „…” (»…« inside), Lithuanian and Croatian „…“, Greek «…», Hebrew "…" or ״…״ (never „…” or
# “…”). A spaced em dash is the English dash; these languages use a spaced en dash ( – ).
QUOTES = {"pl": "„”", "lt": "„“", "hr": "„“", "el": "«»", "he": '"'}
FOREIGN_MARKS = {
    "pl": ("“", " — "),
    "lt": ("”", " — "),
    "hr": ("”", " — "),
    "el": ("„", "“", "”", " — "),
    "he": ("„", "“", "”"),
}


def _marks(text: str, lang: str) -> list[str]:
    return [mark for mark in FOREIGN_MARKS[lang] if mark in text]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translation_quotes_the_way_its_language_does(lang):
    """Hebrew staff strings once had „…”, and Croatian strings closed „ with ” (issue 29)."""
    problems = []
    for message in catalog(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        problems += [
            f"{_first(message.id)!r}: {text!r} has {mark!r}; {lang} quotes {QUOTES[lang]}"
            for text in strings
            if message.id
            for mark in _marks(text, lang)
        ]
    assert problems == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_article_quotes_the_way_its_language_does(lang):
    problems = [
        f"{path.relative_to(ROOT)}:{number}: {mark!r}; {lang} quotes {QUOTES[lang]}"
        for path in sorted((ROOT / "articles" / lang).rglob("*.md"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for mark in _marks(line, lang)
    ]
    assert problems == []


# Terms the articles must write as the UI does (the glossary's catalog check cannot see them:
# an article has no msgid to say which term a sentence means).
ARTICLE_VARIANTS = {
    "pl": (),
    "he": ("מייל",),  # in the text; tags keep it, as customers search with it
    "lt": (),
    "el": ("ομάδα εξυπηρέτησης",),
    "hr": ("korisnička podrška", "korisničku podršku", "korisničke podrške"),
}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_articles_name_the_support_team_and_e_mail_as_the_interface_does(lang):
    problems = []
    for path in sorted((ROOT / "articles" / lang).rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("tags:"):
                continue
            problems += [
                f"{path.relative_to(ROOT)}:{number}: {variant!r}"
                for variant in ARTICLE_VARIANTS[lang]
                if variant.casefold() in line.casefold()
            ]
    assert problems == []


def _first(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id
