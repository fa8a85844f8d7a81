"""“Do this next”: the reports merged into one ranked list of things a lead can do, each with
its evidence, the file to edit and, where there is one, the front matter to paste in it.

Each action counts the different customers it would reach in the period. Customers are
counted by network (networks.py, models.customer_of), never by the cookies a client chooses:
one client sending a new cookie with every search, vote or page it asks for reaches one
customer, and cannot lift what it typed to the top of the list (or of the digest). An action
is ranked only with evidence from ACTIONS_MIN_CUSTOMERS different customers (ReportSettings:
min_customers); the rest, typos and one-off questions mostly, are folded below the list.

- fix an article: “No” votes at least as many as “Yes”, or contact requests sent from it
  (reach: its readers in that language, and at least the customers who said so);
- write an article: customers searched for a topic (topics.py: spellings and typos of one
  thing) and found nothing, and none of them found the answer elsewhere afterwards (reach:
  those customers, and those who wrote in right after such a search); named by the most typed
  spelling, in the searches' language and the category they looked in (else that of the
  articles the search shows as loosely related); none when the search answers it now (an
  article written since, say);
- add tags: customers searched in vain and then found the answer in an article
  (answered.py), or an article learned their words: the words go into its tags; or an
  article customers find with words it does not contain, taught by at least twice
  LEARN_MIN_VISITORS customers (reach: the teachers of its strongest word);
- improve the results: customers got results for a topic and opened none, and did not find
  the answer elsewhere either (reach: those customers);
- translate an article: read in a language it does not exist in, as the default-language
  fallback, whether found by a search or not, or found there after a search in vain (reach:
  those readers, or those customers);
- update a translation: its source changed after it (reach: its readers in that language);
- review a stale article: past its review date or not updated for STALE_AFTER_DAYS, and its
  share of “Yes” fell against the period before (reach: its readers, and at least its voters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select, tuple_, union_all

from ..activity.learned_terms import search_words
from ..content.catalog import Article, ArticleView, Catalog
from ..extensions import db
from ..labels import N_, Label, Nn_
from ..models import ContactRequest, Vote, customer_of
from ..search.analyzers import fold
from ..search.transliteration import greek_key
from . import rollup_counts
from .answered import NextSteps, learned_answers, next_steps
from .learned import learned_words, suggested_front_matter, tag_terms, yaml_value
from .outcomes import source_path
from .report import (
    ROW_LIMIT,
    Detail,
    FrontMatter,
    Percent,
    Period,
    Report,
    ReportSettings,
    SourceFile,
    Table,
    in_period,
    report,
)
from .topics import Topic, topics

# Equal reach: the surer and cheaper action first.
KINDS = {
    "fix": N_("Fix"),
    "write": N_("Write"),
    "translate": N_("Translate"),
    "update": N_("Update the translation"),
    "review": N_("Review"),
    "tags": N_("Add tags"),
    "results": N_("Improve the results"),
}

# A new article's file name when the spelling gives no letters for one (Hebrew).
NEW_SLUG = "new-article"
MAX_SLUG_CHARS = 60
# The category of a new article when nothing tells where it belongs: the writer picks one.
SOME_CATEGORY = "<category>"


@dataclass
class Action:
    kind: str
    lang: str
    target: str  # a title or the query customers typed
    evidence: str
    reach: int
    detail: Detail
    path: str
    paste: str = ""  # front matter to paste into the file: tags to add, a new article's title


@dataclass
class ActionPlan:
    """Every action of the period, those with evidence from enough customers ranked, the
    rest (fewer customers) folded."""

    ranked: list[Action] = field(default_factory=list)
    folded: list[Action] = field(default_factory=list)


@dataclass
class _Facts:
    """What several kinds of action read, counted once."""

    period: Period
    catalog: Catalog
    settings: ReportSettings
    readers: dict[tuple[str, str], int]
    votes: dict[tuple[str, str], dict[str, int]]
    requesters: dict[tuple[str, str], int]
    languages: list[str]
    shown: list[tuple[tuple[str, str], Article]]  # the visible articles of those languages

    @classmethod
    def of(cls, period: Period, catalog: Catalog, settings: ReportSettings) -> _Facts:
        languages = [period.lang] if period.lang else catalog.language_codes
        shown = [
            (key, article)
            for key, article in sorted(catalog.articles.items())
            if not article.draft and key[0] in languages
        ]
        return cls(
            period,
            catalog,
            settings,
            rollup_counts.readers(period),
            _votes(period),
            _requesters(period),
            languages,
            shown,
        )


def action_plan(period: Period, catalog: Catalog, settings: ReportSettings) -> ActionPlan:
    """Every action the period's data supports, most customers reached first."""
    facts = _Facts.of(period, catalog, settings)
    found = _one_per_file(
        [
            *_to_fix(facts),
            *_searched_in_vain(facts),
            *_to_translate(facts),
            *_to_update(facts),
            *_to_review(facts),
            *_learned_tags(facts),
        ]
    )
    order = list(KINDS)
    found.sort(key=lambda a: (-a.reach, order.index(a.kind), a.lang, str(a.target)))
    enough = settings.min_customers
    return ActionPlan(
        [action for action in found if action.reach >= enough],
        [action for action in found if action.reach < enough],
    )


