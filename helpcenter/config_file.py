"""The two settings files, both TOML (read, never executed):

- the content repository's `helpcenter.toml`: the site's identity beside its articles, the way
  `mkdocs.yml` sits beside a MkDocs site. It is found the way git finds `.git`: in the current
  folder or the nearest parent that has one (or named by HELPCENTER_CONFIG / `helpcenter
  --config`). A pull request to that repository can change it, so it is untrusted input: it
  may set only what customers read and who the site is (CONTENT_SETTINGS). Paths, secrets,
  protections and servers are refused with `path:line` and where they belong instead; the
  logo must be a real file inside the repository.
- the operator's settings file (HELPCENTER_SETTINGS_FILE, else `settings.toml` in the
  instance folder): every setting, secrets included; the content repository can never supply
  it (the instance folder may hold no file tracked by git, see instance.py).

Keys are the settings in lower case (`site_name`, `mail_server`, …); paths are relative to
the file. Unknown keys and bad values are reported as `path:line: message`, like problems in
articles.
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

from .addresses import UnusableAddress, plain_address
from .colors import accent_problem, parse_hex
from .content.frontmatter import TRANSLATE_VALUES
from .content.tree import is_inside
from .languages import KNOWN_LANGUAGES, parse_language_list
from .origins import parse_widget_origins
from .settings import SETTINGS

SETTING_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}

CONFIG_NAME = "helpcenter.toml"
CONFIG_ENV = "HELPCENTER_CONFIG"
OPERATOR_FILE_NAME = "settings.toml"
OPERATOR_FILE_ENV = "HELPCENTER_SETTINGS_FILE"
SECRETS = {"SECRET_KEY", "MAIL_PASSWORD", "SUPPORT_WEBHOOK_SECRET"}
LOGO_SUFFIXES = {".svg", ".png", ".ico", ".webp", ".jpg", ".jpeg", ".gif"}

# What a content repository may set: what customers read and the site's identity. Everything
# else (paths, secrets, servers, limits, protections) is the operator's.
CONTENT_SETTINGS = frozenset(
    {
        "SITE_NAME",
        "LANGUAGES",
        "DEFAULT_LANGUAGE",
        "SUPPORT_EMAIL",
        "SUPPORT_HOURS",
        "RESPONSE_TIME",
        "PUBLIC_URL",
        "LOGO",
        "ACCENT_COLOR",
        # Content policy: which missing translations `check` reports.
        "TRANSLATE",
    }
)
# Configuration the operator may give beside the settings: the database's URL.
OPERATOR_EXTRAS = ("SQLALCHEMY_DATABASE_URI",)

# Sizes past which an identity value is a mistake (a 2 MB site name would be in every page).
LONGEST_FILE = 64 * 1024  # bytes of a settings file
LONGEST_TEXT = {"SITE_NAME": 80, "SUPPORT_HOURS": 200, "RESPONSE_TIME": 200}  # characters
LONGEST_URL = 200
LOGO_MAX_BYTES = 512 * 1024


class ConfigFileError(Exception):
    """Everything wrong with a config file, one `path:line: message` per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ConfigFile:
    """A settings file as read: the content repository's helpcenter.toml or the operator's."""

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
    """Reads and checks the content repository's helpcenter.toml: only CONTENT_SETTINGS may be
    set in it; ConfigFileError lists every problem found."""
    return _load(path, operator=False)


