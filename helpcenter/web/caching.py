"""Which responses a shared cache (Varnish, a CDN) may keep, and for how long.

The customer's GET pages (home, category, article, search results, sitemap, robots) are the
same for everyone who asks for the same URL: they carry no cookie, no token and nothing about
the visitor (what is per visitor comes from the page-view beacon, web/beacon.py). They are
`public` with `s-maxage`, so a cache answers them, and `max-age=0`, so a browser asks again
(and gets a 304) rather than showing an old version after an edit. Everything else, above all
whatever answers a POST or shows what someone typed, is `private, no-store` unless its view
says otherwise (static files and article images say `public` themselves).

The ETag is a hash of the page's bytes. Every input that changes them (the content
generation, the language, the templates, the UI catalogs, the app version, the theme and
accent colour from helpcenter.toml, the most-viewed list on the home page) changes it, and
none can be forgotten in a list of inputs; the price is that a 304 is decided after the page
is rendered, which is what a cache's revalidation once per `s-maxage` costs anyway.
`Last-Modified` is not sent: a date cannot say that the UI or the theme changed, so an
`If-Modified-Since` from a client without the ETag would be answered with a wrong 304.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from flask import Flask, Response, current_app, make_response, request

# Per-client headers Flask-Limiter adds; in a shared response they would tell every reader
# about the throttle of the one who happened to fill the cache.
_PER_CLIENT_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Retry-After",
)


def shared_page(lifetime_setting: str = "SITE_CACHE_SECONDS", *, vary: str | None = None):
    """A customer GET page any cache may keep for `lifetime_setting` seconds and hand to
    everyone: `public`, a strong ETag, 304 on a matching If-None-Match. Only a page or a
    redirect is shared (a 404 or a 429 is answered private, as any other response)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            response = make_response(view(*args, **kwargs))
            if 200 <= response.status_code < 400:
                share(response, current_app.config[lifetime_setting], vary=vary)
            return response

        return wrapper

    return decorate


def share(response: Response, lifetime: int, *, vary: str | None = None) -> None:
    """Marks `response` shared for `lifetime` seconds (see shared_page), tagged by its bytes.

    Not in the writer's preview (`helpcenter serve`): there every page is made afresh, so the
    reload after a save shows the edit, never a copy a browser kept (a shared response may be
    served stale while it is revalidated: `stale-while-revalidate`)."""
    config = current_app.config
    if config["WRITER_PREVIEW"]:
        response.headers["Cache-Control"] = "no-store"
        return
    response.cache_control.public = True
    response.cache_control.max_age = 0
    response.cache_control.s_maxage = int(lifetime)
    response.cache_control.stale_while_revalidate = int(config["CACHE_STALE_SECONDS"])
    for name in _PER_CLIENT_HEADERS:
        response.headers.pop(name, None)
    if vary:
        response.vary.update(part.strip() for part in vary.split(","))
    if not response.is_streamed and response.status_code == 200:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.make_conditional(request)


def install(app: Flask) -> None:
    @app.after_request
    def private_unless_said(response: Response) -> Response:
        """A response whose view did not say how to cache it is kept by no cache: the safe
        default for every page that shows what a visitor typed or may type."""
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