# ----------------------------------------------------------------------------- the tallies


def _votes(period: Period) -> dict[tuple[str, str], dict[str, int]]:
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"yes": 0, "no": 0, "comments": 0}
    )
    for lang, article_id, helpful, _reason, count, comments in rollup_counts.votes(period):
        row = votes[(lang, article_id)]
        row["yes" if helpful else "no"] += count
        row["comments"] += 0 if helpful else comments
    return dict(votes)


def _requesters(period: Period) -> dict[tuple[str, str], int]:
    """(lang, article id) -> how many visitors sent a contact request from it."""
    query = (
        select(
            ContactRequest.lang,
            ContactRequest.article_id,
            func.count(distinct(ContactRequest.visitor)),
        )
        .where(*in_period(ContactRequest, period), ContactRequest.article_id.is_not(None))
        .group_by(ContactRequest.lang, ContactRequest.article_id)
    )
    return {(lang, article_id): count for lang, article_id, count in db.session.execute(query)}


def _answered(
    period: Period, keys: list[tuple[str, str]], *, only_no: bool, with_requests: bool
) -> dict[tuple[str, str], int]:
    """(lang, article id) -> distinct customers who voted on it in the period (“No” only, with
    `only_no`), together with those who sent a contact request from it (`with_requests`); for
    the articles of `keys` (the few the list proposes to fix or review)."""
    if not keys:
        return {}
    parts = [
        select(Vote.lang, Vote.article_id, customer_of(Vote).label("customer")).where(
            *in_period(Vote, period, Vote.updated_at),
            tuple_(Vote.lang, Vote.article_id).in_(keys),
            *([Vote.helpful.is_(False)] if only_no else []),
        )
    ]
    if with_requests:
        parts.append(
            select(
                ContactRequest.lang, ContactRequest.article_id, customer_of(ContactRequest)
            ).where(
                *in_period(ContactRequest, period),
                tuple_(ContactRequest.lang, ContactRequest.article_id).in_(keys),
            )
        )
    answered = union_all(*parts).subquery()
    query = select(
        answered.c.lang, answered.c.article_id, func.count(distinct(answered.c.customer))
    ).group_by(answered.c.lang, answered.c.article_id)
    return {(lang, article_id): count for lang, article_id, count in db.session.execute(query)}


def _file(catalog: Catalog, lang: str, article_id: str) -> str:
    """The file to edit, or to create for a translation (the source's path in `lang`/)."""
    article = catalog.articles.get((lang, article_id))
    if article is not None:
        return source_path(catalog, article)
    source = catalog.articles[(catalog.default_language, article_id)]
    return lang + "/" + source_path(catalog, source).split("/", 1)[1]


# ----------------------------------------------------------------------- one kind at a time


