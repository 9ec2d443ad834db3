"""``flask report``: JSON to standard output or a file, CSV and XLSX files, and clear
errors with a non-zero exit for bad input, never a traceback."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from tests.reports.expected import EXPECTED

PERIOD = ["--from", "2023-05-15", "--to", "2023-11-14"]


def test_json_goes_to_standard_output(runner, report_data):
    result = runner.invoke(args=["report", *PERIOD, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED


def test_json_is_the_default_and_can_go_to_a_file(runner, report_data, tmp_path):
    path = tmp_path / "report.json"
    result = runner.invoke(args=["report", *PERIOD, "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text(encoding="utf-8")) == EXPECTED


def test_csv_is_a_zip_of_tables(runner, report_data, tmp_path):
    path = tmp_path / "report.zip"
    result = runner.invoke(args=["report", *PERIOD, "--format", "csv", "--output", str(path)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        assert "costs.csv" in archive.namelist()
        assert archive.read("costs.csv").decode().splitlines()[1] == "investigation,1550.50,4058.00"


def test_xlsx_without_output_gets_a_named_file(runner, report_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["report", *PERIOD, "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "feedback-report_2023-05-15_2023-11-14.xlsx"
    assert "Report written to feedback-report_2023-05-15_2023-11-14.xlsx" in result.output
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    assert workbook["learning_actions"]["B2"].value == 6


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2023-02-30", "--to", "2023-06-30"], "The start date must be a real date"),
    (["--from", "2023-04-01", "--to", "30/06/2023"], "The end date must be a real date"),
    (["--from", "2023-07-01", "--to", "2023-06-30"], "must end on or after its start"),
    (["--from", "2023-04-01", "--to", "2024-04-01"], "at most 12 months"),
])
def test_bad_input_is_refused_clearly(runner, app, args, message):
    result = runner.invoke(args=["report", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_missing_date_is_a_usage_error(runner, app):
    result = runner.invoke(args=["report", "--from", "2023-04-01"])
    assert result.exit_code == 2
    assert "--to" in result.output


def test_an_unwritable_output_is_refused_clearly(runner, report_data, tmp_path):
    result = runner.invoke(args=["report", *PERIOD, "--output", str(tmp_path / "no" / "r.json")])
    assert result.exit_code == 1
    assert "Could not write" in result.output
