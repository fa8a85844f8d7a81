"""The suite's fixtures: its database back-end, article trees, the app and its clients. The
helpers they use live in tests/helpers.py."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from helpcenter.config_file import CONFIG_ENV
from tests.articletree import ArticleTree, basic_tree
from tests.helpers import make_app, start_suite_database, stop_suite_database

# Lexical search unless a test turns semantic search on (see make_app), also in the servers
# and commands a test starts; and one embedding cache for the whole suite and every run of it
# on this machine, so the model embeds the test articles' passages once.
os.environ.setdefault("HELPCENTER_SEARCH_SEMANTIC", "false")
os.environ.setdefault(
    "HELPCENTER_SEARCH_EMBEDDING_CACHE",
    str(Path(tempfile.gettempdir()) / "helpcenter-test-embeddings"),
)

# Fixtures whose tests check what differs between the database back-ends: marked `postgres`,
# so `-m postgres --database postgresql` runs them on their own.
POSTGRES_FIXTURES = {"database_backend"}
# Tests whose subject is what the database stores (activity and its roll-ups, reports, support
# requests and their delivery, staff accounts, rate limits, learned words, migrations): marked
# `database`. The PostgreSQL pass of scripts/test runs these and the `postgres` ones; every
# other test uses the database only in passing, through the code these run.
# scripts/postgres-coverage checks it: every line of the modules that use the database that a
# PostgreSQL pass of the whole suite runs, these run too (SQLite's own lines aside).
DATABASE_SUBJECTS = (
    "tests/activity/", "tests/reports/", "tests/support/",
    "tests/search/test_learning.py",
    "tests/test_database_backend.py", "tests/test_migrations.py", "tests/test_operations.py",
    "tests/test_hostile_input.py",
    "tests/web/test_beacon.py", "tests/web/test_request_limits.py", "tests/web/test_popular.py",
    "tests/web/test_search.py", "tests/web/test_staff_login.py", "tests/web/test_support.py",
    "tests/web/test_help_widget.py",
)  # fmt: skip


def is_database_subject(path: str) -> bool:
    """`path` (from the repository's root) is among DATABASE_SUBJECTS."""
    return any(path == s or (s.endswith("/") and path.startswith(s)) for s in DATABASE_SUBJECTS)


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="run the tests against SQLite (default) or a private PostgreSQL server",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="the browser tests save their screenshots under test-artifacts/ (to look at them)",
    )


def pytest_collection_modifyitems(config, items) -> None:
    root = Path(__file__).parent.parent
    for item in items:
        if POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
        if is_database_subject(item.path.relative_to(root).as_posix()):
            item.add_marker(pytest.mark.database)


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
def suite_database(request, no_config_file):
    """With --database postgresql, every app a test makes gets its own new PostgreSQL database
    (tests/helpers.py: make_app, new_database_url)."""
    database = start_suite_database(request.config.getoption("--database"))
    yield database
    stop_suite_database()


@pytest.fixture(scope="session")
def database_backend(suite_database) -> str:
    """ "sqlite" or "postgresql": the back-end this run's apps use."""
    return suite_database.backend


@pytest.fixture(scope="session")
def empty_tree_template(tmp_path_factory) -> ArticleTree:
    return ArticleTree(tmp_path_factory.mktemp("empty-tree") / "articles")


@pytest.fixture(scope="session")
def basic_tree_template(tmp_path_factory) -> ArticleTree:
    """The basic tree, built with its git commits once per session; tests get copies."""
    return basic_tree(ArticleTree(tmp_path_factory.mktemp("basic-tree") / "articles"))


@pytest.fixture
def tree(tmp_path: Path, empty_tree_template: ArticleTree) -> ArticleTree:
    """An empty articles tree in its own git repository."""
    return ArticleTree.copy_of(empty_tree_template, tmp_path / "articles")


@pytest.fixture
def basic(tree: ArticleTree, basic_tree_template: ArticleTree) -> ArticleTree:
    """English and Polish, one Hebrew article, one untranslated article, a link and an image
    (tests/articletree.py: basic_tree), committed."""
    tree.replace_with(basic_tree_template)
    return tree


@pytest.fixture
def app(tmp_path: Path, basic: ArticleTree):
    return make_app(tmp_path, basic.root)


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory, basic_tree_template: ArticleTree):
    """One app on the basic tree for a whole module of read-only page tests: GETs of customer
    pages, whose only writes (page views, the search log) no test of the module reads. A module
    opts in by overriding `client` with `shared_app.test_client()`; a test that writes what
    another reads takes `app`, new for each test."""
    folder = tmp_path_factory.mktemp("shared-app")
    tree = ArticleTree.copy_of(basic_tree_template, folder / "articles")
    return make_app(folder, tree.root)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
