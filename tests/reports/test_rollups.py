"""The daily roll-ups give exactly the figures of the raw log: on the fixture with every kind of
record spread over days, after a prune and a forget, and as days end, clicks arrive late and
votes change (activity/rollups.py)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from helpcenter import services
from helpcenter.activity import rollups
from helpcenter.activity.retention import prune
from helpcenter.activity.searchlog import ClickRecord, SearchRecord, ViewRecord, write_batch
from helpcenter.extensions import db
from helpcenter.models import (
    PageView,
    RollupState,
    RollupVisitor,
    RollupVisitorDay,
    SearchEvent,
    SearchRollup,
    Visit,
    Vote,
    VoteRollup,
)
from helpcenter.reports import REPORTS, Period, ReportSettings, run_report
from helpcenter.reports.headline import activity_charts, headline
from helpcenter.search.plan import normalize_query
from helpcenter.support.requests import forget
from helpcenter.support.votes import record_vote
from tests.helpers import NOW, Activity, days_ago

TODAY = NOW.date()
# A refresh a day from now: the suite's votes (Activity.votes, yesterday) then belong to a day
# that ended more than GRACE ago, whatever the hour the suite runs at (run between midnight
# and one o'clock UTC, a refresh at NOW could not roll up yesterday yet).
TOMORROW = NOW + dt.timedelta(days=1)


def periods() -> list[Period]:
    return [
        Period.from_dates(None, None),  # the default: the last 30 days
        Period.from_dates(TODAY - dt.timedelta(days=365), None),
        Period.from_dates(TODAY - dt.timedelta(days=730), None, "pl"),
        Period.from_dates(TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=3)),  # past
        Period(NOW - dt.timedelta(days=3, hours=5), NOW + dt.timedelta(hours=1)),  # inside days
        Period.from_dates(TODAY - dt.timedelta(days=9), None, "en"),
        Period.from_dates(TODAY - dt.timedelta(days=500), TODAY - dt.timedelta(days=8)),  # past
    ]


def figures(app) -> dict:
    """Every report, the headline numbers and the charts, for every period, as JSON."""
    with app.app_context():
        catalog = services.content_store(app).catalog()
        settings = ReportSettings.from_config(app.config)
        found = {}
        for n, period in enumerate(periods()):
            for name in sorted(REPORTS):
                found[(n, name)] = run_report(name, period, catalog, settings).to_json()
            found[(n, "headline")] = [(h.name, h.value, h.previous) for h in headline(period)]
            found[(n, "charts")] = [(c.x_labels, c.series) for c in activity_charts(period)]
        db.session.rollback()
        return found


def raw_figures(app) -> dict:
    """The same, computed from the raw log alone (as if nothing were rolled up)."""
    with app.app_context():
        state = [(s.name, s.through) for s in db.session.scalars(db.select(RollupState))]
        db.session.execute(db.delete(RollupState))
        db.session.commit()
    try:
        return figures(app)
    finally:
        with app.app_context():
            for name, through in state:
                db.session.add(RollupState(name=name, through=through))
            db.session.commit()


def refresh(app, now=None) -> int:
    with app.app_context():
        return rollups.refresh(now)


def assert_exact(app) -> None:
    expected, actual = raw_figures(app), figures(app)
    for key in expected:
        assert actual[key] == expected[key], key


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def weeks_of_activity(every_kind_of_record: Activity) -> Activity:
    """The fixture with every kind of record, plus activity over two years: visitors who come
    back on other days (distinct visitors cannot be added up across days), several spellings of
    one query, a click, views, fallback views, votes and contact requests."""
    a = every_kind_of_record
    for n, days in enumerate([0.2, 2, 2.5, 3.2, 6, 9, 15, 40, 200, 400, 700]):
        visitor = f"r{n % 4}"  # four visitors, back again and again
        a.search("pl", "hasło" if n % 2 else "Hasła", 0, visitor=visitor, at=days_ago(days))
        a.search("en", "refund", 3, visitor=visitor, at=days_ago(days))
        a.search("en", "gift card", 0, visitor=f"g{n % 3}", at=days_ago(days))
        a.search(
            "he", "סיסמה", 2, visitor=visitor, at=days_ago(days), clicked="account/reset-password"
        )
        a.view("pl", "payments/methods", visitor=visitor, at=days_ago(days))
        a.view("he", "payments/declined", visitor=f"h{n % 2}", at=days_ago(days))
        if n % 3 == 0:
            a.contact("pl", "payments/methods", visitor=visitor, at=days_ago(days))
    return a


def active_days(app, now: dt.datetime) -> set[dt.date]:
    """The whole days before the roll-up's edge at `now` that have anything in the raw logs."""
    edge = (now - rollups.GRACE).date()
    with app.app_context():
        moments = [
            *db.session.scalars(db.select(SearchEvent.created_at)),
            *db.session.scalars(db.select(PageView.created_at)),
            *db.session.scalars(db.select(Vote.updated_at)),
        ]
        days = {rollups.utc_day(moment) for moment in moments}
        days |= set(db.session.scalars(db.select(Visit.day)))
    return {day for day in days if day < edge}


