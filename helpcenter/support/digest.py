"""The weekly digest to the leads: the headline numbers with their change and the ten actions
that reach the most customers, in each lead's language, plain text plus HTML.

`schedule_digest` decides once per period (a `digest` row, unique per period) and queues one
outbox delivery per lead, so a failed send is retried by `helpcenter deliver` like any other
mail and a second run for the same week sends nothing. The first digest of a site covers the
last 7 days up to its run (a new install's first mail has its first week in it, not the
empty complete week before); each later one the last complete ISO week, once that week ends
after the period the latest digest covered. The content is built when it is sent, from the
stored period, so a retry sends the same week's numbers.

The digest is the leads' mail, so replying to it reaches the leads, never the customers'
support inbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING

from babel.dates import parse_pattern
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..addresses import UnusableAddress, plain_address
from ..extensions import db
from ..models import Delivery, Digest
from ..reports.actions import KINDS, action_plan
from ..reports.headline import headline
from ..reports.report import Period, ReportSettings
from ..site_name import site_name
from .channels import DIGEST, mail_message

if TYPE_CHECKING:
    from ..content.catalog import Catalog
    from ..search.searcher import SearchService

TOP_ACTIONS = 10


def recipients(setting, default_language: str) -> list[tuple[str, str]]:
    """(address, language) of each lead from DIGEST_TO: a JSON object {"address": "pl"}, or
    addresses separated by commas (then in the default language)."""
    if isinstance(setting, str) and setting.strip().startswith("{"):
        setting = json.loads(setting)
    if isinstance(setting, dict):
        return [(address.strip(), lang or default_language) for address, lang in setting.items()]
    if isinstance(setting, str):
        setting = setting.split(",")
    return [(address.strip(), default_language) for address in setting or [] if address.strip()]


def last_complete_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the ISO week before the one `today` is in."""
    monday = today - dt.timedelta(days=today.weekday() + 7)
    return monday, monday + dt.timedelta(days=6)


FIRST_DIGEST_DAYS = 7


def due_period(today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the digest due `today`, or None when none is: the last 7
    days up to today when no digest was ever decided, else the last complete week if it ends
    after the latest digest's period (a first digest mid-week covers part of the week after)."""
    latest = db.session.scalar(select(func.max(Digest.last_day)))
    if latest is None:
        return today - dt.timedelta(days=FIRST_DIGEST_DAYS - 1), today
    first, last = last_complete_week(today)
    return (first, last) if last > latest else None


def schedule_digest(today: dt.date | None = None) -> Digest | None:
    """The digest due today (`due_period`) with a delivery per lead, or None when it was
    already decided (by this or an earlier run, or another process at the same moment) or
    there are no leads to send it to."""
    config = current_app.config
    leads = recipients(config["DIGEST_TO"], config["DEFAULT_LANGUAGE"])
    if not leads:
        return None
    period = due_period(today or dt.datetime.now(dt.UTC).date())
    if period is None:
        return None
    first, last = period
    known = select(Digest.id).where(Digest.period == "week", Digest.first_day == first)
    if db.session.scalar(known) is not None:
        return None
    digest = Digest(period="week", first_day=first, last_day=last)
    digest.deliveries = [
        Delivery(channel=DIGEST, recipient=address, lang=lang) for address, lang in leads
    ]
    db.session.add(digest)
    try:
        db.session.commit()
    except IntegrityError:  # another run decided the same week a moment ago
        db.session.rollback()
        return None
    return digest


def period_in_words(first: dt.date, last: dt.date) -> str:
    """ "30 November – 6 December 2026" in the reader's language (the locale's own pattern for
    a range of days, the year and month said once where they are shared), months in words."""
    locale = get_locale()
    parts = locale.interval_formats["yMMMd"]
    field = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    return "".join(
        parse_pattern(_in_words(pattern)).apply(day, locale)
        for pattern, day in zip(parts[field], (first, last), strict=True)
    )


def _in_words(pattern: str) -> str:
    """A date pattern with the month's name written out ("MMM" → "MMMM") and the day as a
    plain number ("dd" → "d"), as a date in a sentence is written."""
    return re.sub(r"(?<!d)dd(?!d)", "d", re.sub(r"M{3,4}", "MMMM", pattern))


def digest_message(
    delivery: Delivery, catalog: Catalog, search: SearchService | None = None
) -> EmailMessage:
    """One lead's digest mail; `catalog` holds the articles its actions name, `search` is the
    one customers get (its "Do this next" is then the staff page's)."""
    digest = delivery.digest
    config = current_app.config
    lang = delivery.lang or config["DEFAULT_LANGUAGE"]
    since = dt.datetime.combine(digest.first_day, dt.time(), dt.UTC)
    period = Period(since, since + dt.timedelta(days=(digest.last_day - digest.first_day).days + 1))
    actions = action_plan(period, catalog, ReportSettings.from_config(config, search)).ranked
    public = config["PUBLIC_URL"].rstrip("/")
    with force_locale(lang):
        words = period_in_words(digest.first_day, digest.last_day)
        context = {
            "site_name": site_name(lang),
            "digest": digest,
            "period": words,
            "lang": lang,
            "numbers": headline(period),
            "actions": actions[:TOP_ACTIONS],
            "kinds": KINDS,
            "dashboard_url": f"{public}/reports/?since={digest.first_day}&until={digest.last_day}",
            "public_url": public,
        }
        environment = current_app.jinja_env
        return mail_message(
            to=Address(addr_spec=plain_address(delivery.recipient or "")),
            reply_to=leads_addresses(digest),
            subject=_("%(site)s digest: %(period)s", site=site_name(lang), period=words),
            body=environment.get_template("mail/digest.txt").render(**context),
            html=environment.get_template("mail/digest.html").render(**context),
            identity=f"digest-{digest.first_day}."
            + hashlib.sha256((delivery.recipient or "").encode()).hexdigest()[:16],
        )


def leads_addresses(digest: Digest) -> list[Address]:
    """Every lead the digest goes to: its Reply-To, so an answer to it reaches the leads, not
    the customers' support inbox. An address no header can hold is left out (its own
    delivery fails on it, the others' do not)."""
    found = []
    for delivery in digest.deliveries:
        try:
            found.append(Address(addr_spec=plain_address(delivery.recipient or "")))
        except UnusableAddress:
            continue
    return found
