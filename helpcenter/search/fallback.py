"""Answers from the default language when the customer's has none.

Lexically, the customer's words rarely match another language's articles, so the results page
only offered "the same search in English" when theirs found nothing. The embedding model is
multilingual: a Greek question is compared with the English passages as they are (the query
is embedded once, its vector cached), so the default language's answers are found and listed,
labelled with their language, when the customer's language has no good answer: no results, or
a best passage clearly less similar than the default language's best.
"""

from __future__ import annotations

from .hybrid import ANSWER_COSINE
from .searcher import SearchResults, SearchService

# The default language's best passage must be this much more similar than the customer's
# language's best for its answers to be shown beside theirs.
BETTER_BY = 0.02
SHOWN = 3


def default_language_answers(
    service: SearchService, found: SearchResults, default_lang: str
) -> SearchResults | None:
    """The default language's first results for the same query when they answer it better
    than the customer's language does (see the module's docstring); else None."""
    if service.semantic is None or not found.query or found.lang == default_lang:
        return None
    if found.total:
        dense = service.semantic.dense.search(default_lang, found.query, depth=1)
        if dense is None or dense.best < max(ANSWER_COSINE, found.similarity + BETTER_BY):
            return None
    answers = service.search(default_lang, found.query, per_page=SHOWN)
    return answers if answers.hits else None
