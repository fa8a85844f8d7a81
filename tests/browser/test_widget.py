"""The help widget in a real browser, on another site's page (another loopback port: another
origin) that sends the Content-Security-Policy docs/deploy.md asks for: the button, the panel,
a search, an article, "No", the contact form carrying the host page, the request mailed once;
the host page left as it was; a site not on WIDGET_ORIGINS unable to frame the panel; axe-core
in the panel. At a desktop's 1280 px and a phone's 390 px, in English and right-to-left Hebrew."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, PageView, SearchEvent, Vote
from tests.helpers import (
    SUPPORT,
    HostSite,
    LiveSite,
    SmtpServer,
    axe_violations,
    free_port,
    mail_app,
)

WIDTHS = {"desktop": 1280, "phone": 390}
# What a customer reads and types, per language: the button's name, a search, the article it
# finds, "No", the way to a human, the confirmation's heading.
WORDS = {
    "en": {
        "button": "Help",
        "query": "password",
        "article": "Reset your password",
        "no": "No",
        "human": "Ask a person from our support team",
        "send": "Send message",
        "sent": "Thank you, we have your message",
    },
    "he": {
        "button": "עזרה",
        "query": "סיסמה",
        "article": "איפוס סיסמה",
        "no": "לא",
        "human": "שאלו נציג מצוות התמיכה שלנו",
        "send": "שליחת ההודעה",
        "sent": "תודה, קיבלנו את ההודעה שלכם",
    },
}


@pytest.fixture
def host():
    host = HostSite()
    yield host
    host.stop()


@pytest.fixture
def stranger():
    """A site that is not on WIDGET_ORIGINS."""
    stranger = HostSite()
    yield stranger
    stranger.stop()


@pytest.fixture
def widget_site(tmp_path, basic, host, stranger):
    smtp = SmtpServer(free_port())
    smtp.start()
    app = mail_app(
        tmp_path,
        basic,
        smtp.port,
        # The same shop reached as "localhost": another site than the help center's 127.0.0.1.
        WIDGET_ORIGINS=f"{host.origin} {other_site(host.origin)}",
    )
    live = LiveSite(app, smtp)
    live.thread.start()
    host.start(live.url)
    stranger.start(live.url)
    yield live
    live.server.shutdown()
    smtp.stop()


def other_site(origin: str) -> str:
    return origin.replace("127.0.0.1", "localhost")


def open_panel(page, words: dict):
    """Presses the help button (named in the page's language); the panel, ready to type."""
    button = page.locator("helpcenter-widget").get_by_role("button", name=words["button"])
    expect(button).to_be_visible()
    button.click()
    panel = page.frame_locator("helpcenter-widget iframe")
    expect(panel.locator("input[type=search]")).to_be_focused()
    return button, panel


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_customer_finds_an_article_says_no_and_writes_from_another_sites_page(
    browser, widget_site, host, lang, width, screenshot
):
    words = WORDS[lang]
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 800})
    page = context.new_page()
    page.goto(f"{host.origin}/shop/billing?lang={lang}")
    box = page.locator("helpcenter-widget button").bounding_box()
    # In the corner at the end of the line: bottom right, or bottom left in Hebrew.
    assert (box["x"] > WIDTHS[width] / 2) == (lang == "en") and box["y"] > 700
    button, panel = open_panel(page, words)
    panel_box = page.locator("helpcenter-widget iframe").bounding_box()
    if width == "desktop":  # above the button, at its side
        assert panel_box["width"] == 400 and (panel_box["x"] > 640) == (lang == "en")
    else:  # the whole screen, its own "Close" in place of the button
        assert (panel_box["width"], panel_box["height"]) == (390, 800)
        expect(button).to_be_hidden()
    assert panel.locator("html").get_attribute("dir") == ("rtl" if lang == "he" else "ltr")
    screenshot(page, f"widget-{lang}-{width}-home")

    search = panel.locator("input[type=search]")
    search.press_sequentially(words["query"])
    expect(panel.get_by_role("option").first).to_contain_text(words["article"])  # instant
    search.press("Enter")  # the whole search: the results, in the panel
    result = panel.locator(".search-results").get_by_role("link", name=words["article"])
    expect(result).to_be_visible()
    screenshot(page, f"widget-{lang}-{width}-results")
    result.click()
    expect(panel.get_by_role("heading", level=1)).to_have_text(words["article"])
    assert page.url == f"{host.origin}/shop/billing?lang={lang}"  # the host page never moved
    screenshot(page, f"widget-{lang}-{width}-article")

    feedback = panel.locator("#feedback")
    feedback.get_by_role("button", name=words["no"]).click()
    feedback.get_by_text(words["human"]).click()
    form = panel.locator("form[data-contact-form]")
    # The host page travels with the request: shown, and in what it is about.
    expect(panel.locator("[data-widget-page-summary]")).to_contain_text("Invoices · Shop")
    about = panel.locator("#about").input_value()
    assert f"Invoices · Shop ({host.origin}/shop/billing)" in about
    assert words["article"] in about
    screenshot(page, f"widget-{lang}-{width}-contact")
    form.locator("#email").fill(f"{lang}-{width}@example.com")
    form.locator("#message").fill("The link never arrived.")
    form.get_by_role("button", name=words["send"]).click()
    expect(panel.get_by_role("heading", level=1)).to_have_text(words["sent"])
    reference = panel.locator(".reference").inner_text()
    screenshot(page, f"widget-{lang}-{width}-sent")

    widget_site.wait_for_deliveries()
    [to_support] = widget_site.smtp.mailbox.to(SUPPORT)  # once
    assert reference in to_support["Subject"]
    assert f"{host.origin}/shop/billing" in to_support.get_content()
    [ack] = widget_site.smtp.mailbox.to(f"{lang}-{width}@example.com")
    assert reference in ack.get_content()
    services.search_log(widget_site.app).flush()
    with widget_site.app.app_context():
        asked = {
            model.__name__: {
                (row.source, row.host_path) for row in db.session.scalars(db.select(model))
            }
            for model in (SearchEvent, PageView, Vote, ContactRequest)
        }
    for model in ("SearchEvent", "PageView", "Vote", "ContactRequest"):
        assert asked[model] == {("widget", "/shop/billing")}, model
    context.close()


