"""axe-core (the npm package, injected by the test) on the customer's and the staff's pages in
English and Hebrew: no serious or critical violations. And every control is reachable by keyboard."""

import pytest

from tests.helpers import axe_violations as scan


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "he"])
def test_customer_pages_have_no_serious_violations(browser, site, lang, scheme):
    # The dark theme follows prefers-color-scheme: the same pages, the other palette. The
    # site's CSP (no inline script) would block the injected axe; the pages are unchanged.
    scanner = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = scanner.new_page()
    found = {}
    for path in (
        f"/{lang}/",
        f"/{lang}/search?q=password",
        f"/{lang}/account/reset-password",
        f"/{lang}/contact",
        f"/{lang}/contact?article=account/reset-password&reason=unclear",  # "Ask a person"
        f"/{lang}/search?q=zzzzqqq",
    ):
        page.goto(site.url + path)
        found[path] = scan(page)
    page.goto(f"{site.url}/{lang}/account/reset-password")
    page.locator("#feedback button[value=no]").click()
    page.wait_for_selector("#feedback .feedback__reasons")
    found["after No"] = scan(page)
    page.goto(f"{site.url}/{lang}/contact")
    page.locator("#email").fill("ana@example.com")
    page.locator("#message").fill("Hello")
    page.locator("form[data-contact-form] button[type=submit]").click()
    page.wait_for_selector(".reference")
    found["confirmation"] = scan(page)
    page.goto(f"{site.url}/{lang}/contact")
    page.locator("form[data-contact-form] button[type=submit]").click()  # with errors
    found["contact with errors"] = scan(page)
    scanner.close()
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "he"])
def test_staff_pages_have_no_serious_violations(browser, site, lang):
    from helpcenter.reports import REPORTS
    from helpcenter.staff_accounts import create_user

    with site.app.app_context():
        create_user("lead@example.com", "correct horse battery")
    context = browser.new_context(bypass_csp=True, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(f"{site.url}/{lang}/search?q=zzzzqqq")  # something for the reports to show
    page.goto(f"{site.url}/{lang}/contact?article=account/reset-password")
    page.locator("#email").fill("ana@example.com")
    page.locator("#message").fill("The link expired.")
    page.locator("form[data-contact-form] button[type=submit]").click()
    reference = page.locator(".reference").inner_text().strip()
    found = {}
    page.goto(f"{site.url}/login")
    found["login"] = scan(page)
    page.locator("details.language-switcher summary").click()  # the staff layout's own switch
    found["login, language switch open"] = scan(page)
    page.locator("#email").fill("lead@example.com")
    page.locator("#password").fill("correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/reports/")
    for path in [
        "/reports/",
        *(f"/reports/{name}" for name in REPORTS),
        f"/reports/requests/{reference}",
        "/reports/requests/find?q=ana@example.com",
        "/reports/article/account/reset-password",
    ]:
        page.goto(site.url + path)
        found[path] = scan(page)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


def tab_to(page, reached: str, what: str, presses: int = 60) -> None:
    """Presses Tab until the JavaScript test `reached` holds for document.activeElement."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {reached})(document.activeElement)"):
            return
    raise AssertionError(f"{what} is not reachable with Tab")


def test_feedback_and_contact_work_from_the_keyboard_alone(browser, site):
    page = browser.new_page()
    page.goto(f"{site.url}/en/account/reset-password")
    tab_to(page, "element.value === 'no'", "the No button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=What was missing?")
    tab_to(page, "(element.textContent || '').includes('Ask a person')", "the link to a person")
    page.keyboard.press("Enter")
    page.wait_for_selector("#email")
    tab_to(page, "element.id === 'email'", "the e-mail field")  # the form itself, too
    page.keyboard.type("ana@example.com")
    assert page.locator("#email").input_value() == "ana@example.com"
