"""A problem a writer can fix, reported as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: str = ERROR

    def format(self, relative_to: Path | None = None) -> str:
        # Resolve the folder only: the problem may be a symlink, whose own name is what counts.
        path = self.path.parent.resolve() / self.path.name
        if relative_to is not None and path.is_relative_to(relative_to.resolve()):
            path = path.relative_to(relative_to.resolve())
        else:
            path = self.path
        prefix = "" if self.severity == ERROR else "warning: "
        return f"{path}:{self.line}: {prefix}{self.message}"
