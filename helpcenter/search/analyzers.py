"""One analyzer per language, registered by language code.

Per language (see docs/search.md for the reasoning):
- en, pl, lt, el: Snowball stemmers through PyStemmer (English, Polish, Lithuanian, Greek).
- pl also: each word's lemmas from the Morfeusz 2 dictionary (morphology.py) beside its stem,
  marked (LEMMA_MARK) so a lemma never meets a stem that happens to be spelled like it.
- hr: Snowball's Serbian stemmer, which handles Croatian Latin text (it covers the shared
  Serbo-Croatian morphology; there is no separate Croatian stemmer in Snowball).
- he: no stemmer exists; a light analyzer strips niqqud, normalizes final letters and also
  indexes the word without its one-letter prefixes (ו ה ב ל מ ש כ), so "ובהזמנה" matches "הזמנה".
- anything else: lowercase + accent folding, no stemming.
After stemming every token is case- and accent-folded (Greek tonos, final sigma, Polish ł),
so a query typed without diacritics still meets the indexed words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer

from .morphology import DICTIONARY_LANGUAGES, lemmas
from .stopwords import STOP_WORDS

# Words are runs of letters/digits and their combining marks (accents, Hebrew niqqud), allowing
# inner apostrophes and hyphens ("e-mail", "3-d"); after a Hebrew letter also the maqaf (־),
# which Hebrew writes between a prefix letter and a Latin word or number ("ב־Outlook").
_WORD_CHARS = r"\w\u0300-\u036f\u0591-\u05c7"
_HEBREW_LETTER = "\u05d0-\u05ea"
# Geresh and gershayim (׳ ״, often typed as ' and ") belong inside Hebrew words: "ג׳ימייל",
# "דו״ח"; the Hebrew analyzer then removes them, so "דו"ח" and "דוח" are one word.
_HEBREW_INNER = r"\u05be\u05f3\u05f4\"'"
WORD_PATTERN = (
    rf"[{_WORD_CHARS}]+"
    rf"(?:(?:['’\-]|(?<=[{_HEBREW_LETTER}])[{_HEBREW_INNER}])[{_WORD_CHARS}]+)*"
)

SNOWBALL_ALGORITHMS = {
    "en": "english",
    "pl": "polish",
    "lt": "lithuanian",
    "el": "greek",
    "hr": "serbian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
}

# Snowball's Greek stemmer matches unaccented suffixes only ("παραγγελίες" keeps its ending
# unless the tonos goes first); Polish and Lithuanian stemmers need their diacritics.
FOLD_BEFORE_STEMMING = frozenset({"el"})
# Snowball's Greek leaves a final ι on some plurals ("παραγγελίες" -> "παραγγελι" but
# "παραγγελία" -> "παραγγελ"); trimming it merged 3 of 18 test noun groups and split none.
STEM_TRIM = {"el": "ι"}
# Snowball's Serbian leaves verbs' infinitive and present stems apart ("izbrisati" ->
# "izbrisa", "izbrišem" -> "izbris"; "vidjeti" -> "videt", "vidim" -> "vidi"): for
# Croatian a leftover infinitive "t" after a vowel, then a final vowel, go (see croatian_trim).
VERB_TRIM = frozenset({"hr"})
_CROATIAN_VOWELS = "aeiou"


def croatian_trim(stem: str) -> str:
    """The Serbian stem of a Croatian word without the verb endings Snowball leaves: "videt"
    and "vidi" -> "vid", "izbrisa" -> "izbris", "promeni" -> "promen". Short stems stay."""
    if len(stem) > 4 and stem[-1] == "t" and stem[-2] in _CROATIAN_VOWELS:
        stem = stem[:-1]
    if len(stem) > 3 and stem[-1] in _CROATIAN_VOWELS:
        stem = stem[:-1]
    return stem


# Letters that Unicode decomposition does not split into base + accent.
_EXTRA_FOLDS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "ς": "σ"}
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase, without accents: 'Hasło' -> 'haslo', 'Ελληνικός' -> 'ελληνικοσ'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


class FoldFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


class SnowballFilter(Filter):
    """Stems with PyStemmer. The stemmer object is made lazily: Whoosh pickles the schema with
    its analyzers, and a PyStemmer object cannot be pickled, so only the algorithm name is kept."""

    def __init__(
        self,
        algorithm: str,
        cache_size: int = 50000,
        trim: str = "",
        unaccented: bool = False,
        verb_trim: bool = False,
    ) -> None:
        self.algorithm = algorithm
        self.cache_size = cache_size
        self.trim = trim
        self.unaccented = unaccented
        self.verb_trim = verb_trim
        self._stem = None

    def __getstate__(self):
        return {
            "algorithm": self.algorithm,
            "cache_size": self.cache_size,
            "trim": self.trim,
            "unaccented": self.unaccented,
            "verb_trim": self.verb_trim,
        }

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._stem = None

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and other.algorithm == self.algorithm
            and other.unaccented == self.unaccented
            and other.verb_trim == self.verb_trim
        )

    def _stemmer(self):
        if self._stem is None:
            import Stemmer

            stemmer = Stemmer.Stemmer(self.algorithm)
            stemmer.maxCacheSize = self.cache_size
            stem = stemmer.stemWord
            if getattr(self, "verb_trim", False):  # (filters pickled before it existed)
                self._stem = lambda word: croatian_trim(stem(word))
            else:
                self._stem = stem
        return self._stem

    def __call__(self, tokens):
        stem = self._stemmer()
        trim = self.trim
        for token in tokens:
            if token.stopped or token.text.startswith(LEMMA_MARK):
                yield token
                continue
            word = token.text
            stemmed = stem(word)
            if trim and len(stemmed) > 4 and stemmed.endswith(trim):
                stemmed = stemmed[: -len(trim)]
            token.text = stemmed
            yield token
            if self.unaccented:
                # Also the stem of the word as typed without diacritics, at the same position:
                # "zmienic" and "zmienić" both become "zmienic" this way, where the stemmer
                # alone gives "zmienic" and "zmien". Only when it differs from the first.
                bare = stem(fold(word))
                if bare != fold(stemmed):
                    token.text = bare
                    yield token


# A lemma is indexed and searched with this mark in front: "=hasło" is the lemma, "hasl" the
# stem. Unmarked, a lemma spelled like another word's stem would match it; marked, code that
# wants a word's own stem (reports' grouping, learned terms) can tell the two apart.
LEMMA_MARK = "="


def is_lemma(term: str) -> bool:
    return term.startswith(LEMMA_MARK)


class LemmaFilter(Filter):
    """After each word, its dictionary lemmas (morphology.lemmas), marked, at the word's
    position: "haseł" is searched as its stem and as "=hasło", as "hasło" and "hasła" are.
    Only the language code is kept, so the filter pickles with the schema."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __eq__(self, other):
        return type(other) is type(self) and other.lang == self.lang

    def __call__(self, tokens):
        for token in tokens:
            if token.stopped:
                yield token
                continue
            word = token.text
            yield token
            for lemma in lemmas(self.lang, word):
                token.text = LEMMA_MARK + lemma
                yield token
            token.text = word


