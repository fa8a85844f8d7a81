"""The site's identity on its pages: name per language, accent colour, logo, favicons, and a
contact form that makes sense without a support address."""

from __future__ import annotations

import re

from tests.helpers import make_app

NAMES = {"en": "Acme Help", "pl": "Pomoc Acme", "he": "העזרה של Acme"}
PNG = b"\x89PNG\r\n\x1a\n" + b"logo" * 10


def title_and_brand(page: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    brand = re.search(r'class="brand"[^>]*>(.*?)</a>', page, re.S).group(1)
    return title.strip(), re.sub(r"<[^>]+>", "", brand).strip()


def test_site_name_per_language_in_header_and_titles(tmp_path, basic):
    client = make_app(tmp_path, basic.root, SITE_NAME=NAMES).test_client()
    for lang, name in NAMES.items():
        title, brand = title_and_brand(client.get(f"/{lang}/").get_data(as_text=True))
        assert title.endswith(f"· {name}") and brand == name, lang
    # A language the setting leaves out gets the default language's name.
    assert title_and_brand(client.get("/lt/").get_data(as_text=True))[1] == "Acme Help"


def test_without_a_name_the_site_is_a_help_center_in_each_language(tmp_path, basic):
    client = make_app(tmp_path, basic.root).test_client()
    assert title_and_brand(client.get("/en/").get_data(as_text=True))[1] == "Help Center"
    assert title_and_brand(client.get("/pl/").get_data(as_text=True))[1] == "Centrum pomocy"
    assert "Brightwood" not in client.get("/pl/contact").get_data(as_text=True)


def test_accent_colour_is_one_custom_property_in_a_stylesheet(tmp_path, basic):
    client = make_app(tmp_path, basic.root, ACCENT_COLOR="#0a7f5a").test_client()
    page = client.get("/en/").get_data(as_text=True)
    theme_url = re.search(r'<link rel="stylesheet" href="(/theme\.css\?v=[^"]+)"', page).group(1)
    theme = client.get(theme_url)
    assert theme.status_code == 200 and theme.mimetype == "text/css"
    assert theme.get_data(as_text=True).strip() == ":root { --accent: #0a7f5a; }"
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert "var(--accent)" in css and "#154a91" not in css  # the dark shade follows the accent


def test_favicon_and_touch_icon_answer_without_a_logo(tmp_path, basic):
    client = make_app(tmp_path, basic.root).test_client()
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.data[:4] == b"\x00\x00\x01\x00"  # an ICO
    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200 and touch.data.startswith(b"\x89PNG")
    page = client.get("/en/").get_data(as_text=True)
    assert '<link rel="icon"' in page and '<link rel="apple-touch-icon"' in page
    assert "brand__logo" not in page


def test_a_configured_logo_is_the_header_image_favicon_and_touch_icon(tmp_path, basic):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    client = make_app(tmp_path, basic.root, LOGO=str(logo)).test_client()
    page = client.get("/en/").get_data(as_text=True)
    src = re.search(r'<img class="brand__logo" src="([^"]+)" alt="">', page).group(1)
    assert client.get(src).data == PNG
    assert client.get("/favicon.ico").data == PNG
    assert client.get("/apple-touch-icon.png").data == PNG
    icon = re.search(r'<link rel="icon" href="([^"]+)">', page).group(1)
    assert icon == src


def test_contact_form_without_a_support_address_says_how_requests_reach_the_team(tmp_path, basic):
    client = make_app(tmp_path, basic.root).test_client()
    page = client.get("/en/contact").get_data(as_text=True)
    assert "You can also write to us at" not in page
    assert "stored and read by our support team" in page
    page = client.get("/pl/contact").get_data(as_text=True)
    assert "zapisujemy, a nasz zespół obsługi klienta" in page
    with_address = make_app(tmp_path / "b", basic.root, SUPPORT_EMAIL="help@example.com")
    page = with_address.test_client().get("/en/contact").get_data(as_text=True)
    assert "You can also write to us at help@example.com." in page
