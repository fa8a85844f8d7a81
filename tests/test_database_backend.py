"""The suite really runs against the database it was asked for (see --database)."""

from helpcenter.extensions import db


def test_apps_use_the_requested_database(app, database_backend):
    with app.app_context():
        assert db.engine.dialect.name == database_backend
        assert db.session.execute(db.text("SELECT count(*) FROM search_event")).scalar() == 0
