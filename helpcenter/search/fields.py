"""A Whoosh field that holds an article's sections with a weight each: BM25F in one field.

Searching title, tags, headings, summary and body as five fields makes every query word five
posting lists to merge, and Whoosh merges them in Python: on 1,280 articles that alone was
~50 ms a query. BM25F scores a document by the *weighted sum* of a term's frequencies in each
field before saturating it, and that sum is exactly what this field stores as the posting
weight: a word in the title (weight 5) and twice in the body (weight 1) is stored as
weight 7. One posting list per query word then gives the same ranking signal, with one length
normalization for the whole article instead of one per field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from whoosh.analysis import Analyzer
from whoosh.fields import TEXT
from whoosh.system import pack_uint


class Terms(tuple):
    """A section of terms already analyzed (the learned terms, activity/learned_terms.py):
    indexed as they are, since a stem analyzed again may become another stem."""


Sections = Iterable[tuple[str | Terms, float]]  # (text or terms, weight)


class WeightedText(TEXT):
    """Indexes a list of (text, weight) sections; a term's posting weight is the sum of the
    weights of its occurrences, its frequency the plain count (which sets the length)."""

    def __init__(self, analyzer: Analyzer) -> None:
        super().__init__(analyzer=analyzer, phrase=False)

    def index(self, value: Sections, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        freqs: dict[str, int] = defaultdict(int)
        weights: dict[str, float] = defaultdict(float)
        for text, weight in value:
            if isinstance(text, Terms):
                for term in text:
                    freqs[term] += 1
                    weights[term] += weight
                continue
            for token in self.analyzer(text, mode="index"):
                if not token.stopped:
                    freqs[token.text] += 1
                    weights[token.text] += weight
        for term, freq in freqs.items():
            yield term.encode("utf-8"), freq, weights[term], pack_uint(freq)