def test_the_host_page_keeps_its_styles_and_scripts_and_gets_one_element(
    browser, widget_site, host
):
    page = browser.new_page()
    page.goto(f"{host.origin}/plain")
    plain = page.evaluate("document.querySelectorAll('body *').length")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{host.origin}/shop/billing?context=payments")
    button, panel = open_panel(page, WORDS["en"])
    expect(panel.get_by_role("link", name="Payment methods")).to_be_visible()  # the context first
    assert page.evaluate("document.querySelectorAll('body *').length") == plain + 1
    assert page.evaluate("document.body.lastElementChild.localName") == "helpcenter-widget"
    assert page.evaluate("Object.keys(window).filter(k => !hostBefore.includes(k))") == [
        "hostBefore",  # the host's own, set after it counted
        "hostErrors",
        "helpcenter",  # helpcenter.open, the widget's one global
    ]
    assert page.evaluate("hostErrors") == [] and errors == []  # nothing refused by its CSP
    assert page.evaluate("document.cookie") == "" and page.evaluate("localStorage.length") == 0
    # The host's rules reach neither the widget's button nor its frame; its own button keeps them.
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 0, 0)"
    assert page.locator("helpcenter-widget iframe").is_visible()
    host_button = page.locator("#host-button")
    assert host_button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).fontFamily") == "serif"

    # The host's script opens the panel on a search; Escape closes it and gives the focus back.
    page.evaluate("helpcenter.open({query: 'declined'})")
    expect(panel.get_by_role("link", name="My payment was declined")).to_be_visible()
    panel.locator("body").press("Escape")
    expect(page.locator("helpcenter-widget iframe")).to_be_hidden()
    expect(button).to_be_focused()
    page.close()


def test_a_site_not_on_the_list_cannot_frame_the_panel(browser, widget_site, host, stranger):
    response = widget_site.app.test_client().get("/widget/en/")
    allowed = f"frame-ancestors {host.origin} {other_site(host.origin)}"
    assert response.headers["Content-Security-Policy"].endswith(allowed)
    page = browser.new_page()
    page.goto(f"{stranger.origin}/framed")
    page.goto(f"{stranger.origin}/shop/billing")  # the tag works anywhere; its panel does not
    page.locator("helpcenter-widget").get_by_role("button", name="Help").click()
    for url in (f"{stranger.origin}/framed", None):
        if url:
            page.goto(url)
        frame = page.frames[-1]
        assert frame != page.main_frame
        page.wait_for_timeout(500)  # what would load has had its time
        assert frame.url.startswith("chrome-error://") or frame.locator(".panel-bar").count() == 0
    page.close()


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_panel_has_no_serious_accessibility_violations(browser, widget_site, host, lang):
    # The panel's CSP (no inline script) would block the injected axe; the pages are unchanged.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{host.origin}/shop/billing?lang={lang}&context=payments")
    _button, frame = open_panel(page, WORDS[lang])
    found = {"home": scan_frame(page)}
    frame.locator("input[type=search]").fill(WORDS[lang]["query"])
    frame.locator("input[type=search]").press("Enter")
    result = frame.locator(".search-results").get_by_role("link", name=WORDS[lang]["article"])
    expect(result).to_be_visible()
    found["results"] = scan_frame(page)
    result.click()
    expect(frame.locator("#feedback")).to_be_visible()
    found["article"] = scan_frame(page)
    frame.locator("#feedback").get_by_role("button", name=WORDS[lang]["no"]).click()
    frame.get_by_text(WORDS[lang]["human"]).click()
    expect(frame.locator("form[data-contact-form]")).to_be_visible()
    found["contact"] = scan_frame(page)
    frame.locator("form[data-contact-form] button[type=submit]").click()  # with errors
    expect(frame.locator("#email-error")).to_be_visible()
    found["contact with errors"] = scan_frame(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def scan_frame(page) -> list[dict]:
    frame = next(
        frame for frame in page.frames if "/widget/" in frame.url or "in=widget" in frame.url
    )
    return axe_violations(frame)


def test_on_another_site_the_panel_opens_the_contact_form_in_a_tab_of_its_own(
    browser, widget_site, host
):
    """Framed by another site (localhost, not 127.0.0.1), the browser keeps no cookie of the
    help center's, so the form's token could not be kept: the site's form opens in a tab."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{other_site(host.origin)}/shop/billing")
    _button, panel = open_panel(page, WORDS["en"])
    panel.get_by_role("link", name="Payments").click()  # reading works in the frame
    expect(panel.get_by_role("link", name="Payment methods")).to_be_visible()
    with context.expect_page() as opened:
        panel.get_by_role("link", name="Contact our support team").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == f"{widget_site.url}/en/contact"
    expect(tab.locator("form[data-contact-form]")).to_be_visible()
    context.close()
