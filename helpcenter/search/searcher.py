"""Searching: safe query building (no query syntax reaches Whoosh), ranking, snippets, did-you-mean.

A query is searched in this order: its text is cleaned and analyzed once into a plan
(plan.py: words, forms, synonyms, transliterations, learned words); the lexical retriever
scores the plan's words (scoring.py) and re-ranks by title; the semantic side embeds the
plan's text and fuses its candidates (hybrid.py); the page's hits get snippets marking the
plan's terms (snippets.py); "did you mean" looks up the plan's typed words only when the page
finds little, and its correction is searched in the customer's place when nothing answers.

Customers' text is never parsed as a query language: it is analyzed into terms, and the query
is built from those terms, so quotes, parentheses, operators and wildcards are just characters.

Anyone can send any query, so the work of one is bounded, not only its length: the plan's
bounds (plan.py: MAX_TERMS words, MAX_SPLIT_CHARS; synonym_expansion.py;
transliteration.py), the words "did you mean" looks up (MAX_CORRECTIONS, MAX_CORRECTED_CHARS) and the words read to complete
a suggestion's last word (MAX_PREFIX_EXPANSIONS).

Instant suggestions are the results page's own first results (SearchService.suggestions), so
what the box offers while typing is what pressing Enter shows.
bench/query_cost.py holds the costliest queries found to a few times a typical one.
"""

from __future__ import annotations

import hashlib
import heapq
import html
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from whoosh.query import DisjunctionMax, Or, Query, Term
from whoosh.searching import Searcher

from ..content.synonym_files import SynonymGroups
from .analyzers import analyze
from .hybrid import SemanticSearch
from .indexer import IndexStore, content_digest
from .plan import MAX_TERMS, PlannedWord, QueryPlan, clean_query, plan_query
from .result_cache import ResultStore
from .results import SearchHit, SearchResults
from .scoring import FieldForms, score_words
from .snippets import make_snippet
from .spelling import closest_words, is_word

log = logging.getLogger(__name__)

T = TypeVar("T")

# Instant suggestions complete an unfinished last word of at least MIN_PREFIX_CHARS letters,
# reading at most MAX_PREFIX_EXPANSIONS of the articles' words it begins.
MAX_PREFIX_EXPANSIONS = 30
MIN_PREFIX_CHARS = 3
# "Did you mean" looks up at most this many unknown words of a query (the first ones), and none
# longer than MAX_CORRECTED_CHARS letters: Whoosh's edit-distance automaton costs 1-15 ms a word,
# growing with its length and with the words sharing its first letter (a Hebrew ו-word meets
# every "and …" of the articles), so a query of new misspellings cost a worker 100 ms. With
# two, no tuning set's MRR@10 moved by more than +0.002 (a wrong correction fewer searched in
# the colloquial set); with one, Hebrew's on the sample moved by 0.03. The tuning sets' longest
# word has 16 letters.
MAX_CORRECTIONS = 2
MAX_CORRECTED_CHARS = 24
# The diacritic-insensitive prefix field (analyzers.loose_analyzer): a safety net, not a lead.
# (Title, tags, headings… are weighted inside each field: see indexer.SECTION_WEIGHTS.)
LOOSE_WEIGHT = 0.75
# Title signal: the best RERANK_DEPTH hits are re-ranked by score × (1 + TITLE_WEIGHT × the
# IDF-weighted share of the query's words in the title), so an article titled with the
# customer's words is not beaten by a long body that repeats one of them.
RERANK_DEPTH = 30
TITLE_WEIGHT = 0.5
# "Nothing answers this": the best hit's score below this share of the query's best possible
# score (max_score). A ratio, so no language needs its own calibration; the site's value is
# the SEARCH_MIN_SCORE_RATIO setting.
MIN_SCORE_RATIO = 0.2
# ... asked of a query of up to FLOOR_WORDS words; a longer one is asked that share of
# FLOOR_WORDS of its words' worth (the floor × FLOOR_WORDS / words). A chatty question names
# more than its answer does ("can i write an email tonight and have hotmail send it tomorrow
# morning"), and every extra word raised the yardstick its answer had to reach. On the tuning
# sets this answered 0.023 MRR@10 more of the colloquial questions (sample and corpus, with
# few long queries, unchanged) and turned no unanswerable question into a page of articles;
# 4 or 5 words instead of 6 did, 7 or 8 gained less.
FLOOR_WORDS = 6
# "Nothing answers this", second condition: a query of SCATTERED_MIN_WORDS words or more of
# which none of the best SCATTERED_DEPTH articles matches more than one. One shared word is
# what "refund for my concert ticket" has with a help center; an answer shares two. On the
# tuning sets it answered 50 of 84 unanswerable questions honestly instead of 40, and moved
# no MRR@10 (a depth of 1 cost 0.002-0.004; 4 words instead of 3 gained almost nothing).
SCATTERED_MIN_WORDS = 3
SCATTERED_DEPTH = 3
# Content digests kept per process, by build and Whoosh generation: one per language is in use.
CONTENT_DIGESTS_KEPT = 64
RELATED_SHOWN = 5  # weak matches listed, collapsed, under "loosely related"


