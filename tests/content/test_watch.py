"""The writer's preview reloads a saved file in the background (content/watch.py)."""

import pytest

from helpcenter.content.store import ContentStore
from helpcenter.content.watch import ContentWatcher
from helpcenter.languages import resolve_languages
from tests.helpers import wait_until

LANGUAGES = resolve_languages(["en", "pl", "he"], "en")


@pytest.mark.parametrize("use_events", [True, False], ids=["kernel events", "polling"])
def test_a_save_is_handed_on_as_a_new_catalog_without_any_request(basic, use_events):
    store = ContentStore(basic.root, LANGUAGES, check_interval=0)
    store.catalog()
    handed_on = []
    watcher = ContentWatcher(store, handed_on.append, interval=0.01, use_events=use_events)
    watcher.start()
    try:
        basic.article("en/payments/declined.md", "My payment was declined", "Call your bank.\n")
        catalog = wait_until(lambda: handed_on and handed_on[-1], "the save was never reloaded")
    finally:
        watcher.stop()
    assert "Call your bank." in catalog.articles[("en", "payments/declined")].body
    assert store.catalog() is catalog


def test_a_check_without_a_change_hands_nothing_on(basic):
    store = ContentStore(basic.root, LANGUAGES, check_interval=0)
    store.catalog()
    handed_on = []
    assert not ContentWatcher(store, handed_on.append, interval=1).check()
    assert handed_on == []


def test_a_save_in_a_folder_made_after_the_watch_began_is_seen(basic):
    store = ContentStore(basic.root, LANGUAGES, check_interval=0)
    store.catalog()
    handed_on = []
    watcher = ContentWatcher(store, handed_on.append, interval=0.05)
    watcher.start()
    try:
        basic.category("en", "shipping", "Shipping")
        wait_until(
            lambda: handed_on and ("en", "shipping") in handed_on[-1].categories,
            "the new folder was never read",
        )
        basic.article("en/shipping/tracking.md", "Track a parcel", "Use the link.\n")
        wait_until(
            lambda: ("en", "shipping/tracking") in handed_on[-1].articles,
            "the article saved in the new folder was never read",
        )
    finally:
        watcher.stop()
