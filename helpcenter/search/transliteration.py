"""Words typed in another script, matched against the index's own vocabulary.

Greek customers type Greeklish ("sindeo othoni" for "συνδέω οθόνη") or write loanwords in
Greek letters ("λάπτοπ", "ίντερνετ"); Hebrew customers write product names in Hebrew letters
("ביטלוקר", "וורד", "אאוטלוק"). Neither is a spelling mistake "did you mean" could fix: the
letters are different. So a query word the index does not know is looked up by a key that
both spellings share:

- a **consonant skeleton** for Hebrew or Greek letters against the index's Latin-script
  words: consonants in broad classes (b/v/w, p/f, k/c/q/ch, s/z/sh/ts…), vowels dropped, as
  Hebrew writes them and as Greek loanwords keep them ("ביטלוקר" and "bitlocker" are both
  B-T-L-K-R; "λάπτοπ" and "laptop" L-P-T-P);
- a **Greeklish key** for Latin letters against the index's Greek words: both spellings
  reduced to one Latin phonetic form (η ι υ ει οι all "i", ω "o", θ "th" or "8"…).

Only words the index holds are ever added, the maps are built once per index generation (and
kept with the searcher), a query word gets at most a few, and only when the index knows the
word in neither field: an article's own spelling always wins.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from whoosh.searching import Searcher

from .analyzers import fold, hebrew_variants, normalize_hebrew

MIN_SKELETON = 3  # consonant classes: "TM" would match half the vocabulary
# A Hebrew word's two-class skeleton ("זום" Z-M, "גוגל" G-L, "מייל" M-L) matches only Latin
# words at most this many letters longer than the word typed: Hebrew leaves out most vowels,
# so "zoom" and "google" qualify and "summary" or "global" do not. Greek writes its vowels,
# so a short Greek word is a Greek word ("μπω", "βάζω"), not a loanword: three classes there.
SHORT_SKELETON = 2
SHORT_SKELETON_SLACK = 2
MIN_PREFIX_KEY = 5  # a Greeklish key this long also matches longer words (inflections)
MAX_VARIANTS = 16  # spellings tried for one ambiguous word
MAX_MATCHES = 2  # index words added for one query word

_LATIN = re.compile(r"^[a-z]+$")
_GREEK = re.compile(r"^[\u0370-\u03ff]+$")
_HEBREW = re.compile(r"^[\u05d0-\u05ea]+$")

# The letter tables below end in `# fmt: skip`: they hold several letters a line, read like the
# alphabet; the formatter would put each letter on a line of its own (up to 27 lines a table).

# ------------------------------------------------------------------ consonant skeletons

_LATIN_PAIRS = {"th": "T", "ph": "P", "sh": "S", "ts": "S", "tz": "S", "ck": "K", "ch": "K"}
_LATIN_SINGLE = {
    **dict.fromkeys("bvw", "B"), **dict.fromkeys("pf", "P"), **dict.fromkeys("kq", "K"),
    **dict.fromkeys("gj", "G"), "d": "D", "t": "T", **dict.fromkeys("sz", "S"), "x": "KS",
    "m": "M", "n": "N", "l": "L", "r": "R",
}  # fmt: skip


def latin_skeleton(word: str) -> str:
    """'bitlocker' -> 'BTLKR', 'office' -> 'PS', 'windows' -> 'BNDBS'."""
    out, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _LATIN_PAIRS:
            out.append(_LATIN_PAIRS[pair])
            i += 2
            continue
        char = word[i]
        if char == "c":
            out.append("S" if word[i + 1 : i + 2] in ("e", "i", "y") else "K")
        else:
            out.append(_LATIN_SINGLE.get(char, ""))
        i += 1
    return _collapse("".join(out))


def _collapse(classes: str) -> str:
    return re.sub(r"(.)\1+", r"\1", classes)


# Hebrew letters (final forms already normalized); ו is a vowel or a consonant, both tried.
_HEBREW_CLASSES = {
    "ב": "B", "ג": "G", "ד": "D", "ז": "S", "ח": "K", "ט": "T", "כ": "K", "ל": "L",
    "מ": "M", "נ": "N", "ס": "S", "פ": "P", "צ": "S", "ק": "K", "ר": "R", "ש": "S", "ת": "T",
}  # fmt: skip


def hebrew_skeletons(word: str) -> set[str]:
    """'ביטלוקר' -> {'BTLKR', 'BTLBKR'}; 'וורד' -> {'BRD', …}."""
    pieces: list[tuple[str, ...]] = []
    word = normalize_hebrew(word).replace("וו", "\0")
    for char in word:
        if char == "\0":
            pieces.append(("B",))
        elif char == "ו":
            pieces.append(("", "B"))
        else:
            pieces.append((_HEBREW_CLASSES.get(char, ""),))
    return _combine(pieces)


_GREEK_PAIRS = {
    "ου": ("", "B"), "ντ": ("NT", "D", "ND"), "μπ": ("MP", "B", "MB"), "γκ": ("NK", "G", "NG"),
    "γγ": ("NG",),
    "τσ": ("S",), "τζ": ("S",), "αυ": ("B", "P"), "ευ": ("B", "P"),
}  # fmt: skip
_GREEK_SINGLE = {
    "β": "B", "γ": "G", "δ": "D", "ζ": "S", "θ": "T", "κ": "K", "λ": "L", "μ": "M", "ν": "N",
    "ξ": "KS", "π": "P", "ρ": "R", "σ": "S", "τ": "T", "φ": "P", "χ": "K", "ψ": "PS",
}  # fmt: skip


def greek_skeletons(word: str) -> set[str]:
    """'λαπτοπ' -> {'LPTP'}; 'ιντερνετ' -> {'NTRNT', 'DRNT'}."""
    return _combine(_split(fold(word), _GREEK_PAIRS, {k: (v,) for k, v in _GREEK_SINGLE.items()}))


def _split(
    word: str, pairs: dict[str, tuple[str, ...]], singles: dict[str, tuple[str, ...]]
) -> list[tuple[str, ...]]:
    pieces, i = [], 0
    while i < len(word):
        if word[i : i + 2] in pairs:
            pieces.append(pairs[word[i : i + 2]])
            i += 2
        else:
            pieces.append(singles.get(word[i], ("",)))
            i += 1
    return pieces


def _combine(pieces: list[tuple[str, ...]], collapse: bool = True) -> set[str]:
    """Every spelling the ambiguous pieces allow, at most MAX_VARIANTS of them."""
    found = set()
    for combination in itertools.islice(itertools.product(*pieces), MAX_VARIANTS):
        joined = "".join(combination)
        found.add(_collapse(joined) if collapse else joined)
    return found


# ------------------------------------------------------------------ Greeklish

_GREEK_KEY_PAIRS = {
    "ου": "u", "ει": "i", "οι": "i", "υι": "i", "αι": "e", "μπ": "b", "ντ": "d", "γκ": "g",
    "γγ": "ng",
}  # fmt: skip
_GREEK_KEY_SINGLE = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "ks", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "τ": "t", "υ": "i", "φ": "f", "χ": "h", "ψ": "ps", "ω": "o",
}  # fmt: skip


def greek_key(word: str) -> str:
    """A Greek word's Greeklish key: 'οθόνη' -> 'othoni', 'συνδέω' -> 'sindeo'."""
    pieces = _split(
        fold(word),
        {k: (v,) for k, v in _GREEK_KEY_PAIRS.items()},
        {k: (v,) for k, v in _GREEK_KEY_SINGLE.items()},
    )
    return _collapse("".join(piece[0] for piece in pieces))


