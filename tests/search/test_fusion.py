"""The fused page: its order (the dense side's weight measured from the query's own background
of cosines) and its "nothing answers this" decision (a lexical answer that only just passed the
floor, with no passage standing out, is kept when the two engines agree on an article and
withdrawn when they do not: fusion.DOUBTFUL_RATIO, fusion.agree)."""

from __future__ import annotations

from helpcenter.search.dense import DenseHits
from helpcenter.search.hybrid import SemanticSearch

# A query many passages are about equally near: no best passage stands out (fusion.peak).
FLAT = [0.86 - 0.0004 * rank for rank in range(30)]
DENSE_IDS = [f"topic/article-{rank}" for rank in range(30)]


class _Dense:
    """The dense side of a query: `cosines` (best first) over `ids` (FLAT over DENSE_IDS)."""

    def __init__(self, ids: list[str] = DENSE_IDS, cosines: list[float] = FLAT) -> None:
        self.ids, self.cosines = ids, cosines

    def search(self, lang: str, text: str, depth: int = 30) -> DenseHits:
        return DenseHits(self.ids[:depth], self.cosines[:depth], [0] * depth)


class _Index:
    """No dense-only article is read: the decision does not depend on them."""

    def document_number(self, **_):
        return None


def _page(lexical_ids: list[str], ratio: float, dense: _Dense | None = None, ratios=None):
    """The fused page of a lexical page listing `lexical_ids` (best first) at score `ratio`
    (or each at its own score ratio, `ratios`)."""
    ratios = ratios or [ratio - rank / 10 for rank in range(len(lexical_ids))]
    ranked = [
        (share * 10, {"id": aid, "title": aid, "body": "", "summary": ""})
        for aid, share in zip(lexical_ids, ratios, strict=True)
    ]
    return SemanticSearch(dense or _Dense()).fuse(
        "en", "a question", ranked, searcher=_Index(), ceiling=10.0, ratio=ratio,
        category=None, keep=10, make_hit=lambda fields, score: fields,
    )  # fmt: skip


def test_a_doubtful_page_stays_answered_when_both_engines_put_the_same_article_near_the_top():
    # Lexical search's second article is the dense side's third: two different kinds of
    # evidence reach it, so the page is an answer although its score only just passed the floor.
    page = _page(["other/one", "topic/article-2", "other/two"], ratio=0.22)
    assert not page.nothing_answers(lexically_nothing=False)
    assert page.agreeing


def test_a_doubtful_page_says_nothing_answers_when_the_engines_disagree():
    # None of the lexical page's first articles is among the dense side's first: a question
    # near the topics that nothing answers (say, returning a sofa to a help center of
    # software articles) matches a word or two lexically and many passages equally weakly.
    page = _page(["other/one", "other/two", "topic/article-9"], ratio=0.28)
    assert page.nothing_answers(lexically_nothing=False)
    assert not page.agreeing


def test_a_page_the_lexical_side_is_fairly_sure_of_stays_answered_without_agreement():
    page = _page(["other/one", "other/two", "other/three"], ratio=0.35)
    assert not page.nothing_answers(lexically_nothing=False)


def test_the_fused_order_does_not_depend_on_how_high_a_querys_cosines_run():
    # Three lexical answers, the dense side preferring the third; then the same with every
    # cosine 0.04 lower, as another passage layout or a longer question gives. Unrelated
    # articles follow below 0.82, too weak to be shown on their own.
    lexical = ["care/a", "care/b", "care/c"]
    ids = ["care/c", "care/b", "care/a"] + [f"other/{rank}" for rank in range(27)]
    cosines = [0.87, 0.84, 0.80] + [0.81 - 0.0015 * rank for rank in range(27)]
    lower = [cosine - 0.04 for cosine in cosines]

    def order(dense: list[float]) -> list[str]:
        page = _page(lexical, 0.3, _Dense(ids, dense), ratios=[0.30, 0.25, 0.20])
        return [hit["id"] for _, hit in page.ranked]

    assert order(cosines) == ["care/c", "care/b", "care/a"]
    assert order(lower) == order(cosines)
