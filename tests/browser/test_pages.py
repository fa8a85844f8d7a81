"""The customer pages as a reader sees them, in English and right-to-left Hebrew, on a desktop
(1280×900) and a phone (390×844): text of the other direction keeps its punctuation, the
search box keeps what was typed, the phone header stays compact, and the steps after "No"
read as one clear way forward. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.articletree import basic_tree
from tests.helpers import ROOT, SAMPLE_CONFIG, SUPPORT, LiveSite, make_app

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def basic(tree):
    """The basic articles and a question-titled one in English and Hebrew: a "?" at the end of
    a title is what lands at the wrong end when the other direction is not isolated."""
    basic_tree(tree)
    tree.article(
        "en/payments/refund.md",
        "When will I get my refund?",
        "In 5 days.\n\n## Card payments\n\nBack on the card.\n\n## Bank transfers\n\nTo your account.\n"
        "\n## Gift cards\n\nAs a new card.\n",
        order=3,
    )
    tree.article(
        "he/payments/refund.md",
        "מתי אקבל את ההחזר?",
        "תוך 5 ימים.\n\n## תשלום בכרטיס\n\nבחזרה לכרטיס.\n\n## העברה בנקאית\n\nלחשבון שלכם.\n"
        "\n## כרטיסי מתנה\n\nככרטיס חדש.\n",
    )
    tree.commit("refund")
    return tree


def ends_at(page, link) -> tuple[float, float]:
    """The x of the first and of the last character of a link's text as laid out."""
    return link.evaluate(
        """a => {
            const text = [...a.childNodes].find(n => n.nodeType === 3 && n.data.trim());
            const at = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                              return r.getBoundingClientRect().x; };
            const t = text.data.trimEnd(), start = text.data.length - text.data.trimStart().length;
            return [at(start), at(t.length - 1)];
        }"""
    )


@pytest.mark.parametrize("size", SIZES)
def test_text_of_the_other_direction_is_isolated(browser, site, screenshot, size):
    page = browser.new_page(locale="he-IL", viewport=SIZES[size])
    page.goto(f"{site.url}/he/payments/refund")
    english = page.locator(".other-languages a[hreflang=en]")
    expect(english).to_have_text("English: When will I get my refund?")
    assert english.evaluate("a => getComputedStyle(a).unicodeBidi") == "isolate"
    assert english.evaluate("a => getComputedStyle(a).direction") == "ltr"
    first, last = ends_at(page, english)
    assert last > first  # the "?" at the end of the English title, on its right
    screenshot(page, f"he-article-other-languages-{size}")

    # A category page in Hebrew lists the English-only article with the English reading order.
    page.goto(f"{site.url}/he/payments/")
    fallback = page.locator(".article-list a", has_text="My payment was declined")
    assert fallback.evaluate("a => getComputedStyle(a).direction") == "ltr"

    page = browser.new_page(locale="en-US", viewport=SIZES[size])
    page.goto(f"{site.url}/en/payments/refund")
    hebrew = page.locator(".other-languages a[hreflang=he]")
    assert hebrew.evaluate("a => getComputedStyle(a).direction") == "rtl"
    first, last = ends_at(page, hebrew)
    assert last < first  # the "?" of the Hebrew title at its left end, where Hebrew ends
    # The customer's words in a sentence: a Hebrew query on an English results page.
    page.goto(f"{site.url}/en/search?q=" + "החזר?")
    assert page.locator(".no-results h2 bdi").inner_text() == "החזר?"


@pytest.mark.parametrize("size", SIZES)
def test_escape_closes_the_suggestions_and_keeps_the_words(browser, site, size):
    page = browser.new_page(locale="en-US", viewport=SIZES[size])
    page.goto(f"{site.url}/en/")
    box = page.get_by_role("combobox").first
    box.press_sequentially("passw")
    expect(page.get_by_role("option").first).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("option")).to_have_count(0)
    expect(page.locator(".suggestions")).to_be_hidden()
    expect(box).to_have_value("passw")
    box.press("Enter")  # what the phone keyboard's search key sends
    expect(page).to_have_url(f"{site.url}/en/search?q=passw")


