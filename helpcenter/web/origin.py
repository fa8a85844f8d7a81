"""Whether a POST comes from one of our own pages, without a per-visitor token: the forms on
cached pages (the vote, the page-view beacon) cannot carry one, since every reader of a cached
page gets the same bytes.

OWASP's CSRF cheat sheet, "Fetch Metadata" and "Verifying origin with standard headers": a
browser says where a request comes from in `Sec-Fetch-Site` (every current browser) and in
`Origin` (on every POST for years before that); neither can be set by a page. The two answers
a cross-site page can get are "refused" and, from a browser too old to send either header,
"unknown" - which the caller must not take as yes (the vote asks the customer to confirm on a
page of ours that carries a token; web/support.py).
"""

from __future__ import annotations

from enum import Enum

from flask import current_app, request

from ..origins import origin_of


class Provenance(Enum):
    SAME_ORIGIN = "same-origin"
    CROSS_SITE = "cross-site"  # or a sibling subdomain, or an opaque ("null") origin
    UNKNOWN = "unknown"  # neither header: an old browser, or a client that is not a browser


# "none": the user did it themselves (typed the URL, a bookmark); no other site is involved.
_FETCH_SITE_OURS = {"same-origin", "none"}


def provenance() -> Provenance:
    """Where this request comes from, by Sec-Fetch-Site when the browser sends it (it is the
    browser's own verdict, and holds whatever host name the site is reached by), else by
    Origin against the site's own origin."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if fetch_site:
        return Provenance.SAME_ORIGIN if fetch_site in _FETCH_SITE_OURS else Provenance.CROSS_SITE
    origin = request.headers.get("Origin", "").strip().lower()
    if not origin:
        return Provenance.UNKNOWN
    return Provenance.SAME_ORIGIN if origin in own_origins() else Provenance.CROSS_SITE


def own_origins() -> set[str]:
    """The site's origins: PUBLIC_URL's, and the one this request was made to (its scheme and
    host as the client saw them: behind a proxy, PROXY_COUNT makes Werkzeug read
    X-Forwarded-Proto and -Host; the Host itself is held to TRUSTED_HOSTS)."""
    origins = {origin_of(request.host_url)}
    public = current_app.config.get("PUBLIC_URL") or ""
    if public:
        origins.add(origin_of(public))
    return origins - {""}
