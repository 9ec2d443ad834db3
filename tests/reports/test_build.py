"""The whole report against the hand-worked data set (dataset.py, expected.py) and the
interchange contract (report.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from portal.services.procedures.calendars import current_calendar
from portal.services.reports import Period, build_report
from portal.services.procedures.working_days import Calendar
from tests.reports.expected import EXPECTED

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_SCHEMA = ROOT / "portal" / "data" / "report.schema.json"
SHARED_SCHEMA = ROOT.parent / "shared" / "interchange" / "report.schema.json"


def validate(report: dict) -> None:
    schema = json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)


@pytest.fixture
def report(report_data):
    return build_report(Period(report_data.START, report_data.END), current_calendar())


def test_every_figure_is_as_worked_out_by_hand(report):
    assert report == EXPECTED


def test_keys_come_in_the_order_of_report_md(report):
    assert json.dumps(report) == json.dumps(EXPECTED)


def test_the_report_keeps_to_the_schema(report):
    validate(report)


def test_every_by_quarter_list_aligns_with_the_quarters_and_sums_to_its_total(report):
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "by_quarter" in node:
                assert len(node["by_quarter"]) == len(report["quarters"])
                assert sum(node["by_quarter"]) == node["total"]
                found.append(node)
            for value in node.values():
                walk(value)

    walk(report)
    assert len(found) == 6 + 6 + 8 + 6


def test_the_extra_non_working_day_is_counted(report_data):
    """Without the administrator's 9 October, K9's Stage 1 was due 16 Oct and is late."""
    plain = build_report(Period(report_data.START, report_data.END), Calendar())
    assert plain["timeliness"]["stage1"]["in_time"] == {"by_quarter": [2, 1, 1], "total": 4}
    assert current_calendar().extra_non_working_days == {report_data.EXTRA_DAY}


def test_an_empty_database_gives_zeros_and_nulls_within_the_schema(app):
    report = build_report(Period.parse("2023-04-01", "2024-03-31"), current_calendar())
    validate(report)
    assert report["feedback_received"]["compliments"] == {"by_quarter": [0, 0, 0, 0], "total": 0}
    assert report["stage2_average_working_days"] == {"current": None, "previous": None}
    assert report["element_outcomes"]["stage3"] == dict.fromkeys(
        ["upheld", "partially_upheld", "not_upheld", "unable_to_determine", "withdrawn"], 0)
    assert report["costs"]["investigation"] == {"current": "0.00", "previous": "0.00"}


def test_a_five_quarter_period_keeps_to_the_schema(report_data):
    report = build_report(Period.parse("2023-05-15", "2024-05-14"), current_calendar())
    validate(report)
    assert [q["label"] for q in report["quarters"]] == ["Q1", "Q2", "Q3", "Q4", "Q1"]
    assert report["feedback_received"]["stage1"] == {"by_quarter": [2, 1, 3, 0, 0], "total": 6}


def test_report_md_example_keeps_to_the_schema():
    """The schema accepts REPORT.md's own example (a check on the shipped copy)."""
    shared = SHARED_SCHEMA.parent / "REPORT.md"
    if not shared.exists():
        pytest.skip("../shared is not here")
    text = shared.read_text(encoding="utf-8")
    example = json.loads(text.split("```json", 1)[1].split("```", 1)[0])
    validate(example)


def test_the_shipped_schema_is_the_shared_one():
    if not SHARED_SCHEMA.exists():
        pytest.skip("../shared is not here")
    assert SHIPPED_SCHEMA.read_bytes() == SHARED_SCHEMA.read_bytes()
