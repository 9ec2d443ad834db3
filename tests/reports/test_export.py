"""The CSV zip and the XLSX workbook show exactly the JSON's figures."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.services.procedures.calendars import current_calendar
from portal.services.reports import Period, build_report
from portal.services.reports.export import tables, to_csv_zip, to_xlsx
from tests.reports.expected import EXPECTED

TABLES = [
    "period", "feedback_received", "compliments_by_submitter_role", "compliments_by_team",
    "initial_contacts", "complaints_received", "complaints_from_young_people", "stage1_by_team",
    "stage1_by_theme", "stage2_by_team", "stage2_by_theme", "timeliness",
    "stage2_average_working_days", "element_outcomes", "upheld_elements_by_theme", "ombudsman",
    "costs", "restriction_letters", "learning_actions",
]
QUARTERS = ["Q1 2023-05-15 to 2023-06-30", "Q2 2023-07-01 to 2023-09-30",
            "Q3 2023-10-01 to 2023-11-14"]


@pytest.fixture
def report(report_data):
    return build_report(Period(report_data.START, report_data.END), current_calendar())


@pytest.fixture
def csvs(report):
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        return {
            name.removesuffix(".csv"): list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
        }


@pytest.fixture
def sheets(report):
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets}


def test_one_csv_file_and_one_sheet_a_table(csvs, sheets):
    assert list(csvs) == TABLES
    assert list(sheets) == TABLES


def test_the_tables_hold_the_reports_figures(report):
    by_name = {t.name: t for t in tables(report)}
    assert by_name["feedback_received"].header == ["feedback", *QUARTERS, "total"]
    assert by_name["feedback_received"].rows[2] == ["stage1", 2, 1, 3, 6]
    assert by_name["complaints_received"].rows[0] == ["statutory", "stage1", 2, 0, 0, 2, 1]


def rows_from_json(report: dict) -> dict[str, list[list]]:
    """Every table worked out again from the JSON, independently of export.tables."""
    quarters = lambda f: [*f["by_quarter"], f["total"]]  # noqa: E731
    named = lambda m: [[k, v] for k, v in m.items()]  # noqa: E731
    outcomes = report["element_outcomes"]
    return {
        "period": [["period", "2023-05-15", "2023-11-14"],
                   ["previous_period", "2022-05-15", "2022-11-14"]],
        "feedback_received": [[k, *quarters(v)] for k, v in report["feedback_received"].items()],
        "compliments_by_submitter_role": named(report["compliments"]["by_submitter_role"]),
        "compliments_by_team": named(report["compliments"]["by_team"]),
        "initial_contacts": [[k, *quarters(v)] for k, v in report["initial_contacts"].items()],
        "complaints_received": [[p, s, *quarters(v), v["previous"]]
                                for p, stages in report["complaints_received"].items()
                                for s, v in stages.items()],
        "complaints_from_young_people": [[2, 1]],
        "stage1_by_team": named(report["stage1_by_team"]),
        "stage1_by_theme": named(report["stage1_by_theme"]),
        "stage2_by_team": named(report["stage2_by_team"]),
        "stage2_by_theme": named(report["stage2_by_theme"]),
        "timeliness": [[s, m, *quarters(v)] for s, ms in report["timeliness"].items()
                       for m, v in ms.items()],
        "stage2_average_working_days": [[37.0, 1.3]],
        "element_outcomes": [[o, outcomes["stage1"][o], outcomes["stage2"][o], outcomes["stage3"][o]]
                             for o in outcomes["stage1"]],
        "upheld_elements_by_theme": [[s, t, n] for s, m in report["upheld_elements_by_theme"].items()
                                     for t, n in m.items()],
        "ombudsman": [["received", 4], *named(report["ombudsman"]["by_outcome"])],
        "costs": [["investigation", "1550.50", "4058.00"], ["financial_remedies", "800.00", "0.00"]],
        "restriction_letters": [[3, 1]],
        "learning_actions": named(report["learning_actions"]),
    }


def test_csv_files_match_the_json(report, csvs):
    assert report == EXPECTED
    expected = rows_from_json(report)
    for name, rows in expected.items():
        assert csvs[name][1:] == [[str(v) for v in row] for row in rows], name
    assert csvs["feedback_received"][0] == ["feedback", *QUARTERS, "total"]
    assert csvs["costs"][0] == ["cost", "current", "previous"]


def test_xlsx_cells_match_the_json(report, sheets):
    """The workbook's figures are the JSON's, cell for cell (its words are tested below)."""
    expected = rows_from_json(report)
    for name, rows in expected.items():
        got = sheets[name][1:]
        if name == "costs":  # money is a number with two decimals in the workbook
            got = [[row[0], *(f"{Decimal(str(v)):.2f}" for v in row[1:])] for row in got]
        numbers = lambda table: [[v for v in row if not isinstance(v, (str, datetime))] for row in table]  # noqa: E731
        assert numbers(got) == numbers(rows), name
        assert len(got) == len(rows), name


def test_the_workbook_says_what_people_read_not_codes(sheets):
    # Issue 13: the workbook showed "stage1", "parent_or_carer" and "previous_period".
    sheets = {name: [tuple(row) for row in rows] for name, rows in sheets.items()}
    assert sheets["feedback_received"][0] == (
        "Feedback", "Q1 (15 May to 30 June 2023)", "Q2 (1 July to 30 September 2023)",
        "Q3 (1 October to 14 November 2023)", "Total")
    assert [row[0] for row in sheets["feedback_received"][1:]] == [
        "Compliments", "Initial contacts", "Stage 1 complaints", "Stage 2 complaints", "Stage 3 complaints",
        "Ombudsman enquiries"]
    assert sheets["compliments_by_submitter_role"] == [
        ("Who sent it", "Number"), ("Child or young person", 1), ("Parent or carer", 2), ("Professional", 1)]
    assert sheets["complaints_received"][0][:2] == ("Procedure", "Stage")
    assert sheets["complaints_received"][1] == ("Statutory", "Stage 1", 2, 0, 0, 2, 1)
    assert sheets["timeliness"][2][:2] == ("Stage 1", "Sent in time")
    assert sheets["element_outcomes"][:3] == [
        ("Outcome", "Stage 1", "Stage 2", "Stage 3"), ("Upheld", 5, 2, 1), ("Partially upheld", 1, 1, 0)]
    assert sheets["ombudsman"][1:3] == [("Enquiries received", 4), ("Upheld", 1)]
    assert [row[0] for row in sheets["costs"]] == ["Cost", "Investigating complaints", "Financial remedies paid"]
    assert sheets["learning_actions"][1] == ("Raised in the period", 6)
    # Team and theme names are kept as people typed them.
    assert sheets["stage2_by_theme"] == [("Theme", "Number"), ("SEND", 2)]
    codes = [(name, value) for name, rows in sheets.items() for row in rows for value in row
             if isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+|stage\d|[a-z]+", value)]
    assert codes == []


def test_the_workbooks_dates_are_dates(report):
    sheet = load_workbook(io.BytesIO(to_xlsx(report)))["period"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Period", "From", "To"],
        ["This period", datetime(2023, 5, 15), datetime(2023, 11, 14)],
        ["Same period last year", datetime(2022, 5, 15), datetime(2022, 11, 14)],
    ]
    assert all(cell.is_date and cell.number_format == "d mmmm yyyy" for row in sheet["B2:C3"] for cell in row)


def test_the_csv_keeps_the_documented_machine_names_and_iso_dates(csvs):
    # docs/reports.md: the CSV is the JSON's figures under the JSON's names, for programs.
    assert csvs["period"][1] == ["period", "2023-05-15", "2023-11-14"]
    assert csvs["compliments_by_submitter_role"][1:] == [
        ["child_or_young_person", "1"], ["parent_or_carer", "2"], ["professional", "1"]]
    assert csvs["complaints_received"][1][:2] == ["statutory", "stage1"]


def test_xlsx_money_cells_show_two_decimals(report):
    sheet = load_workbook(io.BytesIO(to_xlsx(report)))["costs"]
    assert sheet["B2"].value == pytest.approx(1550.5)
    assert sheet["B2"].number_format == "0.00"


def test_no_average_is_an_empty_cell(app):
    report = build_report(Period.parse("2023-04-01", "2023-04-30"), current_calendar())
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        assert archive.read("stage2_average_working_days.csv").decode() == "current,previous\r\n,\r\n"
    sheet = load_workbook(io.BytesIO(to_xlsx(report)))["stage2_average_working_days"]
    assert [c.value for c in sheet[2]] == [None, None]


def test_the_zip_is_the_same_for_the_same_figures(report):
    assert to_csv_zip(report) == to_csv_zip(report)


FORMULA = '=HYPERLINK("https://evil.example/","Open")'


def test_a_team_named_like_a_formula_is_plain_text_in_both_files(app, report_data):
    """Issue 14, item 12: the team's name became a live formula in the XLSX and was
    written as it was in the CSV."""
    from portal.extensions import db
    from portal.models import Team

    team = db.session.scalars(db.select(Team).where(Team.name == "Fostering Team")).one()
    team.name = FORMULA
    db.session.commit()
    report = build_report(Period(report_data.START, report_data.END), current_calendar())

    with zipfile.ZipFile(io.BytesIO(to_csv_zip(report))) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("compliments_by_team.csv").decode("utf-8"))))
    assert ["'" + FORMULA, "2"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)

    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    cells = [cell for row in workbook["compliments_by_team"].iter_rows() for cell in row]
    named = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert [cell.value for cell in named] == ["'" + FORMULA]
    assert all(cell.data_type != "f" for cell in cells)
