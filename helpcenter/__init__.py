"""helpcenter: a multilingual, self-service knowledge base served from Markdown in git."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import settings
from .content.store import ContentStore
from .database import init_database
from .languages import parse_language_list, resolve_languages
from .search.indexer import IndexStore
from .search.searcher import SearchService
from .search.service import IndexSync
from .searchlog import SearchLog
from .support.outbox import Kicker

__all__ = ["create_app", "warm_up"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    # The instance folder (SQLite database, search index, secret key) can be moved, e.g. by tests.
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "HELPCENTER_INSTANCE_PATH"
    )
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
        static_folder=str(settings.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings.defaults())
    app.config.from_pyfile("helpcenter.cfg", silent=True)
    app.config.from_prefixed_env("HELPCENTER")
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _ensure_secret_key(app)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    languages = resolve_languages(
        parse_language_list(app.config["LANGUAGES"]), app.config["DEFAULT_LANGUAGE"]
    )
    app.config["HELPCENTER_LANGUAGES"] = languages
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(settings.PROJECT_ROOT / "translations")
    )
    app.config["BABEL_DEFAULT_LOCALE"] = languages[0].code
    # Every static URL carries a content hash (see web/assets.py), so it may be cached for long.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = app.config["MEDIA_MAX_AGE"]

    store = ContentStore(
        Path(app.config["ARTICLES_DIR"]),
        languages,
        show_drafts=bool(app.config["SHOW_DRAFTS"]),
        check_interval=float(app.config["CONTENT_CHECK_INTERVAL"]),
    )
    indexes = IndexStore(Path(app.config["INDEX_DIR"] or Path(app.instance_path) / "index"))
    init_database(app)
    app.extensions["helpcenter_search_log"] = SearchLog(app)
    app.extensions["helpcenter_content"] = store
    app.extensions["helpcenter_indexes"] = indexes
    app.extensions["helpcenter_search"] = SearchService(
        indexes, min_score_ratio=float(app.config["SEARCH_MIN_SCORE_RATIO"])
    )
    app.extensions["helpcenter_index_sync"] = IndexSync(indexes)
    app.extensions["helpcenter_kicker"] = Kicker(app)

    from .web import register_web

    register_web(app)

    from .cli import register_commands

    register_commands(app)
    return app


def warm_up(app: Flask) -> None:
    """Loads the articles and opens every language's searcher before the first customer
    arrives (gunicorn.conf.py calls it in each new worker), so nobody waits a second for it."""
    with app.app_context():
        catalog = app.extensions["helpcenter_content"].catalog()
        search = app.extensions["helpcenter_search"]
        for code in catalog.language_codes:
            search.search(code, "warm up")


def _ensure_secret_key(app: Flask) -> None:
    """Without configuration, make one random key and keep it, so sessions survive restarts."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
