"""The feedback box at the end of an article, shared by the article page (web/site.py), the
vote that answers it (web/support.py) and the page-view beacon that tells a returning visitor's
page where they left it (web/beacon.py)."""

from __future__ import annotations

from flask import render_template, url_for
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..support.votes import find_vote
from .forms import VoteForm


def feedback_context(lang: str, article_id: str, visitor: str | None = None) -> dict:
    """What the box shows: the question, the thanks, or (after "No") the reasons form and the
    way to a human. Without a visitor (the cached article page, the same for everyone) it asks;
    the beacon's answer moves it on for a visitor who already voted."""
    try:
        vote = find_vote(visitor, article_id) if visitor else None
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
        # No token: the page is cached and shared; the vote checks where the post comes from.
        "feedback_form": VoteForm(formdata=None, meta={"csrf": False}),
        "feedback_action": url_for("support.vote", lang=lang, article_id=article_id),
        "feedback_contact": contact_link(lang, article_id, reason),
    }


def contact_link(lang: str, article_id: str, reason: str | None) -> str:
    """The way to a human after "No": the contact form with the article and what was missing
    (the comment is read from the stored vote there, web/support.py: it stays out of URLs)."""
    return url_for("support.contact", lang=lang, article=article_id, reason=reason or None)


def feedback_box(lang: str, article_id: str, visitor: str) -> tuple[str, str]:
    """The visitor's step and the box's HTML for it, for a page to swap in."""
    context = feedback_context(lang, article_id, visitor)
    return context["feedback_step"], render_template("_feedback.html", **context)
