"""Article votes: one per visitor and article, a later vote replaces the earlier one."""

from __future__ import annotations

from sqlalchemy import select

from ..activity.rollups import mark_dirty, utc_day
from ..extensions import db
from ..labels import REASONS
from ..models import Vote, asked_from, utcnow


def find_vote(visitor: str, article_id: str) -> Vote | None:
    return db.session.scalar(
        select(Vote).where(Vote.visitor == visitor, Vote.article_id == article_id)
    )


def record_vote(
    *,
    article_id: str,
    lang: str,
    visitor: str,
    helpful: bool,
    reason: str | None = None,
    comment: str | None = None,
    network: str | None = None,
    widget_page: str | None = None,
) -> Vote:
    """Stores the visitor's vote on an article, replacing an earlier one; `network` is the
    client's network key (networks.py), by which reach is counted; `widget_page` the host
    page's path when the vote came from the help widget (models.AskedFrom)."""
    vote = find_vote(visitor, article_id)
    if vote is None:
        vote = Vote(article_id=article_id, visitor=visitor)
        db.session.add(vote)
    else:  # the vote leaves the day it was cast on, which may be rolled up already
        mark_dirty([utc_day(vote.updated_at)], "vote")
    vote.lang = lang
    vote.network = network
    for column, value in asked_from(widget_page).items():
        setattr(vote, column, value)
    vote.helpful = helpful
    # What was missing only means something after "No".
    vote.reason = reason if not helpful and reason in REASONS else None
    vote.comment = None if helpful else (comment or "").strip() or None
    vote.updated_at = utcnow()
    db.session.commit()
    return vote
