"""The articles a host page names as its context: what the help widget's panel lists first,
before the customer types anything (`data-context` on the widget's tag).

A context is a few words separated by commas or spaces, each one of: an article id
(`payments/declined`), a category's slug (`payments`: its articles in the writers' order), or
a tag (`refund`: the articles tagged with it, in the same order). The host page's own code
writes it, so it is never trusted beyond naming articles: unknown words name nothing, and a
long context is cut, so a page cannot make the panel read the whole catalog for it.
"""

from __future__ import annotations

from .catalog import ArticleView, Catalog

MAX_CONTEXT_CHARS = 300
MAX_CONTEXT_WORDS = 10
CONTEXT_ARTICLES = 6  # listed at most


def context_words(context: str) -> list[str]:
    """The words of a context, each once, in the given order."""
    words: list[str] = []
    for word in context[:MAX_CONTEXT_CHARS].replace(",", " ").split():
        if word not in words:
            words.append(word)
    return words[:MAX_CONTEXT_WORDS]


def context_articles(
    catalog: Catalog, lang: str, context: str, limit: int = CONTEXT_ARTICLES
) -> list[ArticleView]:
    """The articles a reader of `lang` gets for `context`, in the order its words name them
    (each article once), at most `limit`."""
    found: list[ArticleView] = []
    readable = catalog.all_articles(lang)  # in reading order
    for word in context_words(context):
        if "/" in word:
            view = catalog.find(lang, word)
            named = [view] if view else []
        elif catalog.category(lang, word) is not None:
            named = [view for view in readable if view.article.category == word]
        else:
            tag = word.casefold()
            named = [view for view in readable if tag in _tags(catalog, view)]
        for view in named:
            if all(view.article.id != seen.article.id for seen in found):
                found.append(view)
    return found[:limit]


def _tags(catalog: Catalog, view: ArticleView) -> set[str]:
    """The article's tags, folded: its source's (the default language's, so a host page names
    the same tag whatever the reader's language) and the translation's own."""
    source = catalog.source_of(view.article) or view.article
    return {tag.casefold() for tag in (*source.tags, *view.article.tags)}
