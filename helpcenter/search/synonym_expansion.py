"""Writers' synonyms at query time: a query word (or phrase) of a group is also searched as
every other member of the group, as extra forms of the same query word, so it scores by its
best form (dismax) and never counts twice.

Members go through the language's analyzers, as the query does: "Parcels" in the query meets
"parcel" in the file, and a member's stop words drop out as the query's do. The groups come
from content/synonym_files.py (the catalog); compiled tables are cached per language and file
content, so a changed file gives a new table and an unchanged one costs a dict lookup.

The file comes from a pull request and every search pays for it, so the work is bounded: the
words and phrases one word expands to through all its groups (MAX_WORD_EXPANSIONS: a group
over it is left out for that word, and `check` says so with its line), the forms a query word
gains (MAX_FORMS) and the index lookups one query's expansion makes (MAX_LOOKUPS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content.catalog import Catalog
from ..content.problems import WARNING, Problem
from ..content.synonym_files import SYNONYMS_FILE, SynonymGroups, numbered_groups, parse_synonyms
from .analyzers import analyzer_for, loose_analyzer

# Forms a query word may have with its synonyms, per field: bounds the cost of long groups.
MAX_FORMS = 16
# Words and phrases one word is also searched as, through every group it is in (a full group
# gives 11): three groups' worth. The built-in thesaurus's busiest word has 35.
MAX_WORD_EXPANSIONS = 40
# Index lookups ("does an article use this form?") one query's expansion makes, per synonyms
# table: the tuning sets' queries make at most 53. A synonyms file that made "refund" try
# 24,000 forms cost 1.5 s a search.
MAX_LOOKUPS = 128

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
    # (group number, member as written, what it would expand to) of the members left out of
    # by_first: their word would expand to more than MAX_WORD_EXPANSIONS words and phrases.
    over_limit: tuple[tuple[int, str, int], ...] = ()


def _positions(analyzer: Callable, text: str) -> tuple[tuple[str, ...], ...]:
    found: dict[int, list[str]] = {}
    for token in analyzer(text, positions=True):
        forms = found.setdefault(token.pos, [])
        if token.text not in forms:
            forms.append(token.text)
    return tuple(tuple(forms) for forms in found.values())


@lru_cache(maxsize=32)
def compile_synonyms(lang: str, groups: SynonymGroups) -> SynonymTable:
    members: list[tuple[str, Member]] = []
    grouped: list[tuple[Member, ...]] = []
    for number, group in enumerate(groups):
        analyzed = [
            (
                text,
                Member(
                    _positions(analyzer_for(lang), text),
                    _positions(loose_analyzer(lang), text),
                    number,
                ),
            )
            for text in group
        ]
        usable = [(t, m) for t, m in analyzed if m.text and len(m.text) == len(m.loose)]
        grouped.append(tuple(m for _, m in usable))
        members.extend(usable)
    by_first: dict[str, list[Member]] = {}
    expansions: dict[str, int] = {}
    over_limit: list[tuple[int, str, int]] = []
    for written, member in members:
        # Matched by each word's own form only: "poklon-kartica" also indexes "kartica", but
        # a customer's "kartica" is not a gift card.
        first = member.text[0][0]
        reached = expansions.get(first, 0) + len(grouped[member.group]) - 1
        if reached > MAX_WORD_EXPANSIONS:
            over_limit.append((member.group, written, reached))
            continue
        expansions[first] = reached
        by_first.setdefault(first, []).append(member)
    return SynonymTable(
        tuple(m for _, m in members),
        tuple(grouped),
        {k: tuple(v) for k, v in by_first.items()},
        tuple(over_limit),
    )


class _Exhausted(Exception):
    """One query's expansion has made its MAX_LOOKUPS index lookups."""


def _counted(known: Callable[[str, str], bool]) -> Callable[[str, str], bool]:
    left = MAX_LOOKUPS

    def lookup(field: str, form: str) -> bool:
        nonlocal left
        if left == 0:
            raise _Exhausted
        left -= 1
        return known(field, form)

    return lookup


def expand(
    table: SynonymTable, text: Positions, loose: Positions, known: Callable[[str, str], bool]
) -> None:
    """Adds, in place, the forms of the other members of every group a stretch of the query
    matches. A member of m words matched by the query's words k…k+m-1 gives each of those
    words a share of every other member's words (one word to one word, a phrase's words
    spread over the matched ones), in both fields. Only forms the index holds (`known(field,
    form)`) are added: a form no article has finds nothing and would only raise the query's
    best possible score, pushing real answers under the "no results" floor. After MAX_LOOKUPS
    lookups the expansion stops where it is (the words first in the query are expanded)."""
    try:
        _expand(table, text, loose, _counted(known))
    except _Exhausted:
        return  # the budget is spent: what was added so far stays, the rest is not searched


def _expand(
    table: SynonymTable, text: Positions, loose: Positions, known: Callable[[str, str], bool]
) -> None:
    original = [list(forms) for forms in text]
    for start, forms in enumerate(original):
        # In the table's order (not a set's): which forms a capped expansion adds is the same
        # in every process.
        for member in dict.fromkeys(m for form in forms for m in table.by_first.get(form, ())):
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
    own `_synonyms.txt` is applied first and wins (see plan.plan_query)."""
    path = THESAURUS_DIR / f"{lang}.txt"
    if not path.is_file():
        return ()
    groups, _ = parse_synonyms(path, path.read_text(encoding="utf-8"))
    return groups


def over_expanded(lang: str, groups: list[tuple[str, ...]]) -> list[tuple[int, str]]:
    """(index of the group, what is wrong) for every member whose word would expand to more
    than MAX_WORD_EXPANSIONS words and phrases with this group: search leaves the group out
    for it. For `helpcenter check`."""
    table = compile_synonyms(lang, tuple(groups))
    return [
        (
            group,
            f"'{written}' is in too many synonym groups: with this one it would also be "
            f"searched as {reached} words and phrases (at most {MAX_WORD_EXPANSIONS}), so "
            "this group is not used for it; merge its groups or keep only true equivalents",
        )
        for group, written, reached in table.over_limit
    ]


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


def synonym_problems(catalog: Catalog) -> list[Problem]:
    """Synonym groups none of whose words any article of the language uses: such a group
    cannot find anything (usually a typo, or a word of another language). A single customer
    word no article uses is what synonyms are for, so it is not reported. And groups that
    would make a word expand to more than search allows (errors: search leaves them out for
    that word, see search/synonym_expansion.py)."""
    problems = []
    for lang in sorted(catalog.synonyms):
        path = catalog.root / lang / SYNONYMS_FILE
        numbered, _ = numbered_groups(path, path.read_text(encoding="utf-8"))
        problems.extend(
            Problem(path, numbered[group][0], message)
            for group, message in over_expanded(lang, [group for _, group in numbered])
        )
        texts = [
            text
            for (code, _), article in catalog.articles.items()
            if code == lang
            for text in (article.title, article.summary, " ".join(article.tags), article.body)
        ]
        found = words_found(lang, texts, [group for _, group in numbered])
        for (line, group), used in zip(numbered, found, strict=True):
            if not used:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"no {lang} article uses any of these words "
                        f"({', '.join(group)}): the group finds nothing",
                        WARNING,
                    )
                )
    return problems
