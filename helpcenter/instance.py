"""The instance folder: where the app keeps what it alone writes and reads back (the SQLite
database, the search indexes, the secret key, the operator's settings.toml).

Nothing in it may come from the content repository: a pull request there may change what
customers read, never what the server runs, where it keeps its secrets or how it protects
itself. So the folder is refused when git tracks anything in it (a `git add -f instance/…` or
a committed symlink), in production it must lie outside the content repository altogether,
and the Python settings file Flask would execute (`helpcenter.cfg`) is never read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .config_file import OPERATOR_FILE_NAME, ConfigFileError

LEGACY_PYTHON_SETTINGS = "helpcenter.cfg"


def check_instance_folder(path: Path, content_root: Path | None, *, production: bool) -> None:
    """Refuses an instance folder the content repository could have supplied (ConfigFileError
    says why and what to do)."""
    problems = []
    if production and content_root is not None and _within(path, content_root):
        problems.append(
            f"{path}: the instance folder (database, search index, secret key) is inside the "
            f"content repository {content_root}; in production set HELPCENTER_INSTANCE_PATH "
            "to a folder outside it, e.g. /var/lib/helpcenter (docs/deploy.md)"
        )
    tracked = tracked_files(path)
    if tracked:
        shown = ", ".join(tracked[:3]) + (" …" if len(tracked) > 3 else "")
        problems.append(
            f"{path}: git tracks files in the instance folder ({shown}): it holds the secret "
            "key and the operator's settings, which must never come from a repository; "
            "remove them from git (`git rm --cached`) or use another instance folder "
            "(HELPCENTER_INSTANCE_PATH)"
        )
    legacy = path / LEGACY_PYTHON_SETTINGS
    if legacy.exists() or legacy.is_symlink():
        problems.append(
            f"{legacy}: settings in Python are no longer read (a file that is executed is code "
            f"anyone who can write it runs): move them to {path / OPERATOR_FILE_NAME}, one "
            "`name = value` a line in TOML with the names in lower case, and delete this file"
        )
    if problems:
        raise ConfigFileError(problems)


def tracked_files(path: Path) -> list[str]:
    """The files (and symlinks) under `path`, or `path` itself, that a git repository tracks;
    empty when it is in none or git is not installed."""
    # From the parent: a committed symlink in place of the folder must be seen as itself.
    folder = path.absolute().parent
    while not folder.is_dir():  # git needs a folder that exists to start from
        if folder.parent == folder:
            return []
        folder = folder.parent
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "-z", "--full-name", "--", str(path.absolute())],
            capture_output=True,
            timeout=30,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if result.returncode != 0:  # not inside a git work tree
        return []
    return [name for name in result.stdout.decode(errors="replace").split("\0") if name]


def _within(path: Path, root: Path) -> bool:
    """Inside `root`, as written or once symlinks are resolved."""
    return any(
        candidate.is_relative_to(base)
        for candidate in (path.absolute(), path.resolve())
        for base in (root.absolute(), root.resolve())
    )
