from __future__ import annotations

from pathlib import Path

import pytest

from helpcenter import create_app
from helpcenter.database import upgrade_database

from .articletree import ArticleTree, basic_tree


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
        **config,
    }
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