def operator_file_path(instance_path: Path | None = None) -> Path | None:
    """The operator's settings file: HELPCENTER_SETTINGS_FILE (it must exist), else
    settings.toml in the instance folder when one is given and has one."""
    named = os.environ.get(OPERATOR_FILE_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigFileError([f"{path}: no such settings file ({OPERATOR_FILE_ENV})"])
        return path.resolve()
    if instance_path is None:
        return None
    path = instance_path / OPERATOR_FILE_NAME
    return path if path.is_file() else None


def load_operator_file(path: Path) -> ConfigFile:
    """Reads and checks the operator's settings file: every setting (secrets included) and the
    database URL; ConfigFileError lists every problem found."""
    return _load(path, operator=True)


def _load(path: Path, *, operator: bool) -> ConfigFile:
    if path.stat().st_size > LONGEST_FILE:
        raise ConfigFileError(
            [f"{path}:1: the file is larger than {LONGEST_FILE // 1024} KB: a settings file "
             "holds a few dozen short lines"]
        )  # fmt: skip
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
    known = {setting.name.lower(): setting.name for setting in SETTINGS}
    if operator:
        known.update({name.lower(): name for name in OPERATOR_EXTRAS})
    problems = []
    for key, value in data.items():
        line = key_line(text, key)
        where = f"{path}:{line}"
        name = known.get(key)
        if name is None:
            close = difflib.get_close_matches(key.lower(), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"{where}: unknown setting {key!r}{hint}; `helpcenter settings` lists them"
            )
            continue
        refusal = None if operator else _refusal(name)
        if refusal:
            problems.append(f"{where}: {key} {refusal}")
            continue
        try:
            config.values[name] = convert(name, value, config.root, contained=not operator)
        except ValueError as exc:
            sub = getattr(exc, "key", None)
            sub_line = key_line(text, sub, after=line) if sub else line
            problems.append(f"{path}:{sub_line}: {key}: {exc}")
            continue
        config.lines[name] = line
    if not problems:
        problems = _cross_checks(config)
    if problems:
        raise ConfigFileError(problems)
    return config


def _refusal(name: str) -> str | None:
    """Why the content repository may not set `name` and where it belongs (None: it may)."""
    if name in CONTENT_SETTINGS:
        return None
    if name in SECRETS:
        return (
            "is a secret: keep it out of the content repository and set "
            f"HELPCENTER_{name} in the environment (or the operator's settings file) instead"
        )
    if name == "ARTICLES_DIR":
        return "cannot be set here: the articles are the articles/ folder beside this file"
    return (
        "is an operator setting, which a content repository cannot change (a pull request may "
        "change what customers read, never how the server runs or protects itself): set "
        f"HELPCENTER_{name} in the environment or {name.lower()} in the operator's settings "
        f"file ({OPERATOR_FILE_ENV}, or {OPERATOR_FILE_NAME} in the instance folder; "
        "docs/deploy.md)"
    )


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


def _per_language(longest: int) -> Callable[[Any], str | dict[str, str]]:
    """One text for every language, or a table with one per language code; each at most
    `longest` characters."""

    def check(value: Any) -> str | dict[str, str]:
        if isinstance(value, str):
            return _short(value, longest)
        if not isinstance(value, dict):
            raise _BadValue(f"must be a text or a table of texts per language, not {_kind(value)}")
        for code, text in value.items():
            if code not in KNOWN_LANGUAGES:
                known = ", ".join(KNOWN_LANGUAGES)
                raise _BadValue(f"{code!r} is not a language code ({known})", code)
            if not isinstance(text, str):
                raise _BadValue(f"the {code} text must be in quotes, not {_kind(text)}", code)
            try:
                _short(text, longest)
            except _BadValue as exc:
                raise _BadValue(f"the {code} text {exc}", code) from None
        return dict(value)

    return check


def _short(text: str, longest: int) -> str:
    if len(text) > longest:
        raise _BadValue(f"is {len(text)} characters long; at most {longest} are shown")
    return text


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
    text = _text(value)
    if not text:
        return text
    try:
        return plain_address(text)
    except UnusableAddress as exc:
        raise _BadValue(f"{text!r} is {exc}") from exc


def _url(value: Any) -> str:
    text = _short(_text(value), LONGEST_URL)
    parts = urlsplit(text)
    if text and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise _BadValue(f"{text!r} is not an http(s):// address")
    return text.rstrip("/")


def _translate(value: Any) -> str:
    text = _text(value)
    if text not in TRANSLATE_VALUES:
        raise _BadValue(f"must be {' or '.join(map(repr, TRANSLATE_VALUES))}, not {text!r}")
    return text


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


def _widget_origins(value: Any) -> list[str]:
    try:
        return list(parse_widget_origins(value))
    except ValueError as exc:
        raise _BadValue(str(exc)) from None


def _path(root: Path) -> Callable[[Any], str]:
    return lambda value: str((root / Path(_text(value)).expanduser()).resolve())


def _logo(root: Path, *, contained: bool) -> Callable[[Any], str]:
    """An image file; from the content repository, a real file inside it (no symlink, no
    `..` out of it): the site serves it to anyone at /logo."""

    def check(value: Any) -> str:
        given = root / Path(_text(value))
        if given.suffix.lower() not in LOGO_SUFFIXES:
            raise _BadValue(f"{value!r}: a logo must be one of {', '.join(sorted(LOGO_SUFFIXES))}")
        if contained and not is_inside(given, root):
            raise _BadValue(
                f"{value!r}: the logo must be a file inside the content repository "
                "(no symbolic link, nothing outside it)"
            )
        path = given.resolve()
        if not path.is_file():
            raise _BadValue(f"{value!r}: no such file")
        if path.stat().st_size > LOGO_MAX_BYTES:
            raise _BadValue(f"{value!r}: larger than {LOGO_MAX_BYTES // 1024} KB")
        return str(path)

    return check


def convert(name: str, value: Any, root: Path, *, contained: bool = True) -> Any:
    """The setting's value from a file in folder `root`, checked; ValueError says what is
    wrong with it. `contained`: files it names must lie inside `root` (the content
    repository's own)."""
    special: dict[str, Callable[[Any], Any]] = {
        "SITE_NAME": _per_language(LONGEST_TEXT["SITE_NAME"]),
        "SUPPORT_HOURS": _per_language(LONGEST_TEXT["SUPPORT_HOURS"]),
        "RESPONSE_TIME": _per_language(LONGEST_TEXT["RESPONSE_TIME"]),
        "LANGUAGES": _languages,
        "DEFAULT_LANGUAGE": _language,
        "SUPPORT_EMAIL": _address,
        "MAIL_FROM": _address,
        "PUBLIC_URL": _url,
        "ACCENT_COLOR": _color,
        "TRUSTED_HOSTS": _hosts,
        "WIDGET_ORIGINS": _widget_origins,
        "ARTICLES_DIR": _path(root),
        "INSTANCE_PATH": _path(root),
        "LOGO": _logo(root, contained=contained),
        "TRANSLATE": _translate,
    }
    if name in special:
        return special[name](value)
    default = SETTING_DEFAULTS.get(name, "")
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
