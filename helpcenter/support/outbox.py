"""The outbox: deliveries owed for contact requests, sent until they succeed.

A delivery is claimed (an UPDATE that only one worker can win) before it is sent, so two
processes draining the outbox at once never send the same message twice. A failure schedules
the next attempt with exponential backoff (30 s, 1 min, 2 min … at most an hour apart); there
is no give-up: the request stays in the database until it is delivered, and `helpcenter
requests` shows where each one stands.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import Delivery, utcnow
from .channels import DeliveryError, send

log = logging.getLogger(__name__)

FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
CLAIM_TIME = dt.timedelta(minutes=5)  # longer than any send can take (MAIL_TIMEOUT × steps)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(
    *, request_id: int | None = None, now: dt.datetime | None = None, retry_now: bool = False
) -> DrainReport:
    """Sends every delivery that is due (of one request, if given; with `retry_now`, also those
    waiting for their next attempt, e.g. right after the mail server is fixed)."""
    now = now or utcnow()
    due = select(Delivery.id).where(*_claimable(now))
    if not retry_now:
        due = due.where(Delivery.next_attempt_at <= now)
    if request_id is not None:
        due = due.where(Delivery.request_id == request_id)
    report = DrainReport()
    for delivery_id in list(db.session.scalars(due.order_by(Delivery.id))):
        if not _claim(delivery_id, now):
            continue  # another worker has it
        delivery = db.session.get(Delivery, delivery_id)
        delivery.attempts += 1
        try:
            send(delivery.channel, delivery.request)
        except DeliveryError as exc:
            delivery.last_error = str(exc)[:500]
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            report.failed += 1
            report.errors.append(f"{delivery.request.reference} {delivery.channel}: {exc}")
            log.warning("delivery %s failed (attempt %d): %s", delivery_id, delivery.attempts, exc)
        else:
            delivery.state = "sent"
            delivery.sent_at = utcnow()
            delivery.last_error = None
            report.sent += 1
        delivery.claimed_until = None
        db.session.commit()
    return report


def _claimable(now: dt.datetime) -> list:
    """Pending and not held by another worker (or held past its claim, after a crash)."""
    return [
        Delivery.state == "pending",
        or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
    ]


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, *_claimable(now))
        .values(claimed_until=now + CLAIM_TIME)
    )
    db.session.commit()
    return result.rowcount == 1


class Kicker:
    """Delivers a new request in a background thread right after it is stored, so the customer's
    page never waits for a mail server. Whatever fails stays in the outbox for `deliver`."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def kick(self, request_id: int) -> None:
        thread = threading.Thread(target=self._run, args=(request_id,), daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _run(self, request_id: int) -> None:
        with self.app.app_context():
            try:
                deliver_due(request_id=request_id)
            except Exception:  # the outbox keeps it; `helpcenter deliver` will retry
                log.exception("delivery of request %s failed", request_id)
            finally:
                db.session.remove()

    def wait(self, timeout: float = 30.0) -> None:
        """Waits for kicked deliveries to finish (tests, shutdown)."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
