"""Semantic search beside the lexical one: passages, their embeddings with each index build,
the cache, and the fallbacks when a build's passages cannot be read."""

from __future__ import annotations

import copy
import logging

import numpy as np
import pytest

from helpcenter import services
from helpcenter.content.loader import load_catalog
from helpcenter.search import semantic
from helpcenter.search.hybrid import passage_embedder
from helpcenter.search.semantic import PASSAGES_FILE, article_passages
from helpcenter.search.sync import update_indexes
from tests.helpers import (
    ALL,
    SearchFixture,
    SemanticSearchFixture,
    WordHashEncoder,
    make_app,
)

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
    """An article whose pump advice is in its fourth passage only (the first is the head
    passage); returns its body."""
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


def _paragraphs(count: int) -> list[str]:
    return [
        f"Paragraph {n} explains step {n} of the set-up, in a few plain sentences. "
        f"It names part {n} and says what to check before going on to step {n + 1}. "
        "Nothing in it is needed to understand the other steps of the guide."
        for n in range(count)
    ]


def test_every_article_gets_a_head_passage_of_its_title_summary_and_opening():
    body = "\n\n".join(_paragraphs(6))
    head = article_passages("Title", "A summary.", body)[0]
    assert head.startswith("Title. A summary. Paragraph 0 explains step 0")
    assert len(head) <= semantic.HEAD_CHARS
    assert head == semantic.head_passage("Title", "A summary.", body)
    # A short article is its head passage alone.
    assert article_passages("Title", "", "Two short sentences. Nothing else.") == [
        "Title. Two short sentences. Nothing else."
    ]


def test_body_passages_are_whole_paragraphs_after_the_title_within_the_limits():
    paragraphs = _paragraphs(12)
    passages = article_passages("Title", "", "\n\n".join(paragraphs))
    assert len(passages) == semantic.MAX_PASSAGES
    for passage in passages[1:]:
        assert passage.startswith("Title. Paragraph ")
        text = passage.removeprefix("Title. ")
        assert len(text) <= semantic.PASSAGE_CHARS
        # Nothing but whole paragraphs: no passage starts or ends inside one.
        assert all(part in paragraphs for part in _split_paragraphs(text, paragraphs))
    # A paragraph longer than a passage is cut at sentence ends.
    long = " ".join(f"Sentence {n} of a very long paragraph." for n in range(60))
    pieces = article_passages("Title", "", long)[1:]
    assert len(pieces) > 2
    assert all(piece.endswith(".") for piece in pieces)
    assert all(len(piece) <= len("Title. ") + semantic.PASSAGE_CHARS for piece in pieces)


def _split_paragraphs(text: str, paragraphs: list[str]) -> list[str]:
    found = []
    while text:
        match = next((p for p in paragraphs if text.startswith(p)), None)
        if match is None:
            return [text]
        found.append(match)
        text = text[len(match) :].lstrip()
    return found


def test_editing_one_paragraph_of_a_long_article_embeds_one_passage_again(hashed_search):
    tree = hashed_search.tree
    tree.category("en", "faq", "FAQ")
    paragraphs = _paragraphs(10)
    tree.article("en/faq/guide.md", "Set-up guide", "\n\n".join(paragraphs))
    first = hashed_search.index()["en"].embedded
    assert first == len(article_passages("Set-up guide", "", "\n\n".join(paragraphs)))
    assert first == semantic.MAX_PASSAGES

    # A writer adds a sentence to the third paragraph (every later word moves).
    paragraphs[2] += " A zebra-striped cable is the one to unplug first."
    tree.article("en/faq/guide.md", "Set-up guide", "\n\n".join(paragraphs))
    encoder = hashed_search.embedder.encoder
    before = len(encoder.passages_embedded)
    assert hashed_search.index()["en"].embedded == 1
    [again] = encoder.passages_embedded[before:]
    assert "zebra-striped" in again


