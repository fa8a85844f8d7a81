"""Every report runs from the command line, in every format, on data with every kind of record
(a reason label on a vote or request once made `report articles` crash outside a request)."""

import csv
import io
import json

import pytest

from helpcenter.reports.report import REPORTS


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_runs_from_the_cli_in_every_format(app, every_kind_of_record, name):
    runner = app.test_cli_runner()
    outputs = {}
    for output in ("text", "csv", "json"):
        result = runner.invoke(args=["report", name, "--format", output])
        assert result.exit_code == 0, (output, result.output, result.exception)
        outputs[output] = result.output
    data = json.loads(outputs["json"])
    assert data["report"] == name and data["tables"]
    header = next(csv.reader(io.StringIO(outputs["csv"])))
    assert header == list(data["tables"][0]["rows"][0]) if data["tables"][0]["rows"] else header


def test_reason_labels_are_english_in_the_cli(app, every_kind_of_record):
    runner = app.test_cli_runner()
    articles = runner.invoke(args=["report", "articles"]).output
    assert "The steps did not work: 3" in articles
    requests = runner.invoke(args=["report", "requests", "--format", "csv"]).output
    assert "It is hard to understand" in requests


def test_operator_commands_take_a_digest_mail_in_the_outbox(app, every_kind_of_record):
    runner = app.test_cli_runner()
    pending = runner.invoke(args=["requests", "--pending"])
    assert pending.exit_code == 0, pending.output
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'channel="digest"' in metrics