def _term_group(field: str, boost: float, word: PlannedWord) -> list[Query]:
    # Every form of a word counts the same: it scores by its best one (see build_query). A
    # weight below 1 for Hebrew prefix-stripped forms lost 0.01-0.04 MRR@10 on both tuning sets.
    # Only the thesaurus's everyday alternatives weigh less (plan.THESAURUS_WEIGHT).
    forms = word.text if field == "text" else word.loose
    return [Term(field, form, boost=boost * word.weight(field, form)) for form in forms]


def _best_of(terms: list[Query]) -> Query:
    return DisjunctionMax(terms) if len(terms) > 1 else terms[0]


def _scored_fields(plan: QueryPlan) -> list[list[FieldForms]]:
    """The plan as scoring.score_words takes it: the same fields, boosts and forms as
    _query_from_plan's tree (dismax over forms, the two fields added up)."""
    return [
        [("text", 1.0, {form: word.weight("text", form) for form in word.text})]
        + (
            [("loose", LOOSE_WEIGHT, {form: word.weight("loose", form) for form in word.loose})]
            if word.loose
            else []
        )
        for word in plan.words
    ]


def _query_from_plan(plan: QueryPlan) -> list[Query]:
    clauses: list[Query] = []
    for word in plan.words:
        # Dismax within a field: a word scores by its best form. Summing the forms made a
        # Hebrew word with prefix variants weigh two or three times a brand name. The two
        # fields are two signals (stemmed, and loose as typed) and add up, as in BM25F.
        fields = [_best_of(_term_group("text", 1.0, word))]
        if word.loose:
            fields.append(_best_of(_term_group("loose", LOOSE_WEIGHT, word)))
        clauses.append(Or(fields) if len(fields) > 1 else fields[0])
    return clauses


def build_query(plan: QueryPlan) -> Query | None:
    """The Whoosh query of a plan."""
    return _any_of(_query_from_plan(plan))


def _any_of(clauses: list[Query]) -> Query | None:
    if not clauses:
        return None
    # BM25 sums over the words, so matching more of them already ranks higher. Whoosh's
    # coordination bonus (Or(scale=…)) changed neither evaluation set and cost 40% of the time.
    return Or(clauses) if len(clauses) > 1 else clauses[0]


def _word_idf(searcher: Searcher, fieldname: str, forms: list[str]) -> float:
    """A word's weight: the IDF of its rarest form the index holds; a word none of whose forms
    the index holds weighs the most. Forms no article has are left out when others match:
    a Hebrew word's prefix-stripped form or a Polish word's diacritic-less stem that no
    article uses would otherwise give a known word an unknown word's weight and push its
    answers under the floor. An empty index (a language with no articles yet) weighs
    nothing: Whoosh's IDF is undefined there."""
    if not searcher.doc_count_all():
        return 0.0
    known = [form for form in forms if searcher.doc_frequency(fieldname, form)]
    return max((searcher.idf(fieldname, form) for form in known or forms), default=0.0)


def max_score(plan: QueryPlan, searcher: Searcher) -> float:
    """The score an article would reach by matching every query word as often as BM25 can
    count (its saturation, K1 + 1): the yardstick for "nothing answers this"."""
    saturation = getattr(searcher.weighting, "K1", 1.2) + 1
    total = 0.0
    for word in plan.words:
        total += _word_idf(searcher, "text", word.own_forms("text"))
        if word.loose:
            total += LOOSE_WEIGHT * _word_idf(searcher, "loose", word.own_forms("loose"))
    return total * saturation


