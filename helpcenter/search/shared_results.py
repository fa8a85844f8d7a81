"""Whole search results kept in Redis, so every worker of every node answers a repeated query
that any of them has searched (SEARCH_RESULT_CACHE_URL; result_cache.py has the key's rules).

Three promises to the operator:
- Nothing in Redis can run code in the site: values are JSON (result_json.py), and anything
  that does not decode to the shapes the search stores is ignored and searched again.
- Redis down, slow or full never breaks a search nor slows it more than once in a while: each
  call waits at most `timeout` (50 ms), and after a failure the store is skipped for
  `retry_after` seconds, searching as if it were empty, with one log line per interval.
- Memory is bounded twice: every entry expires after `ttl` seconds, and the operator gives the
  Redis a `maxmemory` with an LRU policy (docs/deploy.md).

The key is a digest of the whole key tuple (the query, how it was asked, and the content the
answer was computed from), under a prefix that names the site's version: two versions during
a rolling deploy never read each other's entries.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Hashable
from importlib.metadata import PackageNotFoundError, version

from .result_json import MalformedResult, decode, encode

log = logging.getLogger(__name__)

TIMEOUT = 0.05  # seconds a search waits for Redis at most (connecting or answering)
RETRY_AFTER = 10.0  # seconds Redis is left alone after a failure (one log line per interval)
PREFIX = "helpcenter:results"


def _site_version() -> str:
    try:
        return version("helpcenter")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0"


class RedisResults:
    """A ResultStore in Redis at `url` (redis://host:port/db), entries kept `ttl` seconds."""

    def __init__(
        self,
        url: str,
        ttl: int,
        *,
        timeout: float = TIMEOUT,
        retry_after: float = RETRY_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        import redis  # the `redis` extra: only a site that configures Redis needs it
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            # No retries (redis-py retries 3 times with backoff by default): a second try
            # would double the wait that the skip interval is there to avoid.
            retry=Retry(NoBackoff(), 0),
        )
        self.ttl = ttl
        self.retry_after = retry_after
        self._clock = clock
        self._prefix = f"{PREFIX}:{_site_version()}:"
        self._skip_until = 0.0
        self._lock = threading.Lock()

    def name(self, key: Hashable) -> str:
        """The Redis key of a key tuple: the same tuple on any node gives the same name."""
        text = json.dumps(key, ensure_ascii=False, separators=(",", ":"))
        return self._prefix + hashlib.blake2b(text.encode(), digest_size=20).hexdigest()

    def get(self, key: Hashable) -> object | None:
        if self._skipping():
            return None
        try:
            stored = self.client.get(self.name(key))
        except self._errors as exc:
            self._failed("read", exc)
            return None
        if stored is None:
            return None
        try:
            return decode(stored)
        except MalformedResult as exc:
            # Written by someone else (or an older site): searched again and overwritten.
            log.warning("search result cache: ignored a malformed entry: %s", exc)
            return None

    def put(self, key: Hashable, value: object) -> None:
        if self._skipping():
            return
        try:
            self.client.set(self.name(key), encode(value), ex=self.ttl)
        except self._errors as exc:
            self._failed("write", exc)

    def clear(self) -> None:
        """Forgets this version's entries, for every node."""
        try:
            for name in self.client.scan_iter(match=self._prefix + "*", count=1000):
                self.client.unlink(name)
        except self._errors as exc:
            self._failed("clear", exc)

    def _skipping(self) -> bool:
        return self._clock() < self._skip_until

    def _failed(self, what: str, exc: BaseException) -> None:
        with self._lock:
            now = self._clock()
            if now < self._skip_until:
                return  # another thread failed first and said so
            self._skip_until = now + self.retry_after
        log.warning(
            "search result cache: cannot %s Redis (%s); searching without it for %.0f s",
            what,
            exc,
            self.retry_after,
        )
