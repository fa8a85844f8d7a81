"""Database set-up: the default SQLite file, its pragmas, and applying migrations."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db, migrate
from .resources import resource_dir

log = logging.getLogger(__name__)


class _NoAlembicChatter(logging.Filter):
    """Alembic says which database back-end it uses on every run; only the migrations it
    applies are worth reading."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("Context impl", "Will assume"))


logging.getLogger("alembic.runtime.migration").addFilter(_NoAlembicChatter())

MIGRATIONS_DIR = resource_dir("migrations")


def init_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = Path(app.instance_path) / "helpcenter.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL lets readers and one writer work at once; busy_timeout waits for a lock instead of
    failing with "database is locked"."""
    module = type(dbapi_connection).__module__
    if not module.startswith(("sqlite3", "pysqlite")):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@cache
def _migration_heads() -> frozenset[str]:
    """The newest revisions of the shipped migrations (read once: reading means parsing every
    migration script, and the package does not change under a running process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def upgrade_database(app: Flask) -> None:
    """Applies pending migrations (what `helpcenter db upgrade` does); quick and silent when the
    database is already current, so every command can call it."""
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    heads = _migration_heads()
    with app.app_context():
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
        if current != heads:
            upgrade(directory=str(MIGRATIONS_DIR))


def dialect_insert(table):
    """INSERT for the database in use, with its ON CONFLICT … DO UPDATE (an atomic upsert on
    both SQLite and PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def write_heartbeat(name: str) -> None:
    """Rewrites one tiny row: proof that the database accepts writes, not only reads (a full
    disk or a read-only replica answers SELECT 1 happily). Raises SQLAlchemyError if not."""
    from .models import Heartbeat, utcnow

    now = utcnow()
    statement = dialect_insert(Heartbeat).values(name=name, beat_at=now)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["name"], set_={"beat_at": now})
    )
    db.session.commit()
