"""The writer's preview, `helpcenter serve` only: the page's problems in a banner at its top
(as `helpcenter check` words them, with file and line), broken links marked in the article,
and a script that reloads the open page when the articles change (web/preview.py answers it).

A production app never has it: `create_app` always starts with WRITER_PREVIEW off, whatever
the settings say, and `enable` refuses an app made for production (gunicorn).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, g

from .. import services
from ..content.catalog import Article, Catalog
from ..content.checks import article_link_problems
from ..content.problems import Problem
from .catalog_access import current_catalog


def enable(app: Flask) -> None:
    """Turns the preview on (`helpcenter serve`, and tests of it)."""
    if app.config["PRODUCTION"]:
        raise RuntimeError("the writer's preview is never turned on in production")
    app.config["WRITER_PREVIEW"] = True


def is_on() -> bool:
    return bool(current_app.config["WRITER_PREVIEW"])


def show_article_problems(catalog: Catalog, article: Article) -> None:
    """The page shows `article`: its file's problems and its broken links go in the banner."""
    if is_on():
        problems = [p for p in catalog.problems if p.path == article.path]
        _show([*problems, *article_link_problems(catalog, article)])


def show_file_problems(catalog: Catalog, path: Path) -> None:
    """The page would show the file at `path` (a 404 for an article whose file is broken)."""
    if is_on():
        _show([problem for problem in catalog.problems if problem.path == path])


def _show(problems: list[Problem]) -> None:
    root = Path(current_app.config["CONTENT_ROOT"])
    found = sorted(set(problems))
    services.content_store().report_once(found)
    g.preview_problems = [(problem.severity, problem.format(root)) for problem in found]


def template_context() -> dict[str, Any]:
    if not is_on():
        return {"writer_preview": False}
    return {
        "writer_preview": True,
        "content_generation": current_catalog().generation,
        "preview_problems": g.get("preview_problems", []),
    }
