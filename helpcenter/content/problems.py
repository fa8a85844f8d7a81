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
        path = self.path
        if relative_to is not None and path.resolve().is_relative_to(relative_to.resolve()):
            path = path.resolve().relative_to(relative_to.resolve())
        prefix = "" if self.severity == ERROR else "warning: "
        return f"{path}:{self.line}: {prefix}{self.message}"