@lru_cache(maxsize=20_000)
def _title_terms(lang: str, title: str) -> frozenset[str]:
    return frozenset(analyze(lang, title))


def title_share(plan: QueryPlan, weights: list[float], lang: str, title: str) -> float:
    """The IDF-weighted share of the query's words found in a title (0 to 1)."""
    terms = _title_terms(lang, title)
    total = sum(weights)
    if not total:
        return 0.0
    found = sum(
        weight
        for word, weight in zip(plan.words, weights, strict=True)
        if any(form in terms for form in word.text)
    )
    return found / total


def _scattered(plan: QueryPlan, ranked: list[tuple[float, _Hit]]) -> bool:
    """True when a query of several words finds only articles matching one of them each
    (see SCATTERED_MIN_WORDS)."""
    if len(plan.words) < SCATTERED_MIN_WORDS or not ranked:
        return False
    return max(hit.matched.bit_count() for _, hit in ranked[:SCATTERED_DEPTH]) <= 1


class SearchService:
    """Keeps one Whoosh searcher per language and thread, refreshed when the index changes."""

    def __init__(
        self,
        indexes: IndexStore,
        refresh_interval: float = 1.0,
        min_score_ratio: float = MIN_SCORE_RATIO,
        synonyms: Callable[[str], SynonymGroups | None] | None = None,
        semantic: SemanticSearch | None = None,
        results: ResultStore | None = None,
    ) -> None:
        """`synonyms` gives a language's writers' synonym groups (the current catalog's);
        `semantic` adds dense candidates to every page (None: lexical only); `results` keeps
        whole results of repeated searches (result_cache.py; None: every search is run)."""
        self.indexes = indexes
        self.semantic = semantic
        self.results = results
        self._synonyms = synonyms
        self.refresh_interval = refresh_interval
        self.min_score_ratio = min_score_ratio
        self._local = threading.local()
        self._contents: dict[tuple[str, int], str] = {}
        self._contents_lock = threading.Lock()
        self._lexical: SearchService | None = None  # see lexical()

    def _searcher(self, lang: str) -> Searcher | None:
        cache: dict[str, tuple[Searcher, str, float]] = getattr(self._local, "cache", None) or {}
        self._local.cache = cache
        now = time.monotonic()
        cached = cache.get(lang)
        if cached and now - cached[2] < self.refresh_interval:
            return cached[0]
        link = self.indexes.link(lang)
        if not self.indexes.exists(lang):
            return None
        target = str(link.resolve())
        if cached and cached[1] == target and cached[0].up_to_date():
            searcher = cached[0]
        else:
            # A new searcher, not Whoosh's refresh(): refresh reuses the readers of segments it
            # knows and so misses deletions in them, and an article indexed again (edited, or
            # its learned words changed) would still be found by its old words.
            if cached:
                cached[0].close()
            searcher = self.indexes.searcher(lang)
        cache[lang] = (searcher, target, now)
        return searcher

    def synonyms(self, lang: str) -> SynonymGroups:
        return (self._synonyms(lang) if self._synonyms else None) or ()

    def generation(self, lang: str) -> tuple | None:
        """What `lang`'s answers are computed from, as the searcher sees it now, by content:
        the articles the index holds (indexer.content_digest), the passages the dense side
        reads and the writers' synonyms. Any edit changes it (None: no index); it is the same
        on every node that indexed the same content, so a shared result store shares entries."""
        searcher = self._searcher(lang)
        if searcher is None:
            return None
        lexical = self._content(self._local.cache[lang][1], searcher)
        dense = self.semantic.generation(lang) if self.semantic is not None else None
        return (lexical, dense, _digest(self.synonyms(lang)))

    def _content(self, build: str, searcher: Searcher) -> str:
        """indexer.content_digest of the searcher's index, read once per build and Whoosh
        generation in this process (2.3 ms for a language's 1,280 articles, then a lookup)."""
        where = (build, searcher.reader().generation())
        with self._contents_lock:
            known = self._contents.get(where)
        if known is None:
            known = content_digest(searcher.reader())
            with self._contents_lock:
                self._contents[where] = known
                while len(self._contents) > CONTENT_DIGESTS_KEPT:
                    self._contents.pop(next(iter(self._contents)))
        return known

    def remembered(
        self,
        parts: tuple,
        langs: tuple[str, ...],
        compute: Callable[[], T],
        copy: Callable[[T], T] = lambda value: value,
    ) -> T:
        """`compute()`, or what it gave for the same `parts` (what was asked, and how) while
        `langs`' indexes are in their current generation (result_cache.py). `copy` makes what
        is stored and what is handed out two values, so a caller may change its own."""
        if self.results is None:
            return compute()
        generations = tuple(self.generation(lang) for lang in langs)
        if None in generations:
            return compute()
        key = (*parts, generations, self.min_score_ratio)
        stored = self.results.get(key)
        if isinstance(stored, tuple):
            return copy(stored[0])
        value = compute()
        self.results.put(key, (copy(value),))  # (a tuple: None is an answer too)
        return value

    def lexical(self) -> SearchService:
        """This search without its semantic side: the same indexes, synonyms, floor and result
        store (its entries are its own: their generation has no passages). What the words
        alone find, at a tenth of the cost of embedding the query (3 ms against 33 on the
        sample): the gap reports ask it whether each of a hundred queries that found nothing
        finds something now."""
        if self.semantic is None:
            return self
        if self._lexical is None:
            self._lexical = SearchService(
                self.indexes,
                self.refresh_interval,
                self.min_score_ratio,
                self._synonyms,
                results=self.results,
            )
        return self._lexical

    def document_count(self, lang: str) -> int | None:
        """Articles in the language's index (None when there is no index), from the cached
        searcher: health checks and metrics ask often and must not reopen the index."""
        searcher = self._searcher(lang)
        return searcher.doc_count() if searcher is not None else None

    def search(
        self,
        lang: str,
        text: str,
        *,
        category: str | None = None,
        page: int = 1,
        per_page: int = 10,
        correct: bool = True,
        with_suggestion: bool = True,
    ) -> SearchResults:
        """One page of results. When nothing answers the query (or only loosely related
        articles) and "did you mean" has a correction, the correction's results, marked with
        `corrected_from` (unless `correct` is False: the customer's "search instead for").

        "Did you mean" corrects typos only, never a word of the language (spelling.is_word),
        so its correction is searched in the customer's place ("refnud" -> "refund"); what
        that finds faces the same "nothing answers this" floor, and when it finds nothing the
        correction is only offered. `with_suggestion=False` leaves "did you mean" out (a
        search whose suggestion nobody reads need not pay for it).

        A repeated search in the same index generation is answered from the result store."""
        text = clean_query(text)
        page = max(1, min(page, 1000))

        def run() -> SearchResults:
            searcher = self._searcher(lang)
            plan = plan_query(lang, text, searcher, self.synonyms(lang))
            return self._search(plan, searcher, category, page, per_page, correct, with_suggestion)

        asked = ("search", lang, text, category, page, per_page, correct, with_suggestion)
        return self.remembered(asked, (lang,), run, SearchResults.copy)

    def _search(
        self,
        plan: QueryPlan,
        searcher: Searcher | None,
        category: str | None,
        page: int,
        per_page: int,
        correct: bool,
        with_suggestion: bool,
    ) -> SearchResults:
        """search() of a query's plan, without the result store."""
        lang, text = plan.lang, plan.text
        results = SearchResults(
            query=text,
            lang=lang,
            page=page,
            per_page=per_page,
            category=category,
            normalized=plan.normalized,
        )
        if searcher is None or not plan.words or not searcher.doc_count():
            return results  # (an empty index has no category column and no IDF)
        wanted = page * per_page
        limit = max(wanted, RERANK_DEPTH)
        matched: dict[int, int] = {}
        scores = score_words(searcher, _scored_fields(plan), matched)
        categories = _categories(searcher)
        results.category_counts = dict(Counter(categories[docnum] for docnum in scores))
        if category:
            scores = {doc: score for doc, score in scores.items() if categories[doc] == category}
        results.total = len(scores)
        # Best first; equal scores in index order, as Whoosh's collector keeps them.
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        found = [
            _Hit(searcher.stored_fields(docnum), score, matched.get(docnum, 0))
            for docnum, score in best
        ]
        ranked = self._rerank(lang, plan, found, searcher)
        top = max((hit.score for _, hit in ranked), default=0.0)
        ceiling = max_score(plan, searcher)
        results.score_ratio = top / ceiling if ceiling else 0.0
        scattered = _scattered(plan, ranked)
        floor = self.min_score_ratio * min(1.0, FLOOR_WORDS / len(plan.words))
        terms = plan.terms
        nothing = results.score_ratio < floor or scattered
        if self.semantic is not None:
            fused = self.semantic.fuse(
                lang, plan.text, ranked, searcher=searcher, ceiling=ceiling,
                ratio=results.score_ratio, category=category, keep=wanted,
                make_hit=_Hit,
            )  # fmt: skip
            if fused is not None:
                ranked, results.similarity = fused.ranked, fused.best_cosine
                results.total += sum(fused.extra.values())
                results.category_counts = dict(Counter(results.category_counts) + fused.extra)
                nothing = fused.nothing_answers(nothing)
        # The floor's setting at 0 turns both conditions off.
        if ranked and self.min_score_ratio > 0 and nothing:
            # Only loosely related: the page says nothing was found and lists these collapsed.
            results.related = [
                self._result(lang, hit, score, rank, terms)
                for rank, (score, hit) in enumerate(ranked[:RELATED_SHOWN], start=1)
            ]
            results.total, results.category_counts = 0, {}
        else:
            first = (page - 1) * per_page
            results.hits = [
                self._result(lang, hit, score, rank, terms)
                for rank, (score, hit) in enumerate(ranked[first:wanted], start=first + 1)
            ]
        log.info(
            "search lang=%s ratio=%.3f floor=%.3f scattered=%d total=%d",
            lang,
            results.score_ratio,
            floor,
            scattered,
            results.total,
        )
        if results.total < 3 and with_suggestion:
            results.suggestion = self._correction(plan, searcher, MAX_CORRECTIONS)
        if correct and not results.hits and results.suggestion:
            corrected = self.search(
                lang,
                results.suggestion,
                category=category,
                page=page,
                per_page=per_page,
                correct=False,
                with_suggestion=False,  # its own "did you mean" is never shown
            )
            if corrected.hits:
                corrected.corrected_from = text
                corrected.normalized = results.normalized  # the search log's, as typed
                corrected.suggestion = None
                return corrected
        return results

    @staticmethod
    def _result(lang: str, hit, score: float, rank: int, terms: frozenset[str]) -> SearchHit:
        snippet = make_snippet(lang, hit.get("body", ""), terms)
        return _hit(hit, snippet or html.escape(hit.get("summary", "")), rank, score)

    @staticmethod
    def _rerank(
        lang: str, plan: QueryPlan, found, searcher: Searcher
    ) -> list[tuple[float, object]]:
        """(score, hit) best first: the top RERANK_DEPTH by score × the title signal, then the
        rest by score."""
        hits = list(found)
        if not hits:
            return []
        weights = [_word_idf(searcher, "text", word.own_forms("text")) for word in plan.words]
        head = [
            (hit.score * (1 + TITLE_WEIGHT * title_share(plan, weights, lang, hit["title"])), hit)
            for hit in hits[:RERANK_DEPTH]
        ]
        head.sort(key=lambda pair: pair[0], reverse=True)
        return head + [(hit.score, hit) for hit in hits[RERANK_DEPTH:]]

    def total_in_default(self, found: SearchResults, default_lang: str) -> int | None:
        """How many articles the same words find in the default language when they find none in
        the customer's (the results page offers them); None when that is not the case."""
        if found.query and not found.total and found.lang != default_lang:
            return self.search(default_lang, found.query, per_page=1).total
        return None

    def suggest(self, lang: str, text: str, limit: int = 5) -> list[SearchHit]:
        """Instant suggestions while typing (see suggestions)."""
        return self.suggestions(lang, text, limit)[0]

    def suggestions(
        self, lang: str, text: str, limit: int = 5, *, per_page: int = 10
    ) -> tuple[list[SearchHit], str | None]:
        """Instant suggestions while typing: the first `limit` results of the very search the
        results page makes (search() with the page's `per_page`, so one stored answer serves
        both): the same fused ranking, the same typo rule. While the last word may be
        unfinished (no article uses it as typed), the search is for it completed ("refun" ->
        "refund", see _completed), and for the words as typed when that finds nothing. With
        the corrected query the results are for when a typo was corrected, else None."""
        text = clean_query(text)
        per_page = max(per_page, limit)
        completed = self._completed(lang, text)
        found = self.search(lang, completed, per_page=per_page) if completed else None
        if found is None or not found.hits:
            found = self.search(lang, text, per_page=per_page)
        return found.hits[:limit], found.query if found.corrected_from else None

    def _completed(self, lang: str, text: str) -> str | None:
        """`text` with its last word completed: the articles' word (the `words` field) that it
        begins and most articles use, when no article uses the word as typed; None when one
        does, when it is shorter than MIN_PREFIX_CHARS or when no word begins with it. One
        look-up of the term list, at most MAX_PREFIX_EXPANSIONS words read."""
        searcher = self._searcher(lang)
        last = _LAST_WORD.search(text)
        if searcher is None or last is None or len(last.group()) < MIN_PREFIX_CHARS:
            return None
        reader, prefix = searcher.reader(), last.group().lower()
        if reader.doc_frequency("words", prefix):
            return None
        best, most = None, 0
        for count, term in enumerate(reader.expand_prefix("words", prefix)):
            if count == MAX_PREFIX_EXPANSIONS:
                break
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            uses = reader.doc_frequency("words", word)
            if uses > most:
                best, most = word, uses
        return text[: last.start()] + best if best else None

    def is_word(self, lang: str, word: str) -> bool:
        """Whether a (lowercase) word is a word of the language or of the articles, not a typo
        (spelling.is_word); False when `lang` has no index. The reports group two spellings
        as one topic only when one of them is a typo (reports/topics.py)."""
        searcher = self._searcher(lang)
        if searcher is None:
            return False
        return is_word(lang, word, searcher)

    def did_you_mean(
        self,
        lang: str,
        text: str,
        searcher: Searcher | None = None,
        corrections: int = MAX_CORRECTIONS,
    ) -> str | None:
        """The query with its typos replaced by the closest words the articles use: the first
        `corrections` typos of its first MAX_TERMS words (see MAX_CORRECTIONS). A word of the
        language is never a typo (spelling.is_word), even one the articles do not use."""
        searcher = searcher or self._searcher(lang)
        if searcher is None:
            return None
        return self._correction(plan_query(lang, text), searcher, corrections)

    @staticmethod
    def _correction(plan: QueryPlan, searcher: Searcher, corrections: int) -> str | None:
        """did_you_mean() of a plan: its typed words are looked up, never analyzed again.
        Only asked when a page needs it (a lookup costs 1-15 ms a word)."""
        text = plan.text
        corrected, offset, looked_up = [], 0, 0
        for typed in plan.typed[:MAX_TERMS]:
            word = typed.word
            if not 3 <= len(word) <= MAX_CORRECTED_CHARS or is_word(
                plan.lang, word, searcher, typed.forms
            ):
                continue
            if looked_up == corrections:
                break
            looked_up += 1
            options = closest_words(searcher, word)
            if options:
                corrected.append(text[offset : typed.start] + options[0].word)
                offset = typed.end
        if not corrected:
            return None
        suggestion = "".join(corrected) + text[offset:]
        return suggestion if suggestion.casefold() != text.casefold() else None


