"""Dates from git: when each file under the articles tree was last committed, in one pass over the log."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

_COMMIT_MARK = "\x01"


def last_commit_dates(root: Path) -> dict[str, dt.datetime]:
    """Maps each path (relative to `root`, POSIX style) to the time of the last commit touching it.

    Empty when `root` is not inside a git work tree or git is unavailable; callers then fall
    back to file modification times.
    """
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
