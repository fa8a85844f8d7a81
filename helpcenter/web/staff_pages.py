"""What every staff page shares (the reports and the contact requests): the period asked for
in the query string, the page frame's context, no caching anywhere, and running independent
queries side by side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Response, copy_current_request_context, request

from ..reports import Period
from .forms import LogoutForm
from .i18n import language_codes
from .staff import current_user


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


def side_by_side(calls: Mapping[str, Callable[[], Any]], *, workers: int) -> dict[str, Any]:
    """Each call's result by name. The calls are independent queries run side by side (the
    database works outside the GIL), each in a copy of this request's context with its own
    database session."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = {
            name: pool.submit(copy_current_request_context(call)) for name, call in calls.items()
        }
        return {name: future.result() for name, future in pending.items()}
