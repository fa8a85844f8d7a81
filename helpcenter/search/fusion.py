"""Fusion: one ranking from the lexical candidates (Whoosh) and the dense ones (embeddings),
and the "nothing answers this" decision from both signals.

Two ways to fuse were measured on the tuning sets (bench/fusion.py: sample, corpus and
colloquial, all six languages, the same recorded candidates for every setting; figures of
issue 23's retuning, with Polish lemmas and the typo rule in place): reciprocal-rank fusion,
which reads only each engine's order, and a score fusion, which adds the lexical score as a
share of its best possible score (the score ratio the floor already uses) to the cosine above
the query's background. Without the no-results rules, MRR@10 sample / corpus / colloquial:
lexical search 0.868 / 0.905 / 0.508 (mean 0.760), the dense side alone 0.755 / 0.785 / 0.446,
RRF with the paper's constant 0.854 / 0.889 / 0.530, its best setting (k=10, dense weight 0.5)
0.889 / 0.897 / 0.553, the score fusion with a fixed base (0.82, scale 3) 0.884 / 0.920 /
0.566 and with the background's (hybrid.FUSION) 0.889 / 0.924 / 0.569 (mean 0.794). RRF counts
a dense rank 1 as much as a lexical rank 1, and the dense side alone is much weaker: the
scores say how sure each side is, the ranks do not. The page's no-results rules (below) trade
0.006 of that mean for 10 more unanswerable questions answered honestly (67 of 84).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Reciprocal-rank fusion: an article's fused score is the sum over engines of
# weight / (RRF_K + rank). 60 is the constant of the original paper (Cormack et al. 2009).
RRF_K = 60
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 1.0
# Score fusion: lexical ratio (0..1) + DENSE_SCALE × (cosine − the query's base). e5's
# cosines live between about 0.7 (unrelated) and 0.92 (the same question), and how high a
# query's unrelated articles reach depends on the query (its length, its language) and on how
# articles are cut into passages. So the base is the query's own background, the mean cosine
# of its articles ranked PEAK_FROM + 1 to DENSE_DEPTH, plus BASE_ABOVE_BACKGROUND (COSINE_BASE
# when there are too few articles to tell). On the tuning sets (bench/fusion.py, with the
# no-results rule below) this gave MRR@10 0.894 / 0.924 / 0.545 (sample, corpus, colloquial)
# against 0.890 / 0.920 / 0.541 for the best fixed base (0.82, scale 3; 0.8 and 3: 0.887 /
# 0.916 / 0.563 without the rule); offsets −0.02 to 0 and scales 3-6 were measured.
COSINE_BASE = 0.82
BASE_ABOVE_BACKGROUND = -0.01
DENSE_SCALE = 4.0


# "Nothing answers this" from both signals. The lexical floor (score ratio, scattered words)
# says nothing answers; a best passage at least ANSWER_COSINE similar and standing out from
# the rest (PEAK, below) overrules it: the customer's words are not the article's.
ANSWER_COSINE = 0.88
# The other way round: a lexical answer that only just passed the floor (score ratio below
# DOUBTFUL_RATIO) is no answer when no passage stands out and the two engines disagree. No
# passage stands out: the best is less than FLAT_PEAK above the mean of the ranks PEAK_FROM to
# DENSE_DEPTH (an answered question has one or a few passages clearly nearer than the rest; a
# question nothing answers, near the topics or not, finds many about equally near: e5's
# cosines are compressed into about 0.75-0.92, so the spread says more than the level). The
# engines disagree: none of the lexical page's first AGREE_LEXICAL articles is among the dense
# side's first AGREE_DENSE (two retrievers that reach the same article from different evidence
# are rarely both wrong; one that nobody confirms often is).
# On the tuning sets (84 unanswerable questions; bench/fusion.py): the lexical floor alone said
# "no results" for 57; the flat-peak rule without the agreement test, at a ratio of 0.25, 63
# for MRR@10 0.890 / 0.913 / 0.539 (sample, corpus, colloquial); with it, at 0.3, 67 for
# 0.890 / 0.920 / 0.541. At 0.25 it gave 62 for 0.890 / 0.920 / 0.553; at 0.35, 69 but
# colloquial 0.518; agreement within the dense first 3 instead of 5: 67, colloquial 0.530.
DOUBTFUL_RATIO = 0.3
FLAT_PEAK = 0.015
PEAK_FROM = 10
AGREE_LEXICAL = 3
AGREE_DENSE = 5


@dataclass(frozen=True)
class Candidate:
    """An article as one engine ranked it (rank from 1) with the engine's own score."""

    id: str
    rank: int
    score: float