def test_a_paraphrase_finds_the_article_whose_fourth_passage_answers_it(semantic_search):
    body = _long_guide(semantic_search.tree)
    passages = article_passages("Appliance guide", "", body)
    assert [n for n, text in enumerate(passages) if "pump" in text] == [3]
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
    assert dense.passages[0] == 3  # the fourth passage (the first is the head)


def test_an_edited_article_is_embedded_again_and_only_it(hashed_search):
    tree = hashed_search.tree
    tree.category("en", "faq", "FAQ")
    for name in "abc":
        tree.article(f"en/faq/{name}.md", f"Article {name}", f"Text of article {name}.")
    assert hashed_search.index()["en"].embedded == 3  # passages: each its head passage
    encoder = hashed_search.embedder.encoder
    before = len(encoder.passages_embedded)

    tree.article("en/faq/b.md", "Article b", "Text of article b, now about zebras.")
    stats = hashed_search.index()["en"]

    assert stats.embedded == 1  # its head passage, which holds its short body
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
    assert second.embedder.reused == 3  # passages: each article's head passage


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


def _searchable_by_heads_first(search, monkeypatch):
    """What `helpcenter index` does first on a large site: every article searchable by its
    head passage (here even a small site, DEEP_AT_ONCE made 0); returns the catalog."""
    monkeypatch.setattr(semantic, "DEEP_AT_ONCE", 0)
    catalog = load_catalog(search.tree.root, ALL)
    update_indexes(search.indexes, catalog, deep=False)
    return catalog


def test_body_passages_embedded_after_the_build_make_an_article_findable(
    semantic_search, monkeypatch
):
    _long_guide(semantic_search.tree)
    catalog = _searchable_by_heads_first(semantic_search, monkeypatch)
    question = "washer still full after the program ends"
    assert semantic_search.indexes.pending("en") == 1  # the guide: the others are short
    # A build whose body passages are still to come is searched, without error.
    before = semantic_search.service.semantic.dense.search("en", question)
    assert before.passages[before.ids.index("care/appliance-guide")] == 0  # its head only
    semantic_search.service.search("en", question)

    semantic_search.indexes.deepen(catalog, "en")

    assert semantic_search.indexes.pending("en") == 0
    assert semantic_search.ids("en", question)[0] == "care/appliance-guide"
    after = semantic_search.service.semantic.dense.search("en", question)
    assert (after.ids[0], after.passages[0]) == ("care/appliance-guide", 3)


class _InterruptedEncoder(WordHashEncoder):
    """A model whose process is stopped (Ctrl+C) once it has embedded `limit` passages."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def passages(self, texts):
        if len(self.passages_embedded) + len(texts) > self.limit:
            raise KeyboardInterrupt
        return super().passages(texts)


def test_an_interrupted_deepening_resumes_without_embedding_anything_twice(
    tree, tmp_path, monkeypatch
):
    tree.category("en", "faq", "FAQ")
    bodies = {}
    for name in ("alpha", "beta", "gamma"):
        bodies[name] = "\n\n".join(f"{name.title()} {text}" for text in _paragraphs(8))
        tree.article(f"en/faq/{name}.md", name.title(), bodies[name])
    body_passages = {name: article_passages(name.title(), "", bodies[name])[1:] for name in bodies}
    first_batch = len(body_passages["alpha"])
    stopped = SemanticSearchFixture(
        tree, tmp_path / "index", _InterruptedEncoder(3 + first_batch), tmp_path / "cache"
    )
    catalog = _searchable_by_heads_first(stopped, monkeypatch)
    assert stopped.indexes.pending("en") == 3
    with pytest.raises(KeyboardInterrupt):
        stopped.indexes.deepen(catalog, "en", batch=1)  # one article a batch
    assert stopped.indexes.pending("en") == 2  # the first batch was written

    # Run again: a new process (a new model), the same index and cache.
    model = WordHashEncoder()
    indexes = stopped.indexes
    indexes.embedder = passage_embedder(tmp_path / "cache", model)
    rest = body_passages["beta"] + body_passages["gamma"]
    assert indexes.deepen(catalog, "en") == len(rest)
    assert sorted(model.passages_embedded) == sorted(rest)
    assert indexes.pending("en") == 0


def test_helpcenter_index_says_when_search_is_ready_and_when_every_passage_is_embedded(
    tree, tmp_path, monkeypatch
):
    monkeypatch.setattr(semantic, "DEEP_AT_ONCE", 0)
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/guide.md", "Set-up guide", "\n\n".join(_paragraphs(6)))
    tree.article("en/faq/short.md", "Short", "One line.")
    app = make_app(
        tmp_path, tree.root, LANGUAGES="en", SEARCH_SEMANTIC=True, SEARCH_INDEX_PROCESSES=1
    )
    result = app.test_cli_runner().invoke(args=["index"])
    assert result.exit_code == 0, result.output
    ready = result.output.index("en: rebuilt")
    deepening = result.output.index("Embedding the body's passages of 1 article ")
    assert ready < deepening < result.output.index("Every passage is embedded")
    with app.app_context():
        assert services.indexes().pending("en") == 0


class _OneFileIndexes:
    """What DenseRetriever reads of an index store: where a language's passages file is."""

    def __init__(self, path) -> None:
        self.path = path

    def passages_file(self, lang: str):
        return self.path


