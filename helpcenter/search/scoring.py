"""Scores a query plan by reading posting lists directly: Whoosh's BM25F, without its matchers.

The query tree Whoosh builds for our plans (an `Or` over words, each an `Or` of two fields, each
a `DisjunctionMax` over forms) is merged by Whoosh's union matchers, which score every
posting through four or five layers of Python objects: ~40 µs a posting, two thirds of a
search at 10,000 articles. Here each form's postings are read once into a dict and combined
with plain `max` and `+`, the same arithmetic in the same order (BM25F with the searcher's B
and K1, IDF and average length from the whole index, lengths from the segment), so scores are
those Whoosh would give, at a tenth of the cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from whoosh.searching import Searcher

# (field, boost, {form: weight}): one field of one query word, scored by its best form
# (dismax) after each form's weight (1 for the word's own forms, less for the built-in
# thesaurus's everyday alternatives, so the exact word still wins).
FieldForms = tuple[str, float, Mapping[str, float]]


def score_words(
    searcher: Searcher,
    words: Iterable[Sequence[FieldForms]],
    matched: dict[int, int] | None = None,
) -> dict[int, float]:
    """docnum -> score for every article matching any word: per word and field the best
    form's BM25 score × the field's boost, summed over fields and words. `matched`, when
    given, receives docnum -> which of the words the article matches (bit i for word i)."""
    totals: dict[int, float] = {}
    for position, fields in enumerate(words):
        found: set[int] = set()
        for fieldname, boost, forms in fields:
            best = _best_form(searcher, fieldname, forms)
            for docnum, score in best.items():
                totals[docnum] = totals.get(docnum, 0.0) + score * boost
            found.update(best)
        if matched is not None:
            for docnum in found:
                matched[docnum] = matched.get(docnum, 0) | 1 << position
    return totals


def _best_form(searcher: Searcher, fieldname: str, forms: Mapping[str, float]) -> dict[int, float]:
    best: dict[int, float] = {}
    for form, weight in forms.items():
        for docnum, score in _term_scores(searcher, fieldname, form).items():
            score *= weight
            if score > best.get(docnum, 0.0):
                best[docnum] = score
    return best


def _term_scores(searcher: Searcher, fieldname: str, text: str) -> dict[int, float]:
    """docnum -> BM25 score of one term, over every segment (deleted articles left out)."""
    if not searcher.schema[fieldname].scorable:
        raise ValueError(f"{fieldname} is not a scored field")
    if not searcher.doc_frequency(fieldname, text):
        return {}  # (Whoosh's IDF of a term in an empty index is log(0))
    idf = searcher.idf(fieldname, text)
    weighting = searcher.weighting
    k1 = getattr(weighting, "K1", 1.2)
    b = getattr(weighting, "_field_B", {}).get(fieldname, getattr(weighting, "B", 0.75))
    avgfl = searcher.avg_field_length(fieldname) or 1
    # bm25(idf, tf, fl) = idf × tf(K1+1) / (tf + K1((1-B) + B·fl/avgfl)), as whoosh.scoring.
    numerator = idf * (k1 + 1)
    norm_fixed, norm_length = k1 * (1 - b), k1 * b / avgfl
    scores: dict[int, float] = {}
    for leaf, offset in _leaves(searcher):
        reader = leaf.reader()
        if (fieldname, text) not in reader:
            continue
        matcher = reader.postings(fieldname, text)
        lengths = _lengths(leaf, fieldname)
        while matcher.is_active():
            docnum = matcher.id()
            tf = matcher.weight()
            fl = lengths.get(docnum)
            if fl is None:
                fl = lengths[docnum] = leaf.doc_field_length(docnum, fieldname, 1) or 1
            scores[docnum + offset] = numerator * tf / (tf + norm_fixed + norm_length * fl)
            matcher.next()
    return scores


def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    if searcher.is_atomic():
        return [(searcher, 0)]
    return list(searcher.leaf_searchers())


def _lengths(leaf: Searcher, fieldname: str) -> dict[int, int]:
    """The segment's field lengths met so far: reading one from its column costs ~6 µs, and
    common words meet the same articles in every query. Kept with the searcher, so a new
    index generation starts afresh."""
    cache: dict[str, dict[int, int]] | None = getattr(leaf, "_helpcenter_lengths", None)
    if cache is None:
        cache = {}
        leaf._helpcenter_lengths = cache  # type: ignore[attr-defined]
    return cache.setdefault(fieldname, {})
