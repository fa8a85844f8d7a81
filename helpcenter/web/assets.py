"""Versioned URLs for our own static files, so browsers may cache them for a year."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, url_for


@cache
def _file_version(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    path = Path(current_app.static_folder or "") / filename
    version = _file_version(str(path), path.stat().st_mtime_ns) if path.exists() else "0"
    return url_for("static", filename=filename, v=version)


def template_context() -> dict[str, Any]:
    return {"static_url": static_url}
