"""The feedback box at the end of an article, shared by the article page (web/site.py) and the
vote that answers it (web/support.py)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..support.feedback import find_vote
from .forms import VoteForm
from .visitor import visitor_id


def feedback_context(lang: str, article_id: str) -> dict:
    """What the box shows: the question, the thanks, or (after "No") the reasons form and the
    way to a human."""
    try:
        vote = find_vote(visitor_id(), article_id)
    except SQLAlchemyError:  # the article is still worth reading while the database is down
        db.session.rollback()
        vote = None
    if vote is None:
        step = "ask"
    elif vote.helpful:
        step = "thanks"
    else:
        step = "done" if vote.reason or vote.comment else "reasons"
    reason = vote.reason if vote and not vote.helpful and vote.reason else None
    return {
        "feedback_step": step,
        "feedback_form": VoteForm(formdata=None),
        "feedback_action": url_for("support.vote", lang=lang, article_id=article_id),
        "feedback_contact": url_for(
            "support.contact", lang=lang, article=article_id, reason=reason
        ),
    }
