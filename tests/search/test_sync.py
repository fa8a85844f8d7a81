"""IndexSync after a reload: the indexes follow the catalog, touching only what changed."""

from helpcenter.content.loader import TreeLoader
from helpcenter.languages import resolve_languages
from helpcenter.search.indexer import IndexStore
from helpcenter.search.searcher import SearchService
from helpcenter.search.sync import IndexSync

LANGUAGES = resolve_languages(["en", "pl", "he"], "en")


def synced_and_watched(basic, tmp_path, monkeypatch):
    """The basic tree loaded and indexed once; `updated` then lists each language updated."""
    loader = TreeLoader(basic.root, LANGUAGES)
    indexes = IndexStore(tmp_path / "index")
    sync = IndexSync(indexes)
    sync.ensure_current(loader.load())
    updated: list[str] = []
    real_update = indexes.update
    monkeypatch.setattr(
        indexes,
        "update",
        lambda catalog, lang, **kw: updated.append(lang) or real_update(catalog, lang, **kw),
    )
    return loader, indexes, sync, updated


def test_an_edit_in_one_language_updates_only_that_languages_index(basic, tmp_path, monkeypatch):
    loader, indexes, sync, updated = synced_and_watched(basic, tmp_path, monkeypatch)
    basic.article("pl/payments/methods.md", "Metody płatności", "Płać portfelem w telefonie.\n")
    sync.ensure_current(loader.load())
    assert updated == ["pl"]
    service = SearchService(indexes, refresh_interval=0, min_score_ratio=0)
    assert [hit.id for hit in service.search("pl", "portfelem").hits] == ["payments/methods"]


def test_a_full_load_checks_every_language_again(basic, tmp_path, monkeypatch):
    """A catalog read from scratch shares no objects with the last one: nothing is assumed."""
    loader, _, sync, updated = synced_and_watched(basic, tmp_path, monkeypatch)
    sync.ensure_current(loader.load(full=True))
    assert updated == ["en", "pl", "he"]
