"""The reports read as a lead reads: times in the reader's language and the configured time
zone (ISO 8601 in exports), "at least 34% unhelpful" with the method in a footnote, and query
groups under the spelling customers typed most often."""

import csv
import io
import re

import pytest
from babel.dates import format_datetime

from tests.helpers import Activity, days_ago, logged_in_staff, make_app, requests, staff_pages


def test_times_in_the_readers_language_and_time_zone_iso_in_exports(tmp_path, basic):
    app = make_app(tmp_path, basic.root, TIME_ZONE="Europe/Warsaw")
    when = days_ago(1).replace(microsecond=689116)
    Activity(app).search("pl", "hasło", 0, at=when)
    staff = logged_in_staff(app)
    page = staff.get("/reports/zero-results", headers={"Accept-Language": "pl"}).get_data(
        as_text=True
    )
    expected = format_datetime(when, "medium", tzinfo="Europe/Warsaw", locale="pl")
    assert expected in page and "689116" not in page and "+00:00" not in page
    download = staff.get("/reports/zero-results.csv").get_data(as_text=True).lstrip("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(download)))
    assert row["first seen"] == when.replace(microsecond=0).isoformat()  # 2026-11-26T14:23:57+00:00


def test_unhelpful_share_in_words_with_the_method_in_a_footnote(app, activity, staff_client):
    activity.votes("en", "payments/methods", yes=10, no=40)
    page = staff_client.get("/reports/articles").get_data(as_text=True)
    assert "at least 67% unhelpful" in page and "Wilson score interval" in page
    assert "failing (Wilson)" not in page
    polish = staff_client.get("/reports/articles", headers={"Accept-Language": "pl"})
    assert "co najmniej 67% ocen na „nie”" in polish.get_data(as_text=True)


def test_query_groups_show_the_spelling_typed_most_often(app, activity, staff_client):
    for query in ("הסיסמה", "הסיסמה", "סיסמה"):
        activity.search("he", query, 0)
    for query in ("kryptowaluty", "kryptowaluty", "kryptowalut"):
        activity.search("pl", query, 0)
    page = staff_client.get("/reports/zero-results").get_data(as_text=True)
    assert '<span class="spellings" title="Also typed as: סיסמה">הסיסמה</span>' in page
    assert '<span class="spellings" title="Also typed as: kryptowalut">kryptowaluty</span>' in page
    data = staff_client.get("/reports/zero-results.json").get_json()
    rows = {r["language"]: r for r in data["tables"][0]["rows"]}
    assert rows["he"]["query"] == "הסיסמה" and rows["he"]["spellings"] == "הסיסמה | סיסמה"
    assert rows["pl"]["spellings"] == "kryptowaluty | kryptowalut"


SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")  # HELPCENTER_STALE_AFTER_DAYS


@pytest.mark.parametrize("lang", ["en", "pl", "he"])
def test_staff_pages_say_what_a_setting_is_never_its_name(every_kind_of_record, staff_client, lang):
    """Issue 26: leads read "not updated for 365 days or more", not the operator's setting."""
    references = [row.reference for row in requests(every_kind_of_record.app)]
    pages = staff_pages(staff_client, lang, references)
    named = {
        url: SETTING_NAME.findall(re.sub(r"<[^>]*>", " ", html)) for url, html in pages.items()
    }
    assert {url: names for url, names in named.items() if names} == {}
    assert "365" in pages["/reports/stale"] and "180" in pages["/reports/learned-words"]
