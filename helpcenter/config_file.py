"""The content repository's config file, `helpcenter.toml`: the site's identity beside its
articles, the way `mkdocs.yml` sits beside a MkDocs site.

It is found the way git finds `.git`: in the current folder or the nearest parent that has
one (or named by HELPCENTER_CONFIG / `helpcenter --config`). Its keys are the settings in
lower case (`site_name`, `support_email`, …); paths in it are relative to the file. Unknown
keys and bad values are reported as `path:line: message`, like problems in articles.
Secrets are refused: the file is committed, so they belong in the environment.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .colors import accent_problem, parse_hex
from .languages import KNOWN_LANGUAGES, parse_language_list
from .settings import SETTINGS

CONFIG_NAME = "helpcenter.toml"
CONFIG_ENV = "HELPCENTER_CONFIG"
SECRETS = {"SECRET_KEY", "MAIL_PASSWORD", "SUPPORT_WEBHOOK_SECRET"}
LOGO_SUFFIXES = {".svg", ".png", ".ico", ".webp", ".jpg", ".jpeg", ".gif"}


class ConfigFileError(Exception):
    """Everything wrong with a config file, one `path:line: message` per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ConfigFile:
    path: Path
    values: dict[str, Any] = field(default_factory=dict)  # setting name -> value
    lines: dict[str, int] = field(default_factory=dict)  # setting name -> line in the file

    @property
    def root(self) -> Path:
        """The content repository: the folder holding the file."""
        return self.path.parent

    def where(self, name: str) -> str:
        return f"{self.path}:{self.lines.get(name, 1)}"


def find_config_file(start: Path) -> Path | None:
    """helpcenter.toml in `start` or the nearest parent folder that has one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def config_file_path(explicit: str | os.PathLike | None = None) -> Path | None:
    """Which config file applies: the one named (by the caller, else HELPCENTER_CONFIG; an
    empty name means none), else the one found from the current folder."""
    named = os.environ.get(CONFIG_ENV) if explicit is None else explicit
    if named is None:
        return find_config_file(Path.cwd())
    if str(named) == "":
        return None
    path = Path(named).expanduser()
    if path.is_dir():
        path = path / CONFIG_NAME
    if not path.is_file():
        raise ConfigFileError([f"{path}: no such config file ({CONFIG_ENV} or --config)"])
    return path.resolve()


def load_config_file(path: Path) -> ConfigFile:
    """Reads and checks the file; ConfigFileError lists every problem found."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "… (at line 3, column 7)" or "… (at end of document)": put the line
        # where editors look for it.
        message = str(exc)
        match = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
        if match:
            line = match.group(1) or str(max(1, len(text.splitlines())))
            message = message[: match.start()]
        else:
            line = "1"
        raise ConfigFileError([f"{path}:{line}: {message}"]) from exc
    config = ConfigFile(path.resolve())
    known = {setting.name.lower(): setting for setting in SETTINGS}
    problems = []
    for key, value in data.items():
        line = key_line(text, key)
        where = f"{path}:{line}"
        setting = known.get(key)
        if setting is None:
            close = difflib.get_close_matches(key.lower(), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"{where}: unknown setting {key!r}{hint}; `helpcenter settings` lists them"
            )
            continue
        if setting.name in SECRETS:
            problems.append(
                f"{where}: {key} is a secret: keep it out of the content repository and set "
                f"HELPCENTER_{setting.name} in the environment instead"
            )
            continue
        try:
            config.values[setting.name] = convert(setting.name, setting.default, value, config.root)
        except ValueError as exc:
            sub = getattr(exc, "key", None)
            sub_line = key_line(text, sub, after=line) if sub else line
            problems.append(f"{path}:{sub_line}: {key}: {exc}")
            continue
        config.lines[setting.name] = line
    if not problems:
        problems = _cross_checks(config)
    if problems:
        raise ConfigFileError(problems)
    return config


def key_line(text: str, key: str, after: int = 1) -> int:
    """The line where `key` is set (`key = …`, `[key]`, `"key" = …`) at or after line `after`:
    tomllib reports no positions, so the text is scanned for it."""
    quoted = rf"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
    pattern = re.compile(rf"^\s*(?:\[\s*{quoted}\s*\]|{quoted}\s*=)|[{{,]\s*{quoted}\s*=")
    for number, line in enumerate(text.splitlines()[after - 1 :], start=after):
        if pattern.search(line):
            return number
    return after


