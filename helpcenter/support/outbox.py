"""The outbox: deliveries owed for contact requests (and the leads' weekly digests), sent until
they succeed.

A delivery is claimed (an UPDATE that only one worker can win) before it is sent, so two
processes draining the outbox at once never send the same message twice. A failure schedules
the next attempt with exponential backoff (30 s, 1 min, 2 min … at most an hour apart); there
is no give-up for a failure that may pass (a server down, a setting to fix): the request stays
in the database until it is delivered, and `helpcenter requests` shows where each one stands.
A message that can never be built from the stored request is marked failed with the reason at
once and never tried again. Whatever goes wrong with one delivery is recorded on it, and the
drain goes on with the next: one bad row never holds up the others.

Each try is short steps, so a mail server or webhook that hangs never holds up the site: the
claim, committed at once; the message built from the database, and that read ended; the talk
to the server with no transaction open and no connection held, bounded as a whole
(transport.send_deadline); the outcome, recorded in a new transaction, with what kind of
failure it was (`error_kind`) beside the words for the technician.

The outbox is where the support side comes together: it asks channels.py or digest.py what a
delivery says and transport.py to send it; none of them knows the outbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Delivery, utcnow
from ..typed_text import without_control_characters
from .channels import (
    ACKNOWLEDGEMENT,
    SUPPORT_EMAIL,
    SUPPORT_WEBHOOK,
    Undeliverable,
    acknowledgement_message,
    built,
    support_message,
    webhook_body,
)
from .digest import digest_message
from .transport import DeliveryError, post_webhook, send_deadline, send_mail

if TYPE_CHECKING:
    from ..content.catalog import Catalog
    from ..search.searcher import SearchService

# The articles a digest's actions name, loaded only when a digest is due (the content store's
# `catalog`, handed in by whoever drains the outbox).
CatalogSource = Callable[[], "Catalog"]

log = logging.getLogger(__name__)

FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=1)
CLAIM_TIME = dt.timedelta(minutes=5)  # at least; always longer than a send can take


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(
    *,
    request_id: int | None = None,
    digest_id: int | None = None,
    now: dt.datetime | None = None,
    retry_now: bool = False,
    catalog: CatalogSource | None = None,
    search: SearchService | None = None,
) -> DrainReport:
    """Sends every delivery that is due (of one request or digest, if given; with `retry_now`,
    also those waiting for their next attempt, e.g. right after the mail server is fixed).
    A drain that may meet a digest needs the `catalog`, and the `search` customers get for
    its "Do this next" as on the staff pages (without it, no typo merging or "found now"
    check); one request's deliveries need neither."""
    now = now or utcnow()
    due = select(Delivery.id).where(*_claimable(now))
    if not retry_now:
        due = due.where(Delivery.next_attempt_at <= now)
    if request_id is not None:
        due = due.where(Delivery.request_id == request_id)
    if digest_id is not None:
        due = due.where(Delivery.digest_id == digest_id)
    report = DrainReport()
    for delivery_id in list(db.session.scalars(due.order_by(Delivery.id))):
        if not _claim(delivery_id, now):
            continue  # another worker has it
        outcome = _send(delivery_id, catalog, search)
        try:
            _record(db.session.get(Delivery, delivery_id), outcome, now, report)
            db.session.commit()
        except SQLAlchemyError as exc:  # the claim runs out and a later run tries again
            db.session.rollback()
            report.failed += 1
            report.errors.append(f"delivery {delivery_id}: database error: {exc}")
            log.exception("could not record delivery %s", delivery_id)
    return report


def prepare(
    delivery: Delivery, catalog: CatalogSource | None, search: SearchService | None = None
) -> Callable[[], None]:
    """Builds what one delivery owes, a contact request's message or a lead's digest, reading
    all it needs from the database now (Undeliverable if it cannot be built), and returns its
    send. The send needs no database, so the outbox makes it with no transaction open and no
    connection held (DeliveryError if it fails)."""
    if delivery.digest is not None:
        if catalog is None:
            raise DeliveryError(None, "a digest was drained without the articles (catalog)")
        return partial(send_mail, built(lambda: digest_message(delivery, catalog(), search)))
    request = delivery.request
    if delivery.channel == SUPPORT_WEBHOOK:
        return partial(post_webhook, built(lambda: webhook_body(request)), request.reference)
    if delivery.channel in (SUPPORT_EMAIL, ACKNOWLEDGEMENT):
        build = support_message if delivery.channel == SUPPORT_EMAIL else acknowledgement_message
        return partial(send_mail, built(lambda: build(request)))
    raise Undeliverable("unbuildable", f"unknown channel {delivery.channel!r}")


def _send(
    delivery_id: int, catalog: CatalogSource | None, search: SearchService | None
) -> Exception | None:
    """Builds the delivery's message in a short read (the digest's reports included) and ends
    that transaction before sending: a mail server or webhook that hangs holds no lock, no
    transaction and no pooled connection, so the site and the other workers never wait for it
    (transport.send_deadline bounds how long it can hang). Returns what went wrong, if
    anything."""
    try:
        send = prepare(db.session.get(Delivery, delivery_id), catalog, search)
    except Exception as exc:  # Undeliverable, a setting to fix, the database: recorded below
        return exc
    finally:
        db.session.rollback()  # building only reads: this ends the read, the connection goes back
    try:
        send()
    except Exception as exc:
        return exc
    return None


def _record(
    delivery: Delivery | None, outcome: Exception | None, now: dt.datetime, report: DrainReport
) -> None:
    """One try's outcome, in a new short transaction (committed by the caller)."""
    if delivery is None:  # its request was deleted while it was being sent
        return
    delivery.attempts += 1
    delivery.claimed_until = None
    if outcome is None:
        delivery.state = "sent"
        delivery.sent_at = utcnow()
        delivery.last_error = delivery.error_kind = None
        report.sent += 1
    elif isinstance(outcome, Undeliverable):
        if delivery.state == "pending":  # not if erased (cancelled) meanwhile
            delivery.state = "failed"
        _record_failure(delivery, outcome, report)
        log.error("delivery %s can never be sent: %s", delivery.id, outcome)
    else:  # DeliveryError, or a surprise: either way worth another try
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        _record_failure(delivery, outcome, report)
        log.warning(
            "delivery %s failed (attempt %d): %s",
            delivery.id,
            delivery.attempts,
            outcome,
            exc_info=None if isinstance(outcome, DeliveryError) else outcome,
        )


def _record_failure(delivery: Delivery, exc: Exception, report: DrainReport) -> None:
    # Error texts can quote what was stored (a NUL, say, which PostgreSQL cannot store).
    error = without_control_characters(str(exc)) or type(exc).__name__
    delivery.last_error = error[:500]
    delivery.error_kind = exc.kind if isinstance(exc, DeliveryError | Undeliverable) else None
    report.failed += 1
    report.errors.append(f"{delivery.subject} {delivery.channel}: {error}")


def _claimable(now: dt.datetime) -> list:
    """Pending and not held by another worker (or held past its claim, after a crash)."""
    return [
        Delivery.state == "pending",
        or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
    ]


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Takes the delivery for this worker, in a transaction of its own (committed at once)."""
    hold = max(CLAIM_TIME, 2 * dt.timedelta(seconds=send_deadline(current_app.config)))
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, *_claimable(now))
        .values(claimed_until=now + hold)
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
