"""`helpcenter new DIR`: a content repository to start from, as `mkdocs new` makes one.

It holds the config file with a neutral identity (the site's name in each language comes from
the UI catalogs), one category with two example articles, search queries for `helpcenter
eval`, a .gitignore for the instance folder, a CI workflow that runs `helpcenter check`, and
a git repository with a first commit (the articles' "last updated" dates come from it).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from babel.support import Translations

from .config_file import CONFIG_NAME
from .languages import KNOWN_LANGUAGES
from .resources import resource_dir


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
    files = {
        CONFIG_NAME: _config_text(languages),
        "articles/en/getting-started/_category.md": CATEGORY,
        "articles/en/getting-started/welcome.md": WELCOME,
        "articles/en/getting-started/write-an-article.md": WRITE_AN_ARTICLE,
        "search-queries.tsv": QUERIES,
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

languages = [{codes}]
default_language = "{languages[0]}"

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
    return f"""\
# Every push and pull request: `helpcenter check` finds broken links, front matter mistakes
# and untranslated sources, and fails the build with path:line messages.
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
      # The helpcenter package, from where you installed it (a git URL or a wheel's URL).
      - run: pip install "{_package_source()}"
      - run: helpcenter check
"""


def _package_source() -> str:
    """Where this package was installed from, when pip recorded a URL CI can reach (PEP 610);
    else a placeholder to fill in."""
    placeholder = "helpcenter @ git+https://example.com/your-organisation/helpcenter.git"
    try:
        recorded = metadata.distribution("helpcenter").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return placeholder
    if not recorded:
        return placeholder
    origin = json.loads(recorded)
    url, vcs = origin.get("url", ""), origin.get("vcs_info")
    if vcs and url.startswith(("https://", "ssh://")):
        return f"helpcenter @ git+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    if url.startswith("https://"):
        return f"helpcenter @ {url}"
    return placeholder


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


CATEGORY = """\
---
title: Getting started
summary: What this help center is and how its articles are written.
order: 1
---
"""

WELCOME = """\
---
title: Welcome to your help center
summary: Where the articles live, how to preview them and how customers find them.
tags: [start, preview, help center]
order: 1
---
This help center is built from the Markdown files in the `articles` folder of this
repository. Each file is one article; each folder under a language is one category.

## Preview your changes

Run `helpcenter serve` in this folder and open the address it prints. Edit an article, save
it and reload the page: the change is there without a restart.

## Before you commit

Run `helpcenter check`. It lists every problem as `file:line: message` (a broken link, a
missing title, a translation without its English source) and fails when there is an error.
The CI workflow in `.github/workflows/check.yml` runs the same check on every push.

Next: [write an article](write-an-article.md).
"""

WRITE_AN_ARTICLE = """\
---
title: Write an article
summary: Front matter, links between articles, images and translations.
tags: [write, markdown, translate, front matter]
order: 2
---
An article is a Markdown file that starts with front matter between two `---` lines:

```markdown
---
title: Reset your password
summary: Get a new password when you have forgotten yours.
tags: [password, login]
---
The first paragraph of the article.
```

## Links and images

Link to another article by its file, e.g. `[welcome](welcome.md)`: the site turns it into
the right address in the reader's language. Put images beside the articles that use them.

## Translations

A translation has the same path under its language's folder: `articles/pl/getting-started/
write-an-article.md` translates this article. Until it exists, Polish readers see the English
article with a notice.
"""

QUERIES = """\
lang\tquery\texpected
en\thow do I preview my changes\tgetting-started/welcome
en\tlinks between articles\tgetting-started/write-an-article
en\topening hours of the shop\tNONE
"""

GITIGNORE = """\
# The instance folder: the local database, search indexes and secret key.
instance/
"""