def box(locator) -> dict:
    return locator.bounding_box()


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_header_search_page_and_contents(browser, site, screenshot, lang, size):
    page = browser.new_page(locale=lang, viewport=SIZES[size])
    page.goto(f"{site.url}/{lang}/payments/refund")
    header, field = box(page.locator(".site-header")), box(page.locator(".site-header input"))
    button = box(page.locator(".site-header .search-form__submit"))
    brand, nav = box(page.locator(".brand")), box(page.locator(".site-nav"))
    if size == "phone":
        assert header["height"] < 130
        # The name and the menu in one row, the search under them.
        assert abs((brand["y"] + brand["height"] / 2) - (nav["y"] + nav["height"] / 2)) < 4
        assert field["y"] >= brand["y"] + brand["height"]
    else:  # one row: brand, field (with its button inside) and the menu side by side
        assert abs((brand["y"] + brand["height"] / 2) - (field["y"] + field["height"] / 2)) < 4
        assert abs((nav["y"] + nav["height"] / 2) - (field["y"] + field["height"] / 2)) < 4
    assert (
        field["x"] <= button["x"] and button["x"] + button["width"] <= field["x"] + field["width"]
    )
    # The contents: on a phone collapsed before the first heading, beside the article otherwise.
    inline_toc = page.locator("details.toc--inline")
    first_heading = box(page.locator(".article-body h2").first)
    if size == "phone":
        expect(inline_toc).to_be_visible()
        expect(inline_toc).not_to_have_attribute("open", "")
        assert box(inline_toc)["y"] < first_heading["y"]
        expect(page.locator("nav.toc--aside")).to_be_hidden()
    else:
        expect(inline_toc).to_be_hidden()
        expect(page.locator("nav.toc--aside")).to_be_visible()
    # A breadcrumb separator ends the item before it, never starts a (wrapped) line.
    separators = page.locator(".breadcrumbs li").evaluate_all(
        "items => items.map(li => [getComputedStyle(li, '::before').content, getComputedStyle(li, '::after').content])"
    )
    assert all(before == "none" for before, _after in separators)
    assert (
        all(after != "none" for _before, after in separators[:-1]) and separators[-1][1] == "none"
    )
    screenshot(page, f"{lang}-article-{size}")

    # The search page: one column, one alignment, space between the form and what follows.
    page.goto(f"{site.url}/{lang}/search?q=zzqxv")
    heading, form = box(page.locator("main h1")), box(page.locator("main .search-form"))
    empty = box(page.locator(".no-results"))
    edge = (lambda b: b["x"]) if lang == "en" else (lambda b: b["x"] + b["width"])
    assert abs(edge(heading) - edge(form)) < 2 and abs(edge(form) - edge(empty)) < 2
    assert empty["y"] - (form["y"] + form["height"]) >= 16
    placeholder = page.locator("main input[type=search]")
    assert placeholder.evaluate("i => i.scrollWidth <= i.clientWidth")
    screenshot(page, f"{lang}-search-empty-{size}")
    page.goto(f"{site.url}/{lang}/search?q=password")
    screenshot(page, f"{lang}-search-{size}")


