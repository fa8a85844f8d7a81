"""Tells the shared cache in front (Varnish, nginx) to drop the pages of new content.

Customer pages are cached for `s-maxage` seconds; a purge after a new content generation goes
live makes an edit visible at once instead. Two ways, one setting (CACHE_PURGE_METHOD):

- BAN (Varnish): one request whose `X-Ban-Url` header is a regular expression of the paths
  to drop, e.g. every page of the languages that changed; deploy/varnish/helpcenter.vcl turns
  it into a ban.
- PURGE (nginx with its cache-purge module, most CDNs): one request per page URL.

A purge is a courtesy: the pages expire by themselves within `s-maxage`. So one that fails,
is refused or hangs is logged and forgotten; it never blocks or breaks indexing or a request
(each purge is cut off after PURGE_TIMEOUT, and the serving site sends it from a thread of its
own).
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .content.catalog import Catalog

log = logging.getLogger(__name__)

PURGE_TIMEOUT = 2.0  # seconds for the whole purge: the cache is next door, or it is not up
METHODS = ("BAN", "PURGE")


@dataclass(frozen=True)
class CachePurge:
    url: str  # the cache's own address, e.g. http://127.0.0.1:6081
    method: str = "BAN"
    host: str = ""  # the Host customers use (PUBLIC_URL's), which the cache keys pages by
    timeout: float = PURGE_TIMEOUT

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CachePurge | None:
        """None when CACHE_PURGE_URL is empty (no cache to tell)."""
        url = str(config.get("CACHE_PURGE_URL") or "").strip()
        if not url:
            return None
        method = str(config.get("CACHE_PURGE_METHOD") or "BAN").upper()
        if method not in METHODS:
            raise ValueError(f"CACHE_PURGE_METHOD must be BAN or PURGE, not {method!r}")
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"CACHE_PURGE_URL must be an http(s) URL, not {url!r}")
        return cls(url=url, method=method, host=urlsplit(config.get("PUBLIC_URL") or "").netloc)

    def purge(self, catalog: Catalog, languages: Iterable[str] | None = None) -> bool:
        """Drops the cached pages of `languages` (all of the catalog's when None): their home,
        category, article and search pages, with the sitemap and the suggestions. True when
        the cache confirmed every request within `timeout`; failures are logged, never raised."""
        codes = sorted(catalog.language_codes if languages is None else languages)
        if not codes:
            return True
        if self.method == "BAN":
            requests = [("BAN", "/", {"X-Ban-Url": ban_expression(codes)})]
        else:
            requests = [("PURGE", path, {}) for path in page_paths(catalog, codes)]
        started = time.monotonic()
        # The conversation runs in a thread of its own, so that a cache answering a byte at a
        # time (which no socket timeout catches) is cut off at `timeout` all the same.
        conversation = _Conversation(self, requests)
        conversation.start()
        conversation.join(self.timeout)
        if conversation.is_alive():
            conversation.cut_off()
            failure: BaseException | None = PurgeRefused(f"no answer within {self.timeout:g} s")
        else:
            failure = conversation.failure
        if failure is not None:
            log.warning("cache purge (%s %s) failed: %s", self.method, self.url, failure)
            return False
        log.info(
            "cache purged (%s, %s) in %.0f ms",
            self.method,
            ", ".join(codes),
            (time.monotonic() - started) * 1000,
        )
        return True

    def purge_in_background(
        self, catalog: Catalog, languages: Iterable[str] | None = None
    ) -> threading.Thread:
        """The same from a daemon thread, for callers that must not wait (a request)."""
        thread = threading.Thread(
            target=self.purge, args=(catalog, languages), name="cache-purge", daemon=True
        )
        thread.start()
        return thread


class _Conversation(threading.Thread):
    """The requests of one purge over one connection; `failure` says what went wrong."""

    def __init__(self, purge: CachePurge, requests: list[tuple[str, str, dict[str, str]]]) -> None:
        super().__init__(name="cache-purge-conversation", daemon=True)
        self.purge, self.requests = purge, requests
        self.failure: BaseException | None = None
        parts = urlsplit(purge.url)
        kind = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        self.connection = kind(parts.hostname or "127.0.0.1", parts.port, timeout=purge.timeout)
        self.prefix = parts.path.rstrip("/")

    def run(self) -> None:
        try:
            for method, path, headers in self.requests:
                if self.purge.host:
                    headers = {"Host": self.purge.host, **headers}
                self.connection.request(method, self.prefix + path, headers=headers)
                response = self.connection.getresponse()
                response.read()
                # 404: nothing cached under that URL (nginx's purge module says so).
                if response.status >= 400 and not (method == "PURGE" and response.status == 404):
                    raise PurgeRefused(f"{method} {path}: {response.status} {response.reason}")
        except (OSError, http.client.HTTPException, PurgeRefused) as exc:
            self.failure = exc
        finally:
            self.connection.close()

    def cut_off(self) -> None:
        """Ends a conversation that took too long: shutting the socket down wakes the read."""
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class PurgeRefused(Exception):
    """The cache answered, and said no (or took too long over many URLs)."""


def ban_expression(languages: Iterable[str]) -> str:
    """The paths a BAN drops: every page under the languages, the sitemap and the
    suggestions (static files and images keep their content-hashed URLs)."""
    codes = "|".join(re.escape(code) for code in sorted(languages))
    return rf"^/(({codes})/|sitemap\.xml|api/)"


def page_paths(catalog: Catalog, languages: Iterable[str]) -> list[str]:
    """Every page URL of the languages, as the site's routes (web/site.py) make them: what a
    PURGE per URL has to name. An article is at its URL in every language, translated or not."""
    paths = ["/sitemap.xml"]
    article_ids = sorted({article_id for (_, article_id) in catalog.articles})
    categories = sorted({article_id.split("/", 1)[0] for article_id in article_ids})
    for lang in languages:
        paths.append(f"/{lang}/")
        paths.extend(f"/{lang}/{category}/" for category in categories)
        paths.extend(f"/{lang}/{article_id}" for article_id in article_ids)
    return paths


class PurgeOnNewContent:
    """Run before each request of the serving site: when this worker has just loaded a new
    catalog (an edit, a pull), the cache is purged in the background.

    Every worker purges once per content generation it loads; with several workers the last
    one's purge also drops what the cache fetched from a worker that had not reloaded yet."""

    def __init__(self, purge: CachePurge, catalog: Callable[[], Catalog]) -> None:
        self.purge = purge
        self._catalog = catalog
        self._seen: Catalog | None = None

    def __call__(self) -> None:
        catalog = self._catalog()
        previous, self._seen = self._seen, catalog
        if previous is not None and previous is not catalog:
            self.purge.purge_in_background(catalog)
