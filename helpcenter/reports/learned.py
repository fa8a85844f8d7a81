"""“Words customers use”: the search words learned for each article (activity/learned_terms.py),
with how many visitors taught them, a veto per word, and the tags to add to the article."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

import yaml
from sqlalchemy import select

from ..content.catalog import Article, Catalog
from ..extensions import db
from ..labels import N_, Nn_
from ..models import LearnedTerm
from ..search.analyzers import analyze
from .outcomes import source_path
from .report import (
    ROW_LIMIT,
    ArticleLink,
    Period,
    Report,
    ReportSettings,
    SourceFile,
    Table,
    report,
)

SUGGESTED_TAGS = 5  # the strongest words suggested as tags, per article


class LearnedWord(str):
    """A learned term in a table, shown as customers typed it most often; the report page
    puts a veto button beside it (which names the term itself)."""

    lang: str
    article_id: str
    term: str

    def __new__(cls, shown: str, *, lang: str, article_id: str, term: str) -> LearnedWord:
        word = super().__new__(cls, shown)
        word.lang, word.article_id, word.term = lang, article_id, term
        return word


@dataclass
class ArticleWords:
    """One article's learned terms in one language, strongest first."""

    lang: str
    article: Article
    terms: list[LearnedTerm]

    def strongest(self) -> list[str]:
        """The spellings of the strongest terms that are not tags yet: the tags to add."""
        tags = tag_terms(self.lang, self.article)
        return [t.spelling for t in self.terms if t.term not in tags][:SUGGESTED_TAGS]


def tag_terms(lang: str, article: Article) -> set[str]:
    return {term for tag in article.tags for term in analyze(lang, tag)}


def learned_words(catalog: Catalog, lang: str | None = None) -> list[ArticleWords]:
    """Every article with learned terms (in `lang`, or all languages), most taught first."""
    query = select(LearnedTerm).order_by(
        LearnedTerm.lang, LearnedTerm.article_id, LearnedTerm.visitors.desc(), LearnedTerm.term
    )
    if lang:
        query = query.where(LearnedTerm.lang == lang)
    grouped: dict[tuple[str, str], list[LearnedTerm]] = defaultdict(list)
    for row in db.session.scalars(query):
        grouped[(row.lang, row.article_id)].append(row)
    found = [
        ArticleWords(code, catalog.articles[(code, article_id)], terms)
        for (code, article_id), terms in grouped.items()
        if (code, article_id) in catalog.articles
    ]
    found.sort(key=lambda words: (-words.terms[0].visitors, words.lang, words.article.id))
    return found


def suggested_front_matter(article: Article, words: list[str]) -> str:
    """The `tags:` line with the suggested words added: what the writer pastes."""
    tags = dict.fromkeys([*article.tags, *words])
    return "tags: [" + ", ".join(yaml_value(tag, inside_list=True) for tag in tags) + "]"


def yaml_value(text: str, *, inside_list: bool = False) -> str:
    """`text` written for front matter: as it is where YAML reads it back as that text, else
    double-quoted (JSON's quoting is YAML's): a customer's "no" or "on" is a boolean to
    YAML, "3:45" a number, and a comma ends a list item."""
    written = f"[{text}]" if inside_list else text
    try:
        if yaml.safe_load(f"v: {written}") == {"v": [text] if inside_list else text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


@report("learned-words", N_("Words customers use"))
def words_customers_use(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    words_table = Table(
        N_("Learned words per article, most visitors first"),
        [
            N_("language"),
            N_("article"),
            N_("word"),
            N_("index term"),
            N_("visitors"),
            N_("first seen"),
            N_("last seen"),
            N_("already a tag"),
            N_("file"),
        ],
        note=N_(
            "Visitors: different customers who searched with the word and then found their "
            "answer in the article, counted by network, so one client with many cookies or "
            "addresses counts once. A vetoed word is removed and never learned again."
        ),
    )
    tags_table = Table(
        N_("Tags to add"),
        [N_("language"), N_("article"), N_("file"), N_("suggested front matter")],
        note=N_(
            "The strongest learned words that are not tags yet, added to the article's "
            "tags: writers' tags rank above learned words."
        ),
    )
    for words in learned_words(catalog, period.lang):
        article, lang = words.article, words.lang
        link = ArticleLink(article.title, article.id, lang)
        path = SourceFile(source_path(catalog, article))
        tags = tag_terms(lang, article)
        for term in words.terms:
            words_table.rows.append(
                [
                    lang,
                    link,
                    LearnedWord(term.spelling, lang=lang, article_id=article.id, term=term.term),
                    term.term,
                    term.visitors,
                    term.first_seen,
                    term.last_seen,
                    N_("yes") if term.term in tags else N_("no"),
                    path,
                ]
            )
        strongest = words.strongest()
        if strongest:
            tags_table.rows.append([lang, link, path, suggested_front_matter(article, strongest)])
    words_table.rows = words_table.rows[:ROW_LIMIT]
    tags_table.rows = tags_table.rows[:ROW_LIMIT]
    return Report(
        "learned-words",
        N_("Words customers use"),
        # The learning window in days, not the setting's name: leads do not configure it.
        Nn_(
            "Words customers searched with before an article answered them, which the article "
            "does not contain: learned from visits that ended well (a “Yes”, or no further "
            "search, “No” or contact request), once several different visitors used the same "
            "word, over the last %(num)d day whatever the dates chosen. Search finds the "
            "article by them, below the words the writers wrote.",
            "Words customers searched with before an article answered them, which the article "
            "does not contain: learned from visits that ended well (a “Yes”, or no further "
            "search, “No” or contact request), once several different visitors used the same "
            "word, over the last %(num)d days whatever the dates chosen. Search finds the "
            "article by them, below the words the writers wrote.",
            settings.learn_window_days,
        ),
        [words_table, tags_table],
    )
