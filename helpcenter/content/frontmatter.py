"""Front matter: split it from the body, parse the YAML, validate every key with its line number."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..icons import CATEGORY_ICONS
from .catalog import TRANSLATE_OPTIONAL, TRANSLATE_REQUIRED

FENCE = "---"

# key -> (python types accepted, what the writer should write)
ARTICLE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "title": ((str,), "a non-empty text"),
    "summary": ((str,), "one sentence of text"),
    "tags": ((list,), "a list such as [password, login]"),
    "order": ((int,), "a whole number"),
    "draft": ((bool,), "true or false"),
    "review_by": ((dt.date,), "a date such as 2027-01-31"),
    "aliases": ((list,), "a list of old slugs such as [forgot-password]"),
}
TRANSLATE_VALUES = (TRANSLATE_REQUIRED, TRANSLATE_OPTIONAL)
CATEGORY_KEYS = {
    **{key: ARTICLE_KEYS[key] for key in ("title", "summary", "order")},
    "icon": ((str,), "the name of a built-in icon: " + ", ".join(CATEGORY_ICONS)),
    "translate": (
        (str,),
        "required (check warns about each article missing in a language) or optional",
    ),
}


@dataclass
class FrontMatter:
    """The validated metadata of one file; `problems` says what was wrong with it."""

    values: dict[str, Any]
    body: str
    body_line: int  # 1-based line number of the first body line in the file
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """A file without a usable title cannot be served."""
        return bool(self.values.get("title"))


def parse_front_matter(text: str, allowed: dict | None = None) -> FrontMatter:
    """Parses `---`-fenced YAML at the top of `text`; never raises on bad input."""
    allowed = ARTICLE_KEYS if allowed is None else allowed
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        return FrontMatter(
            {},
            text,
            1,
            [(1, "missing front matter: start the file with '---', a 'title:' line and '---'")],
        )
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == FENCE), None)
    if closing is None:
        return FrontMatter(
            {}, "", 1, [(1, "front matter is not closed: add a line with '---' after it")]
        )
    yaml_text = "".join(lines[1:closing])
    body = "".join(lines[closing + 1 :])
    body_line = closing + 2
    values, problems = _load_yaml(yaml_text, allowed)
    return FrontMatter(values, body, body_line, problems)


def _load_yaml(yaml_text: str, allowed: dict) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    first_line = 2  # YAML starts on the line after the opening fence
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [(line, f"invalid YAML in front matter: {reason}")]
    if data is None:
        return {}, [(1, "front matter is empty: add at least a 'title:' line")]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, [(first_line, "front matter must be 'key: value' lines")]

    key_lines = {
        key.value: first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    values: dict[str, Any] = {}
    problems: list[tuple[int, str]] = []
    for key, value in data.items():
        line = key_lines.get(str(key), first_line)
        if key not in allowed:
            problems.append((line, _unknown_key_message(str(key), allowed)))
            continue
        cleaned = _validate(key, value, allowed[key])
        if isinstance(cleaned, _Invalid):
            problems.append((line, cleaned.message))
        else:
            values[key] = cleaned
    if "title" not in data:
        problems.append((1, "missing 'title' in front matter"))
    return values, problems


@dataclass
class _Invalid:
    message: str


def _validate(key: str, value: Any, spec: tuple[tuple[type, ...], str]) -> Any:
    types, expected = spec
    if key == "title":
        if not isinstance(value, str | int | float) or not str(value).strip():
            return _Invalid("'title' is empty: give the article a title")
        return str(value).strip()
    if key == "icon" and value not in CATEGORY_ICONS:
        return _Invalid(f"'icon' must be {expected}; not {value!r}")
    if key == "translate" and value not in TRANSLATE_VALUES:
        return _Invalid(f"'translate' must be {expected}; not {value!r}")
    if key == "review_by" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return _Invalid(f"'review_by' must be {expected}, not {value!r}")
    if key in ("tags", "aliases") and isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if key == "summary" and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    # bool is an int in Python; "order: yes" must not pass as a number.
    if not isinstance(value, types) or (int in types and isinstance(value, bool)):
        return _Invalid(f"'{key}' must be {expected}, not {type(value).__name__} {value!r}")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, list):
        if not all(isinstance(item, str | int | float) for item in value):
            return _Invalid(f"'{key}' must be {expected}")
        value = [str(item).strip() for item in value if str(item).strip()]
    if isinstance(value, str):
        value = value.strip()
    return value


def _unknown_key_message(key: str, allowed: dict) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown front-matter key '{key}'{hint}; allowed keys: {', '.join(allowed)}"
