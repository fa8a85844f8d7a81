"""Holds the current Catalog and replaces it when the articles tree changes.

Checking costs one stat() per file, so it runs at most once per `check_interval` seconds
(0 turns checking off: production nodes get new content with a new deploy or a restart).
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..languages import Language
from . import tree
from .catalog import Catalog
from .limits import MarkdownLimits
from .loader import ParseCache, load_catalog
from .placeholders import PlaceholderValues
from .problems import ERROR

log = logging.getLogger(__name__)


class ContentStore:
    def __init__(
        self,
        root: Path,
        languages: list[Language],
        *,
        show_drafts: bool = False,
        limits: MarkdownLimits | None = None,
        check_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        placeholders: PlaceholderValues | None = None,
    ) -> None:
        self.root = Path(root)
        self.placeholders = placeholders
        self.languages = languages
        self.show_drafts = show_drafts
        self.limits = limits
        self.check_interval = check_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._parse_cache: ParseCache = {}
        self._git_index = _git_index_file(self.root)
        self._catalog: Catalog | None = None
        self._fingerprint = ""
        self._checked_at = 0.0

    def catalog(self) -> Catalog:
        if self._catalog is None or (
            self.check_interval > 0 and self._clock() - self._checked_at >= self.check_interval
        ):
            self.refresh()
        assert self._catalog is not None
        return self._catalog

    def refresh(self, force: bool = False) -> bool:
        """Reloads the catalog if any file changed; True when a new catalog was made."""
        with self._lock:
            self._checked_at = self._clock()
            fingerprint = self._compute_fingerprint()
            if not force and self._catalog is not None and fingerprint == self._fingerprint:
                return False
            started = time.perf_counter()
            catalog = load_catalog(
                self.root,
                self.languages,
                show_drafts=self.show_drafts,
                parse_cache=self._parse_cache,
                limits=self.limits,
                placeholders=self.placeholders,
            )
            self._catalog, self._fingerprint = catalog, fingerprint
            log.info(
                "content loaded: %d articles, %d problems, %.0f ms",
                len(catalog.articles),
                len(catalog.problems),
                (time.perf_counter() - started) * 1000,
            )
            # Writers fix these; the log tells operators why an article or image is missing.
            for problem in catalog.problems:
                if problem.severity == ERROR:
                    log.warning("articles: %s", problem.format(self.root))
        return True

    def _compute_fingerprint(self) -> str:
        digest = hashlib.sha256()
        if self.root.is_dir():
            found = tree.scan(self.root)
            for path in sorted([*found.files, *found.symlinks]):
                try:
                    stat = path.lstat()
                except FileNotFoundError:
                    continue  # removed while we looked
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        if self._git_index is not None and self._git_index.exists():
            # A commit changes "last updated" dates without touching the articles themselves.
            digest.update(str(self._git_index.stat().st_mtime_ns).encode())
        return digest.hexdigest()


def _git_index_file(root: Path) -> Path | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--absolute-git-dir"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(result.stdout.strip()) / "index" if result.returncode == 0 else None