# How Greeks type their letters in Latin ones; ambiguous letters give several keys.
_GREEKLISH_PAIRS = {
    "ou": ("u",), "ei": ("i",), "oi": ("i",), "ai": ("e",), "th": ("th",), "ch": ("h",),
    "ph": ("f",), "ps": ("ps",), "ks": ("ks",), "mp": ("b",), "nt": ("d", "nt"), "gk": ("g",),
}  # fmt: skip
_GREEKLISH_SINGLE = {
    **{c: (c,) for c in "adefgiklmnoprst"}, "b": ("v", "b"), "v": ("v",), "z": ("z",),
    "h": ("i", "h"), "x": ("ks", "h"), "y": ("i",), "u": ("i", "u"), "w": ("o",), "8": ("th",),
    "c": ("k",), "j": ("g",), "q": ("k",),
}  # fmt: skip


def greeklish_keys(word: str) -> set[str]:
    """The Greeklish keys a Latin-letter word may stand for: 'othoni' -> {'othoni'}."""
    return _combine(_split(word, _GREEKLISH_PAIRS, _GREEKLISH_SINGLE))


# ------------------------------------------------------------------ the index's vocabulary


class ScriptMaps:
    """The index's words by skeleton (Latin words) and by Greeklish key (Greek words)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.skeletons: dict[str, list[str]] = {}
        self.greek: dict[str, list[str]] = {}
        self.greek_prefixes: dict[str, list[str]] = {}
        for word in words:
            if len(word) < 3:
                continue
            if _LATIN.match(word):
                skeleton = latin_skeleton(word)
                if len(skeleton) >= SHORT_SKELETON:
                    self.skeletons.setdefault(skeleton, []).append(word)
            elif _GREEK.match(word):
                key = greek_key(word)
                self.greek.setdefault(key, []).append(word)
                if len(key) >= MIN_PREFIX_KEY:
                    self.greek_prefixes.setdefault(key[:MIN_PREFIX_KEY], []).append(word)

    def candidates(self, lang: str, word: str) -> list[str]:
        """Index words `word` may be a transliteration of (none when it is in neither
        script the language's articles mix)."""
        word = fold(word) if lang != "he" else word
        if lang == "he" and _HEBREW.match(normalize_hebrew(word)):
            # The whole word first, then without the prefixes Hebrew's grammar allows ("לוורד"
            # is "ל" + "וורד"): a prefix letter is often part of a name ("ביטקוין" is not
            # "ב" + "יטקוין"), so a stripped form is tried only when the whole word matches
            # nothing.
            for form in hebrew_variants(word):
                found = self._by_skeleton(hebrew_skeletons(form), len(form))
                if found:
                    return found
            return []
        if lang == "el" and _GREEK.match(word):
            return self._by_skeleton(greek_skeletons(word))
        if lang == "el" and _LATIN.match(word):
            keys = greeklish_keys(word)
            exact = [found for key in sorted(keys) for found in self.greek.get(key, ())]
            if exact or len(word) < MIN_PREFIX_KEY:
                return exact
            return [
                found
                for key in sorted(keys)
                if len(key) >= MIN_PREFIX_KEY
                for found in self.greek_prefixes.get(key[:MIN_PREFIX_KEY], ())
            ]
        return []

    def _by_skeleton(self, skeletons: set[str], typed_length: int | None = None) -> list[str]:
        """Latin words with one of these skeletons; short skeletons only given the length of
        a Hebrew word typed (see SHORT_SKELETON)."""
        shortest = MIN_SKELETON if typed_length is None else SHORT_SKELETON
        return [
            found
            for skeleton in sorted(skeletons)
            if len(skeleton) >= shortest
            for found in self.skeletons.get(skeleton, ())
            if len(skeleton) >= MIN_SKELETON
            or len(found) <= (typed_length or 0) + SHORT_SKELETON_SLACK
        ]


TRANSLITERATED_LANGUAGES = frozenset({"el", "he"})


def script_maps(searcher: Searcher) -> ScriptMaps:
    """Built from the `words` field on first use and kept with the searcher: a new index
    generation gets a new searcher, so the maps never go stale."""
    maps: ScriptMaps | None = getattr(searcher, "_helpcenter_scripts", None)
    if maps is None:
        words = (
            term.decode("utf-8") if isinstance(term, bytes) else term
            for term in searcher.reader().lexicon("words")
        )
        maps = ScriptMaps(words)
        searcher._helpcenter_scripts = maps  # type: ignore[attr-defined]
    return maps


def transliterated(searcher: Searcher, lang: str, word: str) -> list[str]:
    """The index's words that `word` (typed in the other script) most likely means, the most
    used first, at most MAX_MATCHES."""
    if lang not in TRANSLITERATED_LANGUAGES:
        return []
    found = dict.fromkeys(script_maps(searcher).candidates(lang, word))
    ranked = sorted(found, key=lambda w: -searcher.doc_frequency("words", w))
    return ranked[:MAX_MATCHES]
