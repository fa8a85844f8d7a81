"""Answers from the default language when the customer's has none.

Lexically, the customer's words rarely match another language's articles, so the results page
only offered "the same search in English" when theirs found nothing. The embedding model is
multilingual: a Greek question is compared with the English passages as they are (the query is
embedded once, its vector cached), and the default language's articles that were never
translated into the customer's language are listed when they answer better than anything in it.

Across languages the model's cosines run lower than within one (a Greek question and an
English passage saying the same thing are less alike than two Greek texts), so the two
languages' scores are put on one scale first: the customer's best article, when it exists in
the default language too, is compared with itself there, and the difference is added to every
default-language score of this query.
"""

from __future__ import annotations

from collections.abc import Callable

from .fusion import ANSWER_COSINE, FLAT_PEAK, background
from .hybrid import DENSE_DEPTH
from .results import SearchHit, SearchResults
from .searcher import SearchService

# A default-language article is listed when, after the shift to one scale, it is at least as
# near the question as the customer's language's best article (BETTER_BY above it), and it
# stands out from the default language's own background as an answer does (fusion.FLAT_PEAK
# above the mean of its ranks 11-30). An absolute level (0.88, fusion.ANSWER_COSINE) was
# required until the passage layout changed: it moved every cosine by a few thousandths and
# the one English answer to the sample's Greek wood-care question fell 0.003 short of it; a
# level relative to the query's own background does not depend on the layout (fusion.py
# measured the same for its base).
BETTER_BY = 0.0
# The shift when the customer's best article has no default-language version to measure it.
CROSS_LANGUAGE_SHIFT = 0.05
SHOWN = 3
CANDIDATES = 10


def default_language_answers(
    service: SearchService,
    found: SearchResults,
    default_lang: str,
    translated: Callable[[str], bool],
) -> SearchResults | None:
    """The default language's untranslated articles that answer the query better than the
    customer's language does (see the module's docstring); None when there are none or
    semantic search is off. `translated(article_id)` says whether the customer's language
    has the article. Kept with the result cache, as the page it is shown on."""
    if service.semantic is None or not found.query or found.lang == default_lang:
        return None
    return service.remembered(
        ("default answers", found.lang, found.query, bool(found.total), default_lang),
        (found.lang, default_lang),
        lambda: _answers(service, found, default_lang, translated),
        lambda answers: answers.copy() if answers is not None else None,
    )


def _answers(
    service: SearchService,
    found: SearchResults,
    default_lang: str,
    translated: Callable[[str], bool],
) -> SearchResults | None:
    dense = service.semantic.dense
    own = dense.search(found.lang, found.query, depth=1)
    other = dense.search(default_lang, found.query, depth=DENSE_DEPTH)
    if own is None or other is None or not other.ids:
        return None
    level = background(other.scores)
    shift = CROSS_LANGUAGE_SHIFT
    if own.ids:
        itself = dense.similarity(default_lang, found.query, own.ids[0])
        if itself is not None:
            shift = own.best - itself
    # With answers of its own, the customer's language must be matched; without, an answer
    # must still be one (ANSWER_COSINE, on the customer's language's scale).
    bar = own.best + BETTER_BY if found.total else ANSWER_COSINE
    floor = -1.0 if level is None else level + FLAT_PEAK
    hits = [
        SearchHit(
            id=aid,
            category=aid.split("/", 1)[0],
            title=dense.title(default_lang, aid) or aid,
            summary="",
            snippet="",
            score=cosine + shift,
            rank=rank,
        )
        for rank, (aid, cosine) in enumerate(
            zip(other.ids[:CANDIDATES], other.scores[:CANDIDATES], strict=True), 1
        )
        if not translated(aid) and cosine + shift >= bar and cosine >= floor
    ][:SHOWN]
    if not hits:
        return None
    return SearchResults(query=found.query, lang=default_lang, hits=hits, total=len(hits))