HEBREW_PREFIXES = "והבלמשכ"
# Hebrew proclitics come in a fixed order: "and" (ו), then "that"/"when" (ש, כש), then at most
# one preposition or article (מ ב כ ל ה), where ה may follow מ but not ב כ ל (they absorb it:
# ב+ה+בית is written בבית). Stripping only prefixes this grammar allows keeps real words whole:
# "משלוח" (shipping) no longer loses "מש" and becomes "לוח" (board).
_PROCLITICS = re.compile("ו?(?:ש|כש)?(?:[בכל]|מה?|ה)?")
_NIQQUD = {cp for cp in range(0x0591, 0x05C8) if cp not in (0x05BE, 0x05C0, 0x05C3, 0x05C6)}
_FINAL_LETTERS = str.maketrans({"ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"})
_HEBREW_MIN_STEM = 3
_MAX_PROCLITICS = 5  # ו + כש + מ + ה


_GERESH = str.maketrans("", "", "\u05f3\u05f4'\"’")


def normalize_hebrew(word: str) -> str:
    """Without niqqud, cantillation, geresh and gershayim (also typed ' and "), with final
    letters in their ordinary form: "ג׳ימייל" and "ג'ימייל" -> "גימייל", "דו״ח" -> "דוח"."""
    word = "".join(ch for ch in word if ord(ch) not in _NIQQUD)
    return word.translate(_FINAL_LETTERS).translate(_GERESH)