def _to_fix(facts: _Facts) -> list[Action]:
    """Articles with “No” votes at least as many as “Yes”, or contact requests sent from them."""
    votes, requesters, readers = facts.votes, facts.requesters, facts.readers
    to_fix = [
        (key, article)
        for key, article in facts.shown
        if (key in votes and votes[key]["no"] >= max(1, votes[key]["yes"])) or key in requesters
    ]
    # Those who said so can outnumber the readers only where their votes and requests do (each
    # vote is a visitor of its own, each network one or more of them): count only there.
    complained = _answered(
        facts.period,
        [
            key
            for key, _article in to_fix
            if votes.get(key, {}).get("no", 0) + requesters.get(key, 0) > readers.get(key, 0)
        ],
        only_no=True,
        with_requests=True,
    )
    found = []
    for (lang, article_id), article in to_fix:
        key = (lang, article_id)
        vote = votes.get(key) or {"yes": 0, "no": 0, "comments": 0}
        found.append(
            Action(
                "fix",
                lang,
                article.title,
                # The total of votes picks the plural form ("of 1 vote", Croatian "od 23
                # glasa"); the other counts follow a label, so they need none.
                Nn_(
                    "“No” %(no)s of %(num)d vote, comments: %(comments)s, contact requests "
                    "after reading: %(requests)s",
                    "“No” %(no)s of %(num)d votes, comments: %(comments)s, contact requests "
                    "after reading: %(requests)s",
                    vote["yes"] + vote["no"],
                    no=vote["no"],
                    comments=vote["comments"],
                    requests=requesters.get(key, 0),
                ),
                max(readers.get(key, 0), complained.get(key, 0)),
                Detail("articles", lang=lang, article_id=article_id),
                _file(facts.catalog, lang, article_id),
            )
        )
    return found


def _to_update(facts: _Facts) -> list[Action]:
    """Translations read in the period whose source changed after them."""
    source = facts.catalog.default_language
    found = []
    for (lang, article_id), article in facts.shown:
        reached = facts.readers.get((lang, article_id), 0)
        if lang == source or not reached or not facts.catalog.is_outdated(article):
            continue
        found.append(
            Action(
                "update",
                lang,
                article.title,
                Nn_(
                    "the source changed on %(date)s; %(num)d reader in this language",
                    "the source changed on %(date)s; %(num)d readers in this language",
                    reached,
                    date=facts.catalog.articles[(source, article_id)].updated.date(),
                ),
                reached,
                Detail("translations", lang=lang),
                _file(facts.catalog, lang, article_id),
            )
        )
    return found


def _to_translate(facts: _Facts) -> list[Action]:
    """Default-language articles read in a language they do not exist in."""
    catalog, source = facts.catalog, facts.catalog.default_language
    found = []
    for (lang, article_id), article in sorted(catalog.articles.items()):
        if lang != source or article.draft:
            continue
        for target in facts.languages:
            reached = facts.readers.get((target, article_id), 0)
            if target == source or (target, article_id) in catalog.articles or not reached:
                continue
            found.append(
                Action(
                    "translate",
                    target,
                    article.title,
                    Nn_(
                        "%(num)d reader got it in the default language",
                        "%(num)d readers got it in the default language",
                        reached,
                    ),
                    reached,
                    Detail("translations", lang=target),
                    _file(catalog, target, article_id),
                )
            )
    return found


