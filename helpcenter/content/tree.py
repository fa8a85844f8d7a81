"""Reading the articles tree without ever following a symbolic link.

A symlink committed to the content repository (git stores them; a pull request can carry one)
could otherwise make the site serve or index any file the server can read: /etc/passwd, the
instance secret key, the database. So symlinks are refused everywhere, whether they point into
the tree or out of it: the walk reports them instead of entering them, files are opened with
O_NOFOLLOW, and a file about to be served must still resolve to a path under the tree's root.
"""

from __future__ import annotations

import operator
import os
from dataclasses import dataclass, field
from pathlib import Path

SYMLINK_MESSAGE = (
    "symbolic link refused: articles, categories and images must be real files and folders "
    "inside the articles tree (replace the link with a copy of the file)"
)


# What tells a changed file from an unchanged one without reading it: modification time (ns),
# size and inode (an editor's save-by-rename gives a new inode even within one clock tick).
FileKey = tuple[int, int, int]


@dataclass
class TreeStat:
    """What a walk found: regular files with their keys, and symlinks to report (never followed).

    Both in path order (folder by folder, names sorted), which is the order the catalog is
    built in, so an incremental reload and a full load see the files in the same order."""

    files: dict[str, FileKey] = field(default_factory=dict)
    symlinks: list[str] = field(default_factory=list)


def stat_walk(folder: Path) -> TreeStat:
    """Every regular file under `folder` (hidden names skipped) with its key; symlinks set aside.

    One lstat per file and plain strings throughout: at 10,000 articles this is the whole cost
    of finding out that one file changed, paid on every reload check."""
    found = TreeStat()
    _walk(str(folder), found)
    return found


_name = operator.attrgetter("name")


def _walk(folder: str, found: TreeStat) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_name)
    except (FileNotFoundError, NotADirectoryError):
        return  # removed while we looked
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                found.symlinks.append(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                _walk(entry.path, found)
            elif entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                found.files[entry.path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except FileNotFoundError:
            continue  # removed while we looked


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
