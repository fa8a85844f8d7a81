"""Who a rate limit counts (the visitor, the client's address) and the decorator that holds the
posts reaching a human or guessing a password to the limits counted in the database
(../ratelimits.py). Flask-Limiter (`limiter` below) keeps the cheap per-minute throttles of
the other endpoints; both see only keyed hashes, never an address."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import current_app, request
from flask_limiter import Limiter
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from ..extensions import db
from ..models import utcnow
from ..networks import network_key, network_of
from ..ratelimits import Rule, hit, keyed_hash
from .visitor import COOKIE, is_valid_visitor

log = logging.getLogger(__name__)

Identity = Callable[[], str]


def visitor_identity() -> str:
    """The anonymous visitor cookie, or (for clients that drop cookies) the address: a client
    without a cookie must not count as a new visitor on every post. Read without issuing a
    cookie."""
    visitor = request.cookies.get(COOKIE, "")
    return f"v:{visitor}" if is_valid_visitor(visitor) else address_identity()


def address_identity() -> str:
    """The client's address (behind proxies: see PROXY_COUNT); only ever stored hashed."""
    return f"a:{request.remote_addr}"


def network_identity() -> str:
    """The client's network (an IPv4 /24, an IPv6 /48: ../networks.py), for limits a client
    must not escape by changing its address within the block it was given."""
    return f"n:{network_of(request.remote_addr)}"


def client_network() -> str:
    """The keyed hash of the client's network that the activity log, votes and contact
    requests store (../networks.py)."""
    return network_key(request.remote_addr)


def visitor_or_address_key() -> str:
    """Flask-Limiter's key per visitor (see visitor_identity): a keyed hash as well, so no
    store holds an address."""
    return keyed_hash(visitor_identity(), utcnow().date())


# The search throttles' second count, per client whatever cookie it sends (a new one with each
# request is free). An IPv4 address counts alone, not its /24: a mobile carrier's shared
# addresses, a university or one ISP's neighbouring subscribers would throttle each other, and
# addresses cost an attacker money. An IPv6 client counts by its /64: any one host may use every
# address of its /64 (privacy addresses rotate within it), so per address it would be free.
THROTTLE_IPV6_PREFIX = 64


def throttled_client(address: str | None) -> str:
    """The client a search throttle counts: the IPv4 address, or the IPv6 address's /64."""
    return network_of(address, ipv4_prefix=32, ipv6_prefix=THROTTLE_IPV6_PREFIX)


def client_address_key() -> str:
    """Flask-Limiter's key per client address (see throttled_client), never per cookie: a keyed
    hash, so no store holds an address."""
    return keyed_hash(throttled_client(request.remote_addr), utcnow().date())


# Cheap per-minute throttles of the endpoints anyone can call in a loop (searches), counted in
# RATELIMIT_STORAGE_URI: memory is per worker, several nodes need Redis. Keyed per visitor by
# default; a second limit per address takes `key_func=client_address_key`. The limits on posts
# that reach a human or guess a password are counted in the database instead (limited below).
limiter = Limiter(key_func=visitor_or_address_key, default_limits=[], headers_enabled=True)


def limited(
    bucket: str,
    *limits: tuple[str, Identity],
    fail_open: bool,
    methods: tuple[str, ...] = ("POST",),
) -> Callable:
    """Holds a view to `limits` (pairs of "5/minute;20/day" and whom it counts), counted in the
    database across workers and restarts; over a limit the view is answered with 429 (and
    Retry-After). When the database cannot count, `fail_open` lets the request through (a vote
    does little harm); else it is answered with 503, which the blueprint renders with what was
    typed. RATELIMIT_ENABLED=False turns these limits off with Flask-Limiter's."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if request.method in methods and current_app.config.get("RATELIMIT_ENABLED", True):
                _count(bucket, limits, fail_open=fail_open)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _count(bucket: str, limits: tuple[tuple[str, Identity], ...], *, fail_open: bool) -> None:
    try:
        retry_after = hit([Rule(bucket, spec, identity()) for spec, identity in limits])
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not count a %s post against its rate limits", bucket)
        if fail_open:
            return
        raise ServiceUnavailable() from None
    if retry_after is not None:
        raise TooManyRequests(retry_after=retry_after)
