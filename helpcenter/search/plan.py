"""The query plan: what a customer's text is searched as, worked out once per query.

A query's text is analyzed here and nowhere else: one pass of the language's analyzer gives
each word as typed, where it stands and its forms in the stemmed field (Snowball stems, Polish
lemmas, Hebrew prefix-stripped forms, a hyphenated word's parts); one pass of the loose
analyzer its forms in the loose field; one pass of the vocabulary analyzer the words "did you
mean" may correct. With the index's searcher the plan then adds, in this order, the forms
writers' synonyms give, the index words a word typed in another script stands for
(transliteration.py), the known beginning of an inflected product name, joined and split
words ("auto save", "autosave") and the built-in thesaurus's everyday alternatives; learned
words count where the index holds them (a spelling only learned is still transliterated:
spelling.written).

Everything downstream reads the plan (a frozen value): the lexical retriever builds its Whoosh
query and its best possible score from `words`, the semantic retriever embeds `text`, "did
you mean" looks up `typed`, the highlighter marks `terms`, and the search log groups by
`normalized`. None of them analyzes the text again.

Anyone can send any query, so the plan is bounded: MAX_QUERY_CHARS, the first MAX_TERMS words,
MAX_SPLIT_WORDS words tried as two, and the bounds of synonym_expansion.py and transliteration.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.searching import Searcher

from ..content.synonym_files import SynonymGroups
from ..typed_text import CONTROL_CHARACTERS
from .analyzers import analyze, analyzer_for, fold, is_lemma, loose_analyzer, vocabulary_analyzer
from .spelling import written
from .synonym_expansion import builtin_thesaurus, compile_synonyms, expand
from .transliteration import TRANSLITERATED_LANGUAGES, transliterated

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# A form the built-in thesaurus adds ("photo" for "pics") scores at this share of the word's
# own forms: it finds the article that says it otherwise, the exact word still ranks first.
THESAURUS_WEIGHT = 0.6
# A word the index does not know is tried as two joined ones ("autosave"): every cut point
# costs two analyses, so only words up to MAX_SPLIT_CHARS letters (a 200-letter one cost 30 ms),
# and only the first MAX_SPLIT_WORDS such words of a query (one changed no tuning set's MRR).
MAX_SPLIT_CHARS = 24
MAX_SPLIT_WORDS = 3
MIN_SPLIT_CHARS = 3  # each part of a joined word ("autosave" -> "auto" + "save")
# A word the index does not know may be a known word with an ending the stemmer does not
# take off: a product name inflected the way Lithuanian, Croatian and Polish inflect every noun
# ("teamse", "teamsu", "worda" for Teams, Word). Up to this many letters are cut off, keeping
# at least MIN_BEGINNING_CHARS; longer words already meet theirs in the loose field (six
# letters).
MAX_ENDING_CHARS = 3
MIN_BEGINNING_CHARS = 4
# Line breaks, zero-width characters and direction overrides also become spaces in a query.
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\n\r\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

# Per analyzed position, the word's forms: [["reset"], ["password"]].
Positions = list[list[str]]


def clean_query(text: str) -> str:
    """What is left of a query after control characters and excess length are removed."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))
    return " ".join(text.split())[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class TypedWord:
    """A word as the customer typed it (lowercased), where it stands in the text, and its
    analyzed forms: what "did you mean" checks and corrects."""

    word: str
    start: int
    end: int
    forms: tuple[str, ...]


@dataclass(frozen=True)
class PlannedWord:
    """One word searched: its forms in the stemmed field (`text`) and in the loose field, and
    which of those the built-in thesaurus added (everyday alternatives, THESAURUS_WEIGHT);
    the word as typed (for a part of a split word, the word it was cut from) and the index
    words it was taken to be typed in another script for."""

    text: tuple[str, ...]
    loose: tuple[str, ...] = ()
    alternatives: frozenset[tuple[str, str]] = frozenset()
    typed: str = ""
    transliterated: tuple[str, ...] = ()

    def weight(self, fieldname: str, form: str) -> float:
        return THESAURUS_WEIGHT if (fieldname, form) in self.alternatives else 1.0

    def own_forms(self, fieldname: str) -> list[str]:
        """The word's own forms (typed, stemmed, writers' synonyms): the thesaurus's
        alternatives must not raise the query's best possible score or the word's weight in
        the title signal (a title holding an alternative still counts as holding the word)."""
        forms = self.text if fieldname == "text" else self.loose
        return [form for form in forms if (fieldname, form) not in self.alternatives]


@dataclass(frozen=True)
class QueryPlan:
    """A query's analysis (see the module's docstring)."""

    lang: str
    text: str  # the query as cleaned (clean_query): what the semantic side embeds
    words: tuple[PlannedWord, ...] = ()
    typed: tuple[TypedWord, ...] = ()
    # The forms the highlighter marks in snippets: every stemmed-field form searched.
    terms: frozenset[str] = frozenset()
    # The key reports group searches by (normalize_query).
    normalized: str = ""


@dataclass(frozen=True)
class _Analysis:
    """One pass of the language's analyzer over a query."""

    stemmed: Positions  # per position (the first MAX_TERMS), its forms
    surface: list[str]  # per position, the word as typed
    by_start: dict[int, tuple[str, ...]]  # a word's forms by where it starts in the text


def _analyze(lang: str, text: str) -> _Analysis:
    positions: dict[int, list[str]] = {}
    surface: dict[int, str] = {}
    by_start: dict[int, list[str]] = {}
    for token in analyzer_for(lang)(text, positions=True, chars=True):
        variants = positions.setdefault(token.pos, [])
        if token.text not in variants:
            variants.append(token.text)
        surface.setdefault(token.pos, text[token.startchar : token.endchar])
        by_start.setdefault(token.startchar, []).append(token.text)
    return _Analysis(
        list(positions.values())[:MAX_TERMS],
        list(surface.values())[:MAX_TERMS],
        {start: tuple(forms) for start, forms in by_start.items()},
    )


def _positions(analyzer, text: str) -> Positions:
    positions: dict[int, list[str]] = {}
    for token in analyzer(text, positions=True):
        variants = positions.setdefault(token.pos, [])
        if token.text not in variants:
            variants.append(token.text)
    return list(positions.values())[:MAX_TERMS]


def query_terms(lang: str, text: str, analyzer=None) -> Positions:
    """Analyzed terms grouped by word position: [["reset"], ["password"]]; Hebrew positions
    hold a word and its prefix-stripped variants."""
    return _positions(analyzer or analyzer_for(lang), text)


def word_key(variants: list[str]) -> str:
    """The form a word's analyzed variants are known by: the last that is not a lemma."""
    return next((form for form in reversed(variants) if not is_lemma(form)), variants[-1])


def _normalized(stemmed: Positions) -> str:
    return " ".join(sorted({word_key(variants) for variants in stemmed}))[:400]


def normalize_query(lang: str, text: str) -> str:
    """One key per meaning, for grouping searches in reports: the distinct analyzed terms,
    sorted, so "Hasło ", "hasła" and "haslo" are one row. For Hebrew each word counts by its
    most prefix-stripped form, so "ובהזמנה" and "הזמנה" group together. A Polish word counts
    by its stem, not its dictionary lemma: "haslo", typed without diacritics, has none."""
    return _normalized(query_terms(lang, clean_query(text)))


def typed_words(lang: str, text: str, analysis: _Analysis | None = None) -> tuple[TypedWord, ...]:
    """The query's words as typed, lowercased and with their accents (the vocabulary "did
    you mean" draws from), each with its analyzed forms."""
    by_start = analysis.by_start if analysis is not None else _analyze(lang, text).by_start
    return tuple(
        TypedWord(token.text, token.startchar, token.endchar, by_start.get(token.startchar, ()))
        for token in vocabulary_analyzer(lang)(text, chars=True)
    )


def plan_query(
    lang: str, text: str, searcher: Searcher | None = None, synonyms: SynonymGroups = ()
) -> QueryPlan:
    """The plan of a cleaned query (see the module's docstring); without a searcher, its
    words' own forms only."""
    analysis = _analyze(lang, text)
    stemmed = [list(forms) for forms in analysis.stemmed]
    own_loose = query_terms(lang, text, loose_analyzer(lang))
    loose = [list(forms) for forms in own_loose]
    added: list[set[tuple[str, str]]] = [set() for _ in stemmed]
    surface = analysis.surface
    split: list[tuple[int, list[str]]] = []
    dropped: set[int] = set()
    transliterations: dict[int, list[str]] = {}
    if searcher is not None:

        def known(fieldname: str, form: str) -> bool:
            return searcher.doc_frequency(fieldname, form) > 0

        if synonyms:
            expand(compile_synonyms(lang, synonyms), stemmed, loose, known)
        transliterations = _other_script(lang, surface, stemmed, loose, searcher)
        _known_beginning(lang, surface, stemmed, loose, searcher)
        stemmed, split, dropped = _joined_and_split(lang, surface, stemmed, own_loose, searcher)
        thesaurus = builtin_thesaurus(lang)
        if thesaurus:
            # Last: a word the thesaurus gives a known alternative is still an unknown word
            # to transliteration and splitting, and a writers' form stays a full-weight one.
            before = [(set(t), set(lo)) for t, lo in zip(stemmed, loose, strict=False)]
            expand(compile_synonyms(lang, thesaurus), stemmed, loose, known)
            for position, (text_before, loose_before) in enumerate(before):
                added[position] |= {("text", f) for f in stemmed[position] if f not in text_before}
                added[position] |= {("loose", f) for f in loose[position] if f not in loose_before}
    words = [PlannedWord(tuple(part), typed=surface[position]) for position, part in split]
    seen = {(word.text, word.loose) for word in words}
    for position, variants in enumerate(stemmed):
        forms = (tuple(variants), tuple(loose[position]) if position < len(loose) else ())
        if position in dropped or forms in seen:
            continue  # a word typed twice is searched once (no tuning set's MRR@10 moved)
        seen.add(forms)
        alternatives = frozenset(added[position]) if position < len(added) else frozenset()
        typed = surface[position] if position < len(surface) else ""
        found = tuple(transliterations.get(position, ()))
        words.append(PlannedWord(*forms, alternatives, typed, found))
    return QueryPlan(
        lang,
        text,
        tuple(words),
        typed_words(lang, text, analysis),
        frozenset(form for word in words for form in word.text),
        _normalized(analysis.stemmed),
    )


def _joined_and_split(
    lang: str, surface: list[str], stemmed: Positions, own_loose: Positions, searcher: Searcher
) -> tuple[Positions, list[tuple[int, list[str]]], set[int]]:
    """Customers write "auto save" for the articles' "autosave" and the other way round.

    Two neighbouring words whose joined form is an indexed word get it as a form of both
    (so "auto save" meets "autosave" as two words would); a word the index does not know is
    also searched as two indexed words it splits into (returned as extra words, each with
    the position of the word it was cut from). Only words
    the index holds are used, and the work is bounded by the query's 12 words. The positions
    of split words are returned too: as typed they match nothing, so they are dropped.
    `own_loose`: each word's own loose forms, before anything was added to them."""
    if len(surface) != len(stemmed) or len(own_loose) != len(stemmed):
        return stemmed, [], set()

    def known(term: str) -> bool:
        return searcher.doc_frequency("text", term) > 0

    def first_term(word: str) -> str | None:
        terms = analyze(lang, word)
        return terms[0] if terms else None

    joined_forms = [list(variants) for variants in stemmed]
    for i in range(len(surface) - 1):
        joined = first_term(surface[i] + surface[i + 1])
        if joined and known(joined):
            for variants in joined_forms[i : i + 2]:
                if joined not in variants:
                    variants.append(joined)
    split: list[tuple[int, list[str]]] = []
    dropped: set[int] = set()
    tried = 0
    for position, (word, variants) in enumerate(zip(surface, stemmed, strict=True)):
        if not 2 * MIN_SPLIT_CHARS <= len(word) <= MAX_SPLIT_CHARS:
            continue
        if any(known(term) for term in variants):
            continue
        # Not a misspelling or an inflection the stemmer missed: the loose field knows those.
        if any(searcher.doc_frequency("loose", term) for term in own_loose[position]):
            continue
        if tried == MAX_SPLIT_WORDS:
            break
        tried += 1
        for cut in range(MIN_SPLIT_CHARS, len(word) - MIN_SPLIT_CHARS + 1):
            left, right = first_term(word[:cut]), first_term(word[cut:])
            if left and right and known(left) and known(right):
                split += [(position, [left]), (position, [right])]
                dropped.add(position)
                break
    return joined_forms, split, dropped


def _unknown_words(
    surface: list[str],
    stemmed: Positions,
    loose: Positions,
    searcher: Searcher,
    *,
    learned_known: bool = True,
) -> Iterator[tuple[int, str]]:
    """(position, word as typed) of each query word the index knows in neither field; nothing
    when the typed words do not line up one to one with the analyzed ones. With
    `learned_known` False, a word only articles' learned words hold counts as unknown too
    (spelling.written)."""
    if len(surface) != len(stemmed) or len(loose) != len(stemmed):
        return

    def known(form: str) -> bool:
        if learned_known:
            return searcher.doc_frequency("text", form) > 0
        return written(searcher, form)

    for position, word in enumerate(surface):
        if not any(known(form) for form in stemmed[position]) and not any(
            searcher.doc_frequency("loose", form) for form in loose[position]
        ):
            yield position, word


def _other_script(
    lang: str, surface: list[str], stemmed: Positions, loose: Positions, searcher: Searcher
) -> dict[int, list[str]]:
    """A word the index knows in neither field, typed in another script ("ביטלוקר",
    "λάπτοπ", "othoni"), gets the forms of the index words it transliterates to, in place
    (see transliteration.py); returns those index words by position. Bounded: a few index
    words per query word."""
    transliterations: dict[int, list[str]] = {}
    if lang not in TRANSLITERATED_LANGUAGES:
        return transliterations
    # A spelling some article learned is still transliterated for the others: learned words
    # do not make a word the articles' own (spelling.written). Known beginnings, below, do
    # count them: cutting the ending off a word an article learned (Croatian "hotmaila")
    # only added other articles' words (hr paraphrases after learning 0.906 -> 0.886).
    for position, word in _unknown_words(surface, stemmed, loose, searcher, learned_known=False):
        for found in transliterated(searcher, lang, word):
            transliterations.setdefault(position, []).append(found)
            for target, analyzer in ((stemmed, None), (loose, loose_analyzer(lang))):
                for forms in query_terms(lang, found, analyzer)[:1]:
                    target[position].extend(f for f in forms if f not in target[position])
    return transliterations


def _known_beginning(
    lang: str, surface: list[str], stemmed: Positions, loose: Positions, searcher: Searcher
) -> None:
    """A word the index knows in neither field gets the forms of the longest known word it
    begins with (cutting at most MAX_ENDING_CHARS letters), in place: "teamse" meets "teams".
    Hebrew inflects at the front and has its own forms; other scripts are not cut."""
    if lang == "he":
        return
    for position, word in _unknown_words(surface, stemmed, loose, searcher):
        folded = fold(word)
        for cut in range(
            len(folded) - 1, max(MIN_BEGINNING_CHARS, len(folded) - MAX_ENDING_CHARS) - 1, -1
        ):
            beginning = folded[:cut]
            if searcher.doc_frequency("loose", beginning):
                loose[position].append(beginning)
                stemmed[position].extend(
                    form for form in analyze(lang, beginning) if form not in stemmed[position]
                )
                break
