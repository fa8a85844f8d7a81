"""/healthz: what a load balancer or monitor asks — is the database reachable, is there a
search index for every language, how much content is loaded. 503 when something is missing."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from .content import current_catalog

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    report: dict = {"status": "ok"}
    started = time.perf_counter()
    try:
        db.session.execute(db.text("SELECT 1"))
        report["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except SQLAlchemyError as exc:
        db.session.rollback()
        report["database"] = {"ok": False, "error": type(exc).__name__}
        report["status"] = "failing"
    indexes = current_app.extensions["helpcenter_indexes"]
    catalog = current_catalog()
    report["index"] = {}
    for code in catalog.language_codes:
        if indexes.exists(code):
            with indexes.open(code).searcher() as searcher:
                report["index"][code] = {"ok": True, "documents": searcher.doc_count()}
        else:
            report["index"][code] = {"ok": False}
            report["status"] = "failing"
    report["content"] = {"articles": len(catalog.articles), "problems": len(catalog.problems)}
    response = jsonify(report)
    response.status_code = 200 if report["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
