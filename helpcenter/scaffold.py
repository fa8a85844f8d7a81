"""`helpcenter new DIR`: a content repository to start from, as `mkdocs new` makes one.

It holds the config file with a neutral identity (the site's name in each language comes from
the UI catalogs), one category with two example articles in each of the site's languages
(example_site.py), search queries for `helpcenter eval`, a .gitignore for the instance
folder, a CI workflow that runs `helpcenter check` and installs the package from where this
one came from, and a git repository with a first commit (the articles' "last updated" dates
come from it).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import textwrap
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from babel.support import Translations

from .config_file import CONFIG_NAME
from .example_site import example_files
from .languages import KNOWN_LANGUAGES
from .resources import resource_dir

# What `helpcenter new` makes when nobody says which languages: a site in one language.
DEFAULT_LANGUAGES = ["en"]


class ScaffoldError(Exception):
    """Why the content repository was not made (nothing was written)."""


@dataclass
class Scaffold:
    root: Path
    files: list[Path]
    committed: bool
    git_message: str = ""


def ui_languages() -> list[str]:
    """Languages the interface is translated into (a catalog each), English first, in the
    registry's order."""
    found = {
        path.parent.parent.name
        for path in resource_dir("translations").glob("*/LC_MESSAGES/messages.[mp]o")
    }
    return ["en", *(code for code in KNOWN_LANGUAGES if code in found and code != "en")]


def create_content_repo(root: Path, languages: list[str]) -> Scaffold:
    """The content repository of a site in `languages`, the first one its default (source)
    language, with the example articles in each."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ScaffoldError(
            f"{root} is not an empty folder: `helpcenter new` makes a content repository in a "
            "new or empty folder and never overwrites files"
        )
    unknown = [code for code in languages if code not in KNOWN_LANGUAGES]
    if unknown or not languages:
        raise ScaffoldError(
            f"unknown language code(s) {', '.join(unknown) or '(none)'}; known: "
            f"{', '.join(KNOWN_LANGUAGES)}"
        )
    if len(set(languages)) != len(languages):
        raise ScaffoldError(f"a language is named twice in {', '.join(languages)}")
    files = {
        CONFIG_NAME: _config_text(languages),
        **example_files(languages),
        ".gitignore": GITIGNORE,
        ".github/workflows/check.yml": _workflow_text(),
    }
    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    committed, message = _git_first_commit(root)
    return Scaffold(root, written, committed, message)


def _site_names(languages: list[str]) -> dict[str, str]:
    names = {}
    for code in languages:
        translations = Translations.load(str(resource_dir("translations")), [code], "messages")
        names[code] = translations.gettext("Help Center")
    return names


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _config_text(languages: list[str]) -> str:
    names = "\n".join(
        f"{code} = {_toml_string(name)}" for code, name in _site_names(languages).items()
    )
    codes = ", ".join(_toml_string(code) for code in languages)
    return f"""\
# This help center's identity. Each key is a setting in lower case: `helpcenter settings`
# lists them all with their values and where each came from. Only what customers read and
# who the site is may be set here (name, languages, support address, hours, response time,
# public URL, logo, accent colour): servers, paths, secrets and limits are the operator's,
# set in the environment (HELPCENTER_<NAME>) or the operator's settings file, never here.

# The languages served; the default (source) language is shown where a translation is
# missing. An article may exist in any of them alone.
languages = [{codes}]
default_language = "{languages[0]}"

# "required": `helpcenter check` warns about each article missing in one of the languages (a
# category may say otherwise in its _category.md: `translate: optional`).
# translate = "required"

# Where customers can also write (shown on the contact form; requests are sent there when
# the operator has set up a mail server).
# support_email = "help@example.com"

# The public address of the site, for links in e-mails.
# public_url = "https://help.example.com"

# An image beside the site's name, also the favicon (SVG or PNG; a path from this folder).
# logo = "logo.svg"

# Links and buttons; checked for a 4.5:1 contrast against white.
accent_color = "#1d5fb8"

