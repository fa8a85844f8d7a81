"""Whatever a logged-in member of staff (or a mangled bookmark) puts in a report URL: never a
500, nothing echoed unescaped."""

from urllib.parse import quote

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpcenter.reports import REPORTS

PARAMETER = st.one_of(
    st.text(max_size=40),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["", "en", "he", "<script>alert(1)</script>", "-1", "1e9"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(["", *REPORTS, *(f"{name}.csv" for name in REPORTS), "zero-results.json"]),
    since=PARAMETER,
    until=PARAMETER,
    lang=PARAMETER,
    table=PARAMETER,
)
@example(name="", since="0001-01-01", until="9999-12-31", lang="", table="")
@example(name="zero-results.csv", since="9999-12-31", until="0001-01-01", lang="he", table="-1")
def test_report_urls_take_any_parameters(staff_client, name, since, until, lang, table):
    response = staff_client.get(
        f"/reports/{name}",
        query_string={"since": since, "until": until, "lang": lang, "table": table},
    )
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.get_data(as_text=True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=PARAMETER | st.emails() | st.emails().map(lambda email: email + "\x00"))
@example(text="a\x00@example.com")
@example(text="/0")
def test_finding_a_request_takes_anything(staff_client, text):
    response = staff_client.get("/reports/requests/find", query_string={"q": text})
    assert response.status_code in (200, 400, 404)
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    request_page = staff_client.get(f"/reports/requests/{quote(text, safe='')}")
    assert request_page.status_code in (308, 404)  # 308: Werkzeug merging "//" in the path
