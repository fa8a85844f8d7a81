"""An anonymous per-visitor id in a cookie: lets reports count visitors and keeps one vote per
visitor, without an account and without storing IP addresses."""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, current_app, g, request

from .security import cookies_secure

COOKIE = "hc_visitor"
_VALID = re.compile(r"^[0-9a-f]{32}$")


def is_valid_visitor(value: str) -> bool:
    return bool(_VALID.match(value))


def visitor_id() -> str:
    """The visitor's id; a new one is made (and set as a cookie) on first use."""
    if "visitor_id" not in g:
        existing = request.cookies.get(COOKIE, "")
        g.visitor_id = existing if _VALID.match(existing) else uuid.uuid4().hex
        g.visitor_is_new = not _VALID.match(existing)
    return g.visitor_id


def install(app: Flask) -> None:
    @app.after_request
    def set_visitor_cookie(response: Response) -> Response:
        if g.get("visitor_is_new"):
            response.set_cookie(
                COOKIE,
                g.visitor_id,
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=cookies_secure(current_app),
            )
        return response
