"""Gap reports for support leads: what customers looked for and did not find, which articles
failed them, which translations are missing. Each report is a function of a Period returning a
Report; the web pages, the CSV/JSON downloads and `helpcenter report` all call the same one."""

from . import actions, articles, asked_from, demand, learned, outcomes  # noqa: F401 - each module registers its reports
from .report import REPORTS, Period, Report, ReportSettings, Table, run_report

__all__ = ["REPORTS", "Period", "Report", "ReportSettings", "Table", "run_report"]