# Hebrew writes its prefix letters with a hyphen or maqaf before a Latin word, a number or an
# acronym: "ב-Outlook", "ה-PDF", "ל-2FA". The clitic is not part of the word.
_CLITIC_JOINERS = "-\u05be"


def _without_clitic(word: str) -> str:
    """'ב-outlook' -> 'outlook': a prefix run joined by a hyphen or maqaf is dropped."""
    for index, char in enumerate(word):
        if char in _CLITIC_JOINERS:
            head, tail = word[:index], word[index + 1 :]
            if tail and head and _PROCLITICS.fullmatch(head):
                return tail
            return word
    return word


def hebrew_variants(word: str) -> list[str]:
    """The word and the forms left after stripping the prefixes the proclitic grammar allows,
    shortest prefix first, each leaving at least three letters.

    Prefixes are ambiguous (the מ of "מסמך" is part of the word), so the full word is always
    kept and the stripped forms are added beside it, never instead of it.
    """
    word = _without_clitic(normalize_hebrew(word))
    variants = [word]
    for length in range(1, min(len(word) - _HEBREW_MIN_STEM, _MAX_PROCLITICS) + 1):
        if word[length - 1] not in HEBREW_PREFIXES:
            break
        if _PROCLITICS.fullmatch(word[:length]):
            variants.append(word[length:])
    return variants


_COMPOUND_JOINERS = re.compile("[-\u05be]")


def compound_forms(word: str, stops: frozenset[str] = frozenset()) -> list[str]:
    """A hyphenated word as one word and as its parts: "e-mail" -> ["email", "mail"],
    "web-preglednik" -> ["webpreglednik", "web", "preglednik"]. Customers write "email",
    "e-mail" and "mail" for one thing; one-letter parts and stop words are no words."""
    parts = _COMPOUND_JOINERS.split(word)
    if len(parts) == 1:
        return [word]
    forms = ["".join(parts)]
    for part in parts:
        if len(part) > 1 and part not in stops and part not in forms:
            forms.append(part)
    return forms


class _StopwordAwareFilter(Filter):
    """A filter that knows its language's stop words (Whoosh compares filters to decide whether
    two analyzers are the same, hence __eq__)."""

    def __init__(self, stops: frozenset[str] = frozenset()) -> None:
        self.stops = stops

    def __eq__(self, other):
        return type(other) is type(self) and other.stops == self.stops


class CompoundFilter(_StopwordAwareFilter):
    """Emits a hyphenated word's forms (compound_forms) at the word's position."""

    def __call__(self, tokens):
        for token in tokens:
            if token.stopped or "-" not in token.text:
                yield token
                continue
            for form in compound_forms(token.text, self.stops):
                token.text = form
                yield token


class HebrewFilter(_StopwordAwareFilter):
    """Emits each variant at the same position, so phrase positions stay right: a
    hyphenated word's forms (after its clitic is dropped), each with its prefix variants."""

    def __call__(self, tokens):
        for token in tokens:
            if token.stopped:
                yield token
                continue
            word = _without_clitic(normalize_hebrew(token.text))
            seen = set()
            for form in compound_forms(word, self.stops):
                for variant in hebrew_variants(form):
                    if variant not in seen:
                        seen.add(variant)
                        token.text = variant
                        yield token


@cache
def stop_words(lang: str) -> frozenset[str]:
    """The language's stop words, each also as typed without diacritics ("mogę" is often
    typed "moge", "πώς" "πως"): the stop filter sees words before they are folded."""
    words = STOP_WORDS.get(lang, frozenset())
    return words | {fold(word) for word in words}


def _words(lang: str, min_stop_size: int = 1, *, forms: bool = True) -> CompositeAnalyzer:
    """The start every analyzer shares: words, lowercased, the language's stop words marked."""
    stops = stop_words(lang)
    chain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
    if stops:
        chain = chain | StopFilter(stoplist=stops, minsize=min_stop_size)
    if not forms:
        return chain
    # After the stop filter, which renumbers positions: a word's forms share its position.
    # Hebrew splits its compounds itself, once the clitic of "ב-Outlook" is dropped.
    return chain | (HebrewFilter(stops) if lang == "he" else CompoundFilter(stops))


