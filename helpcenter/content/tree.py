"""Reading the articles tree without ever following a symbolic link.

A symlink committed to the content repository (git stores them; a pull request can carry one)
could otherwise make the site serve or index any file the server can read: /etc/passwd, the
instance secret key, the database. So symlinks are refused everywhere, whether they point into
the tree or out of it: the walk reports them instead of entering them, files are opened with
O_NOFOLLOW, and a file about to be served must still resolve to a path under the tree's root.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SYMLINK_MESSAGE = (
    "symbolic link refused: articles, categories and images must be real files and folders "
    "inside the articles tree (replace the link with a copy of the file)"
)


@dataclass
class TreeScan:
    """What a walk found: regular files to read, and symlinks to report (never followed)."""

    files: list[Path] = field(default_factory=list)
    symlinks: list[Path] = field(default_factory=list)


def scan(folder: Path) -> TreeScan:
    """Every regular file under `folder` (hidden names skipped), sorted; symlinks are set aside."""
    found = TreeScan()
    for entry in _entries(folder, found):
        found.files.append(Path(entry.path))
    found.files.sort()
    found.symlinks.sort()
    return found


def _entries(folder: Path, found: TreeScan) -> Iterator[os.DirEntry]:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return  # removed while we looked
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            found.symlinks.append(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            yield from _entries(Path(entry.path), found)
        elif entry.is_file(follow_symlinks=False):
            yield entry


def read_bytes(path: Path) -> bytes:
    """The file's bytes; OSError (ELOOP) if it became a symlink since the walk saw it."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as file:
        return file.read()


def is_inside(path: Path, root: Path) -> bool:
    """True when `path` is a real file (not a symlink) that resolves to a place under `root`.

    Checked again right before a file is served, in case a folder on the way was swapped for a
    symlink after the catalog was read.
    """
    try:
        return not path.is_symlink() and path.resolve(strict=True).is_relative_to(root.resolve())
    except OSError:
        return False
