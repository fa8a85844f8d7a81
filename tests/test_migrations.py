"""Migrations: an upgrade keeps every row, and the models match what migrations create."""

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import text

from helpcenter.database import MIGRATIONS_DIR
from helpcenter.extensions import db
from tests.conftest import make_app


def test_upgrading_a_database_with_data_loses_nothing(tmp_path, basic):
    app = make_app(tmp_path, basic.root)  # at head; go back to 0002 and fill it
    with app.app_context():
        from flask_migrate import downgrade

        downgrade(directory=str(MIGRATIONS_DIR), revision="0002")
        at = dt.datetime(2026, 11, 2, 10, 0)
        db.session.execute(text(
            "INSERT INTO search_event (key, created_at, lang, query, normalized, result_count,"
            " page, visitor) VALUES ('k1', :at, 'pl', 'hasło', 'hasl', 0, 1, :v)"
        ), {"at": at, "v": "a" * 32})  # fmt: skip
        db.session.execute(text(
            "INSERT INTO contact_request (reference, created_at, lang, email, name, message,"
            " about, visitor) VALUES ('HC-TEST-0001', :at, 'pl', 'a@example.com', '', 'Pomocy',"
            " '', :v)"
        ), {"at": at, "v": "a" * 32})  # fmt: skip
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR))
        assert db.session.execute(text("SELECT query FROM search_event")).scalars().all() == [
            "hasło"
        ]
        assert db.session.execute(text("SELECT message FROM contact_request")).scalars().all() == [
            "Pomocy"
        ]
        visits = db.session.execute(text("SELECT day, visitor, escalated FROM visit")).all()
        assert [
            (str(day)[:10], visitor, bool(escalated)) for day, visitor, escalated in visits
        ] == [("2026-11-02", "a" * 32, True)]


def test_models_and_migrations_do_not_drift(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
