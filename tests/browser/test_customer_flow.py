"""The customer's path in a real browser: an article that did not help, the reasons, the contact
form with its context and suggestions, the confirmation and the acknowledgement e-mail —
in English and in right-to-left Hebrew, with JavaScript on and off."""

import re

from playwright.sync_api import expect

from tests.helpers import SUPPORT


def test_english_flow_with_javascript(browser, site, screenshot):
    page = browser.new_page(locale="en-US")
    page.goto(f"{site.url}/en/account/reset-password")
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("Did this answer your question?")
    yes, no = (feedback.locator(f"button[value={v}]").bounding_box() for v in ("yes", "no"))
    assert yes["x"] < no["x"]
    url_before = page.url
    feedback.get_by_role("button", name="No").click()
    expect(feedback).to_contain_text("What was missing?")  # swapped in place, no reload
    assert page.url == url_before
    feedback.get_by_label("The steps did not work").check()
    feedback.get_by_role("button", name="Send").click()
    expect(feedback).to_contain_text("Thank you, this helps us improve the article.")

    feedback.get_by_role("link", name="Ask a person from our support team").click()
    expect(page.locator("#about")).to_have_value("Reset your password — The steps did not work")
    expect(page.locator(".about-summary")).to_contain_text("The steps did not work")
    page.get_by_label("Your e-mail address").fill("ana@example.com")
    page.get_by_label("Your message").press_sequentially("my card payment was declined")
    suggestions = page.locator("[data-contact-suggestions]")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link", name="My payment was declined")).to_be_visible()
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your message")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"HC-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    expect(page.locator("main")).to_contain_text(site.app.config["RESPONSE_TIME"]["en"])
    site.wait_for_deliveries()
    [ack] = site.smtp.mailbox.to("ana@example.com")
    assert reference in ack["Subject"] and ack["Reply-To"] == SUPPORT
    [to_support] = site.smtp.mailbox.to(SUPPORT)
    assert "my card payment was declined" in to_support.get_content()


def test_hebrew_flow_is_right_to_left(browser, site, screenshot):
    page = browser.new_page(locale="he-IL")
    page.goto(f"{site.url}/he/account/reset-password")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    yes = page.locator("#feedback button[value=yes]").bounding_box()
    no = page.locator("#feedback button[value=no]").bounding_box()
    assert yes["x"] > no["x"]  # mirrored: the first button is on the right
    title = page.locator("h1").bounding_box()
    assert title["x"] + title["width"] > page.viewport_size["width"] / 2  # starts at the right
    screenshot(page, "he-article")

    feedback = page.locator("#feedback")
    feedback.locator("button[value=no]").click()
    expect(feedback.locator("input[name=reason]")).to_have_count(5)
    feedback.locator(".feedback__human button").click()  # sends the reasons, then the form
    page.locator("#email").fill("dana@example.com")
    page.locator("#message").fill("הקישור לאיפוס לא הגיע")
    page.locator("form[data-contact-form] button[type=submit]").click()
    reference = page.locator(".reference").inner_text()
    expect(page.locator("main")).to_contain_text(site.app.config["SUPPORT_HOURS"]["he"])
    screenshot(page, "he-confirmation")
    site.wait_for_deliveries()
    [ack] = site.smtp.mailbox.to("dana@example.com")
    assert reference in ack.get_content()


def test_without_javascript_the_plain_forms_do_the_same(browser, site):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.goto(f"{site.url}/en/payments/declined")
    page.locator("#feedback").get_by_role("button", name="No").click()
    # A real post and redirect, to a page of its own: the article is cached, the same for all.
    assert page.url.endswith("/en/feedback/payments/declined")
    expect(page.locator("#feedback")).to_contain_text("What was missing?")
    page.locator("#feedback").get_by_role(
        "button", name="Ask a person from our support team"
    ).click()
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#email-error")).to_be_visible()  # the server's message, JS off
    expect(page.locator("#message-error")).to_be_visible()
    page.get_by_label("Your e-mail address").fill("omar@example.com")
    page.get_by_label("Your message").fill("Declined twice today.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your message")
    context.close()


def test_search_suggestions_work_from_the_keyboard(browser, site):
    page = browser.new_page(locale="en-US")
    page.goto(f"{site.url}/en/")
    box = page.get_by_role("combobox").first
    box.press_sequentially("passw")
    expect(page.get_by_role("option").first).to_contain_text("Reset your password")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/account/reset-password$"))
