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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG

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


def restat(found: TreeStat, root: Path, changed: Iterable[str]) -> TreeStat:
    """`found` brought up to date for the paths a watcher (notify.py) saw change, as a new
    walk would give it: a changed file stat'ed again, a new folder walked, whatever was under
    a removed folder gone. Only these paths are looked at."""
    prefix_of_root = str(root) + os.sep
    paths = {
        path
        for path in changed
        if path.startswith(prefix_of_root)
        and not any(part.startswith(".") for part in path[len(prefix_of_root) :].split(os.sep))
    }
    if not paths:
        return found
    files, symlinks = dict(found.files), set(found.symlinks)
    folders: set[str] | None = None  # every folder holding a file or link, when first needed
    for path in sorted(paths):
        try:
            stat: os.stat_result | None = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            stat = None  # removed
        if stat is not None and S_ISREG(stat.st_mode) and path in files:
            files[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)  # the usual save
            continue
        was_file = files.pop(path, None) is not None
        was_link = path in symlinks
        symlinks.discard(path)
        if not (was_file or was_link):
            if folders is None:
                folders = {os.path.dirname(p) for p in (*files, *symlinks)}
            inside = path + os.sep
            if any(folder == path or folder.startswith(inside) for folder in folders):
                # A folder removed, moved or replaced: what was under it goes with it.
                files = {p: key for p, key in files.items() if not p.startswith(inside)}
                symlinks = {p for p in symlinks if not p.startswith(inside)}
                folders = None
        if stat is None:
            continue
        if S_ISLNK(stat.st_mode):
            symlinks.add(path)
        elif S_ISDIR(stat.st_mode):
            below = stat_walk(Path(path))
            files.update(below.files)
            symlinks.update(below.symlinks)
            folders = None
        elif S_ISREG(stat.st_mode):
            files[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if list(files) != list(found.files):  # a file added (or moved to the end): walk order
        files = {path: files[path] for path in sorted(files, key=_walk_order)}
    return TreeStat(files, sorted(symlinks, key=_walk_order))


def _walk_order(path: str) -> list[str]:
    """The order stat_walk lists paths in: folder by folder, names sorted."""
    return path.split(os.sep)


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
