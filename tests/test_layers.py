"""The layers below web/ never touch request state: only a view knows there is a request.
(Which module may import which is checked by `lint-imports`, configured in pyproject.toml;
import-linter sees `from flask import request` as an import of flask, so this test does it.)
And no two modules share a file name."""

from __future__ import annotations

import ast
from pathlib import Path

import helpcenter

PACKAGE = Path(helpcenter.__file__).parent
BELOW_WEB = [
    "content",
    "search",
    "reports",
    "support",
    "models.py",
    "activity",
    "ratelimits.py",
    "staff_accounts.py",
]
REQUEST_STATE = {"request", "session", "g", "url_for", "redirect"}


def request_state_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: imports flask.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "flask"
        for alias in node.names
        if alias.name in REQUEST_STATE
    ]


def test_no_request_state_below_web():
    files = [
        path
        for name in BELOW_WEB
        for path in ([PACKAGE / name] if name.endswith(".py") else (PACKAGE / name).rglob("*.py"))
    ]
    assert len(files) > len(BELOW_WEB)
    assert [problem for path in files for problem in request_state_imports(path)] == []


def test_no_two_modules_share_a_file_name():
    """A file's name says what it holds, once: `staff_login.py` in web/ and `staff_accounts.py`
    below it, not two `staff.py` a reader has to tell apart by folder."""
    seen: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name != "__init__.py":
            seen.setdefault(path.name, []).append(str(path.relative_to(PACKAGE)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
