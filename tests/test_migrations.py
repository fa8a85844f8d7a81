"""Migrations: an upgrade keeps every row, and the models match what migrations create."""

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from helpcenter.database import MIGRATIONS_DIR
from helpcenter.extensions import db
from tests.helpers import make_app


def test_every_migration_keeps_the_data_written_before_it(tmp_path, basic):
    """From an empty database, one revision at a time, with rows written at each step."""
    app = make_app(tmp_path, basic.root)
    at = dt.datetime(2026, 11, 2, 10, 0)
    visitor = "a" * 32
    with app.app_context():
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        upgrade(directory=str(MIGRATIONS_DIR), revision="0001")
        db.session.execute(
            text(
                "INSERT INTO search_event (key, created_at, lang, query, normalized, result_count,"
                " page, visitor) VALUES ('k1', :at, 'pl', 'hasło', 'hasl', 0, 1, :v)"
            ),
            {"at": at, "v": visitor},
        )
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR), revision="0002")
        db.session.execute(
            text(
                "INSERT INTO contact_request (reference, created_at, lang, email, name, message,"
                " about, visitor) VALUES ('HC-TEST-0001', :at, 'pl', 'a@example.com', '', 'Pomocy',"
                " '', :v)"
            ),
            {"at": at, "v": visitor},
        )
        db.session.execute(
            text(
                "INSERT INTO vote (article_id, lang, visitor, helpful, created_at, updated_at)"
                " VALUES ('account/reset-password', 'pl', :v, false, :at, :at)"
            ),
            {"at": at, "v": visitor},
        )
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR))
        assert db.session.execute(
            text("SELECT query, score_ratio, network, source, host_path FROM search_event")
        ).all() == [("hasło", None, None, None, None)]  # before 0007, 0013, 0015 recorded those
        for table in ("vote", "contact_request"):  # counted by their visitor, from the site
            assert db.session.execute(
                text(f"SELECT network, source, host_path FROM {table}")
            ).all() == [(None, None, None)]
        assert db.session.execute(text("SELECT message FROM contact_request")).scalars().all() == [
            "Pomocy"
        ]
        assert db.session.execute(text("SELECT article_id FROM vote")).scalars().all() == [
            "account/reset-password"
        ]
        visits = db.session.execute(text("SELECT day, visitor, escalated, lang FROM visit")).all()
        assert [
            (str(day)[:10], who, bool(escalated), lang) for day, who, escalated, lang in visits
        ] == [("2026-11-02", visitor, True, "pl")]


def test_models_and_migrations_do_not_drift(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
