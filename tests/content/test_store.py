"""The serving site's content store: a worker's periodic check (content/store.py)."""

import pytest

from helpcenter.content import tree as content_tree
from helpcenter.content.store import ContentStore
from helpcenter.languages import resolve_languages

LANGUAGES = resolve_languages(["en", "pl", "he"], "en")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_check_finds_a_save_without_walking_the_tree(basic, monkeypatch):
    clock = Clock()
    store = ContentStore(basic.root, LANGUAGES, check_interval=2, clock=clock)
    store.catalog()
    clock.now += 2
    store.catalog()  # the first check walks, and from then on the kernel tells what changed
    if store._watch is None:
        pytest.skip("inotify is not available here")
    walks = []
    real_walk = content_tree.stat_walk
    monkeypatch.setattr(
        content_tree, "stat_walk", lambda root: walks.append(root) or real_walk(root)
    )
    basic.article("en/payments/declined.md", "My payment was declined", "Call your bank.\n")
    assert "Call your bank." not in store.catalog().articles[("en", "payments/declined")].body
    clock.now += 2
    assert "Call your bank." in store.catalog().articles[("en", "payments/declined")].body
    basic.category("en", "shipping", "Shipping")
    basic.article("en/shipping/tracking.md", "Track a parcel", "Use the link.\n")
    clock.now += 2
    assert ("en", "shipping/tracking") in store.catalog().articles
    assert walks == [basic.root / "en" / "shipping"]  # the new folder only


def test_without_watching_a_check_walks_the_tree(basic):
    clock = Clock()
    store = ContentStore(basic.root, LANGUAGES, check_interval=2, clock=clock, watch_files=False)
    store.catalog()
    basic.article("en/payments/declined.md", "My payment was declined", "Call your bank.\n")
    clock.now += 2
    assert "Call your bank." in store.catalog().articles[("en", "payments/declined")].body
