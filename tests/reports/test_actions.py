"""“Do this next”: one list of actions from every report, ranked by the customers each would
reach, on a fixture where the right order is known."""

import datetime as dt
import json

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import Vote
from tests.helpers import (
    SAME_ORIGIN,
    Activity,
    days_ago,
    logged_in_staff,
    make_app,
    search_as_browser,
)


def _vote(app, lang, article_id, helpful, *, days, visitor):
    with app.app_context():
        db.session.add(
            Vote(
                article_id=article_id,
                lang=lang,
                visitor=visitor,
                helpful=helpful,
                created_at=days_ago(days),
                updated_at=days_ago(days),
            )
        )
        db.session.commit()


def known_order(app, basic, activity):
    """Fix (9 readers) > write (7 searchers) > translate (5) > update (4) > review (3 voters)."""
    app.config["STALE_AFTER_DAYS"] = 30
    for n in range(9):  # fix: read by 9, "No" 3 of 4 with comments
        activity.view("en", "payments/methods", visitor=f"fix{n}")
    activity.votes(
        "en",
        "payments/methods",
        yes=1,
        no=3,
        reason="steps-failed",
        comment="The button is missing",
    )
    for n in range(7):  # write: 7 visitors found nothing
        activity.search("en", "gift wrap", 0, visitor=f"write{n}")
    for n in range(5):  # translate: no Polish article, 5 Polish readers got the English one
        activity.view("pl", "payments/declined", visitor=f"tr{n}")
    basic.article("en/payments/methods.md", "Payment methods", "Cards, PayPal and BLIK.\n")
    basic.commit("methods: BLIK", date="2026-02-01T09:00:00+00:00")  # the Polish one is outdated
    services.content_store(app).refresh(force=True)
    for n in range(4):
        activity.view("pl", "payments/methods", visitor=f"up{n}")
    activity.view("he", "account/reset-password", visitor="rev")  # review: "Yes" fell
    for n in range(3):
        _vote(app, "he", "account/reset-password", True, days=40, visitor=f"old{n}")
    for n, helpful in enumerate((True, True, False)):
        _vote(app, "he", "account/reset-password", helpful, days=2, visitor=f"new{n}")


def test_actions_ranked_by_reach_with_evidence_links_and_files(app, basic, activity, staff_client):
    known_order(app, basic, activity)
    data = json.loads(staff_client.get("/reports/actions.json").get_data(as_text=True))
    rows = data["tables"][0]["rows"]
    assert [(r["action"], r["language"], r["what"], r["customers reached"]) for r in rows] == [
        ("Fix", "en", "Payment methods", 9),
        ("Write", "en", "gift wrap", 7),
        ("Translate", "pl", "My payment was declined", 5),
        ("Update the translation", "pl", "Metody płatności", 4),
        ("Review", "he", "איפוס סיסמה", 3),
    ]
    fix, write, translate, update, review = rows
    assert fix["evidence"] == "“No” 3 of 4 votes, comments: 3, contact requests after reading: 0"
    assert fix["detail"] == "/reports/article/payments/methods?lang=en"
    assert (
        fix["file"] == "en/payments/methods.md" and translate["file"] == "pl/payments/declined.md"
    )
    assert write["evidence"] == "7 visitors searched and found nothing (7 searches)"
    assert "fell from 100.0% to 67.0%" in review["evidence"]
    assert update["evidence"].startswith("the source changed on 2026-02-01")

    page = staff_client.get("/reports/actions").get_data(as_text=True)
    assert '<a href="/reports/article/payments/methods?lang=en">Details</a>' in page
    assert '<code dir="ltr">pl/payments/declined.md</code>' in page
    dashboard = staff_client.get("/reports/").get_data(as_text=True)
    assert dashboard.index('id="summary-actions"') < dashboard.index('id="summary-zero-results"')
    cli = app.test_cli_runner().invoke(args=["report", "actions", "--format", "csv"]).output
    assert cli.splitlines()[1].startswith("1,Fix,Payment methods,en,")


def search_from(app, address: str, query: str, *, times: int) -> None:
    """`times` searches for `query` through the site from `address`, each with a new visitor
    cookie (a client that drops its cookie every time)."""
    for _ in range(times):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        search_as_browser(client, "en", query)
    services.search_log(app).flush()


EVIL = "https://evil.example/zqxj-prize"


