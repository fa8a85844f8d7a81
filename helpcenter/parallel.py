"""Independent read-only queries run side by side: the dashboard's reports. The database works
outside the GIL, so threads shorten the page's wait to its slowest report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from contextvars import copy_context
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale


def side_by_side(calls: Mapping[str, Callable[[], Any]], *, workers: int) -> dict[str, Any]:
    """Each call's result by name. Each call runs in an app context of its own, so with its own
    database session, and in the caller's locale, since reports name things (the reasons given
    after "No") in the reader's language, and with a copy of the caller's context variables,
    so the calls share the pieces they have in common (reports/computed_once.py). No request state:
    the layers below the web never read it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    locale = get_locale()

    def in_own_context(call: Callable[[], Any]) -> Any:
        with app.app_context(), force_locale(locale) if locale else nullcontext():
            return call()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = {
            name: pool.submit(copy_context().run, in_own_context, call)
            for name, call in calls.items()
        }
        return {name: future.result() for name, future in pending.items()}
