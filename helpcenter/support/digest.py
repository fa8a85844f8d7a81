"""The weekly digest to the leads: the headline numbers with their change and the ten actions
that reach the most customers, in each lead's language, plain text plus HTML.

`schedule_digest` decides once per period (a `digest` row, unique per period) and queues one
outbox delivery per lead, so a failed send is retried by `helpcenter deliver` like any other
mail and a second run for the same week sends nothing. The content is built when it is sent,
from the stored period, so a retry sends the same week's numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from email.headerregistry import Address
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import services
from ..extensions import db
from ..identity import site_name
from ..models import Delivery, Digest
from ..reports.actions import KINDS, next_actions
from ..reports.base import Period, ReportSettings
from ..reports.headline import headline
from .addresses import plain_address
from .channels import DIGEST, configured_address, mail_message

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


def schedule_digest(today: dt.date | None = None) -> Digest | None:
    """The digest of the last complete week with a delivery per lead, or None when it was
    already decided (by this or an earlier run, or another process at the same moment) or
    there are no leads to send it to."""
    config = current_app.config
    leads = recipients(config["DIGEST_TO"], config["DEFAULT_LANGUAGE"])
    if not leads:
        return None
    first, last = last_complete_week(today or dt.datetime.now(dt.UTC).date())
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


def digest_message(delivery: Delivery) -> EmailMessage:
    digest = delivery.digest
    config = current_app.config
    lang = delivery.lang or config["DEFAULT_LANGUAGE"]
    since = dt.datetime.combine(digest.first_day, dt.time(), dt.UTC)
    period = Period(since, since + dt.timedelta(days=(digest.last_day - digest.first_day).days + 1))
    catalog = services.content_store().catalog()
    settings = ReportSettings.from_config(config)
    actions = next_actions(
        period,
        catalog,
        stale_after_days=settings.stale_after_days,
        strong_learned_visitors=settings.strong_learned_visitors,
    )
    public = config["PUBLIC_URL"].rstrip("/")
    with force_locale(lang):
        context = {
            "site_name": site_name(lang),
            "digest": digest,
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
            reply_to=configured_address("SUPPORT_EMAIL"),
            subject=_(
                "%(site)s: the week from %(first)s to %(last)s",
                site=site_name(lang),
                first=format_date(digest.first_day, "medium"),
                last=format_date(digest.last_day, "medium"),
            ),
            body=environment.get_template("mail/digest.txt").render(**context),
            html=environment.get_template("mail/digest.html").render(**context),
            identity=f"digest-{digest.first_day}."
            + hashlib.sha256((delivery.recipient or "").encode()).hexdigest()[:16],
        )
