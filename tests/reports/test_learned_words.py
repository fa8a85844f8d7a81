"""The "Words customers use" report (learned-words): page, downloads, command line, and the
"Add tags" action of "Do this next"."""

from __future__ import annotations

import json

from helpcenter import services
from helpcenter.activity.learned_terms import LearningSettings, learn
from tests.helpers import days_ago


def taught(activity, word: str, article_id: str, visitors: int, lang: str = "en") -> None:
    """`visitors` customers searched `word`, opened `article_id` from the results a day ago
    and did nothing else: visits that ended well."""
    for n in range(visitors):
        activity.search(lang, word, 2, visitor=f"{word}{n}", clicked=article_id, at=days_ago(1))


def relearn(app) -> int:
    with app.app_context():
        return learn(services.content_store().catalog(), LearningSettings())


def test_the_report_lists_each_word_with_its_evidence_a_veto_and_the_tags_to_add(
    app, staff_client, activity
):
    taught(activity, "zorblax", "account/reset-password", 4)
    taught(activity, "glimble", "account/reset-password", 3)
    taught(activity, "quuxify", "payments/declined", 2)  # too few visitors
    assert relearn(app) == 2
    page = staff_client.get("/reports/learned-words").get_data(as_text=True)
    assert "Words customers use" in page
    assert page.index("zorblax") < page.index("glimble")  # most visitors first
    assert "quuxify" not in page
    assert page.count('action="/reports/learned-words/veto"') == 2
    assert "tags: [password, login, zorblax, glimble]" in page
    assert "en/account/reset-password.md" in page

    polish = staff_client.get("/reports/learned-words", headers={"Accept-Language": "pl"})
    assert "Słowa, których używają klienci" in polish.get_data(as_text=True)

    csv = staff_client.get("/reports/learned-words.csv").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "language,article,word,index term,visitors,first seen,last seen,already a tag,file"
    )
    assert lines[1].startswith("en,Reset your password,zorblax,zorblax,4,")
    assert lines[2].startswith("en,Reset your password,glimble,glimbl,3,")
    assert lines[1].endswith(",no,en/account/reset-password.md")
    data = json.loads(staff_client.get("/reports/learned-words.json").get_data(as_text=True))
    assert [row["word"] for row in data["tables"][0]["rows"]] == ["zorblax", "glimble"]
    assert data["tables"][1]["rows"][0]["suggested front matter"] == (
        "tags: [password, login, zorblax, glimble]"
    )

    runner = app.test_cli_runner()
    text = runner.invoke(args=["report", "learned-words"]).output
    assert "zorblax" in text and "glimble" in text
    csv = runner.invoke(args=["report", "learned-words", "--format", "csv", "--lang", "pl"])
    assert csv.output.splitlines()[1:] == []


def test_do_this_next_says_add_tags_for_articles_customers_find_with_strong_words(
    app, staff_client, activity
):
    taught(activity, "glimble", "account/reset-password", 5)
    relearn(app)
    actions = staff_client.get("/reports/actions.json").get_data(as_text=True)
    assert "Add tags" not in actions  # learned, but not strong yet (6 visitors: twice 3)

    taught(activity, "zorblax", "account/reset-password", 6)
    relearn(app)
    rows = json.loads(staff_client.get("/reports/actions.json").get_data(as_text=True))
    [tags] = [row for row in rows["tables"][0]["rows"] if row["action"] == "Add tags"]
    assert tags["what"] == "Reset your password"
    assert tags["customers reached"] == 6
    assert "zorblax, glimble" in tags["evidence"]
    assert tags["file"] == "en/account/reset-password.md"
    assert tags["detail"] == "/reports/learned-words?lang=en"
    # Ready to paste into the article's front matter (issue 26).
    assert tags["front matter to paste"] == "tags: [password, login, zorblax, glimble]"


def test_the_veto_button_on_the_page_removes_its_word(app, staff_client, activity):
    """The button's own form, posted as a browser would, vetoes that word of that article."""
    import re

    taught(activity, "zorblax", "account/reset-password", 4)
    taught(activity, "glimble", "account/reset-password", 3)
    relearn(app)
    page = staff_client.get("/reports/learned-words?lang=en").get_data(as_text=True)
    form = next(
        f for f in re.findall(r'<form method="post".*?</form>', page, re.S) if "glimble" in f
    )
    action = re.search(r'action="([^"]+)"', form).group(1).replace("&amp;", "&")
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    assert fields["term"] == "glimbl" and fields["article"] == "account/reset-password"
    response = staff_client.post(action, data=fields)
    assert response.status_code == 303 and "lang=en" in response.headers["Location"]
    relearn(app)
    page = staff_client.get("/reports/learned-words").get_data(as_text=True)
    assert "zorblax" in page and "glimble" not in page