[site_name]
{names}

# Shown after a customer sends a request and in articles as {{{{ support_hours }}}} and
# {{{{ response_time }}}}: one text, or one per language as here.
# [support_hours]
# en = "Monday to Friday, 9:00–17:00"
# [response_time]
# en = "within one business day"
"""


def _workflow_text() -> str:
    requirement, origin = package_source()
    comment = "\n".join(f"      # {line}" for line in textwrap.wrap(origin, 86))
    # JSON strings are YAML strings: a path with `: ` or ` #` in it stays one command.
    install = json.dumps(f"python -m pip install {shlex.quote(requirement)}", ensure_ascii=False)
    return f"""\
# Every push and pull request: `helpcenter check` finds broken links, front matter mistakes,
# missing images and images that are too large; each problem is shown on its line in the pull
# request (--format github), and an error fails the build.
name: check
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the whole history: "last updated" dates come from it
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
{comment}
      - run: {install}
      - run: helpcenter check --format github
"""


def package_source(recorded: str | None = None, version: str | None = None) -> tuple[str, str]:
    """What CI installs, the same package `helpcenter new` ran from, and why (a comment for the
    workflow): pip records where it installed a package from (PEP 610, direct_url.json).

    - from a package index, without such a record: `helpcenter==<version>` from PyPI;
    - from a git repository or an archive at a URL: that URL (and commit);
    - from a folder or a file on this machine (a checkout, a wheel): that path, which a CI
      runner on this machine reaches (a self-hosted runner, `act`); GitHub's own runners do
      not, and the comment says so.

    `recorded` and `version` stand in for the installed package's (tests)."""
    if recorded is None:
        try:
            distribution = metadata.distribution("helpcenter")
        except metadata.PackageNotFoundError:  # run from a source tree, never installed
            distribution = None
        recorded = (distribution.read_text("direct_url.json") if distribution else None) or ""
        version = version or (distribution.version if distribution else "")
    origin = json.loads(recorded) if recorded else {}
    url, vcs = origin.get("url", ""), origin.get("vcs_info")
    if vcs and url.startswith(("https://", "ssh://")):
        commit = vcs.get("commit_id", "")
        requirement = f"helpcenter @ git+{url}" + (f"@{commit}" if commit else "")
        return requirement, (
            "The helpcenter package from the git repository `helpcenter new` was installed "
            "from, at the same commit."
        )
    if url.startswith(("https://", "http://")):
        return f"helpcenter @ {url}", (
            "The helpcenter package from the address `helpcenter new` was installed from."
        )
    if url.startswith("file://"):
        path = url2pathname(urlsplit(url).path)
        return path, (
            "The helpcenter package from the folder or file `helpcenter new` was installed "
            "from, on the machine that ran it: a runner there (self-hosted, or `act`) reaches "
            "it. For GitHub's own runners, install helpcenter from PyPI or from a git URL of "
            "the package instead."
        )
    return f"helpcenter=={version}" if version else "helpcenter", (
        "The helpcenter package from PyPI, the version `helpcenter new` ran."
    )


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60
    )


def _git_first_commit(root: Path) -> tuple[bool, str]:
    try:
        init = _git(root, "init", "-q")
    except OSError:
        return False, "git is not installed: run `git init` and commit the files yourself"
    if init.returncode != 0:
        return False, f"git init failed: {init.stderr.strip()}"
    _git(root, "add", "-A")
    identity: list[str] = []
    if not _git(root, "config", "user.email").stdout.strip():
        # No git identity on this machine yet: commit in the tool's name; later commits are
        # the writer's own once they set theirs.
        identity = ["-c", "user.name=helpcenter new", "-c", "user.email=helpcenter@localhost"]
    commit = _git(root, *identity, "commit", "-q", "-m", "A new help center (helpcenter new)")
    if commit.returncode != 0:
        return False, f"git commit failed: {commit.stderr.strip()}"
    return True, ""


GITIGNORE = """\
# The instance folder: the local database, search indexes and secret key.
instance/
"""
