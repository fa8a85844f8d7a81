"""A client's network: the unit the reports ("customers reached"), the learned words (their
teachers) and the activity log's row cap count customers by.

A visitor cookie is the client's to choose, and one client can send a new one with every
request; an address is nearly as cheap to change inside the block a provider hands out. What a
client cannot easily change is its network: an IPv4 /24 or an IPv6 /48, what one office, home,
hosting account or mobile operator's gateway holds. Many cookies and addresses from one network
count as one customer. (Many customers behind one network count as one too: reach errs low,
never high.)

The database keeps a keyed hash of the network, never the address or the network itself: an
HMAC with SECRET_KEY, which does not rotate (one network stays one customer over the whole
learning window and any report period), cut to KEY_CHARS hex digits (20 bits): each value
stands for about sixteen IPv4 /24 networks, so even someone holding the key cannot name the one
a row came from. Two networks sharing a value count as one, which again errs low.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import current_app

IPV4_PREFIX = 24
IPV6_PREFIX = 48
KEY_CHARS = 5


def network_of(
    address: str | None, *, ipv4_prefix: int = IPV4_PREFIX, ipv6_prefix: int = IPV6_PREFIX
) -> str:
    """ "203.0.113.0/24" for 203.0.113.9, "2001:db8:1::/48" for 2001:db8:1:2::5 (an IPv4
    address mapped into IPv6 is its IPv4 self); "unknown" for no address or a malformed one
    (a unix socket), all of which count as one network. Other prefixes for other counts (the
    search throttles: web/request_limits.py)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ipaddress.IPv4Network((int(ip), ipv4_prefix), strict=False))
    return str(ipaddress.IPv6Network((int(ip), ipv6_prefix), strict=False))


def network_key(address: str | None) -> str:
    """What the activity log, votes and contact requests store for the client's network."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"net|{network_of(address)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:KEY_CHARS]
