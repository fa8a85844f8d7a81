"""The report of where customers asked for help: the help widget's searches, article views,
votes and contact requests by the host page they came from."""

from helpcenter import services
from helpcenter.reports import Period, ReportSettings, run_report
from helpcenter.reports.report import CustomerText
from tests.helpers import days_ago, logged_in_staff


def report(app, **period):
    with app.app_context():
        catalog = services.content_store(app).catalog()
        settings = ReportSettings.from_config(app.config)
        return run_report("widget", Period.from_dates(None, None, **period), catalog, settings)


def test_the_widgets_activity_is_counted_by_host_page_and_the_sites_is_not(app, activity):
    billing, checkout = "/billing/invoices", "/checkout"
    activity.search("en", "refund", 2, widget=billing, visitor="a")
    activity.search("pl", "zwrot", 0, widget=billing, visitor="b")
    activity.search("en", "card", 0, widget=checkout)
    activity.view("en", "payments/methods", widget=billing)
    activity.votes("en", "payments/methods", yes=1, no=2, widget=checkout)
    activity.contact("en", "payments/methods", widget=checkout)
    activity.contact("en", widget=checkout, visitor="c")
    # The help center's own pages, and the widget's before the period: not in the report.
    activity.search("en", "refund", 0)
    activity.view("en", "payments/methods")
    activity.votes("en", "account/reset-password", yes=3, no=3)
    activity.contact("en")
    activity.contact("en", widget=billing, at=days_ago(45))
    [table] = report(app).tables
    assert table.rows == [
        # page, contact requests, searches, with no results, articles read, votes, "No" votes
        [checkout, 2, 1, 1, 0, 3, 2],  # most requests first
        [billing, 0, 2, 1, 1, 0, 0],
    ]
    assert isinstance(table.rows[0][0], CustomerText)  # written by the host page: inert
    assert report(app, lang="pl").tables[0].rows == [[billing, 0, 1, 1, 0, 0, 0]]


def test_the_report_is_a_page_a_download_and_a_command(app, activity):
    activity.contact("en", widget="/=HYPERLINK(1)")
    staff = logged_in_staff(app)
    page = staff.get("/reports/widget").get_data(as_text=True)
    assert "Where customers asked for help" in page and "/=HYPERLINK(1)" in page
    assert "Where customers asked for help" in staff.get("/reports/").get_data(as_text=True)
    csv = staff.get("/reports/widget.csv").get_data(as_text=True)
    assert csv.splitlines()[1].startswith("/=HYPERLINK(1),1,")
    result = app.test_cli_runner().invoke(args=["report", "widget", "--format", "csv"])
    assert result.exit_code == 0 and "/=HYPERLINK(1),1," in result.output
