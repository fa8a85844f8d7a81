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
