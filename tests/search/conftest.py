import pytest

from tests.helpers import SearchFixture


@pytest.fixture
def search(tree, tmp_path):
    return SearchFixture(tree, tmp_path / "index")
