"""A problem a writer can fix, reported as `path:line: message` (or as a GitHub annotation)."""

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

    def shown_path(self, relative_to: Path | None = None) -> Path:
        """The file, relative to `relative_to` when it lies inside it, else as recorded."""
        # Resolve the folder only: the problem may be a symlink, whose own name is what counts.
        path = self.path.parent.resolve() / self.path.name
        if relative_to is not None and path.is_relative_to(relative_to.resolve()):
            return path.relative_to(relative_to.resolve())
        return self.path

    def format(self, relative_to: Path | None = None) -> str:
        prefix = "" if self.severity == ERROR else "warning: "
        return f"{self.shown_path(relative_to)}:{self.line}: {prefix}{self.message}"

    def github_annotation(self, repository_root: Path) -> str:
        """A GitHub Actions workflow command (`::error file=…,line=…::message`): a pull
        request shows the problem on its line. The file is relative to the repository's root,
        as GitHub names files."""
        command = "error" if self.severity == ERROR else "warning"
        file = self.shown_path(repository_root).as_posix()
        return (
            f"::{command} file={_escape_property(file)},line={self.line}"
            f"::{_escape_data(self.message)}"
        )


# The escapes of workflow commands (GitHub's actions/toolkit, core/src/command.ts): a message
# ends at a line break, and a property also at `,` (the next property) and `:` (the message).
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
