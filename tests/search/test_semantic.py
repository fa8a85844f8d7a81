"""Semantic search beside the lexical one: passages, their embeddings with each index build,
the cache, and the fallbacks when a build's passages cannot be read."""

from __future__ import annotations

import copy
import logging

import numpy as np
import pytest

from helpcenter.search import semantic
from helpcenter.search.semantic import PASSAGES_FILE, article_passages
from tests.helpers import SearchFixture, SemanticSearchFixture, WordHashEncoder

FILLER = (
    "Unpack the appliance and keep the box for thirty days in case you want to return it. "
    "Set the temperature dial to the middle position; the display shows the current value. "
    "Shelves slide out and can be moved to any height, and the door bins hold tall bottles. "
)
PUMP = (
    "When the washing machine does not empty once a cycle is over, unscrew the pump filter "
    "behind the small flap at the bottom front, catch what runs out in a shallow tray and "
    "remove coins or fluff."
)


def _long_guide(tree) -> str:
    """An article whose pump advice is in its fifth passage only (the title and summary are
    the first); returns its body."""
    filler = FILLER.split()
    words = (filler * 8)[:190] + PUMP.split() + (filler * 4)[: 300 - 190 - len(PUMP.split())]
    body = " ".join(words)
    tree.category("en", "care", "Care")
    tree.article("en/care/appliance-guide.md", "Appliance guide", body)
    tree.article("en/care/oven.md", "Cleaning the oven", "Remove the racks and wipe the enamel.")
    tree.article("en/care/kettle.md", "Descaling the kettle", "Boil vinegar and water, rinse.")
    return body


@pytest.fixture
def semantic_search(tree, tmp_path):
    return SemanticSearchFixture(tree, tmp_path / "index")


@pytest.fixture
def hashed_search(tree, tmp_path):
    """Semantic search with a fast stand-in model and a cache of its own."""
    return SemanticSearchFixture(
        tree, tmp_path / "index", WordHashEncoder(), cache=tmp_path / "cache"
    )


def test_a_long_article_is_embedded_as_several_passages_after_its_title():
    body = " ".join(f"word{n}" for n in range(300))
    passages = article_passages("Title", "A summary.", body)
    assert passages[0] == "Title. A summary."
    assert len(passages) > 4
    assert all(passage.startswith("Title. ") for passage in passages)
    # Neighbours overlap, so a sentence cut between two is whole in one of them.
    assert passages[1].split()[-1] in passages[2].split()


def test_a_paraphrase_finds_the_article_whose_fifth_passage_answers_it(semantic_search):
    body = _long_guide(semantic_search.tree)
    passages = article_passages("Appliance guide", "", body)
    assert [n for n, text in enumerate(passages) if "pump" in text] == [4]
    semantic_search.index()
    question = "washer still full after the program ends"
    # No word of the question is in the article: only the meaning of its fifth passage.
    assert (
        SearchFixture(semantic_search.tree, semantic_search.indexes.index_dir).ids("en", question)
        == []
    )
    assert semantic_search.ids("en", question)[0] == "care/appliance-guide"
    dense = semantic_search.service.semantic.dense.search("en", question)
    assert dense.ids[0] == "care/appliance-guide"
    assert dense.passages[0] == 4  # the fifth passage (the first is the title)


def test_an_edited_article_is_embedded_again_and_only_it(hashed_search):
    tree = hashed_search.tree
    tree.category("en", "faq", "FAQ")
    for name in "abc":
        tree.article(f"en/faq/{name}.md", f"Article {name}", f"Text of article {name}.")
    assert hashed_search.index()["en"].embedded == 6  # passages: each title, each body
    encoder = hashed_search.embedder.encoder
    before = len(encoder.passages_embedded)

    tree.article("en/faq/b.md", "Article b", "Text of article b, now about zebras.")
    stats = hashed_search.index()["en"]

    assert stats.embedded == 1  # its body: its title is unchanged, and cached
    assert encoder.passages_embedded[before:] == ["Article b. Text of article b, now about zebras."]
    assert hashed_search.ids("en", "zebras")[0] == "faq/b"


def test_a_full_rebuild_of_unchanged_articles_embeds_nothing(tree, tmp_path):
    tree.category("en", "faq", "FAQ")
    for name in "abc":
        tree.article(f"en/faq/{name}.md", f"Article {name}", f"Text of article {name}.")
    first = SemanticSearchFixture(tree, tmp_path / "one", WordHashEncoder(), tmp_path / "cache")
    first.index()
    # Another index folder (a new node, a rebuild after the builds were removed), same cache.
    second = SemanticSearchFixture(tree, tmp_path / "two", WordHashEncoder(), tmp_path / "cache")
    assert second.index(full=True)["en"].embedded == 0  # all from the cache
    assert second.embedder.encoder.passages_embedded == []
    assert second.embedder.reused == 6  # passages: each title, and each body