def vote_no_from(app, address: str, *, times: int) -> None:
    """`times` "No" votes on Payment methods from `address`, each with a new visitor cookie
    (the vote issues it)."""
    for _ in range(times):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        data = {"helpful": "no", "reason": "unclear"}
        response = client.post("/en/feedback/payments/methods", data=data, headers=SAME_ORIGIN)
        assert response.status_code == 303
    services.search_log(app).flush()


def test_one_network_rotating_cookies_reaches_one_customer_however_often_it_comes(
    app, staff_client
):
    search_from(app, "203.0.113.66", EVIL, times=30)
    vote_no_from(app, "203.0.113.67", times=20)
    for n in range(3):  # three customers, each from a network of their own
        search_from(app, f"198.51.{n}.7", "gift wrap", times=1)
    rows = json.loads(staff_client.get("/reports/actions.json").get_data(as_text=True))
    ranked, folded = rows["tables"]
    assert [(r["action"], r["what"], r["customers reached"]) for r in ranked["rows"]] == [
        ("Write", "gift wrap", 3),
    ]
    # One customer each, folded below the list (issue 26).
    assert folded["title"] == "2 more with one visitor each"
    assert [(r["action"], r["what"], r["customers reached"]) for r in folded["rows"]] == [
        ("Fix", "Payment methods", 1),  # 20 cookies read it and said "No": one network
        ("Write", EVIL, 1),  # as typed in exports; 30 cookies, one network
    ]
    assert folded["rows"][1]["evidence"] == "1 visitor searched and found nothing (30 searches)"
    zero = json.loads(staff_client.get("/reports/zero-results.json").get_data(as_text=True))
    assert {r["query"]: r["visitors"] for r in zero["tables"][0]["rows"]} == {
        "gift wrap": 3,
        EVIL: 1,
    }


def test_a_web_address_customers_typed_is_never_a_link_on_the_staff_pages(app, staff_client):
    search_from(app, "203.0.113.66", EVIL, times=1)
    for page in ("/reports/actions", "/reports/zero-results", "/reports/"):
        html = staff_client.get(page).get_data(as_text=True)
        assert "hxxps://evil[.]example/zqxj-prize" in html, page
        assert "evil.example" not in html and "https://evil" not in html, page


def test_the_evidence_counts_votes_in_each_language_s_plural_form(app, activity, staff_client):
    """Issue 29 (X-B): "of 1 votes" in English, "od 23 glasova" in Croatian, where a number
    ending in 2-4 takes "glasa"."""
    activity.view("en", "payments/methods", visitor="reader")
    activity.votes("en", "payments/methods", yes=2, no=21)
    activity.view("en", "payments/declined", visitor="reader")
    activity.votes("en", "payments/declined", yes=0, no=1)
    english = staff_client.get("/reports/actions").get_data(as_text=True)
    assert "“No” 21 of 23 votes," in english and "“No” 1 of 1 vote," in english
    croatian = staff_client.get("/reports/actions", headers={"Accept-Language": "hr"})
    text = croatian.get_data(as_text=True)
    assert "„Ne“: 21 od 23 glasa," in text and "glasova" not in text
    assert "„Ne“: 1 od 1 glasa," in text


def _vote_after(app, lang, article_id, visitor, at, helpful=True):
    with app.app_context():
        db.session.add(
            Vote(
                article_id=article_id,
                lang=lang,
                visitor=visitor.ljust(32, "0"),
                helpful=helpful,
                created_at=at,
                updated_at=at,
            )
        )
        db.session.commit()


def _rows(staff_client, lang="en") -> tuple[list[dict], list[dict]]:
    """The ranked rows of "Do this next" and the folded ones."""
    headers = {"Accept-Language": lang}
    tables = staff_client.get("/reports/actions.json", headers=headers).get_json()["tables"]
    return tables[0]["rows"], (tables[1]["rows"] if len(tables) > 1 else [])


def test_results_nobody_opened_become_an_action_naming_the_first_result(activity, staff_client):
    for visitor in ("a", "b"):
        activity.search("en", "payment card", 2, visitor=visitor)
    ranked, _folded = _rows(staff_client)
    [row] = ranked
    assert (row["action"], row["what"], row["customers reached"]) == (
        "Improve the results",
        "payment card",
        2,
    )
    assert row["evidence"] == (
        "2 visitors got results and opened none (2 searches); first result: “Payment methods”"
    )
    assert row["file"] == "en/payments/methods.md"
    assert row["detail"] == "/reports/no-click?lang=en"


