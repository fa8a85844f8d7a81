"""Times and signed numbers on the staff pages as each language writes them, and as a
right-to-left page lays them out (issue 29: X-D, he-11, the Greek 12-hour clock)."""

import datetime as dt
import re

import pytest

from helpcenter.web.reports import time_with_zone
from tests.helpers import LANGUAGES, NOW, days_ago, make_app

LTR_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
AFTERNOON = dt.datetime(2026, 12, 5, 14, 53, 52, tzinfo=dt.UTC)


@pytest.fixture
def warsaw_app(basic, tmp_path):
    return make_app(tmp_path, basic, TIME_ZONE="Europe/Warsaw")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_times_are_on_the_24_hour_clock_in_every_language(warsaw_app, lang):
    """Staff compare these times with one another's; Greek once read "3:53:52 μ.μ."."""
    with warsaw_app.test_request_context("/reports/", headers={"Accept-Language": lang}):
        written = time_with_zone(AFTERNOON)
    assert "15:53:52" in written, written
    assert "2026" in written and not re.search(r"\b(PM|AM)\b|μ\.μ\.|π\.μ\.", written), written


def test_a_utc_offset_keeps_its_sign_in_front_on_a_hebrew_page(warsaw_app):
    with warsaw_app.test_request_context("/reports/", headers={"Accept-Language": "he"}):
        written = time_with_zone(AFTERNOON)
    # CLDR has no short name for the zone in Hebrew: "+0100", isolated left to right.
    assert written.endswith(f"{LTR_ISOLATE}+0100{POP_ISOLATE}"), written
    with warsaw_app.test_request_context("/reports/", headers={"Accept-Language": "pl"}):
        assert LTR_ISOLATE not in time_with_zone(AFTERNOON)


def test_signed_changes_on_the_hebrew_dashboard_keep_their_sign_in_front(activity, staff_client):
    """A bare "+94%" in right-to-left text is laid out "94%+" (checked with FriBidi in the
    review); isolated left to right it reads as written."""
    for n in range(4):
        activity.search("en", "refund", 3, visitor=f"a{n}")
    for n in range(2):
        activity.search("en", "refund", 0, visitor=f"b{n}", at=days_ago(10))
    since = (NOW - dt.timedelta(days=6)).date().isoformat()
    page = staff_client.get(
        f"/reports/?since={since}&until={NOW.date()}", headers={"Accept-Language": "he"}
    ).get_data(as_text=True)
    changes = re.findall(r'<span class="headline-change[^"]*">([^<]+)</span>', page)
    signed = [c for c in changes if re.search(r"[+\-−]\d", c)]
    assert signed, changes
    for change in signed:
        assert re.search(rf"{LTR_ISOLATE}[+\-−‎]*\d[^{POP_ISOLATE}]*{POP_ISOLATE}", change), change
        assert not re.search(rf"(?<!{LTR_ISOLATE})[+\-]\d", change), change
    english = staff_client.get(f"/reports/?since={since}&until={NOW.date()}").get_data(as_text=True)
    assert LTR_ISOLATE not in english
