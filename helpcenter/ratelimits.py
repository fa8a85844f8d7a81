"""Rate limits that must hold across workers, nodes and restarts (contact posts, votes,
acknowledgements, staff logins, failed logins per account): counted in the database every
worker shares.

Each limit ("5/minute;20/day", Flask-Limiter's notation) is a moving window counted in slices of
1/60 of its period (a second for a minute, 24 minutes for a day): a hit adds one to its slice
with an atomic upsert, and the sum of the slices that overlap the last period decides. The
oldest overlapping slice counts whole, so a limit errs on the strict side by at most one slice
and never lets a burst through at the turn of a minute. Every limit of one check is counted in
one transaction and undone together when any of them refuses: a refused post uses up nothing.
A limit on what only some attempts cost (failed logins) is asked first (`refusal`, counting
nothing) and counted afterwards, when the attempt turned out to cost (`count`).

Keys are HMACs of the identity (visitor id, client address, recipient address) with the app's
secret and the UTC date: no row names a visitor, an address or a mailbox, and one day's keys
cannot be linked to the next day's without the secret. A window that reaches back into
yesterday sums yesterday's key too, so the limits do not reset at midnight.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from limits import parse_many
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from .database import dialect_insert
from .extensions import db
from .models import RateCount, utcnow

log = logging.getLogger(__name__)

SLICES = 60  # per period; a period must be a whole number of seconds per slice
KEEP = dt.timedelta(days=2)  # no limit looks back further than a day
PRUNE_INTERVAL = 600.0  # seconds between opportunistic prunes, per process
_next_prune = 0.0


@dataclass(frozen=True)
class Rule:
    """One line of limits on one identity, e.g. contact posts per visitor."""

    bucket: str  # what is limited: "contact", "vote", "login", "acknowledgement", …
    limits: str  # "5/minute;20/day"
    identity: str  # "v:<visitor id>", "a:<client address>", "e:<recipient address>"


@dataclass(frozen=True)
class Refusal:
    """Why one more hit is not allowed: the seconds until it is, and the hits counted in the
    window of the limit that refuses it longest."""

    retry_after: int
    hits: int


def keyed_hash(identity: str, day: dt.date) -> str:
    """What the database stores instead of the identity: it changes every UTC day."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{day.isoformat()}|{identity}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def hit(rules: Sequence[Rule], *, now: dt.datetime | None = None) -> int | None:
    """Counts one hit against every limit of `rules`. Returns None (and commits) when all of them
    allow it; else undoes the whole hit and returns the seconds until the refusing limit may
    allow one again. Raises SQLAlchemyError when the database cannot count: the caller decides
    whether to let the post through or refuse it."""
    now = now or utcnow()
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Hits in different slices touch different rows; one lock per key serializes them, so
        # two workers cannot both take the last hit of a window (SQLite has one writer anyway).
        for key in sorted({keyed_hash(rule.identity, now.date()) for rule in rules}):
            session.execute(select(func.pg_advisory_xact_lock(_lock_id(key))))
    _add(rules, now)
    refused = _refusal(rules, now, room=0)
    if refused is not None:
        session.rollback()
        return refused.retry_after
    session.commit()
    _prune_now_and_then()
    return None


def refusal(rules: Sequence[Rule], *, now: dt.datetime | None = None) -> Refusal | None:
    """Whether every limit of `rules` allows one more hit, counting nothing: None when they do,
    else when and why not. Raises SQLAlchemyError when the database cannot tell."""
    return _refusal(rules, now or utcnow(), room=1)


def count(rules: Sequence[Rule], *, now: dt.datetime | None = None) -> None:
    """Counts one hit against every limit of `rules` whatever they allow (the attempt was made
    and cost: a failed login) and commits. Raises SQLAlchemyError when the database cannot."""
    _add(rules, now or utcnow())
    db.session.commit()
    _prune_now_and_then()


def forget_counts(rules: Sequence[Rule], *, now: dt.datetime | None = None) -> int:
    """Deletes what is counted against `rules` (an operator lifting a lock early) and commits;
    returns how many counts went. Counts are stored under a key that changes every UTC day,
    and no limit looks back further than KEEP."""
    now = now or utcnow()
    days = {(now - dt.timedelta(days=back)).date() for back in range(KEEP.days + 1)}
    removed = 0
    for rule in rules:
        keys = {keyed_hash(rule.identity, day) for day in days}
        result = db.session.execute(
            delete(RateCount).where(
                RateCount.bucket.startswith(f"{rule.bucket}/"), RateCount.key.in_(keys)
            )
        )
        removed += result.rowcount
    db.session.commit()
    return removed


def _add(rules: Sequence[Rule], now: dt.datetime) -> None:
    for rule in rules:
        key = keyed_hash(rule.identity, now.date())
        for item in parse_many(rule.limits):
            period = item.get_expiry()
            width = max(1, period // SLICES)
            upsert = dialect_insert(RateCount).values(
                bucket=f"{rule.bucket}/{period}", key=key, window_start=_slice(now, width), count=1
            )
            db.session.execute(
                upsert.on_conflict_do_update(
                    index_elements=["bucket", "key", "window_start"],
                    set_={"count": RateCount.count + 1},
                )
            )


def _refusal(rules: Sequence[Rule], now: dt.datetime, *, room: int) -> Refusal | None:
    """The limit of `rules` that refuses longest when `room` more hits are added to what is
    counted (0: is what is counted already over a limit?), or None."""
    session = db.session
    refused: Refusal | None = None
    for rule in rules:
        for item in parse_many(rule.limits):
            period = item.get_expiry()
            width = max(1, period // SLICES)
            since = _slice(now - dt.timedelta(seconds=period), width)
            keys = {keyed_hash(rule.identity, now.date()), keyed_hash(rule.identity, since.date())}
            counted = (
                RateCount.bucket == f"{rule.bucket}/{period}",
                RateCount.key.in_(keys),
                RateCount.window_start >= since,
            )
            hits = session.scalar(select(func.sum(RateCount.count)).where(*counted)) or 0
            if hits + room > item.amount:
                oldest = session.scalar(select(func.min(RateCount.window_start)).where(*counted))
                free_at = oldest + dt.timedelta(seconds=period + width)
                wait = max(1, math.ceil((free_at - now).total_seconds()))
                if refused is None or wait > refused.retry_after:
                    refused = Refusal(wait, hits)
    return refused


def prune_rate_counts(*, now: dt.datetime | None = None) -> int:
    """Deletes counts no limit looks at any more (`helpcenter prune`, and now and then after a
    hit); returns how many."""
    cutoff = (now or utcnow()) - KEEP
    result = db.session.execute(delete(RateCount).where(RateCount.window_start < cutoff))
    db.session.commit()
    return result.rowcount


def _prune_now_and_then() -> None:
    global _next_prune
    if time.monotonic() < _next_prune:
        return
    _next_prune = time.monotonic() + PRUNE_INTERVAL
    try:
        prune_rate_counts()
    except SQLAlchemyError:  # the next prune catches up; the hit itself is counted
        db.session.rollback()
        log.warning("could not prune old rate-limit counts", exc_info=True)


def _slice(moment: dt.datetime, width: int) -> dt.datetime:
    """The start of the slice `moment` falls in (slices line up with UTC midnight)."""
    seconds = int(moment.timestamp()) // width * width
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _lock_id(key: str) -> int:
    return int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)
