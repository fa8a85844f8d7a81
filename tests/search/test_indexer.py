import threading

from helpcenter.search.indexer import SCHEMA_VERSION


def test_reindex_touches_only_changed_articles(search):
    tree = search.tree
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/a.md", "Alpha", "First.\n")
    tree.article("en/faq/b.md", "Beta", "Second.\n")
    first = search.index()["en"]
    assert (first.full, first.added) == (True, 2)

    tree.article("en/faq/b.md", "Beta", "Second, edited with zebras.\n")
    tree.article("en/faq/c.md", "Gamma", "Third.\n")
    (tree.root / "en/faq/a.md").unlink()
    stats = search.index()["en"]
    assert (stats.full, stats.added, stats.updated, stats.removed, stats.unchanged) == (
        False,
        1,
        1,
        1,
        0,
    )
    assert search.ids("en", "zebras") == ["faq/b"]
    assert search.ids("en", "alpha") == []

    again = search.index()["en"]
    assert (again.added, again.updated, again.removed) == (0, 0, 0)


def test_full_rebuild_swaps_atomically_while_searching(search):
    tree = search.tree
    tree.category("en", "faq", "FAQ")
    for n in range(40):
        tree.article(f"en/faq/q{n}.md", f"Question {n}", "Shipping questions answered.\n")
    search.index()
    before = search.indexes.link("en").resolve()
    errors, counts = [], []
    stop = threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                counts.append(search.service.search("en", "shipping").total)
            except Exception as exc:  # pragma: no cover - the assertion reports it
                errors.append(exc)

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        stats = search.index(full=True)["en"]
    finally:
        stop.set()
        worker.join()
    assert stats.full and stats.added == 40
    assert errors == []
    assert counts and set(counts) == {40}  # never a half-built index
    after = search.indexes.link("en").resolve()
    assert after != before and not before.exists()


def test_schema_change_forces_a_full_rebuild(search):
    tree = search.tree
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/a.md", "Alpha", "First.\n")
    search.index()
    seal = search.indexes.link("en") / "helpcenter-build"
    seal.write_text(seal.read_text().replace(SCHEMA_VERSION, "16:old", 1))
    assert search.index()["en"].full
    rebuilt = (search.indexes.link("en") / "helpcenter-build").read_text()
    assert rebuilt.split()[0] == SCHEMA_VERSION


def test_a_file_that_cannot_be_indexed_is_skipped(search, monkeypatch):
    from helpcenter.search import indexer

    tree = search.tree
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/good.md", "Good", "Fine.\n")
    tree.article("en/faq/bad.md", "Bad", "Breaks the indexer.\n")
    real = indexer.article_document

    def flaky(article):
        if article.slug == "bad":
            raise ValueError("cannot read this one")
        return real(article)

    monkeypatch.setattr(indexer, "article_document", flaky)
    stats = search.index()["en"]
    assert stats.failed == [("faq/bad", "cannot read this one")]
    assert search.ids("en", "fine") == ["faq/good"]
