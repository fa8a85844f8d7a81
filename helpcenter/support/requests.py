"""Contact requests: stored first, delivered after (see outbox.py), forgotten on request."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..activity.rollups import mark_dirty, utc_day
from ..activity.visits import record_escalation
from ..extensions import db
from ..models import ContactRequest, Delivery, Vote, asked_from, utcnow
from ..ratelimits import Rule, hit
from .channels import ACKNOWLEDGEMENT

# Unambiguous when read over the phone: no 0/O, 1/I/L.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A short reference like "HC-7KQ2-MX4P" (31^8 ≈ 850 billion possibilities)."""
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"HC-{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class RequestContext:
    """Where the customer came from; travels with the request to the support team."""

    lang: str
    about: str = ""
    article_id: str | None = None
    search_query: str | None = None
    reason: str | None = None
    # The host page's path when the customer wrote from the help widget (models.AskedFrom).
    widget_page: str | None = None


def create_request(
    *,
    email: str,
    name: str,
    message: str,
    context: RequestContext,
    visitor: str,
    channels: list[str],
    network: str | None = None,
) -> ContactRequest:
    """Commits the request and the deliveries it needs in one transaction, before anything
    is sent: once this returns, nothing the customer wrote can be lost. An address that had
    its day's acknowledgements already gets none (the delivery is stored cancelled, with why),
    so the form cannot make the company mail anyone over and over."""
    unacknowledged = ACKNOWLEDGEMENT in channels and _acknowledgements_used_up(email)
    for _ in range(5):
        request = ContactRequest(
            reference=new_reference(),
            lang=context.lang,
            email=email.strip(),
            name=name.strip(),
            message=message.strip(),
            about=context.about.strip(),
            article_id=context.article_id,
            search_query=context.search_query,
            reason=context.reason,
            visitor=visitor,
            network=network,  # by which reach is counted (networks.py)
            **asked_from(context.widget_page),
        )
        request.deliveries = [Delivery(channel=channel) for channel in channels]
        for delivery in request.deliveries:
            if delivery.channel == ACKNOWLEDGEMENT and unacknowledged:
                delivery.state, delivery.last_error = "cancelled", unacknowledged
                delivery.error_kind = "capped"
        db.session.add(request)
        record_escalation(utcnow().date(), visitor, context.lang)
        try:
            db.session.commit()
            return request
        except IntegrityError:  # a reference collision: astronomically rare, try another
            db.session.rollback()
    raise RuntimeError("could not allocate a unique reference")


def _acknowledgements_used_up(email: str) -> str | None:
    """Counts an acknowledgement to `email` against its daily cap; None while under it, else
    why there is none (shown on the request's staff page)."""
    per_day = int(current_app.config["ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY"])
    reason = f"not sent: {per_day} acknowledgements a day to one address"
    if per_day <= 0:
        return reason
    identity = f"e:{email.strip().lower()}"
    return None if hit([Rule("acknowledgement", f"{per_day}/day", identity)]) is None else reason


def recent_requests(*, pending: bool = False, limit: int = 50) -> list[ContactRequest]:
    query = select(ContactRequest).order_by(ContactRequest.id.desc()).limit(limit)
    if pending:
        undelivered = Delivery.state.in_(("pending", "failed"))
        query = query.where(ContactRequest.deliveries.any(undelivered))
    return list(db.session.scalars(query))


def normalize_reference(text: str) -> str | None:
    """A reference as a customer reads it out ("hc 7kq2 mx4p", "HC7KQ2MX4P") in its canonical
    form, or None if it cannot be one."""
    compact = "".join(text.split()).replace("-", "").upper()
    body = compact[2:]
    if not compact.startswith("HC") or len(body) != 8 or set(body) - set(_REFERENCE_ALPHABET):
        return None
    return f"HC-{body[:4]}-{body[4:]}"


def requests_from(email: str, limit: int = 200) -> list[ContactRequest]:
    query = select(ContactRequest).where(_sent_from(email))
    return list(db.session.scalars(query.order_by(ContactRequest.id.desc()).limit(limit)))


def find_request(reference: str) -> ContactRequest | None:
    """The request with this reference, in any form `normalize_reference` accepts (anything
    else, e.g. a NUL PostgreSQL would refuse, never reaches the database)."""
    canonical = normalize_reference(reference)
    if canonical is None:
        return None
    return db.session.scalars(
        select(ContactRequest).where(ContactRequest.reference == canonical)
    ).first()


def count_from(email: str) -> int:
    """How many requests `forget(email)` would erase."""
    return db.session.scalar(select(func.count()).where(_sent_from(email))) or 0


def _sent_from(email: str):
    return func.lower(ContactRequest.email) == email.strip().lower()


def forget(email: str) -> int:
    """Erases the personal data of every request sent from `email` (any letter case) and
    cancels what was not delivered yet; the anonymous context stays for reports. What the same
    visitor wrote after a "No" vote is erased too (a comment may name them as well). Returns
    how many requests were erased."""
    visitors = select(ContactRequest.visitor).where(_sent_from(email))
    _erase_vote_comments(Vote.visitor.in_(visitors))
    return _erase(_sent_from(email))


def erase_older_than(days: int) -> int:
    """Retention for personal data: erases, as `forget` does, every request received more than
    `days` days ago that still holds any, and the free-text comments of votes as old. Returns
    how many requests."""
    cutoff = utcnow() - dt.timedelta(days=days)
    _erase_vote_comments(Vote.updated_at < cutoff)
    return _erase(ContactRequest.created_at < cutoff, ContactRequest.forgotten_at.is_(None))


def _erase_vote_comments(*conditions) -> None:
    """The vote and its reason stay for the reports (and its date: no `onupdate` here); only
    the customer's own words go; the days of those votes are counted again by the roll-ups
    (they count comments)."""
    erased = select(Vote.updated_at).where(*conditions, Vote.comment.is_not(None))
    mark_dirty({utc_day(moment) for moment in db.session.scalars(erased)}, "vote")
    db.session.execute(
        update(Vote)
        .where(*conditions, Vote.comment.is_not(None))
        .values(comment=None, updated_at=Vote.updated_at)
    )
    db.session.commit()


def _erase(*conditions) -> int:
    ids = list(db.session.scalars(select(ContactRequest.id).where(*conditions)))
    if not ids:
        return 0
    db.session.execute(
        update(Delivery)
        .where(Delivery.request_id.in_(ids), Delivery.state == "pending")
        .values(state="cancelled", last_error="personal data erased", error_kind="erased")
    )
    db.session.execute(
        update(ContactRequest)
        .where(ContactRequest.id.in_(ids))
        .values(email="", name="", message="", about="", forgotten_at=utcnow())
    )
    db.session.commit()
    return len(ids)
