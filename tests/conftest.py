from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.pool import NullPool

from helpcenter import create_app
from helpcenter.config_file import CONFIG_ENV
from helpcenter.database import upgrade_database

from .articletree import ArticleTree, basic_tree
from .postgres import PostgresServer


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="run the tests against SQLite (default) or a private PostgreSQL server",
    )


_postgres: PostgresServer | None = None

# The sample content's site (Brightwood): support hours and response time in every language,
# a support address and a mail sender. Tests that need such an identity name it explicitly.
SAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "helpcenter.toml"


@pytest.fixture(scope="session", autouse=True)
def no_config_file():
    """Tests run in this checkout, whose helpcenter.toml is the sample's (Brightwood's)
    identity: no test app, nor a `helpcenter` process a test starts, picks it up unasked. A
    test that wants a config file names it (CONFIG_FILE, or HELPCENTER_CONFIG in its env)."""
    previous = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = ""
    yield
    if previous is None:
        del os.environ[CONFIG_ENV]
    else:
        os.environ[CONFIG_ENV] = previous


@pytest.fixture(scope="session", autouse=True)
def database_backend(request):
    """With --database postgresql, every app a test makes gets its own new PostgreSQL database."""
    global _postgres
    if request.config.getoption("--database") == "postgresql":
        _postgres = PostgresServer()
        yield "postgresql"
        _postgres.stop()
        _postgres = None
    else:
        yield "sqlite"


@pytest.fixture
def tree(tmp_path: Path) -> ArticleTree:
    """An empty articles tree in its own git repository."""
    return ArticleTree(tmp_path / "articles")


@pytest.fixture
def basic(tree: ArticleTree) -> ArticleTree:
    return basic_tree(tree)


def make_app(tmp_path: Path, articles: Path, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "ARTICLES_DIR": str(articles),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CONTENT_CHECK_INTERVAL": 0,
        "RATELIMIT_ENABLED": False,  # tests/support/test_contact.py turns it on where it tests it
        "LEARN_INTERVAL": 0,  # no background thread; tests/search/test_learning.py runs rounds
        **config,
    }
    if _postgres is not None and "SQLALCHEMY_DATABASE_URI" not in config:
        settings["SQLALCHEMY_DATABASE_URI"] = _postgres.new_database()
        # No idle pooled connections left behind by the many short-lived test apps.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
    app = create_app(settings)
    upgrade_database(app)
    return app


@pytest.fixture
def app(tmp_path: Path, basic: ArticleTree):
    return make_app(tmp_path, basic.root)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
