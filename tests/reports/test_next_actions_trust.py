"""Issue 26's measure: "Do this next" on the activity a support lead saw, as customers make it
through the site (each client from an address of its own), with semantic search off and on.

- Klarna, asked by three customers in three spellings and by a fourth who wrote in after
  searching: one "Write" row for four customers, in the category they looked in;
- "ebill", which nothing found but whose customers then found their answer in *Invoices and
  VAT*: its words go into that article's tags, no "Write";
- "induction", which nothing answers: "Write", with a new article's path and title;
- gibberish typed once: folded below the list, with the other one-customer rows.
"""

from __future__ import annotations

import json

import pytest

from helpcenter import services
from tests.helpers import (
    ROOT,
    SAME_ORIGIN,
    SAMPLE_CONFIG,
    beacon,
    csrf_token,
    logged_in_staff,
    make_app,
    search_as_browser,
)


class Customer:
    """A browser with its own cookie and its own network."""

    def __init__(self, app, n: int) -> None:
        self.app = app
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = f"198.51.{n}.20"

    def search(self, query: str) -> None:
        found = search_as_browser(self.client, "en", query)
        assert not found.links, f"{query!r} was meant to find nothing"

    def read(self, article_id: str) -> None:
        assert self.client.get(f"/en/{article_id}").status_code == 200
        assert beacon(self.client, "en", article_id).status_code == 200

    def vote(self, article_id: str, helpful: bool) -> None:
        data = {"helpful": "yes" if helpful else "no"}
        response = self.client.post(f"/en/feedback/{article_id}", data=data, headers=SAME_ORIGIN)
        assert response.status_code == 303

    def write_in(self, message: str) -> None:
        data = {
            "csrf_token": csrf_token(self.client, "/en/contact"),
            "email": "customer@example.com",
            "message": message,
        }
        assert self.client.post("/en/contact", data=data).status_code == 303


def seed(app) -> None:
    klarna = [Customer(app, n) for n in range(1, 5)]
    for customer, spelling in zip(klarna, ["klarna", "klarma", "klanra", "klarna"], strict=True):
        customer.search(spelling)
    klarna[2].read("payments/payment-methods")  # looked for it there; no verdict yet
    klarna[3].write_in("Can I pay with Klarna?")
    for n in (5, 6):  # found the answer in another article, in other words
        customer = Customer(app, n)
        customer.search("ebill")
        customer.read("payments/invoices")
        customer.vote("payments/invoices", helpful=True)
    for n in (7, 8):  # nothing answers
        customer = Customer(app, n)
        customer.search("induction")
        if n == 7:
            customer.read("product-care/cast-iron-care")
            customer.vote("product-care/cast-iron-care", helpful=False)
    Customer(app, 9).search("zxqvbn")
    services.search_log(app).flush()


@pytest.mark.parametrize("semantic", [False, True], ids=["lexical", "semantic"])
def test_do_this_next_counts_every_customer_and_writes_only_what_nothing_answers(
    tmp_path, semantic
):
    app = make_app(
        tmp_path, ROOT / "articles", CONFIG_FILE=SAMPLE_CONFIG, LANGUAGES="en",
        SEARCH_SEMANTIC=semantic,
    )  # fmt: skip
    seed(app)
    staff = logged_in_staff(app)
    report = json.loads(staff.get("/reports/actions.json").get_data(as_text=True))
    ranked, folded = report["tables"]
    rows = {row["what"]: row for row in ranked["rows"]}
    assert [(r["action"], r["what"], r["customers reached"]) for r in ranked["rows"]] == [
        ("Write", "klarna", 4),
        ("Write", "induction", 2),
        ("Add tags", "ebill", 2),
    ]
    klarna = rows["klarna"]
    assert klarna["evidence"] == (
        "4 visitors searched and found nothing (4 searches); 1 contact request followed"
    )
    assert klarna["file"] == "en/payments/klarna.md"  # where they looked for it
    assert klarna["front matter to paste"] == "title: Klarna"
    assert rows["induction"]["file"] == "en/product-care/induction.md"
    ebill = rows["ebill"]
    assert ebill["evidence"] == (
        "2 visitors searched and found nothing (2 searches); "
        "2 of them then found the answer in “Invoices and VAT”"
    )
    assert ebill["file"] == "en/payments/invoices.md"
    assert ebill["front matter to paste"] == (
        "tags: [invoice, VAT, VAT ID, company invoice, receipt, tax, ebill]"
    )
    # No row of one customer above the fold: they are folded, gibberish among them.
    assert folded["title"] == "2 more with one visitor each"
    assert {(r["action"], r["what"]) for r in folded["rows"]} == {
        ("Write", "zxqvbn"),
        ("Fix", "Caring for cast-iron cookware"),
    }

    page = staff.get("/reports/actions").get_data(as_text=True)
    assert '<details class="folded-table"><summary>2 more with one visitor each</summary>' in page
    assert page.index("klarna") < page.index('class="folded-table"') < page.index("zxqvbn")
    dashboard = staff.get("/reports/").get_data(as_text=True)
    actions = dashboard[dashboard.index('id="summary-actions"') :]
    actions = actions[: actions.index("</section>")]
    assert "klarna" in actions and "zxqvbn" not in actions
    # The zero-results report groups the spellings as one topic too.
    zero = json.loads(staff.get("/reports/zero-results.json").get_data(as_text=True))
    assert {r["query"]: r["visitors"] for r in zero["tables"][0]["rows"]} == {
        "klarna": 4,
        "induction": 2,
        "ebill": 2,
        "zxqvbn": 1,
    }
