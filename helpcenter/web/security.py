"""Security headers on every response: a Content-Security-Policy without inline script or style."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, after_this_request, has_request_context, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.middleware.proxy_fix import ProxyFix


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The one policy of every response. Only the help widget's panel (web/panel.py) may be
    framed, by the sites of WIDGET_ORIGINS; everything else by nobody."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


def cookies_secure(app: Flask) -> bool:
    """Cookies get the Secure flag when the page came over HTTPS (behind a proxy, see
    PROXY_COUNT) and the app is not in debug mode, or always with SESSION_COOKIE_SECURE."""
    if app.config.get("SESSION_COOKIE_SECURE"):
        return True
    return has_request_context() and request.is_secure and not app.debug


def is_shared(response: Response) -> bool:
    """A response any cache may keep and hand to every visitor: article images, our static
    files, the theme (`Cache-Control: public`)."""
    return bool(response.cache_control.public)


class SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        return cookies_secure(app)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Also the last word on a shared response's cookies (Flask saves the session after
        every after_request handler): it leaves with none. A cache would otherwise hand one
        visitor's session, visitor id or language to everyone, for a year."""
        if is_shared(response):
            del response.headers["Set-Cookie"]
            return
        super().save_session(app, session, response)


def install(app: Flask) -> None:
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = SessionInterface()
    public_host = urlsplit(app.config["PUBLIC_URL"]).hostname
    if not app.config.get("TRUSTED_HOSTS") and public_host:
        # The public name, and loopback for the health checks of a proxy on the same machine.
        app.config["TRUSTED_HOSTS"] = [public_host, "localhost", "127.0.0.1"]
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
            # For browsers that predate frame-ancestors; a page framed by allowed sites (the
            # widget's panel) has no such header: it would forbid them too.
            headers.setdefault("X-Frame-Options", "DENY")
        _relative_location(response)
        return response


def _relative_location(response: Response) -> None:
    """Redirects Werkzeug builds itself (the trailing-slash 308) name the request's Host; a
    path is all a browser needs, and a made-up Host header then cannot poison a cache."""
    location = response.headers.get("Location")
    if not location:
        return
    parts = urlsplit(location)
    if parts.netloc and parts.netloc == request.host:
        response.headers["Location"] = urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def private_page(view: Callable) -> Callable:
    """For pages that show what one person typed or may type (contact form, confirmation,
    login): no shared cache may keep them and no browser cache may show them again."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        @after_this_request  # also on the error pages that show the typed text (429, 503)
        def no_store(response: Response) -> Response:
            response.headers["Cache-Control"] = "private, no-store"
            return response

        return view(*args, **kwargs)

    return wrapper
