"""Dictionary morphology: the lemmas of a word, and whether it is a word at all.

Polish inflects every noun, adjective and verb through some fifteen forms, many irregular
("hasło" / "haseł", "konto" / "kont", "mieć" / "macie"), and Snowball's Polish stemmer leaves
many of them apart. Morfeusz 2 with its SGJP dictionary (the `morfeusz2` package: the
analyser and the dictionary in one wheel, ~40 MB in memory once loaded) gives each form its
lemma, so the analyzer indexes and searches a word's lemmas beside its stem
(analyzers.LemmaFilter). It also says whether a word is a Polish word at all, so "did you
mean" never corrects one (searcher.did_you_mean).

A word gets its lemma only when the dictionary is sure of it: one lemma among its ordinary
readings (readings labelled as a specialist, dated or regional sense, such as "mat" in chess,
do not count when an ordinary one exists). A word with several ("kopię": kopia, kopić,
kopać; "ustawienia": ustawienie, ustawić) keeps its stem alone. Every lemma of such a word,
or its noun's, or the one sharing the most letters with it, each lost a query or two that
the unambiguous lemmas alone answered (docs/search.md has the figures). Both sides, the
article and the query, go through the same function, so they always meet on the same forms.

The analyser is loaded on first use in each process (it cannot be pickled, and Whoosh
pickles the analyzers with the schema) and answers are cached per word.
"""

from __future__ import annotations

import threading
from functools import lru_cache

# Languages with a dictionary here.
DICTIONARY_LANGUAGES = frozenset({"pl"})
# A word's readings are cached: the vocabulary of a help center is a few ten thousand words.
LEMMA_CACHE = 200_000
# Tags of segments that are not a word's own reading: unknown words, punctuation, and the
# clitics Polish glues to a verb ("zrobiłem" = "zrobił" + "em", "zrobiłbym" + "by" + "m").
_NOT_A_READING = frozenset({"ign", "interp", "aglt"})

_lock = threading.Lock()
_analyser = None


def _morfeusz():
    global _analyser
    if _analyser is None:
        import morfeusz2

        # Analysis only: the generator's dictionary would double the memory for nothing.
        _analyser = morfeusz2.Morfeusz(generate=False, expand_tags=False)
    return _analyser


@lru_cache(maxsize=LEMMA_CACHE)
def _readings(lang: str, word: str) -> tuple[tuple[str, bool], ...]:
    """(lemma, ordinary) for each reading of the word's first segment; empty when the
    dictionary does not know it."""
    if lang not in DICTIONARY_LANGUAGES or not word:
        return ()
    with _lock:  # one analyser per process, its calls one at a time
        segments = _morfeusz().analyse(word)
    readings: dict[str, bool] = {}
    for start, _end, (_form, lemma, tag, _names, labels) in segments:
        if start != 0 or tag.split(":", 1)[0] in _NOT_A_READING:
            continue
        # "mat:Sm1": the part after the colon tells homonyms apart.
        lemma = lemma.split(":", 1)[0].lower()
        readings[lemma] = readings.get(lemma, False) or not labels
    return tuple(readings.items())


def lemmas(lang: str, word: str) -> tuple[str, ...]:
    """The lemma of a lowercase word, when the dictionary gives it one ("haseł" ->
    ("hasło",)); () for a word with several, a word the dictionary does not know, and in a
    language without one."""
    readings = _readings(lang, word)
    ordinary = tuple(lemma for lemma, plain in readings if plain)
    found = ordinary or tuple(lemma for lemma, _ in readings)
    return found if len(found) == 1 else ()


def is_dictionary_word(lang: str, word: str) -> bool:
    """True when the language's dictionary knows the word in some reading ("macie" is a
    form of "mieć"); False when it does not, or the language has no dictionary here."""
    return bool(_readings(lang, word.lower()))