def reciprocal_rank(
    lexical: Sequence[Candidate],
    dense: Sequence[Candidate],
    *,
    k: int = RRF_K,
    lexical_weight: float = LEXICAL_WEIGHT,
    dense_weight: float = DENSE_WEIGHT,
) -> list[tuple[str, float]]:
    """(article id, fused score), best first; ties keep the lexical order, then the dense."""
    fused: dict[str, float] = {}
    for weight, candidates in ((lexical_weight, lexical), (dense_weight, dense)):
        for candidate in candidates:
            fused[candidate.id] = fused.get(candidate.id, 0.0) + weight / (k + candidate.rank)
    order = {cid: position for position, cid in enumerate(_first_seen(lexical, dense))}
    return sorted(fused.items(), key=lambda item: (-item[1], order[item[0]]))


def score_sum(
    lexical: Sequence[Candidate],
    dense: Sequence[Candidate],
    *,
    ceiling: float,
    cosine_base: float = COSINE_BASE,
    dense_scale: float = DENSE_SCALE,
) -> list[tuple[str, float]]:
    """(article id, fused score), best first: the lexical score as a share of `ceiling` (the
    query's best possible score) plus the scaled cosine above `cosine_base`."""
    fused: dict[str, float] = {}
    for candidate in lexical:
        fused[candidate.id] = candidate.score / ceiling if ceiling else 0.0
    for candidate in dense:
        fused[candidate.id] = fused.get(candidate.id, 0.0) + dense_scale * max(
            0.0, candidate.score - cosine_base
        )
    order = {cid: position for position, cid in enumerate(_first_seen(lexical, dense))}
    return sorted(fused.items(), key=lambda item: (-item[1], order[item[0]]))


def _first_seen(*rankings: Sequence[Candidate]) -> list[str]:
    seen: dict[str, None] = {}
    for ranking in rankings:
        for candidate in ranking:
            seen.setdefault(candidate.id, None)
    return list(seen)


def background(cosines: Sequence[float], peak_from: int = PEAK_FROM) -> float | None:
    """How near a query's unrelated articles come: the mean cosine of the ranks after
    `peak_from` (cosines are best first); None when there are too few articles to tell."""
    rest = cosines[peak_from:]
    return sum(rest) / len(rest) if rest else None


def cosine_base(cosines: Sequence[float]) -> float:
    """The cosine from which the dense side adds to an article's fused score (see
    BASE_ABOVE_BACKGROUND)."""
    level = background(cosines)
    return COSINE_BASE if level is None else level + BASE_ABOVE_BACKGROUND


def peak(cosines: Sequence[float], peak_from: int = PEAK_FROM) -> float:
    """How far the best passage stands out: its cosine (cosines are best first) above the
    query's background; 0 when there are too few articles to tell."""
    level = background(cosines, peak_from)
    return cosines[0] - level if level is not None else 0.0


def agree(lexical: Sequence[str], dense: Sequence[str]) -> bool:
    """Whether the engines agree: one of the lexical page's first AGREE_LEXICAL articles is
    among the dense side's first AGREE_DENSE (both lists best first)."""
    return not set(lexical[:AGREE_LEXICAL]).isdisjoint(dense[:AGREE_DENSE])


def nothing_answers(
    lexically_nothing: bool,
    ratio: float,
    cosines: Sequence[float],
    *,
    agreeing: bool = False,
    answer_cosine: float = ANSWER_COSINE,
    doubtful_ratio: float = DOUBTFUL_RATIO,
    flat_peak: float = FLAT_PEAK,
) -> bool:
    """ "Nothing answers this" from the lexical verdict (its floor), the lexical score ratio,
    the dense cosines of the query's best articles (best first) and whether the two engines
    agree on an article (`agree`): see ANSWER_COSINE and DOUBTFUL_RATIO."""
    if not cosines:
        return lexically_nothing
    stands_out = peak(cosines) >= flat_peak
    if lexically_nothing:
        return not (stands_out and cosines[0] >= answer_cosine)
    return ratio < doubtful_ratio and not stands_out and not agreeing