def _to_review(facts: _Facts) -> list[Action]:
    """Stale articles whose share of “Yes” fell against the period before."""
    period, catalog, votes, readers = facts.period, facts.catalog, facts.votes, facts.readers
    today = period.last_day
    cutoff = today - dt.timedelta(days=facts.settings.stale_after_days)
    before = _votes(period.previous())
    falling = []
    for (lang, article_id), article in facts.shown:
        due = article.review_by is not None and article.review_by <= today
        if not (due or article.updated.date() < cutoff):
            continue
        now, then = votes.get((lang, article_id)), before.get((lang, article_id))
        if not now or not then:
            continue
        share_now = now["yes"] / (now["yes"] + now["no"])
        share_then = then["yes"] / (then["yes"] + then["no"])
        if share_now < share_then:
            falling.append((lang, article_id, article, share_now, share_then))
    voters = _answered(  # as for "fix": only where the votes outnumber the readers
        period,
        [
            (lang, aid)
            for lang, aid, *_ in falling
            if votes[(lang, aid)]["yes"] + votes[(lang, aid)]["no"] > readers.get((lang, aid), 0)
        ],
        only_no=False,
        with_requests=False,
    )
    found = []
    for lang, article_id, article, share_now, share_then in falling:
        reached = max(readers.get((lang, article_id), 0), voters.get((lang, article_id), 0))
        found.append(
            Action(
                "review",
                lang,
                article.title,
                N_(
                    "last updated %(date)s; “Yes” fell from %(before)s to %(now)s",
                    date=article.updated.date(),
                    before=_percent(share_then),
                    now=_percent(share_now),
                ),
                reached,
                Detail("articles", lang=lang, article_id=article_id),
                _file(catalog, lang, article_id),
            )
        )
    return found


def _learned_tags(facts: _Facts) -> list[Action]:
    """Articles customers find with words they lack (the learned words, whatever the period:
    they are learned over the whole learning window), with the tags line to paste."""
    found = []
    for words in learned_words(facts.catalog, facts.period.lang):
        strong = [t for t in words.terms if t.visitors >= facts.settings.strong_learned_visitors]
        suggested = words.strongest()
        if not strong or not suggested:
            continue
        reach = max(t.visitors for t in strong)
        found.append(
            Action(
                "tags",
                words.lang,
                words.article.title,
                Nn_(
                    "%(num)d visitor found it searching for words it does not contain: %(words)s",
                    "%(num)d visitors found it searching for words it does not contain: %(words)s",
                    reach,
                    words=", ".join(suggested),
                ),
                reach,
                Detail("learned-words", lang=words.lang),
                _file(facts.catalog, words.lang, words.article.id),
                suggested_front_matter(words.article, suggested),
            )
        )
    return found


def _searched_in_vain(facts: _Facts) -> list[Action]:
    """The topics customers searched in vain: "empty" (nothing found) and "unclicked" (results
    nobody opened). Where they found the answer afterwards (or an article learned their
    words), its tags; else a new article ("empty") or better results ("unclicked"). Only the
    topics that can be ranked are looked into: the folded ones keep their kind."""
    search, enough = facts.settings.search, facts.settings.min_customers
    every = {
        outcome: topics(facts.period, outcome, search.is_word if search is not None else None)
        for outcome in _REPORT
    }
    asked = {
        outcome: [t for t in found if t.customers >= enough] for outcome, found in every.items()
    }
    steps = next_steps(facts.period, asked)
    actions = []
    for outcome, found in every.items():
        taught = learned_answers(facts.catalog, asked[outcome])
        for topic, step, learned in zip(asked[outcome], steps[outcome], taught, strict=True):
            action = _answered_elsewhere(facts, topic, outcome, step, learned)
            if action is None:
                action = _unanswered(facts, topic, outcome, step)
            if action is not None:
                actions.append(action)
        actions += [
            action
            for topic in found
            if topic.customers < enough
            and (action := _unanswered(facts, topic, outcome, None, look=False)) is not None
        ]
    return actions


def _answered_elsewhere(
    facts: _Facts, topic: Topic, outcome: str, step: NextSteps, learned: str | None
) -> Action | None:
    """The topic's words into the tags of the article its customers found the answer in
    afterwards, or that learned them; into its translation when they found it in the default
    language only."""
    answer = step.answer()
    if answer is not None:
        article_id, content = answer
    elif learned is not None:
        article_id, content = learned, 0
    else:
        return None
    view = facts.catalog.find(topic.lang, article_id)
    if view is None:  # gone since
        return None
    title = view.article.title
    if content:
        how: Label = Nn_(
            "%(num)d of them then found the answer in “%(title)s”",
            "%(num)d of them then found the answer in “%(title)s”",
            content,
            title=title,
        )
    else:
        how = N_("“%(title)s” learned these words from customers", title=title)
    evidence = _joined(_searched(topic, outcome), how)
    detail = Detail(_REPORT[outcome], lang=topic.lang)
    if view.fallback:
        path = _file(facts.catalog, topic.lang, article_id)
        return Action("translate", topic.lang, title, evidence, topic.customers, detail, path)
    words = _words_to_add(topic, view)
    if not words:
        return None
    return Action(
        "tags",
        topic.lang,
        topic.spellings,
        evidence,
        topic.customers,
        detail,
        source_path(facts.catalog, view.article),
        suggested_front_matter(view.article, words),
    )


