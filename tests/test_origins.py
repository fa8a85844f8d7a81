"""WIDGET_ORIGINS: the sites that may embed the help widget, read once at start-up, so a
mistake stops the app with where it was made instead of a panel no browser will show."""

from __future__ import annotations

import pytest

from helpcenter import create_app
from helpcenter.config_file import ConfigFileError
from helpcenter.origins import origin_of, parse_widget_origins


def test_origins_are_written_as_browsers_send_them():
    assert origin_of("HTTPS://Shop.Example.com:443/cart?x=1") == "https://shop.example.com"
    assert origin_of("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert origin_of("https://[::1]:8443/a") == "https://[::1]:8443"
    for nothing in ("", "/billing", "javascript:alert(1)", "https://host:port/", "mailto:a@b.c"):
        assert origin_of(nothing) == "", nothing


def test_widget_origins_come_as_a_text_or_a_list_each_once():
    assert parse_widget_origins("") == ()
    assert parse_widget_origins(None) == ()
    assert parse_widget_origins("https://a.example, https://B.example:8443/ https://a.example") == (
        "https://a.example",
        "https://b.example:8443",
    )
    assert parse_widget_origins(["https://a.example", " "]) == ("https://a.example",)


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("*", "every site"),
        ("shop.example.com", "not an origin"),
        ("https://shop.example.com/billing", "names a page"),
        ("https://shop.example.com/?a=1", "names a page"),
        ("https://user:pw@shop.example.com", "not an origin"),
        ("ftp://shop.example.com", "not an origin"),
    ],
)
def test_anything_but_an_origin_is_refused_with_why(entry, why):
    with pytest.raises(ValueError, match=why):
        parse_widget_origins(entry)


def test_a_bad_origin_from_the_environment_stops_the_app_saying_where(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPCENTER_WIDGET_ORIGINS", "https://shop.example.com/billing")
    with pytest.raises(ConfigFileError, match="environment HELPCENTER_WIDGET_ORIGINS: widget_"):
        create_app({"TESTING": True, "CONFIG_FILE": "", "INSTANCE_PATH": str(tmp_path)})


def test_the_operator_settings_file_gives_them_as_a_list(tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text(
        'widget_origins = ["https://shop.example.com", "https://app.example.com"]\n'
    )
    app = create_app({"TESTING": True, "CONFIG_FILE": "", "INSTANCE_PATH": str(tmp_path)})
    assert app.config["WIDGET_ORIGINS"] == ("https://shop.example.com", "https://app.example.com")
    settings.write_text('widget_origins = ["*"]\n')
    with pytest.raises(ConfigFileError, match=f"{settings}:1: widget_origins: '\\*' would let"):
        create_app({"TESTING": True, "CONFIG_FILE": "", "INSTANCE_PATH": str(tmp_path)})
