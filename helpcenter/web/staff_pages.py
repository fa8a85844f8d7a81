"""What every staff page shares (the reports and the contact requests): the period asked for
in the query string, the page frame's context and no caching anywhere."""

from __future__ import annotations

import datetime as dt

from flask import Response, request

from ..reports import Period
from .forms import LogoutForm
from .i18n import language_codes
from .staff_login import current_user


def never_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def requested_period() -> Period:
    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    lang = request.args.get("lang") or None
    since, until = day("since"), day("until")
    if since and until and since > until:
        since, until = until, since
    return Period.from_dates(since, until, lang if lang in language_codes() else None)


def page_context(period: Period) -> dict:
    return {
        "period": period,
        "user": current_user(),
        "logout_form": LogoutForm(),
        "query_args": {k: v for k, v in request.args.items() if k in ("since", "until", "lang")},
    }