def test_rolled_up_figures_equal_the_raw_log(app, weeks_of_activity):
    before = figures(app)
    # Every day with activity since the first search, two years ago; the empty days between
    # them cost nothing.
    assert refresh(app, TOMORROW) == len(active_days(app, TOMORROW))
    assert _count(app, SearchRollup) and _count(app, RollupVisitor) and _count(app, VoteRollup)
    assert figures(app) == before
    assert refresh(app, TOMORROW) == 0  # nothing new: nothing redone


def test_distinct_visitors_are_summed_per_day_and_only_while_those_sums_are_current(
    app, weeks_of_activity
):
    """Visitors per last day (RollupVisitorDay) give the same counts as a row per visitor;
    counts made at another edge (a run still going) are not used."""
    refresh(app, NOW)
    with app.app_context():
        assert rollups.coverage().visitor_days
        per_visitor = db.session.scalar(db.select(db.func.count()).select_from(RollupVisitor))
        summed = db.session.scalar(db.select(db.func.sum(RollupVisitorDay.visitors)))
        assert summed == per_visitor
    assert_exact(app)
    with app.app_context():  # counts that lag the edge, and are wrong besides
        db.session.get(RollupState, rollups.VISITOR_DAYS).through = TODAY - dt.timedelta(days=5)
        db.session.execute(db.update(RollupVisitorDay).values(visitors=1000))
        db.session.commit()
        assert not rollups.coverage().visitor_days
    assert_exact(app)
    assert refresh(app, NOW) == 0  # nothing to roll up, but the counts are made again
    with app.app_context():
        assert rollups.coverage().visitor_days
        assert db.session.scalar(db.select(db.func.max(RollupVisitorDay.visitors))) < 1000
    assert_exact(app)


def test_distinct_visitors_of_a_past_period_count_those_seen_inside_it(app, activity):
    """A period of rolled-up days that ended in the past: a visitor counts if seen inside it,
    whether their first or last day of that query is inside or both are outside."""
    for visitor, days in {
        "span-in": (50, 20, 1),  # before, inside and after: the raw log decides
        "span-out": (50, 1),  # before and after only
        "first-in": (20, 1),
        "last-in": (50, 20),
        "outside": (5,),
    }.items():
        for day in days:
            activity.search("pl", "hasło", 0, visitor=visitor, at=days_ago(day))
    refresh(app, NOW)
    period = Period.from_dates(TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=11))
    with app.app_context():
        catalog = services.content_store(app).catalog()
        settings = ReportSettings.from_config(app.config)
        [row] = run_report("zero-results", period, catalog, settings).tables[0].rows
        assert row[3] == 3  # span-in, first-in, last-in
        assert rollups.coverage().visitor_days
    assert_exact(app)


def test_figures_stay_exact_after_prune_and_forget(app, weeks_of_activity):
    refresh(app, TOMORROW)
    with app.app_context():
        prune(10)  # cuts day 10 in two: its earlier rows go, its later ones stay
    assert_exact(app)
    with app.app_context():
        # The roll-ups of pruned days are gone too: they hold the queries customers typed.
        assert db.session.scalar(db.select(db.func.min(SearchRollup.day))) >= (days_ago(10).date())
        forget("c@example.com")  # erases what the visitor wrote after "No", too
    assert_exact(app)
    refresh(app, TOMORROW)  # redoes the days that changed
    with app.app_context():
        assert not db.session.scalar(db.select(db.func.count()).select_from(rollups.RollupDirty))
    assert_exact(app)


