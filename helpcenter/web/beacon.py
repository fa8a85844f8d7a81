"""The page-view beacon: what a cached page cannot do for itself, asked for by site.js once the
page is shown (a cache answers the page without the app, and the page is the same for everyone).

It counts an article view (once per page load: the script makes a nonce per load, and a second
beacon with the same nonce is answered but not counted), issues the anonymous visitor cookie,
logs a results page's search (once per page load, the same way: web/search_beacon.py),
remembers the page's language for `/` and a search for the contact form, and tells a returning
voter's page where their feedback box stands. Same-origin posts only (web/origin.py), limited
per client address like the other posts; its answer is private.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from .. import services
from ..activity.searchlog import ViewRecord
from ..extensions import db
from ..models import asked_from
from ..ratelimits import Rule, hit
from .catalog_access import current_catalog
from .feedback_box import feedback_box
from .i18n import language_codes
from .origin import Provenance, provenance
from .panel import posted_widget_page
from .recent_search import remember_search
from .request_limits import address_identity, client_network, limited, network_identity
from .search_beacon import log_search
from .security import cookies_secure
from .visitor import visitor_id

bp = Blueprint("beacon", __name__)
log = logging.getLogger(__name__)

# A reader opens a few pages a minute; an office or a carrier puts many behind one address.
BEACON_ADDRESS_LIMIT = "120/minute;3000/day"
BEACON_NETWORK_LIMIT = "600/minute;20000/day"
# One count per page load, however often the page's script sends its nonce (a retry, a page
# restored from the back-forward cache); remembered in the shared rate-limit table for a day.
ONCE_PER_LOAD = "1/day"
_NONCE = re.compile(r"^[0-9a-f]{32}$")


@bp.post("/beacon")
@limited(
    "beacon",
    (BEACON_ADDRESS_LIMIT, address_identity),
    (BEACON_NETWORK_LIMIT, network_identity),
    fail_open=True,  # the page was read anyway; a lost count is better than a refused one
)
def page_shown():
    if provenance() is not Provenance.SAME_ORIGIN:
        abort(403)  # only our own pages report; a browser too old to say never runs site.js's fetch
    form = request.form
    lang = form.get("lang", "")
    if lang not in language_codes():
        abort(400)
    answer: dict = {"counted": False}
    nonce = form.get("nonce", "")
    article_id = form.get("article", "")
    search = form.get("search", "")
    widget_page = posted_widget_page()  # from the help widget's panel: on which host page
    if search and not article_id:
        key = log_search(
            search,
            first_of_load=_first_beacon_of_load(nonce),
            nonce=nonce,
            earlier=form.get("e", ""),
            visitor=visitor_id(),
            network=client_network(),
            widget_page=widget_page,
        )
        if key is None:
            abort(400)
        answer["search"] = key if _NONCE.match(key) else None
    if article_id:
        view = current_catalog().find(lang, article_id) if len(article_id) <= 200 else None
        if view is None:
            abort(404)
        if _first_beacon_of_load(nonce):
            services.search_log().record(
                ViewRecord(
                    created_at=dt.datetime.now(dt.UTC),
                    lang=lang,
                    article_id=view.article.id,
                    visitor=visitor_id(),
                    fallback=view.fallback,
                    network=client_network(),
                    **asked_from(widget_page),
                )
            )
            answer["counted"] = True
        step, html = feedback_box(lang, view.article.id, visitor_id())
        answer["feedback"] = {"step": step, "html": html}
    query = " ".join(form.get("q", "").split())
    if query:  # with its key: a click on one of its results says it led to that article
        remember_search(lang, query, answer.get("search") or "")
    visitor_id()  # issued here, never by a cached page
    response = jsonify(answer)
    _remember_language(response, lang)
    return response


def _first_beacon_of_load(nonce: str) -> bool:
    """True the first time this page load's nonce is seen (on every node: counted in the
    database); a malformed nonce, or a database that cannot tell, counts nothing."""
    if not _NONCE.match(nonce):
        return False
    try:
        return hit([Rule("view", ONCE_PER_LOAD, f"p:{nonce}")]) is None
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not check a page view's nonce; the view is not counted")
        return False


def _remember_language(response: Response, lang: str) -> None:
    """The language of the page read last is the one `/` sends the visitor to next time (the
    pages themselves are cached and set no cookie)."""
    cookie = current_app.config["LANGUAGE_COOKIE"]
    if request.cookies.get(cookie) != lang:
        response.set_cookie(
            cookie,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=cookies_secure(current_app),
        )
