"""Dates from git: when each file under the articles tree was last committed, in one pass over the log."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

_COMMIT_MARK = "\x01"


def last_commit_dates(root: Path, since: str | None = None) -> dict[str, dt.datetime]:
    """Maps each path (relative to `root`, POSIX style) to the time of the last commit touching it.

    Empty when `root` is not inside a git work tree or git is unavailable; callers then fall
    back to file modification times. With `since` (a commit), only the paths touched by the
    commits after it, up to HEAD.
    """
    commits = [f"{since}..HEAD"] if since else []
    try:
        result = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                "--no-renames",
                "--relative",
                f"--format={_COMMIT_MARK}%ct",
                "--name-only",
                *commits,
                "--",
                ".",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("git history unavailable for %s: %s", root, exc)
        return {}
    if result.returncode != 0:
        # Not a git repository (or no commits yet): the common case for a fresh content folder.
        return {}
    dates: dict[str, dt.datetime] = {}
    current: dt.datetime | None = None
    for line in result.stdout.splitlines():
        if line.startswith(_COMMIT_MARK):
            current = dt.datetime.fromtimestamp(int(line[1:]), tz=dt.UTC)
        elif line and current is not None:
            # The log runs newest first, so the first date seen for a path is its last change.
            dates.setdefault(line, current)
    return dates


def file_date(path: Path, mtime_ns: int | None = None) -> dt.datetime:
    """The file's modification time (outside git); `mtime_ns` spares a stat already made."""
    if mtime_ns is None:
        mtime_ns = path.stat().st_mtime_ns
    return dt.datetime.fromtimestamp(mtime_ns / 1e9, tz=dt.UTC)


class CommitDates:
    """`last_commit_dates` kept current across reloads at the cost of three stats.

    The git log of a large content repository takes long, and most reloads follow a save with
    no commit. So the log is read again only when HEAD moved (its files in the git folder
    changed), and after a pull only for the new commits (`git log OLD..NEW`), unless history
    was rewritten (OLD is no longer an ancestor of NEW)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._git_dir = _git_output(root, "rev-parse", "--absolute-git-dir")
        self._marks: tuple[int, ...] | None = None
        self._head: str | None = None
        self._dates: dict[str, dt.datetime] = {}

    def current(self) -> dict[str, dt.datetime]:
        """The dates now; the same dict object as last time when no commit was made since
        (treat it as read-only)."""
        if self._git_dir is None:
            if not _inside_a_checkout(self.root):
                return self._dates
            # `git init` (or a clone) since: the dates come from git from now on.
            self._git_dir = _git_output(self.root, "rev-parse", "--absolute-git-dir")
            if self._git_dir is None:
                return self._dates
        marks = self._marks_now(Path(self._git_dir))
        if marks == self._marks:
            return self._dates
        head = _git_output(self.root, "rev-parse", "--verify", "-q", "HEAD")
        if head != self._head or self._marks is None:
            self._dates = self._read(head)
        self._marks, self._head = marks, head
        return self._dates

    def _read(self, head: str | None) -> dict[str, dt.datetime]:
        old = self._head
        if not (old and head and self._marks is not None):
            return last_commit_dates(self.root)
        if _git_output(self.root, "merge-base", "--is-ancestor", old, head) is None:
            return last_commit_dates(self.root)  # history rewritten: read it all again
        dates = dict(self._dates)
        for path, date in last_commit_dates(self.root, since=old).items():
            # Newest wins, as in the full log (a merged branch may bring older commits).
            if path not in dates or date > dates[path]:
                dates[path] = date
        return dates

    @staticmethod
    def _marks_now(git_dir: Path) -> tuple[int, ...]:
        """Modification times of what moves with HEAD: HEAD itself, its reflog, the index."""
        marks = []
        for name in ("HEAD", "logs/HEAD", "index"):
            try:
                marks.append((git_dir / name).stat().st_mtime_ns)
            except OSError:
                marks.append(0)
        return tuple(marks)


def _inside_a_checkout(root: Path) -> bool:
    """A `.git` in `root` or a folder above it: a few stats, where asking git costs a process."""
    return any((folder / ".git").exists() for folder in (root, *root.parents))


def _git_output(root: Path, *args: str) -> str | None:
    """git's output (stripped), or None when it fails or is missing."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None
