"""Which files of the articles tree changed, told by the kernel (Linux inotify) instead of a walk.

Looking for a saved file costs one stat per file of the tree (tree.stat_walk): 30-100 ms at
10,000 articles, paid on every check and, for a writer, added to every save's wait. inotify
names the changed paths as they change, so `helpcenter serve` reloads a save without walking
the tree and without waiting for the next poll. Only the standard library (ctypes) is used;
where inotify is missing (not Linux) or refuses (the per-user watch limit), `TreeWatch.open`
gives None and the caller walks the tree as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import select
import struct
import time
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

_MODIFY, _ATTRIB, _CLOSE_WRITE = 0x2, 0x4, 0x8
_MOVED_FROM, _MOVED_TO, _CREATE, _DELETE = 0x40, 0x80, 0x100, 0x200
_DELETE_SELF, _MOVE_SELF = 0x400, 0x800
_Q_OVERFLOW, _IGNORED, _ISDIR = 0x4000, 0x8000, 0x40000000
_ONLYDIR, _DONT_FOLLOW, _EXCL_UNLINK = 0x01000000, 0x02000000, 0x04000000
_MASK = (
    _MODIFY
    | _ATTRIB
    | _CLOSE_WRITE
    | _MOVED_FROM
    | _MOVED_TO
    | _CREATE
    | _DELETE
    | _DELETE_SELF
    | _MOVE_SELF
    | _ONLYDIR
    | _DONT_FOLLOW
    | _EXCL_UNLINK
)
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows
# One save is several events (write, close; or write a temporary file, rename): they are
# gathered until the tree is quiet this long (at most _SETTLE_MAX), then handed on together.
_QUIET = 0.01
_SETTLE_MAX = 0.1


class TreeWatch:
    """inotify watches on every folder of the tree (symlinks and hidden names left out, as
    tree.stat_walk leaves them out)."""

    def __init__(self, root: Path, fd: int, libc: ctypes.CDLL) -> None:
        self.root = str(root)
        self._fd = fd
        self._libc = libc
        # Closed with the watch even if nobody calls close() (a test's app, a dropped store).
        self._close = weakref.finalize(self, os.close, fd)
        self._folders: dict[int, str] = {}  # watch descriptor -> folder path
        # True once a folder could not be watched or the root itself went: from then on the
        # caller must walk (ContentWatcher goes back to polling).
        self.failed = False

    @classmethod
    def open(cls, root: Path) -> TreeWatch | None:
        """Watches on the whole tree, or None where inotify cannot be used."""
        name = ctypes.util.find_library("c")
        try:
            libc = ctypes.CDLL(name, use_errno=True)
            init = libc.inotify_init1
        except (OSError, AttributeError):
            return None
        fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            return None
        watch = cls(Path(root), fd, libc)
        if not watch._watch_tree(watch.root):
            watch.close()
            return None
        return watch

    def close(self) -> None:
        self._close()

    def poll(self) -> set[str] | None:
        """What changed since the last call, without waiting (a serving worker's check);
        None when track was lost, as in `wait`."""
        return self._checked(self._read(set()))

    def wait(self, timeout: float) -> set[str] | None:
        """The paths (files or folders) that changed, once the tree has been quiet for a
        moment; an empty set when nothing changed within `timeout` seconds; None when track
        was lost (the kernel's queue overflowed, the root itself went): walk the whole tree."""
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return set()
        changed: set[str] | None = set()
        deadline = time.monotonic() + _SETTLE_MAX
        while True:
            changed = self._read(changed)
            if time.monotonic() >= deadline:
                break
            ready, _, _ = select.select([self._fd], [], [], _QUIET)
            if not ready:
                break
        return self._checked(changed)

    def _checked(self, changed: set[str] | None) -> set[str] | None:
        """`changed`, after watching the tree again if track was lost."""
        if changed is None and not self._watch_tree(self.root):
            self.failed = True
        if self.root not in self._folders.values():
            self.failed = True  # the tree was removed or moved away
        return changed

    def _read(self, changed: set[str] | None) -> set[str] | None:
        """Every event queued now, added to `changed` (None: track was lost)."""
        while True:
            try:
                data = os.read(self._fd, 256 * 1024)
            except BlockingIOError:
                return changed
            changed = self._events(data, changed)

    def _events(self, data: bytes, changed: set[str] | None) -> set[str] | None:
        offset = 0
        while offset < len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, offset)
            raw = data[offset + _EVENT.size : offset + _EVENT.size + length]
            offset += _EVENT.size + length
            name = os.fsdecode(raw.rstrip(b"\0"))
            if mask & _Q_OVERFLOW:
                changed = None
                continue
            folder = self._folders.get(wd)
            if mask & _IGNORED:
                self._folders.pop(wd, None)
                continue
            if folder is None:
                continue
            if mask & (_DELETE_SELF | _MOVE_SELF):
                if folder == self.root:
                    changed = None  # the tree itself was removed or moved away
                continue  # a sub-folder: its parent reports it by name
            if not name or name.startswith("."):
                continue  # an editor's swap or backup file, as the walk skips them
            path = os.path.join(folder, name)
            # Watched before it is walked, so nothing saved in it in between is missed.
            if mask & _ISDIR and mask & (_CREATE | _MOVED_TO) and not self._watch_tree(path):
                self.failed = True
            if changed is not None:
                changed.add(path)
        return changed

    def _watch_tree(self, folder: str) -> bool:
        """Watches `folder` and every folder under it; False when the kernel refuses."""
        descriptor = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _MASK)
        if descriptor < 0:
            error = ctypes.get_errno()
            if error in (28, 24, 12):  # ENOSPC (watch limit), EMFILE, ENOMEM
                log.info(
                    "not watching %s (%s): the tree is walked instead", folder, os.strerror(error)
                )
                return False
            return True  # gone or not a folder any more: its parent's events tell
        self._folders[descriptor] = folder  # a folder moved within the tree: its new path
        try:
            with os.scandir(folder) as listing:
                folders = [
                    entry.path
                    for entry in listing
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
                ]
        except OSError:
            return True
        return all(self._watch_tree(path) for path in folders)
