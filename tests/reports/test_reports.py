"""Each report on a small data set whose answers are known."""

import datetime as dt
import json

from helpcenter import services
from helpcenter.reports import Period, ReportSettings, run_report
from helpcenter.reports.outcomes import wilson_lower_bound
from tests.helpers import days_ago


def report(app, name, **period):
    with app.test_request_context():
        catalog = services.content_store(app).catalog()
        settings = ReportSettings.from_config(app.config)
        return run_report(name, Period.from_dates(None, None, **period), catalog, settings)


def rows(app, name, table=0, **period):
    return report(app, name, **period).tables[table].rows


def test_zero_results_groups_inflected_queries_with_visitors_and_trend(app, activity):
    for query, visitor in (("hasła", "a"), ("hasło", "b"), ("Hasło ", "a"), ("haslo", "c")):
        activity.search("pl", query, 0, visitor=visitor)
    activity.search("pl", "hasłem", 0, visitor="d", at=days_ago(40))  # the previous period
    activity.search("pl", "hasło", 3, visitor="e")  # found something: not in this report
    activity.search("en", "gift wrap", 0)
    [first, second] = rows(app, "zero-results")
    assert first[:4] == ["pl", first[1], 4, 3]
    assert [first[6], str(first[7])] == [1, "+300%"]
    assert set(first[8].split(" | ")) <= {"hasła", "hasło", "Hasło", "haslo"}
    assert second[:3] == ["en", "gift wrap", 1] and second[7] == "new"
    assert [r[0] for r in rows(app, "zero-results", lang="en")] == ["en"]


def test_no_click_and_searches_followed_by_contact(app, activity):
    activity.search("en", "change address", 4, visitor="x")
    activity.search("en", "change address", 4, visitor="y", clicked="orders/change")
    activity.search("en", "refund late", 2, visitor="z", at=days_ago(1))
    activity.contact("en", visitor="z", at=days_ago(1) + dt.timedelta(minutes=10))
    activity.contact("en", visitor="x", at=days_ago(3))  # days later: not the same visit
    unclicked, followed = report(app, "no-click").tables
    assert [(r[1], r[2]) for r in unclicked.rows] == [("change address", 1), ("refund late", 1)]
    assert followed.rows == [["en", "refund late", 1, "refund late"]]


def test_a_search_counts_as_followed_by_contact_up_to_thirty_minutes_before_it(app, activity):
    """The bounds exactly, to the microsecond, on SQLite and PostgreSQL (the database narrows
    by time, the report decides)."""
    asked = days_ago(2)
    for query, visitor, before in (
        ("exactly thirty", "a", dt.timedelta(minutes=30)),
        ("just over", "b", dt.timedelta(minutes=30, microseconds=1)),
        ("after asking", "c", -dt.timedelta(seconds=1)),
        ("same moment", "d", dt.timedelta(0)),
    ):
        activity.search("en", query, 2, visitor=visitor, at=asked - before)
        activity.contact("en", visitor=visitor, at=asked)
    activity.search("pl", "po polsku", 2, visitor="e", at=asked - dt.timedelta(minutes=5))
    activity.contact("pl", visitor="e", at=asked)
    followed = report(app, "no-click").tables[1]
    assert sorted(r[1] for r in followed.rows) == ["exactly thirty", "po polsku", "same moment"]
    assert [r[1] for r in report(app, "no-click", lang="pl").tables[1].rows] == ["po polsku"]


def test_articles_worst_first_by_wilson_bound_of_no(app, activity):
    activity.votes("en", "account/reset-password", yes=0, no=1)  # one "No" of one vote
    activity.votes("en", "payments/methods", yes=10, no=40, reason="steps-failed")
    activity.votes("en", "payments/declined", yes=5, no=5)
    activity.view("en", "payments/methods")
    activity.contact("en", "payments/methods")
    table = rows(app, "articles")
    assert [r[1] for r in table] == [
        "payments/methods",
        "payments/declined",
        "account/reset-password",
    ]
    worst = table[0]
    assert worst[3:6] == [1, 10, 40] and worst[9] == 1
    assert worst[7] == "The steps did not work: 40"
    assert wilson_lower_bound(1, 1) < wilson_lower_bound(5, 10) < wilson_lower_bound(40, 50)


