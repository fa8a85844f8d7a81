"""/healthz: what a load balancer or monitor asks — does the database accept a write, can every
language's search index be read, how much content is loaded. 503 when something is missing."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from .. import services
from ..database import write_heartbeat
from ..extensions import db
from .catalog_access import current_catalog

bp = Blueprint("health", __name__)


def index_documents(catalog) -> dict[str, int | None]:
    search = services.search_service()
    return {code: search.document_count(code) for code in catalog.language_codes}


@bp.get("/healthz")
def healthz():
    report: dict = {"status": "ok"}
    started = time.perf_counter()
    try:
        write_heartbeat("healthz")
        report["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except SQLAlchemyError as exc:
        db.session.rollback()
        report["database"] = {"ok": False, "error": type(exc).__name__}
        report["status"] = "failing"
    catalog = current_catalog()
    report["index"] = {}
    for code, documents in index_documents(catalog).items():
        if documents is None:
            report["index"][code] = {"ok": False}
            report["status"] = "failing"
        else:
            report["index"][code] = {"ok": True, "documents": documents}
    report["content"] = {"articles": len(catalog.articles), "problems": len(catalog.problems)}
    response = jsonify(report)
    response.status_code = 200 if report["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def metrics():
    """Prometheus text format: what to graph and alert on. Counts only, no personal data.
    Restrict it to the monitoring network at the proxy (docs/deploy.md)."""
    from ..models import Delivery

    lines = []

    def gauge(name: str, help_text: str, samples: list[tuple[dict, float]]) -> None:
        lines.append(f"# HELP helpcenter_{name} {help_text}")
        lines.append(f"# TYPE helpcenter_{name} gauge")
        for labels, value in samples:
            label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            lines.append(
                f"helpcenter_{name}{{{label_text}}} {value}"
                if label_text
                else f"helpcenter_{name} {value}"
            )

    catalog = current_catalog()
    documents = [
        ({"lang": code}, n) for code, n in index_documents(catalog).items() if n is not None
    ]
    gauge("index_documents", "Articles in each language's search index.", documents)
    gauge("articles", "Articles loaded from the articles tree.", [({}, len(catalog.articles))])
    gauge("content_problems", "Problems found in the articles tree.", [({}, len(catalog.problems))])
    log = services.search_log()
    gauge(
        "activity_log_dropped",
        "Log entries dropped since start (database slow or down).",
        [({}, log.dropped)],
    )
    gauge("activity_log_queued", "Log entries waiting to be written.", [({}, log.queue.qsize())])
    gauge(
        "activity_log_over_quota",
        "Searches and views not logged since start: their network had used up its quota.",
        [({}, log.over_quota)],
    )
    try:
        counts = db.session.execute(
            db.select(Delivery.channel, Delivery.state, db.func.count()).group_by(
                Delivery.channel, Delivery.state
            )
        ).all()
        gauge(
            "deliveries",
            "Outbox deliveries by channel and state.",
            [({"channel": c, "state": s}, n) for c, s, n in counts],
        )
        database_up = 1
    except SQLAlchemyError:
        db.session.rollback()
        database_up = 0
    gauge("database_up", "1 when the database answered.", [({}, database_up)])
    return current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")