# The last word of a query, which instant suggestions complete while it is being typed.
_LAST_WORD = re.compile(r"\w+$")


@lru_cache(maxsize=16)
def _digest(groups: SynonymGroups) -> str:
    """A stable name for a set of synonym groups (the same in every process, as a shared
    result store needs), computed once per set."""
    return hashlib.blake2b(repr(groups).encode(), digest_size=12).hexdigest()


class _Hit(dict):
    """An article's stored fields and its score: what the result page needs of a hit."""

    def __init__(self, fields: dict, score: float, matched: int = 0) -> None:
        super().__init__(fields)
        self.score = score
        self.matched = matched  # which of the query's words it matches (bit i for word i)


def _categories(searcher: Searcher) -> list[str]:
    """docnum -> category, read once per searcher (a new index generation gets a new one)."""
    categories: list[str] | None = getattr(searcher, "_helpcenter_categories", None)
    if categories is None:
        categories = list(searcher.reader().column_reader("category"))
        searcher._helpcenter_categories = categories  # type: ignore[attr-defined]
    return categories


def _hit(hit, snippet: str, rank: int, score: float | None = None) -> SearchHit:
    return SearchHit(
        id=hit["id"],
        category=hit["category"],
        title=hit["title"],
        summary=hit.get("summary", ""),
        snippet=snippet,
        score=float(hit.score or 0.0) if score is None else score,
        rank=rank,
    )
