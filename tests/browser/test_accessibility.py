"""axe-core (the npm package, injected by the test) on the customer's pages in English and
Hebrew: no serious or critical violations. And every control is reachable by keyboard."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def scan(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def scanner(browser):
    # The site's CSP (no inline script) would block the injected axe; the pages are unchanged.
    context = browser.new_context(bypass_csp=True)
    yield context
    context.close()


@pytest.mark.parametrize("lang", ["en", "he"])
def test_customer_pages_have_no_serious_violations(scanner, site, lang):
    page = scanner.new_page()
    found = {}
    for path in (f"/{lang}/", f"/{lang}/search?q=password", f"/{lang}/account/reset-password",
                 f"/{lang}/contact", f"/{lang}/search?q=zzzzqqq"):  # fmt: skip
        page.goto(site.url + path)
        found[path] = scan(page)
    page.goto(f"{site.url}/{lang}/contact")
    page.locator("#email").fill("ana@example.com")
    page.locator("#message").fill("Hello")
    page.locator("form[data-contact-form] button[type=submit]").click()
    page.wait_for_selector(".reference")
    found["confirmation"] = scan(page)
    page.goto(f"{site.url}/{lang}/contact")
    page.locator("form[data-contact-form] button[type=submit]").click()  # with errors
    found["contact with errors"] = scan(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_feedback_and_contact_work_from_the_keyboard_alone(browser, site):
    page = browser.new_page()
    page.goto(f"{site.url}/en/account/reset-password")
    for _ in range(60):  # Tab until the "No" button has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "no":
            break
    else:
        raise AssertionError("the No button is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=What was missing?")
    for _ in range(30):
        page.keyboard.press("Tab")
        if "Ask a person" in page.evaluate("document.activeElement.textContent || ''"):
            break
    else:
        raise AssertionError("the link to a person is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#email")
    assert page.evaluate("document.activeElement.tagName") in ("BODY", "A", "INPUT")