@cache
def analyzer_for(lang: str) -> CompositeAnalyzer:
    """The index-and-query analyzer for a language code; unknown codes get the generic one."""
    chain = _words(lang)
    if lang in FOLD_BEFORE_STEMMING:
        trim = STEM_TRIM.get(lang, "")
        chain = chain | FoldFilter() | SnowballFilter(SNOWBALL_ALGORITHMS[lang], trim=trim)
    elif lang in SNOWBALL_ALGORITHMS:
        if lang in DICTIONARY_LANGUAGES:
            chain = chain | LemmaFilter(lang)
        chain = chain | SnowballFilter(
            SNOWBALL_ALGORITHMS[lang], unaccented=True, verb_trim=lang in VERB_TRIM
        )
    return chain | FoldFilter()


LOOSE_PREFIX = 6


class TruncateFilter(Filter):
    def __init__(self, length: int) -> None:
        self.length = length

    def __eq__(self, other):
        return type(other) is type(self) and other.length == self.length

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.text[: self.length]
            yield token


_HEBREW_WORD = re.compile(f"[{_HEBREW_LETTER}]+")
# Plural endings (most specific first), then a final ה/י/א, then the vowel
# letters ו and י inside the word (spelled with or without them: סיסמה / ססמה).
_HEBREW_SUFFIXES = ("יות", "ימ", "ות")  # final letters are normalized: ים -> ימ
_HEBREW_MIN_LOOSE = 2


def hebrew_loose_stem(word: str) -> str:
    """A light Hebrew stemmer for the loose field: "מסמכים" and "מסמך" -> "מסמכ", "הזמנות"
    and "הזמנה" -> "הזמנ", "סיסמאות" and "סיסמה" -> "ססמ". Words in other scripts pass."""
    if not _HEBREW_WORD.fullmatch(word):
        return word
    for suffix in _HEBREW_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _HEBREW_MIN_LOOSE:
            word = word[: -len(suffix)]
            break
    if word[-1] in "היא" and len(word) > _HEBREW_MIN_LOOSE + 1:
        word = word[:-1]
    inner = word[1:].replace("ו", "").replace("י", "")
    return word[0] + inner if len(inner) >= _HEBREW_MIN_LOOSE - 1 else word


class HebrewLooseFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = hebrew_loose_stem(token.text)
            yield token


@cache
def loose_analyzer(lang: str) -> CompositeAnalyzer:
    """Folded words cut to their first six letters: a stemmer-free match that survives missing
    diacritics ("zarejestrowac" meets "zarejestrować", which Snowball stems differently) and
    inflections a stemmer misses. Weighted below the stemmed field (see searcher.py)."""
    chain = _words(lang) | FoldFilter()
    if lang == "he":
        # Cutting to six letters does nothing for short Hebrew words; their endings go instead.
        chain = chain | HebrewLooseFilter()
    return chain | TruncateFilter(LOOSE_PREFIX)


class CliticFilter(Filter):
    """Drops the Hebrew prefix joined to a Latin word or number ("ב-Outlook" -> "outlook"),
    keeping the word as written otherwise."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _without_clitic(token.text)
            yield token


@cache
def vocabulary_analyzer(lang: str) -> CompositeAnalyzer:
    """Surface words, lowercased but with their accents: the vocabulary "did you mean" draws
    suggestions from, so "haslo" is answered with "hasło", as a writer spelled it. Hebrew
    words lose a clitic joined by a hyphen: a name Hebrew articles only write as "ב-Bitcoin"
    is still the word "bitcoin" that transliteration and suggestions look for."""
    chain = _words(lang, min_stop_size=2, forms=False)
    return chain | CliticFilter() if lang == "he" else chain


def analyze(lang: str, text: str) -> list[str]:
    """The terms a text becomes in `lang` (used for queries, logs and grouping in reports)."""
    return [token.text for token in analyzer_for(lang)(text)]