@pytest.mark.parametrize("lang", ["en", "pl", "he", "lt", "el", "hr"])
@pytest.mark.parametrize("width", [320, 390])
def test_a_phone_header_shows_the_site_s_name_and_a_search_as_wide_as_the_screen(
    browser, site, screenshot, lang, width
):
    """Greek, Polish and Lithuanian say "Contact us" in 20-odd letters: in one row with the
    search, the field was 65-89 px wide and the name was replaced by its first letter."""
    page = browser.new_page(locale=lang, viewport={"width": width, "height": 700})
    page.goto(f"{site.url}/{lang}/account/reset-password")
    name = page.locator(".site-header .brand__name")
    expect(name).to_have_text(site.app.config["SITE_NAME"][lang])
    shown = box(name)
    assert shown["width"] > 60 and shown["x"] >= 0 and shown["x"] + shown["width"] <= width
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")  # not cut off
    nav, field = box(page.locator(".site-nav")), box(page.locator(".site-header input"))
    assert nav["x"] >= 0 and nav["x"] + nav["width"] <= width
    assert field["y"] >= max(shown["y"] + shown["height"], nav["y"] + nav["height"])
    assert field["width"] >= width - 2 * 12 - 2  # the whole row, but the page's margins
    placeholder = page.locator(".site-header input")
    assert placeholder.evaluate("i => i.scrollWidth <= i.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    screenshot(page, f"{lang}-header-{width}")
    placeholder.fill("password")
    placeholder.press("Enter")
    page.wait_for_url(f"**/{lang}/search?q=password")


@pytest.fixture
def logo_site(tmp_path, basic):
    """The sample's site with a logo that is a symbol only, no name in it."""
    app = make_app(
        tmp_path,
        basic.root,
        CONFIG_FILE=SAMPLE_CONFIG,
        LOGO=str(ROOT / "static/img/touch-icon.png"),
    )
    live = LiveSite(app, None)
    live.thread.start()
    yield live
    live.server.shutdown()


@pytest.mark.parametrize("width", [320, 390])
def test_a_phone_header_shows_the_logo_and_the_name_where_it_fits(browser, logo_site, width):
    page = browser.new_page(locale="el", viewport={"width": width, "height": 700})
    page.goto(f"{logo_site.url}/el/account/reset-password")
    logo, name = (
        page.locator(".site-header .brand__logo"),
        page.locator(".site-header .brand__name"),
    )
    assert box(logo)["width"] >= 24 and box(logo)["x"] >= 0
    name_shown = box(name)["width"] > 60
    # At 320 px the menu leaves the brand too little room for a word a line beside the logo.
    assert name_shown == (width == 390)
    expect(page.locator(".site-header .brand")).to_have_accessible_name(
        logo_site.app.config["SITE_NAME"]["el"]
    )


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_on_this_page_is_the_next_stop_after_the_title(browser, site, lang, size):
    """The contents come before the body for a keyboard and a screen reader; on a wide screen
    they are still shown beside the title, on the side the line ends on."""
    page = browser.new_page(locale=lang, viewport=SIZES[size])
    page.goto(f"{site.url}/{lang}/payments/refund")
    page.locator(".breadcrumbs a").last.focus()  # the category, just above the title
    page.keyboard.press("Tab")
    contents = page.locator("nav.toc--aside" if size == "desktop" else "details.toc--inline")
    assert contents.evaluate("toc => toc.contains(document.activeElement)")
    if size == "desktop":
        toc, title, body = (box(page.locator(s)) for s in ("nav.toc--aside", "h1", ".article-body"))
        if lang == "en":
            assert toc["x"] >= body["x"] + body["width"]
        else:
            assert toc["x"] + toc["width"] <= body["x"]
        assert abs(toc["y"] - title["y"]) < 40
        assert box(page.locator(".article-aside"))["y"] >= toc["y"] + toc["height"] - 1
        assert body["y"] < toc["y"] + toc["height"]  # the body starts beside the list


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_after_no_sending_the_reasons_is_the_main_action(browser, site, screenshot, lang, size):
    page = browser.new_page(locale=lang, viewport=SIZES[size])
    page.goto(f"{site.url}/{lang}/account/reset-password")
    page.locator("#feedback button[value=no]").click()
    send = page.locator("#feedback .feedback__reasons button[type=submit]")
    human = page.locator("#feedback .feedback__human .link-button")
    expect(send).to_be_visible()
    style = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderTopWidth]"
    send_bg, _ = send.evaluate(style)
    human_bg, human_border = human.evaluate(style)
    assert send_bg != human_bg and human_border == "0px"  # a filled button, and a plain link
    assert box(human)["y"] > box(send)["y"] + box(send)["height"]  # after the form, not beside
    form = box(page.locator("#feedback fieldset"))
    for label in page.locator("#feedback label.choice").all():
        target = box(label)
        assert target["height"] >= 44 and target["width"] >= form["width"] - 2
    screenshot(page, f"{lang}-after-no-{size}")


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_contact_context_and_confirmation(browser, site, screenshot, lang, size):
    page = browser.new_page(locale=lang, viewport=SIZES[size])
    page.goto(f"{site.url}/{lang}/account/reset-password")
    page.locator("#feedback button[value=no]").click()
    page.locator("#feedback input[value=unclear]").check()
    page.locator("#feedback .feedback__reasons button[type=submit]").click()
    expect(page.locator("#feedback .feedback__reasons")).to_have_count(0)
    page.locator("#feedback .feedback__human a").click()
    expect(page.locator("#email")).to_be_focused()  # the first empty field, no Tabs needed
    # The context as a summary: the article as a link, the reason; the text behind "Change".
    summary = page.locator(".about-summary")
    title = "Reset your password" if lang == "en" else "איפוס סיסמה"
    expect(summary.get_by_role("link", name=title)).to_be_visible()
    expect(summary.locator("dd").nth(1)).not_to_be_empty()
    expect(page.locator("#about")).to_be_hidden()
    summary.locator("summary").click()
    expect(page.locator("#about")).to_be_visible()
    # The message box grows with what is typed.
    message = page.locator("#message")
    before = box(message)["height"]
    message.fill("\n".join(["A line of the message."] * 14))
    assert box(message)["height"] > before
    screenshot(page, f"{lang}-contact-{size}")
    page.locator("#email").fill("dana@example.com")
    page.locator("form[data-contact-form] button[type=submit]").click()

    # The confirmation repeats the address, offers to correct it, and leads back.
    expect(page.locator(".reference")).to_be_visible()
    expect(page.locator(".sent-to")).to_contain_text("dana@example.com")
    expect(page.locator(".site-footer")).to_have_count(0)
    expect(page.locator(f".next-steps a[href$='/{lang}/account/reset-password']")).to_be_visible()
    screenshot(page, f"{lang}-confirmation-{size}")
    page.locator(".sent-to a").click()
    expect(page.locator("#email")).to_have_value("dana@example.com")
    expect(page.locator("#message")).to_have_value("\n".join(["A line of the message."] * 14))
    expect(page.locator(".about-summary").get_by_role("link", name=title)).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "he"])
