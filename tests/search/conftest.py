from pathlib import Path

import pytest

from helpcenter.content.loader import load_catalog
from helpcenter.languages import resolve_languages
from helpcenter.search.indexer import IndexStore
from helpcenter.search.searcher import SearchService
from helpcenter.search.sync import update_indexes

ALL = resolve_languages(["en", "pl", "he", "lt", "el", "hr"], "en")


class SearchFixture:
    """An article tree, its indexes and a search service, rebuilt on demand."""

    def __init__(self, tree, index_dir: Path) -> None:
        self.tree = tree
        self.indexes = IndexStore(index_dir)
        # No "nothing answers this" floor: on an index of two or three articles every IDF is
        # nearly the same, so these tests check matching; tests/search/test_floor.py checks
        # the floor on articles enough to give words their weight.
        self.service = SearchService(self.indexes, refresh_interval=0, min_score_ratio=0)

    def index(self, full: bool = False):
        catalog = load_catalog(self.tree.root, ALL)
        return {stats.lang: stats for stats in update_indexes(self.indexes, catalog, full=full)}

    def ids(self, lang: str, text: str, **options) -> list[str]:
        return [hit.id for hit in self.service.search(lang, text, **options).hits]


@pytest.fixture
def search(tree, tmp_path):
    return SearchFixture(tree, tmp_path / "index")