class _BadValue(ValueError):
    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key  # a key inside a table, to point at its own line


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _BadValue(f"must be a text in quotes, not {_kind(value)}")
    return value


def _per_language(value: Any) -> str | dict[str, str]:
    """One text for every language, or a table with one per language code."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise _BadValue(f"must be a text or a table of texts per language, not {_kind(value)}")
    for code, text in value.items():
        if code not in KNOWN_LANGUAGES:
            raise _BadValue(f"{code!r} is not a language code ({', '.join(KNOWN_LANGUAGES)})", code)
        if not isinstance(text, str):
            raise _BadValue(f"the {code} text must be in quotes, not {_kind(text)}", code)
    return dict(value)


def _languages(value: Any) -> list[str]:
    if not (
        isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    ):
        raise _BadValue('must be a list of language codes, e.g. ["en", "pl"]')
    codes = parse_language_list(value)
    unknown = [code for code in codes if code not in KNOWN_LANGUAGES]
    if unknown or not codes:
        raise _BadValue(
            f"unknown language code(s) {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(KNOWN_LANGUAGES)}"
        )
    return codes


def _language(value: Any) -> str:
    code = _text(value)
    if code not in KNOWN_LANGUAGES:
        raise _BadValue(f"{code!r} is not a language code ({', '.join(KNOWN_LANGUAGES)})")
    return code


def _address(value: Any) -> str:
    from .support.addresses import UnusableAddress, plain_address

    text = _text(value)
    if not text:
        return text
    try:
        return plain_address(text)
    except UnusableAddress as exc:
        raise _BadValue(f"{text!r} is {exc}") from exc


def _url(value: Any) -> str:
    text = _text(value)
    parts = urlsplit(text)
    if text and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise _BadValue(f"{text!r} is not an http(s):// address")
    return text.rstrip("/")


def _color(value: Any) -> str:
    color = parse_hex(_text(value))
    problem = accent_problem(color)
    if problem:
        raise _BadValue(problem)
    return color


def _hosts(value: Any) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise _BadValue('must be a list of host names, e.g. ["help.example.com"]')
    return value


def _path(root: Path) -> Callable[[Any], str]:
    return lambda value: str((root / Path(_text(value)).expanduser()).resolve())


def _logo(root: Path) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        path = Path(_path(root)(value))
        if path.suffix.lower() not in LOGO_SUFFIXES:
            raise _BadValue(f"{value!r}: a logo must be one of {', '.join(sorted(LOGO_SUFFIXES))}")
        if not path.is_file():
            raise _BadValue(f"{value!r}: no such file")
        return str(path)

    return check


def convert(name: str, default: Any, value: Any, root: Path) -> Any:
    """The setting's value from the file, checked; ValueError says what is wrong with it."""
    special: dict[str, Callable[[Any], Any]] = {
        "SITE_NAME": _per_language,
        "SUPPORT_HOURS": _per_language,
        "RESPONSE_TIME": _per_language,
        "LANGUAGES": _languages,
        "DEFAULT_LANGUAGE": _language,
        "SUPPORT_EMAIL": _address,
        "MAIL_FROM": _address,
        "PUBLIC_URL": _url,
        "ACCENT_COLOR": _color,
        "TRUSTED_HOSTS": _hosts,
        "ARTICLES_DIR": _path(root),
        "INDEX_DIR": _path(root),
        "INSTANCE_PATH": _path(root),
        "LOGO": _logo(root),
    }
    if name in special:
        return special[name](value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise _BadValue(f"must be true or false, not {_kind(value)}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _BadValue(f"must be a whole number, not {_kind(value)}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _BadValue(f"must be a number, not {_kind(value)}")
        return float(value)
    return _text(value)


def _cross_checks(config: ConfigFile) -> list[str]:
    values = config.values
    if (
        "DEFAULT_LANGUAGE" in values
        and "LANGUAGES" in values
        and values["DEFAULT_LANGUAGE"] not in values["LANGUAGES"]
    ):
        return [
            f"{config.where('DEFAULT_LANGUAGE')}: default_language "
            f"{values['DEFAULT_LANGUAGE']!r} is not one of languages {values['LANGUAGES']}"
        ]
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
