"""The dashboard's headline numbers, each with its change against the period before, and bar
charts that still say something with two days of data."""

import datetime as dt
import re
from collections import Counter

from sqlalchemy import event

from helpcenter.extensions import db
from tests.helpers import NOW, days_ago


def test_headline_numbers_with_change_against_the_previous_period(app, activity, staff_client):
    for n in range(4):
        activity.search(
            "en",
            "refund",
            0 if n == 0 else 3,
            visitor=f"a{n}",
            clicked="payments/methods" if n < 2 else None,
        )
    for n in range(2):
        activity.search("en", "refund", 3, visitor=f"b{n}", at=days_ago(10))
    activity.contact("en", visitor="a0")
    activity.votes("en", "payments/methods", yes=3, no=1)
    since = (NOW - dt.timedelta(days=6)).date().isoformat()
    until = NOW.date().isoformat()
    page = staff_client.get(f"/reports/?since={since}&until={until}").get_data(as_text=True)
    found = re.findall(
        r'headline-name">([^<]+)</span>\s*<strong class="headline-value">([^<]+)</strong>\s*'
        r'<span class="headline-change[^"]*">([^<]+)</span>',
        page,
    )
    cards = {name: (value, change) for name, value, change in found}
    assert cards["searches"] == ("4", "+100% (previous period: 2)")
    assert cards["searches with no results"] == ("25%", "+25 pp (previous period: 0%)")
    assert cards["click-through"] == ("50%", "+50 pp (previous period: 0%)")
    assert cards["contact requests per 100 visits"][0] == "25"
    assert cards["“Yes” votes"] == ("75%", "previous period: —")


def test_a_bar_per_day_with_labelled_axes_and_a_table(app, activity, staff_client):
    activity.search("en", "refund", 3, at=days_ago(1))
    activity.search("en", "gift wrap", 0, at=days_ago(2))
    since = (NOW - dt.timedelta(days=6)).date().isoformat()
    page = staff_client.get(f"/reports/?since={since}&until={NOW.date()}").get_data(as_text=True)
    searches = page[page.index("<svg") : page.index("</svg>")]
    assert searches.count("<rect") == 7  # every day of the week has its bar, zero or not
    assert ">day</text>" in searches and ">searches</text>" in searches  # both axes named
    assert 'role="img"' in searches and "<desc" in searches
    assert "<summary>The numbers</summary>" in page


def test_the_dashboard_reads_each_count_once(app, every_kind_of_record, staff_client):
    """All reports render side by side and several need the same counts ("Do this next"
    repeats the searches with no results, the readers and the votes; every count asks how far
    the roll-ups reach): each counting query, with the same values, goes to the database once
    per page."""
    with app.app_context():
        engine = db.engine
    sent: Counter[tuple[str, str]] = Counter()

    def record(conn, cursor, statement, parameters, context, executemany):
        if any(part in statement for part in ("count(", "sum(", "rollup_state")):
            sent[(statement, repr(parameters))] += 1

    event.listen(engine, "before_cursor_execute", record)
    try:
        page = staff_client.get("/reports/")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert page.status_code == 200
    repeated = [statement for (statement, _), times in sent.items() if times > 1]
    assert repeated == []