def test_an_answer_found_in_the_default_language_only_is_a_translation(app, activity, staff_client):
    """Polish customers found nothing, then read the English article (there is no Polish one)
    and said it answered: translate it, rather than write a new one."""
    for visitor in ("p1", "p2"):
        searched = days_ago(1)
        activity.search("pl", "odrzucona płatność", 0, visitor=visitor, at=searched)
        activity.view(
            "pl", "payments/declined", visitor=visitor, at=searched + dt.timedelta(minutes=2)
        )
        _vote_after(app, "pl", "payments/declined", visitor, searched + dt.timedelta(minutes=3))
    ranked, folded = _rows(staff_client)
    [row] = ranked
    assert (row["action"], row["language"], row["what"], row["file"]) == (
        "Translate",
        "pl",
        "My payment was declined",
        "pl/payments/declined.md",
    )
    assert row["evidence"].endswith("2 of them then found the answer in “My payment was declined”")
    assert not [r for r in ranked + folded if r["action"] == "Write"]


def test_a_query_the_search_answers_now_needs_no_new_article(activity, staff_client):
    """Logged as finding nothing (the article came later, say): nothing to write now."""
    for visitor in ("a", "b"):
        activity.search("en", "forgot password", 0, visitor=visitor)
    ranked, folded = _rows(staff_client)
    assert ranked == [] and folded == []


def test_actions_from_fewer_customers_than_the_setting_are_folded(tmp_path, basic):
    app = make_app(tmp_path, basic.root, ACTIONS_MIN_CUSTOMERS=3)
    activity = Activity(app)
    for visitor in ("a", "b"):
        activity.search("en", "gift wrap", 0, visitor=visitor)
    staff = logged_in_staff(app)
    tables = staff.get("/reports/actions.json").get_json()["tables"]
    assert tables[0]["rows"] == []
    assert tables[1]["title"] == "1 more with fewer than 3 visitors"
    assert [row["what"] for row in tables[1]["rows"]] == ["gift wrap"]
    assert "at least 3 customers; the others are folded below" in tables[0]["note"]


def test_every_count_in_do_this_next_takes_its_plural_form(activity, staff_client):
    """Issue 26: "(1 searches)" in English; Polish has three forms."""
    activity.search("en", "gift wrap", 0, visitor="one")
    for _ in range(2):
        activity.search("pl", "pakowanie prezentów", 0, visitor="two")
    for n in range(5):
        activity.search("pl", "karta podarunkowa", 0, visitor=f"five{n}")
    _ranked, folded = _rows(staff_client)
    english = {row["what"]: row["evidence"] for row in folded}
    assert english["gift wrap"] == "1 visitor searched and found nothing (1 search)"
    page = staff_client.get("/reports/actions", headers={"Accept-Language": "pl"})
    text = page.get_data(as_text=True)
    assert "1 odwiedzający szukał i nic nie znalazł (2 wyszukiwania)" in text
    assert "5 odwiedzających szukało i nic nie znalazło (5 wyszukiwań)" in text
    assert "jeszcze 2 pozycje, każda z jednym odwiedzającym" in text


def test_front_matter_to_paste_reads_back_as_customers_typed_it(activity, staff_client):
    """YAML reads a bare True as a boolean: the new article's title is quoted."""
    for visitor in ("a", "b"):
        activity.search("en", "true", 0, visitor=visitor)
    [row] = _rows(staff_client)[0]
    assert (row["action"], row["front matter to paste"]) == ("Write", 'title: "True"')


def test_results_nobody_opened_then_found_by_browsing_become_tags_for_that_article(
    app, activity, staff_client
):
    for visitor in ("a", "b"):
        searched = days_ago(1)
        activity.search("en", "card refused", 1, visitor=visitor, at=searched)
        activity.view(
            "en", "payments/declined", visitor=visitor, at=searched + dt.timedelta(minutes=1)
        )
        _vote_after(app, "en", "payments/declined", visitor, searched + dt.timedelta(minutes=2))
    [row] = _rows(staff_client)[0]
    assert (row["action"], row["what"], row["file"]) == (
        "Add tags",
        "card refused",
        "en/payments/declined.md",
    )
    assert row["evidence"] == (
        "2 visitors got results and opened none (2 searches); "
        "2 of them then found the answer in “My payment was declined”"
    )
    assert row["front matter to paste"] == "tags: [card, refused]"
