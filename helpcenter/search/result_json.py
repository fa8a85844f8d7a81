"""Search results as JSON, for a result store outside the process (Redis, result_cache.py).

Never pickle: whoever can write into a shared store must not be able to run code in the site.
JSON only ever becomes plain values here, and `decode` accepts nothing but the shapes the
search service stores (SearchResults, SearchHit, the suggestions' pair, None, inside the
one-item tuple SearchService.remembered wraps them in), each field of its declared type: any
other text raises MalformedResult, and the caller searches as if nothing had been stored.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from typing import Any

from .results import SearchHit, SearchResults

_CLASSES: dict[str, type] = {"hit": SearchHit, "results": SearchResults}
_TAGS = {cls: tag for tag, cls in _CLASSES.items()}


class MalformedResult(ValueError):
    """Stored text that is not a result this version of the site wrote."""


def encode(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def decode(text: str | bytes) -> object:
    try:
        return _value(json.loads(text))
    except (ValueError, TypeError, RecursionError) as exc:
        raise MalformedResult(str(exc)) from exc


def _plain(value: object) -> Any:
    """JSON's values, with tuples and the two dataclasses tagged (JSON has only lists)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, tuple):
        return {"tuple": [_plain(item) for item in value]}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    tag = _TAGS.get(type(value))
    if tag is not None:
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}  # type: ignore[arg-type]
        return {tag: fields}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"dict": {key: _plain(item) for key, item in value.items()}}
    raise TypeError(f"a search result cannot hold {type(value).__name__}")


def _value(plain: Any) -> object:
    """What _plain made, back: only the tagged shapes, a dataclass only with its own fields."""
    if plain is None or isinstance(plain, str | bool | int | float):
        return plain
    if isinstance(plain, list):
        return [_value(item) for item in plain]
    if not isinstance(plain, dict) or len(plain) != 1:
        raise MalformedResult("not a stored result")
    [(tag, inner)] = plain.items()
    if tag == "tuple" and isinstance(inner, list):
        return tuple(_value(item) for item in inner)
    if tag == "dict" and isinstance(inner, dict):
        return {key: _value(item) for key, item in inner.items()}
    cls = _CLASSES.get(tag)
    if cls is None or not isinstance(inner, dict):
        raise MalformedResult(f"unknown shape {tag!r}")
    hints = _hints(cls)
    if set(inner) != set(hints):
        raise MalformedResult(f"{tag}: fields {sorted(inner)} are not {sorted(hints)}")
    values = {name: _checked(_value(item), hints[name], name) for name, item in inner.items()}
    return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return {f.name: typing.get_type_hints(cls)[f.name] for f in dataclasses.fields(cls)}


def _checked(value: object, expected: Any, name: str) -> object:
    """`value` when it is of the field's declared type (an int stands in for a float)."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return _checked(value, option, name)
            except MalformedResult:
                continue
    elif origin is list and isinstance(value, list):
        return [_checked(item, args[0], name) for item in value]
    elif origin is dict and isinstance(value, dict):
        return {
            _checked(key, args[0], name): _checked(item, args[1], name)
            for key, item in value.items()
        }
    elif expected is type(None) and value is None:
        return value
    elif expected is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    elif (expected in (str, int, bool) and type(value) is expected) or (
        expected in _TAGS and isinstance(value, expected)
    ):
        return value
    raise MalformedResult(f"{name}: {type(value).__name__} is not {expected}")