def test_what_was_written_after_no_starts_the_message(browser, site, lang):
    """Typed into the reasons box, then "Ask a person" rather than "Send": it is not lost."""
    page = browser.new_page(locale=lang, viewport=PHONE)
    page.goto(f"{site.url}/{lang}/account/reset-password")
    page.locator("#feedback button[value=no]").click()
    comment = "The link <b>expired</b> twice" if lang == "en" else "הקישור פג פעמיים"
    page.locator("#feedback-comment").fill(comment)
    page.locator("#feedback .feedback__human .link-button").click()
    page.wait_for_url(f"**/{lang}/contact?article=account/reset-password")
    expect(page.locator("#message")).to_have_value(comment)
    expect(page.locator("#email")).to_be_focused()
    page.locator("#email").fill("dana@example.com")
    page.locator("#message").press("End")
    page.locator("#message").press_sequentially(" — and now?")
    page.locator("form[data-contact-form] button[type=submit]").click()
    expect(page.locator(".reference")).to_be_visible()
    site.wait_for_deliveries()
    [to_support] = site.smtp.mailbox.to(SUPPORT)
    assert f"{comment} — and now?" in to_support.get_content()


@pytest.mark.parametrize("lang", ["en", "he"])
def test_pages_are_light_and_first_party_only(browser, site, screenshot, lang):
    """Under 50 KB of HTML, CSS and JavaScript per page (uncompressed, cold cache), and not one
    request to anyone but the site."""
    context = browser.new_context(locale=lang, viewport=PHONE, color_scheme="dark")
    page = context.new_page()
    sizes: dict[str, int] = {}
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def count(response):
        if response.request.resource_type in ("document", "stylesheet", "script"):
            sizes[response.url] = len(response.body())

    page.on("response", count)
    for path in (
        f"/{lang}/",
        f"/{lang}/search?q=password",
        f"/{lang}/account/reset-password",
        f"/{lang}/contact?article=account/reset-password&reason=unclear",
    ):
        sizes.clear()
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
        assert 0 < sum(sizes.values()) < 50_000, (path, sizes)
    assert [url for url in requested if not url.startswith(site.url)] == []
    screenshot(page, f"{lang}-contact-dark-phone")
    page.goto(f"{site.url}/{lang}/account/reset-password")
    screenshot(page, f"{lang}-article-dark-phone")
    context.close()


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("size", SIZES)
def test_home_page_category_grid_has_no_lone_card(browser, site, screenshot, lang, size):
    page = browser.new_page(locale=lang, viewport=SIZES[size])
    page.goto(f"{site.url}/{lang}/")
    grid = box(page.locator(".category-grid"))
    cards = [box(card) for card in page.locator(".category-card").all()]
    rows: dict[float, list[dict]] = {}
    for card in cards:
        rows.setdefault(round(card["y"]), []).append(card)
    last = rows[max(rows)]
    assert len(last) > 1 or abs(last[0]["width"] - grid["width"]) < 2  # alone: the whole row
    screenshot(page, f"{lang}-home-{size}")
