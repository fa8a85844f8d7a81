"""Web origins (`https://host[:port]`) as a browser writes them in `Origin` and postMessage:
the site's own (web/origin.py), and the sites allowed to embed the help widget
(WIDGET_ORIGINS, read here once at start-up so a typo stops the app, not a customer's panel)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """The origin of `url` in the one form browsers send ("https://shop.example.com", the
    default port left out, lower case); "" when it has none (no scheme or host)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number, an unclosed IPv6 bracket
        return ""
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return ""
    shown_port = f":{port}" if port and port != _DEFAULT_PORTS[parts.scheme] else ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}{shown_port}".lower()


def parse_widget_origins(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """WIDGET_ORIGINS as the origins it names, each once, in the given order: a text of
    origins separated by commas or spaces (an environment variable), or a list (TOML, JSON).
    Empty: the widget is off. ValueError says which entry is not an origin and why."""
    if not value:
        return ()
    if isinstance(value, str):
        entries = value.replace(",", " ").split()
    elif isinstance(value, Iterable) and all(isinstance(entry, str) for entry in value):
        entries = [entry.strip() for entry in value if entry.strip()]
    else:
        raise ValueError('must be a list of origins, e.g. ["https://app.example.com"]')
    origins: list[str] = []
    for entry in entries:
        origin = _checked_origin(entry)
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def _checked_origin(entry: str) -> str:
    if entry == "*":
        raise ValueError(
            "'*' would let every site frame the help panel: list the sites that embed it"
        )
    parts = urlsplit(entry)
    origin = origin_of(entry)
    if not origin or parts.username or parts.password:
        raise ValueError(
            f"{entry!r} is not an origin: write the scheme and host (and port) of the site "
            "that embeds the widget, e.g. https://app.example.com"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(
            f"{entry!r} names a page: an origin is only its scheme, host and port ({origin})"
        )
    return origin
