"""How many searches and article views one network may add to the activity log
(ACTIVITY_LOG_LIMIT, e.g. "120/minute;3000/day"): the bound on the rows one client can make,
whatever cookies it sends.

Counted in the store of the search throttles (RATELIMIT_STORAGE_URI: each worker's memory, or
one Redis every node shares), never in the database: a search must not wait for a write to
decide whether it is logged. Fixed windows are enough here (a burst at the turn of a minute
adds a few rows, it does not let a client grow the log at its own rate). The keys are the
networks' keyed hashes (networks.py), never an address.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

NAMESPACE = "activity-log"


class LogQuota:
    """ACTIVITY_LOG_LIMIT for one process: `allows(network)` per search or view logged."""

    def __init__(self, items: list[RateLimitItem] | None = None, storage_uri: str = "") -> None:
        self.items = items or []
        self.storage_uri = storage_uri or "memory://"
        self._limiter: FixedWindowRateLimiter | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LogQuota:
        """Off when ACTIVITY_LOG_LIMIT is empty or RATELIMIT_ENABLED is false (tests, load
        tests), like every other limit."""
        spec = str(config.get("ACTIVITY_LOG_LIMIT") or "")
        if not spec or not config.get("RATELIMIT_ENABLED", True):
            return cls()
        return cls(list(parse_many(spec)), str(config.get("RATELIMIT_STORAGE_URI") or ""))

    def allows(self, network: str | None) -> bool:
        """Counts one record of `network` and says whether it is within every limit. A record
        without a network (written by code, not by a customer's request) is always allowed;
        so is every record while the store cannot count (logged: the log grows, the site
        goes on)."""
        if not self.items or network is None:
            return True
        try:
            limiter = self._limiter or self._connect()
            # Every limit counts the record, so a flood uses up the day too.
            return all([limiter.hit(item, NAMESPACE, network) for item in self.items])
        except Exception:  # the store's own errors (redis, …) have no common base class
            log.warning("activity log: could not count a record against its quota", exc_info=True)
            return True

    def _connect(self) -> FixedWindowRateLimiter:
        """The store, opened in the worker that uses it (not in a parent before a fork)."""
        with self._lock:
            if self._limiter is None:
                self._limiter = FixedWindowRateLimiter(storage_from_string(self.storage_uri))
            return self._limiter