def test_escalations_and_self_service_rate(app, activity):
    for visitor in "abcd":
        activity.view("en", "payments/methods", visitor=visitor)
    activity.contact("en", "payments/methods", visitor="a")
    activity.contact("pl", None, visitor="b")
    result = report(app, "escalations")
    by_article, by_category, by_language, weekly = result.tables
    assert ["en", "payments/methods", "Payment methods", 1] in by_article.rows
    assert ["payments", 1] in by_category.rows and ["(none)", 1] in by_category.rows
    assert sorted(by_language.rows) == [["en", 1], ["pl", 1]]
    assert [[*r[1:3], str(r[3])] for r in weekly.rows] == [[4, 2, "50.0%"]]
    assert result.charts[0].series["self-service rate"] == [50.0]


def test_translations_lists_missing_and_outdated_by_demand(app, basic, activity):
    basic.article(
        "en/payments/methods.md", "Payment methods", "We accept cards, PayPal and BLIK.\n"
    )
    basic.commit("methods: add BLIK", date="2026-02-01T09:00:00+00:00")  # after the translation
    services.content_store(app).refresh(force=True)
    for _ in range(3):
        activity.view("pl", "payments/declined")  # the English fallback, read in Polish
    table = rows(app, "translations", lang="pl")
    assert [(r[1], r[3], r[6]) for r in table] == [
        ("payments/declined", "missing", 3),
        ("payments/methods", "outdated", 0),
    ]


def test_stale_lists_passed_review_dates_and_old_articles(app, basic):
    basic.article(
        "en/payments/declined.md",
        "My payment was declined",
        "Check the card.\n",
        review_by="2026-02-01",
    )
    basic.commit("review date", date="2026-01-20T09:00:00+00:00")
    services.content_store(app).refresh(force=True)
    app.config["STALE_AFTER_DAYS"] = 100_000
    [row] = rows(app, "stale")
    assert row[1] == "payments/declined" and "review date 2026-02-01 has passed" in row[5]
    app.config["STALE_AFTER_DAYS"] = 1
    assert len(rows(app, "stale")) == 6  # every article of the tree is older than a day


def test_requests_show_context_and_delivery_state(app, activity):
    activity.contact("he", "account/reset-password", email="dana@example.com", message="שלום")
    [row] = rows(app, "requests")
    # The customer's words right after the reference; the context in one cell.
    assert row[1] == "שלום" and row[3:5] == ["he", "dana@example.com"]
    assert str(row[6]) == "article: account/reset-password"
    assert row[7] == "stored only"


def test_csv_and_json_outputs(app, activity):
    activity.search("en", 'gift, "wrap"', 0)
    result = report(app, "zero-results")
    lines = result.to_csv().splitlines()
    assert lines[0].startswith("language,query,searches")
    assert lines[1].endswith('"gift, ""wrap"""')
    data = json.loads(result.to_json())
    assert data["tables"][0]["rows"][0]["searches"] == 1


def test_self_service_rate_for_one_language(app, activity):
    for visitor, lang in (("a", "en"), ("b", "en"), ("c", "pl"), ("d", "pl")):
        activity.view(lang, "payments/methods", visitor=visitor)
    activity.contact("pl", None, visitor="c")
    weekly = report(app, "escalations", lang="pl").tables[3]
    assert [[*r[1:3], str(r[3])] for r in weekly.rows] == [[2, 1, "50.0%"]]
    weekly = report(app, "escalations", lang="en").tables[3]
    assert [[*r[1:3], str(r[3])] for r in weekly.rows] == [[2, 0, "100.0%"]]
