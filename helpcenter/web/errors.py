"""Error pages in the visitor's language; never a bare traceback."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound, SecurityError

log = logging.getLogger(__name__)


def install(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        return render_template("errors/404.html"), 404

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return app.response_class("Unknown host name.\n", 400, mimetype="text/plain")

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError):
        log.error("internal error: %s", error.original_exception or error)
        return render_template("errors/500.html"), 500

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        return render_template("errors/generic.html", error=error), error.code or 500
