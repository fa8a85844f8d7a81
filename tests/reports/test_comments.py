"""What customers write after "No" reaches the lead: counted in the article's row, listed on
the article's staff page newest first, in CSV and JSON, and deleted with its vote by prune."""

import json

from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Vote
from tests.helpers import SAME_ORIGIN, csrf_token, days_ago


def _comment(activity, lang, article_id, comment, *, days, reason="unclear", visitor):
    with activity.app.app_context():
        db.session.add(
            Vote(
                article_id=article_id,
                lang=lang,
                visitor=visitor,
                helpful=False,
                reason=reason,
                comment=comment,
                created_at=days_ago(days),
                updated_at=days_ago(days),
            )
        )
        db.session.commit()


def test_comments_counted_linked_and_listed_newest_first(app, activity, staff_client):
    _comment(activity, "en", "payments/methods", "Old news about BLIK", days=5, visitor="a")
    _comment(
        activity,
        "pl",
        "payments/methods",
        "Nie ma przycisku",
        days=1,
        visitor="b",
        reason="steps-failed",
    )
    activity.votes("en", "payments/methods", yes=1, no=1)  # a "No" without a comment
    page = staff_client.get("/reports/articles").get_data(as_text=True)
    assert 'href="/reports/article/payments/methods?lang=pl"' in page
    detail = staff_client.get("/reports/article/payments/methods").get_data(as_text=True)
    assert detail.index("Nie ma przycisku") < detail.index("Old news about BLIK")
    assert "The steps did not work" in detail and "It is hard to understand" in detail
    assert "en/payments/methods.md" in detail  # the file to edit
    assert "Staff" in detail and "Contact our support team" not in detail  # staff layout

    data = json.loads(staff_client.get("/reports/articles.json").get_data(as_text=True))
    comments = data["tables"][1]["rows"]
    assert [c["comment"] for c in comments] == ["Nie ma przycisku", "Old news about BLIK"]
    assert comments[0]["language"] == "pl" and comments[0]["reason"] == "The steps did not work"
    rows = {(r["language"], r["article"]): r["comments"] for r in data["tables"][0]["rows"]}
    assert rows[("en", "payments/methods")] == "1" and rows[("pl", "payments/methods")] == "1"
    csv = staff_client.get("/reports/articles.csv?table=1").get_data(as_text=True)
    assert "Nie ma przycisku" in csv and csv.index("Nie ma") < csv.index("Old news")


def test_prune_deletes_comments_with_their_votes(app, activity, staff_client):
    _comment(activity, "en", "payments/methods", "Ancient complaint", days=100, visitor="a")
    _comment(activity, "en", "payments/methods", "Fresh complaint", days=1, visitor="b")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["prune", "--older-than", "30"]).exit_code == 0
    year = staff_client.get("/reports/article/payments/methods?since=2000-01-01")
    page = year.get_data(as_text=True)
    assert "Fresh complaint" in page and "Ancient complaint" not in page


def test_a_web_address_a_customer_wrote_is_inert_text_on_every_staff_page(app, staff_client):
    """After "No" and in a contact request: shown as text with the address defanged, never a
    link a lead could follow (nor one a browser extension or a copy into mail would make)."""
    customer = app.test_client()
    written = "Log in at https://evil.example/login or www.evil.example to fix it"
    vote = customer.post(
        "/en/feedback/payments/methods",
        data={"helpful": "no", "reason": "other", "comment": written},
        headers=SAME_ORIGIN,
    )
    assert vote.status_code == 303
    sent = customer.post(
        "/en/contact",
        data={
            "csrf_token": csrf_token(customer, "/en/contact"),
            "email": "c@example.com",
            "name": "See evil.example",
            "about": "Refund at https://evil.example/refund",
            "message": written,
        },
    )
    assert sent.status_code == 303
    with app.app_context():
        reference = db.session.scalar(db.select(ContactRequest.reference))
    for page in (
        "/reports/articles",
        "/reports/article/payments/methods",
        "/reports/requests",
        f"/reports/requests/{reference}",
        "/reports/requests/find?q=c@example.com",
    ):
        html = staff_client.get(page).get_data(as_text=True)
        assert "hxxps://evil[.]example/" in html, page
        assert "evil.example" not in html and "https://evil" not in html, page
    data = json.loads(staff_client.get("/reports/articles.json").get_data(as_text=True))
    assert data["tables"][1]["rows"][0]["comment"] == written  # exports keep it as typed
