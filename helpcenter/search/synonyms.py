"""Writers' synonyms at query time: a query word (or phrase) of a group is also searched as
every other member of the group, as extra forms of the same query word, so it scores by its
best form (dismax) and never counts twice.

Members go through the language's analyzers, as the query does: "Parcels" in the query meets
"parcel" in the file, and a member's stop words drop out as the query's do. The groups come
from content/synonyms.py (the catalog); compiled tables are cached per language and file
content, so a changed file gives a new table and an unchanged one costs a dict lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content.synonyms import SynonymGroups, parse_synonyms
from .analyzers import analyzer_for, loose_analyzer

# Forms a query word may have with its synonyms, per field: bounds the cost of long groups.
MAX_FORMS = 16

# The built-in everyday thesaurus: thesaurus/<lang>.txt, the writers' file format.
THESAURUS_DIR = Path(__file__).with_name("thesaurus")

# Per position, the word's forms: [["parcel"], ["track"]] (Hebrew positions hold several).
Positions = list[list[str]]


@dataclass(frozen=True)
class Member:
    text: tuple[tuple[str, ...], ...]  # the stemmed field's forms, per word
    loose: tuple[tuple[str, ...], ...]  # the loose field's forms, per word
    group: int


@dataclass(frozen=True)
class SynonymTable:
    members: tuple[Member, ...]
    groups: tuple[tuple[Member, ...], ...]
    # A member's first word's forms -> the members starting with it.
    by_first: dict[str, tuple[Member, ...]]


def _positions(analyzer: Callable, text: str) -> tuple[tuple[str, ...], ...]:
    found: dict[int, list[str]] = {}
    for token in analyzer(text, positions=True):
        forms = found.setdefault(token.pos, [])
        if token.text not in forms:
            forms.append(token.text)
    return tuple(tuple(forms) for forms in found.values())


@lru_cache(maxsize=32)
def compile_synonyms(lang: str, groups: SynonymGroups) -> SynonymTable:
    members: list[Member] = []
    grouped: list[tuple[Member, ...]] = []
    for number, group in enumerate(groups):
        analyzed = [
            Member(
                _positions(analyzer_for(lang), text),
                _positions(loose_analyzer(lang), text),
                number,
            )
            for text in group
        ]
        usable = tuple(m for m in analyzed if m.text and len(m.text) == len(m.loose))
        grouped.append(usable)
        members.extend(usable)
    by_first: dict[str, list[Member]] = {}
    for member in members:
        # Matched by each word's own form only: "poklon-kartica" also indexes "kartica", but
        # a customer's "kartica" is not a gift card.
        by_first.setdefault(member.text[0][0], []).append(member)
    return SynonymTable(tuple(members), tuple(grouped), {k: tuple(v) for k, v in by_first.items()})


def expand(
    table: SynonymTable, text: Positions, loose: Positions, known: Callable[[str, str], bool]
) -> None:
    """Adds, in place, the forms of the other members of every group a stretch of the query
    matches. A member of m words matched by the query's words k…k+m-1 gives each of those
    words a share of every other member's words (one word to one word, a phrase's words
    spread over the matched ones), in both fields. Only forms the index holds (`known(field,
    form)`) are added: a form no article has finds nothing and would only raise the query's
    best possible score, pushing real answers under the "no results" floor."""
    original = [list(forms) for forms in text]
    for start, forms in enumerate(original):
        for member in {m for form in forms for m in table.by_first.get(form, ())}:
            end = start + len(member.text)
            if end > len(original) or not all(
                member.text[i][0] in original[start + i] for i in range(len(member.text))
            ):
                continue
            for other in table.groups[member.group]:
                if other is member:
                    continue
                _spread(other, start, end, text, loose, known)


def _spread(
    other: Member,
    start: int,
    end: int,
    text: Positions,
    loose: Positions,
    known: Callable[[str, str], bool],
) -> None:
    span, words = end - start, len(other.text)
    for offset in range(span):
        position = start + offset
        first = offset * words // span
        last = max((offset + 1) * words // span, first + 1)
        for word in range(first, last):
            for field, target, source in (
                ("text", text, other.text),
                ("loose", loose, other.loose),
            ):
                if position >= len(target):
                    continue
                for form in source[word]:
                    forms = target[position]
                    if form not in forms and len(forms) < MAX_FORMS and known(field, form):
                        forms.append(form)


@lru_cache(maxsize=16)
def builtin_thesaurus(lang: str) -> SynonymGroups:
    """The language's built-in everyday equivalences ("pics, photos", "mail, e-mail"), the
    words any customer uses for what articles call otherwise; () for a language without one.
    Written for the product-agnostic vocabulary of computing help, not for one site: writers'
    own `_synonyms.txt` is applied first and wins (see searcher.plan_query)."""
    path = THESAURUS_DIR / f"{lang}.txt"
    if not path.is_file():
        return ()
    groups, _ = parse_synonyms(path, path.read_text(encoding="utf-8"))
    return groups


def words_found(lang: str, texts: list[str], groups: list[tuple[str, ...]]) -> list[bool]:
    """Per group: is there a member all of whose words occur (as the analyzer sees them) in
    `texts`? For `helpcenter check`."""
    analyzer = analyzer_for(lang)
    vocabulary = {token.text for text in texts for token in analyzer(text)}
    return [
        any(
            (words := _positions(analyzer, member))
            and all(set(forms) & vocabulary for forms in words)
            for member in group
        )
        for group in groups
    ]
