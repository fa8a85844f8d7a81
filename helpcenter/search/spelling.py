"""Spelling: which query words are typos, the indexed words closest to one, and when a
correction is sure enough to be searched in the customer's place.

A word is a typo only when it is no word of the language. Whoosh's corrector offers the
articles' most frequent word within two edits of anything it does not find, so "did you
mean" used to answer real words with other real words: "car insurance" → "card insurance",
Hebrew "בתל אביב" → "בכל אביב", Polish "macie" → "mycie", and Greek "den" was silently
searched as "de". So a word is left alone when it is

- in the articles' vocabulary, or one of its analyzed forms is written in an article (an
  inflection: "rusted" of "rust"); a word articles only learned from customers does not
  count (see written);
- known to the language's dictionary, where there is one (Morfeusz for Polish,
  morphology.py);
- a very common word of the language: at least once per million words (Zipf 3) in the
  `wordfreq` lists (the "small" ones, built from Wikipedia, subtitles, news, books and the
  web; Croatian is its Serbo-Croatian list), as typed or without its diacritics (a customer
  who types "ακουει" or "slyszy" wrote a word, not a typo).

Whoosh's corrector also ranks what it finds by frequency alone, ignoring the edit distance
(ReaderCorrector scores every candidate by `maxdist`): "cluter" got "center" (two edits)
before "clutter" (one). Candidates are ranked here by their distance (with transpositions,
so "refnud" is one edit from "refund"), then by how many articles use them.

Everything else is a typo. When the words as typed find nothing, its correction is
searched in the customer's place, and what that finds faces the same "nothing answers this"
floor; when it finds nothing either, the correction is only offered ("Did you mean"). One
rule in every language: holding the automatic search to corrections with one candidate
closer than any other (and Hebrew to none) answered fewer misspelled questions and made no
unanswerable one honest (docs/search.md, "Typos").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from whoosh.searching import Searcher

from .analyzers import HEBREW_PREFIXES, analyzer_for, fold, normalize_hebrew
from .morphology import is_dictionary_word

# "Very common": at least once per million words (Zipf 3). Common misspellings sit just
# under it ("recieve" 2.75, "definately" 2.87), real but rarer words too ("rusted" 2.9).
COMMON_ZIPF = 3.0
# The `wordfreq` list of each language code, where it differs.
_WORDFREQ_CODES = {"hr": "sh"}
SPELLING_CACHE = 2000  # words per searcher


@cache
def common_words(lang: str) -> frozenset[str]:
    """The language's very common words (COMMON_ZIPF), folded (analyzers.fold: lowercase,
    without diacritics; Hebrew also with ordinary final letters); empty for a language
    `wordfreq` has no list for. Read once per process, 2-6 MB a language."""
    import wordfreq

    code = _WORDFREQ_CODES.get(lang, lang)
    if code not in wordfreq.available_languages("small"):
        return frozenset()
    # The list's bucket i holds the words of Zipf frequency 9 - i/100.
    buckets = wordfreq.get_frequency_list(code, "small")[: int((9 - COMMON_ZIPF) * 100) + 1]
    wordfreq.get_frequency_list.cache_clear()  # kept in wordfreq's cache otherwise
    # (Around fold's cache: these words would push out the ones searches keep folding.)
    return frozenset(_folded(lang, word, fold.__wrapped__) for bucket in buckets for word in bucket)


def _folded(lang: str, word: str, folding: Callable[[str], str] = fold) -> str:
    return normalize_hebrew(folding(word)) if lang == "he" else folding(word)


def written(searcher: Searcher, form: str) -> bool:
    """Some article's own text holds the analyzed form. The `text` field also holds the words
    each article learned from its customers (indexer.with_learned), but a spelling one
    article learned ("אאוטלוק" for its Outlook page) is still no word of the articles: for
    every other article it is transliterated or corrected as before. An article never learns
    a word its text holds (activity/learned_terms.py), so the articles that only learned the
    form are the `learned` field's count of it."""
    return searcher.doc_frequency("text", form) > searcher.doc_frequency("learned", form)


def is_word(lang: str, word: str, searcher: Searcher, forms: Sequence[str] | None = None) -> bool:
    """True when a (lowercase) word is a word of the language, not a typo (see the module's
    docstring). `forms`: its analyzed forms, when the query's plan has them already."""
    if searcher.doc_frequency("words", word):
        return True
    if forms is None:
        forms = [token.text for token in analyzer_for(lang)(word)]
    if any(written(searcher, form) for form in forms):
        return True
    if is_dictionary_word(lang, word):
        return True
    # The word, or its stem ("rusted" is "rust"; a stem is often a word in English), or a
    # Hebrew word without its prefixes; also a prefix letter before a word too short for the
    # analyzer to strip: "בתל" is ב + "תל".
    common = common_words(lang)
    if any(_folded(lang, form) in common for form in [word, *forms]):
        return True
    if lang == "he":
        bare = normalize_hebrew(word)
        return any(
            bare[cut:] in common
            for cut in (1, 2)
            if len(bare) - cut >= 2 and all(letter in HEBREW_PREFIXES for letter in bare[:cut])
        )
    return False


@dataclass(frozen=True)
class Candidate:
    word: str
    distance: int  # edits from the typed word (a transposition counts one)
    articles: int  # how many articles use it


def closest_words(searcher: Searcher, word: str) -> list[Candidate]:
    """The index's words within one edit of a word of up to five letters, two of a longer
    one (sharing its first letter), closest first, then the most used. Whoosh's
    edit-distance automaton costs 1-15 ms a word and customers repeat their misspellings, so
    answers are kept with the searcher: a new index generation gets a new searcher and so a
    fresh cache."""
    cache: dict[str, list[Candidate]] | None = getattr(searcher, "_helpcenter_spelling", None)
    if cache is None:
        cache = {}
        searcher._helpcenter_spelling = cache  # type: ignore[attr-defined]
    if word not in cache:
        if len(cache) >= SPELLING_CACHE:
            cache.clear()
        reader = searcher.reader()
        maxdist = 1 if len(word) < 6 else 2
        found = []
        for term in reader.terms_within("words", word, maxdist, prefix=1):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            if term != word:
                found.append(
                    Candidate(term, edit_distance(word, term), reader.doc_frequency("words", term))
                )
        found.sort(key=lambda c: (c.distance, -c.articles, c.word))
        cache[word] = found
    return cache[word]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, a transposition of neighbours counting one edit (optimal string
    alignment): "refnud" -> "refund" is 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]