def _words_to_add(topic: Topic, view: ArticleView) -> list[str]:
    """The topic's words as customers typed them most often that are not the article's tags
    yet (tags weigh more than the body in search)."""
    tags = tag_terms(topic.lang, view.article)
    return list(
        dict.fromkeys(
            typed for term, typed in search_words(topic.lang, topic.most_typed) if term not in tags
        )
    )


def _unanswered(
    facts: _Facts, topic: Topic, outcome: str, step: NextSteps | None, *, look: bool = True
) -> Action | None:
    """A new article for a topic nothing answered ("empty"), or better results for one whose
    results nobody opened ("unclicked"). With `look`, what the search finds for it now: an
    "empty" topic the search answers now needs nothing (an article was written since, say).
    It is asked of the words alone (SearchService.lexical): an article written since is found
    by its words, and two hundred topics would otherwise cost two hundred query embeddings (7
    s on the first render, 33 ms each); the first result is the words' first, as customers
    get it wherever the words match well (hybrid.CONFIDENT_RATIO)."""
    search = facts.settings.search.lexical() if facts.settings.search is not None else None
    found = search.search(topic.lang, topic.most_typed) if look and search is not None else None
    evidence = _searched(topic, outcome)
    detail = Detail(_REPORT[outcome], lang=topic.lang)
    if outcome == "unclicked":
        first = found.hits[0] if found is not None and found.hits else None
        path = ""
        if first is not None:
            evidence = _joined(evidence, N_("first result: “%(title)s”", title=first.title))
            view = facts.catalog.find(topic.lang, first.id)
            path = source_path(facts.catalog, view.article) if view else ""
        return Action(
            "results", topic.lang, topic.spellings, evidence, topic.customers, detail, path
        )
    if found is not None and found.hits:
        return None
    nearest = found.related if found is not None else []
    category = (step.category() if step else None) or (nearest[0].category if nearest else None)
    title = topic.most_typed[:1].upper() + topic.most_typed[1:]
    return Action(
        "write",
        topic.lang,
        topic.spellings,
        evidence,
        topic.customers,
        detail,
        f"{topic.lang}/{category or SOME_CATEGORY}/{_new_slug(facts.catalog, topic)}.md",
        "title: " + yaml_value(title),
    )


_REPORT = {"empty": "zero-results", "unclicked": "no-click"}


def _searched(topic: Topic, outcome: str) -> Label:
    """How many customers searched for the topic in vain, and how many wrote in after."""
    searches = Nn_("%(num)d search", "%(num)d searches", topic.searches)
    if outcome == "empty":
        said = Nn_(
            "%(num)d visitor searched and found nothing (%(searches)s)",
            "%(num)d visitors searched and found nothing (%(searches)s)",
            topic.searchers,
            searches=searches,
        )
    else:
        said = Nn_(
            "%(num)d visitor got results and opened none (%(searches)s)",
            "%(num)d visitors got results and opened none (%(searches)s)",
            topic.searchers,
            searches=searches,
        )
    if not topic.requests:
        return said
    wrote = Nn_(
        "%(num)d contact request followed",
        "%(num)d contact requests followed",
        topic.requests,
    )
    return _joined(said, wrote)


def _joined(first: Label, second: Label) -> Label:
    return N_("%(first)s; %(second)s", first=first, second=second)


_SLUG_WORD = re.compile(r"[a-z0-9]+")
_GREEK = re.compile(r"[\u0370-\u03ff]")