def test_lexical_only_ranks_exactly_as_without_semantic_search(tree, tmp_path, hashed_search):
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/a.md", "Refunds", "Refunds take five days to reach your card.")
    tree.article("en/faq/b.md", "Card payments", "We take every card; refunds go back to it.")
    tree.article("en/faq/c.md", "Delivery", "Parcels arrive in two days.")
    hashed_search.index()
    lexical = SearchFixture(tree, tmp_path / "lexical")
    lexical.index()
    semantic_off = copy.copy(hashed_search.service)
    semantic_off.semantic = None
    for query in ("refunds card", "card", "parcels", "days", "money back"):
        page = lexical.service.search("en", query)
        assert [(h.id, h.score, h.snippet) for h in semantic_off.search("en", query).hits] == [
            (h.id, h.score, h.snippet) for h in page.hits
        ]
    # Semantic off builds no passages at all.
    assert not (lexical.indexes.link("en").resolve() / PASSAGES_FILE).exists()
    assert (hashed_search.indexes.link("en").resolve() / PASSAGES_FILE).exists()


def _passages_path(search) -> object:
    return search.indexes.link("en").resolve() / PASSAGES_FILE


def _two_articles(search) -> None:
    search.tree.category("en", "faq", "FAQ")
    search.tree.article("en/faq/a.md", "Refunds", "Refunds take five days.")
    search.tree.article("en/faq/b.md", "Delivery", "Parcels arrive in two days.")
    search.index()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.unlink(), id="missing"),
        pytest.param(lambda path: path.write_bytes(b"PK\x03\x04 not a zip at all"), id="corrupt"),
        pytest.param(
            lambda path: np.savez(
                path.open("wb"), model=np.array("x"), ids=np.array([object()], dtype=object)
            ),
            id="pickled",
        ),
    ],
)
def test_unreadable_passages_fall_back_to_lexical_with_a_log_line(hashed_search, caplog, damage):
    _two_articles(hashed_search)
    damage(_passages_path(hashed_search))
    with caplog.at_level(logging.WARNING, logger="helpcenter.search.dense"):
        assert hashed_search.ids("en", "refunds") == ["faq/a"]
        # A query the lexical side is not sure of asks the dense side, which says why not.
        assert hashed_search.ids("en", "zebra giraffe") == []
    assert "semantic search off for en" in caplog.text
    # Once per file, not once per search.
    caplog.clear()
    hashed_search.ids("en", "zebra giraffe lion")
    assert "semantic search off" not in caplog.text


def test_passages_are_never_unpickled(hashed_search, monkeypatch):
    _two_articles(hashed_search)
    calls = []
    real_load = np.load

    def spying_load(*args, **kwargs):
        calls.append(kwargs.get("allow_pickle"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(semantic.np, "load", spying_load)
    hashed_search.tree.article("en/faq/b.md", "Delivery", "Parcels arrive in three days.")
    hashed_search.index()
    hashed_search.ids("en", "parcels")
    assert calls and all(allow is False for allow in calls)


def test_an_index_update_repairs_missing_passages(hashed_search):
    _two_articles(hashed_search)
    _passages_path(hashed_search).unlink()
    stats = hashed_search.index()["en"]
    assert (stats.updated, stats.embedded) == (0, 0)  # from the cache
    assert _passages_path(hashed_search).exists()


class _BrokenEncoder(WordHashEncoder):
    """A model that cannot run on this machine."""

    def query(self, text):
        raise OSError("engine not loadable")

    def passages(self, texts):
        raise OSError("engine not loadable")


def test_a_model_that_cannot_run_leaves_search_lexical_with_a_log_line(tree, tmp_path, caplog):
    search = SemanticSearchFixture(tree, tmp_path / "index", _BrokenEncoder(), tmp_path / "cache")
    search.tree.category("en", "faq", "FAQ")
    search.tree.article("en/faq/a.md", "Refunds", "Refunds take five days.")
    with caplog.at_level(logging.WARNING):
        search.index()
        assert search.ids("en", "refunds") == ["faq/a"]
        assert search.ids("en", "zebra giraffe") == []
    assert "semantic search stays off" in caplog.text
    assert "semantic search off for en" in caplog.text