def test_days_roll_up_as_they_end_and_late_changes_are_counted(app, activity):
    day = TODAY - dt.timedelta(days=3)
    late = dt.datetime.combine(day, dt.time(23, 58), dt.UTC)
    key = uuid.uuid4().hex
    with app.app_context():
        write_batch(
            [
                SearchRecord(
                    key=key,
                    created_at=late,
                    lang="pl",
                    query="faktura",
                    normalized=normalize_query("pl", "faktura"),
                    result_count=3,
                    category=None,
                    page=1,
                    visitor="x" * 32,
                ),
                ViewRecord(
                    created_at=late,
                    lang="pl",
                    article_id="payments/methods",
                    visitor="x" * 32,
                    fallback=False,
                ),
            ]
        )
    refresh(app, late + dt.timedelta(minutes=30))  # the day has not ended an hour ago yet
    with app.app_context():
        assert db.session.get(RollupState, "rollups").through == day
    refresh(app, late + dt.timedelta(hours=2))
    with app.app_context():
        assert db.session.get(RollupState, "rollups").through == day + dt.timedelta(days=1)
    assert_exact(app)
    # The customer opens a result after midnight: the search is no longer "not clicked".
    with app.app_context():
        write_batch(
            [
                ClickRecord(
                    key=key, article="payments/methods", rank=1, at=late + dt.timedelta(minutes=5)
                )
            ]
        )
    assert_exact(app)  # read from the raw log until redone
    refresh(app, NOW)
    assert_exact(app)


def test_a_day_is_a_day_in_utc_whatever_the_writers_time_zone(app, activity):
    """A search at 01:30 in UTC+3 is 22:30 UTC the day before: it rolls up on that day."""
    plus_three = dt.timezone(dt.timedelta(hours=3))
    day = TODAY - dt.timedelta(days=5)
    local = dt.datetime.combine(day, dt.time(1, 30), plus_three)
    with app.app_context():
        write_batch(
            [
                SearchRecord(
                    key=uuid.uuid4().hex,
                    created_at=local,
                    lang="en",
                    query="invoice",
                    normalized=normalize_query("en", "invoice"),
                    result_count=0,
                    category=None,
                    page=1,
                    visitor="t" * 32,
                )
            ]
        )
    refresh(app, NOW)
    with app.app_context():
        assert db.session.scalar(db.select(SearchRollup.day)) == day - dt.timedelta(days=1)
        per_day = dict(
            zip(
                *[
                    activity_charts(Period.from_dates(None, None))[0].x_labels,
                    activity_charts(Period.from_dates(None, None))[0].series["searches"],
                ],
                strict=True,
            )
        )
    assert per_day[(day - dt.timedelta(days=1)).isoformat()] == 1
    assert per_day[day.isoformat()] == 0
    assert_exact(app)


def test_a_changed_vote_leaves_its_old_day(app, activity):
    activity.votes("en", "payments/methods", yes=0, no=1, reason="unclear", comment="Where?")
    refresh(app, NOW)
    with app.app_context():
        record_vote(
            article_id="payments/methods",
            lang="en",
            visitor="payments/methodsFalse0"[-32:],
            helpful=True,
        )
    assert_exact(app)
    articles = json.loads(figures(app)[(0, "articles")])["tables"][0]["rows"]
    assert [(r["yes"], r["no"]) for r in articles if r["article"] == "payments/methods"] == [(1, 0)]
    refresh(app, NOW)
    assert_exact(app)


def test_rollup_command_rolls_up_once_and_rebuilds_on_request(app, weeks_of_activity):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["rollup"])
    assert first.exit_code == 0, first.output
    assert first.output.strip().endswith("days rolled up") and not first.output.startswith("0 ")
    assert runner.invoke(args=["rollup"]).output.strip() == "0 days rolled up"
    assert runner.invoke(args=["rollup", "--rebuild"]).output.strip() == first.output.strip()
    assert_exact(app)