def _new_slug(catalog: Catalog, topic: Topic) -> str:
    """A file name for a new article from the most typed spelling, as the URL will show it:
    lowercase Latin letters and digits (accents dropped, Greek written in Latin letters),
    words joined by hyphens; one no article of the language has yet."""
    words = []
    for word in fold(topic.most_typed).split():
        words += _SLUG_WORD.findall(greek_key(word) if _GREEK.search(word) else word)
    slug = "-".join(words)[:MAX_SLUG_CHARS].rstrip("-") or NEW_SLUG
    taken = {article.slug for (lang, _), article in catalog.articles.items() if lang == topic.lang}
    chosen, n = slug, 1
    while chosen in taken:
        n += 1
        chosen = f"{slug}-{n}"
    return chosen


def _one_per_file(actions: Iterable[Action]) -> list[Action]:
    """One action of a kind per file: a topic's customers found an article the learned words
    also suggest tags for, or read the default-language article its translation would serve;
    the one reaching more customers stays."""
    kept: dict[tuple, Action] = {}
    for action in actions:
        key = (action.kind, action.lang, action.path) if action.path else (id(action),)
        if key not in kept or action.reach > kept[key].reach:
            kept[key] = action
    return list(kept.values())


def _percent(share: float) -> Percent:
    return Percent(round(share * 100))


COLUMNS = [
    N_("rank"),
    N_("action"),
    N_("what"),
    N_("language"),
    N_("evidence"),
    N_("customers reached"),
    N_("detail"),
    N_("file"),
    N_("front matter to paste"),
]


def _rows(actions: list[Action], first_rank: int) -> list[list]:
    return [
        [
            rank,
            KINDS[action.kind],
            action.target,
            action.lang,
            action.evidence,
            action.reach,
            action.detail,
            SourceFile(action.path) if action.path else None,
            FrontMatter(action.paste) if action.paste else None,
        ]
        for rank, action in enumerate(actions[:ROW_LIMIT], start=first_rank)
    ]


def actions_table(actions: list[Action], min_customers: int = 2) -> Table:
    return Table(
        N_("Do this next, most customers reached first"),
        COLUMNS,
        _rows(actions, 1),
        note=Nn_(
            "Customers reached: different customers in the period who searched for it, wrote "
            "in right after searching, read it or said it did not help. Customers are counted "
            "by network (an office, a home, a mobile operator's gateway), so one client with "
            "many cookies or addresses counts once. An action is listed with evidence from at "
            "least %(num)d customer; the others are folded below.",
            "Customers reached: different customers in the period who searched for it, wrote "
            "in right after searching, read it or said it did not help. Customers are counted "
            "by network (an office, a home, a mobile operator's gateway), so one client with "
            "many cookies or addresses counts once. An action is listed with evidence from at "
            "least %(num)d customers; the others are folded below.",
            min_customers,
        ),
    )


def folded_table(plan: ActionPlan, min_customers: int) -> Table:
    """The actions with evidence from fewer customers, as one line to open."""
    count = len(plan.folded)
    if min_customers <= 2:
        title = Nn_(
            "%(num)d more with one visitor",
            "%(num)d more with one visitor each",
            count,
        )
    else:
        title = Nn_(
            "%(num)d more with fewer than %(min)s visitors",
            "%(num)d more, each with fewer than %(min)s visitors",
            count,
            min=min_customers,
        )
    return Table(title, COLUMNS, _rows(plan.folded, len(plan.ranked) + 1), collapsed=True)


@report("actions", N_("Do this next"))
def actions(period: Period, catalog: Catalog, settings: ReportSettings) -> Report:
    plan = action_plan(period, catalog, settings)
    tables = [actions_table(plan.ranked, settings.min_customers)]
    if plan.folded:
        tables.append(folded_table(plan, settings.min_customers))
    return Report(
        "actions",
        N_("Do this next"),
        N_(
            "The reports merged into one list: articles to write, tag, fix, translate, update "
            "or review and search results to improve, ranked by how many customers each would "
            "reach, with the evidence, a link to the details, the file to edit in the articles "
            "repository and the front matter to paste in it."
        ),
        tables,
    )
