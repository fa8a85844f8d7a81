"""Pieces several reports need (the query groups that found nothing, each article's readers
and votes, how far the roll-ups reach), computed once per dashboard render instead of once
per report: the dashboard runs every report side by side, and "Do this next" repeats what the
zero-results, articles and translations reports already counted.

Outside `sharing()` a piece is simply computed. Inside it, the first caller of a piece with
given arguments computes it and every other caller, in any thread that carries the context
(parallel.side_by_side does), waits for that result. The pieces form no cycle (a piece only
calls pieces below it), so waiting cannot deadlock. Results are shared, so callers must not
change them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

_pieces: ContextVar[dict[tuple, Future] | None] = ContextVar("shared_pieces", default=None)
_lock = threading.Lock()

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def sharing() -> Iterator[None]:
    """Computes each piece once until the block ends (one page render: the data may change
    between two requests)."""
    token = _pieces.set({})
    try:
        yield
    finally:
        _pieces.reset(token)


def once(function: F) -> F:
    """A piece: inside `sharing()`, computed once per distinct (hashable) arguments."""

    @functools.wraps(function)
    def piece(*args: Any) -> Any:
        pieces = _pieces.get()
        if pieces is None:
            return function(*args)
        # Lists (of query groups) count by their content.
        key = (
            function.__module__,
            function.__qualname__,
            tuple(tuple(a) if isinstance(a, list) else a for a in args),
        )
        with _lock:
            future = pieces.get(key)
            mine = future is None
            if mine:
                future = pieces[key] = Future()
        if mine:
            try:
                future.set_result(function(*args))
            except BaseException as error:
                future.set_exception(error)
                raise
        return future.result()

    return piece  # type: ignore[return-value]