def test_a_body_passage_counts_less_than_a_head_passage_saying_the_same(tmp_path):
    # Two articles hold the question's exact meaning: one in its head passage (title, summary,
    # opening), one deep in its body, among passages about other things. The article whose
    # head says it is about the question ranks first, by BODY_DISCOUNT.
    from helpcenter.search.dense import BODY_DISCOUNT, DenseRetriever

    model = WordHashEncoder()
    question = "printer prints blank pages"
    rows = model.passages(
        ["delivery times and tracking", "invoices and receipts", question, question]
    )
    matrix = semantic.PassageMatrix(
        model.name,
        ["orders/long-guide", "help/printer-blank-pages"],
        ["d1", "d2"],
        ["Long guide", "Printer prints blank pages"],
        np.array([3, 1], dtype=np.int32),
        rows,
    )
    matrix.save(tmp_path / "passages.npz")
    found = DenseRetriever(_OneFileIndexes(tmp_path / "passages.npz"), model).search("en", question)
    assert found.ids == ["help/printer-blank-pages", "orders/long-guide"]
    assert found.passages == [0, 2]
    assert found.scores[0] - found.scores[1] == pytest.approx(BODY_DISCOUNT, abs=1e-3)


def test_an_article_in_one_language_has_passages_in_that_language_alone(hashed_search):
    """A Polish-only article is embedded into the Polish index, and the answers from the
    default language (for a language without its own) can never offer it."""
    from helpcenter.search.fallback import default_language_answers

    tree = hashed_search.tree
    for lang, title in (("en", "Payments"), ("pl", "Płatności")):
        tree.category(lang, "pay", title)
    tree.article("en/pay/cards.md", "Cards", "Pay by card.")
    tree.article("pl/pay/cards.md", "Karty", "Zapłać kartą.")
    tree.article("pl/pay/blik.md", "BLIK", "Wpisz kod BLIK z aplikacji banku.")
    stats = hashed_search.index()
    assert stats["pl"].added == 2 and stats["en"].added == 1
    dense = hashed_search.service.semantic.dense
    assert dense.search("pl", "kod BLIK").ids[0] == "pay/blik"
    assert "pay/blik" not in dense.search("en", "BLIK code").ids
    for lang in ("lt", "hr"):
        found = hashed_search.service.search(lang, "BLIK kod")
        answers = default_language_answers(hashed_search.service, found, "en", lambda aid: False)
        assert answers is None or "pay/blik" not in [hit.id for hit in answers.hits]
    assert hashed_search.ids("pl", "blik") == ["pay/blik"]
    assert hashed_search.ids("en", "blik") == []
