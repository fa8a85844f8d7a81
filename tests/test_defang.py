"""Customers' words made inert for the staff pages and the leads' mail (helpcenter/defang.py)."""

from __future__ import annotations

import pytest

from helpcenter.defang import defang


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("https://evil.example/login", "hxxps://evil[.]example/login"),
        ("HTTP://Evil.Example", "HXXP://Evil[.]Example"),
        ("ftp://files.evil.example", "fxp://files[.]evil[.]example"),
        ("file:///etc/passwd", "file[:]///etc/passwd"),
        ("go to www.evil.example now", "go to www[.]evil[.]example now"),
        ("evil.example", "evil[.]example"),
        ("write to me@evil.example", "write to me@evil[.]example"),
        ("mailto:me@evil.example", "mailto[:]me@evil[.]example"),
        ("пример.рф", "пример[.]рф"),
        ("evil\u3002example", "evil[.]example"),  # an ideographic full stop, read as a dot
    ],
)
def test_web_addresses_are_written_so_that_nothing_links_them(typed, shown):
    assert defang(typed) == shown


@pytest.mark.parametrize(
    "typed",
    ["Hasło nie działa", "version 2.5, e.g. on Windows", "It broke. Then I quit", "ok..."],
)
def test_words_without_an_address_stay_as_typed(typed):
    assert defang(typed) == typed


def test_making_text_inert_twice_changes_nothing_more():
    once = defang("See https://evil.example or www.evil.example")
    assert defang(once) == once
