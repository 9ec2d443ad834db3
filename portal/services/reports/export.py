"""The report as tables: a zip of CSV files (one a table) and an XLSX workbook (one sheet a
table), both made from the JSON form so that every format shows the same figures.

Tables and columns (quarter columns are headed "Q1 2023-04-01 to 2023-06-30", as a 12-month
period that does not start on a quarter's first day touches the same quarter twice):

- ``period``: which, from, to (the period and the previous period)
- ``feedback_received``: feedback, one column a quarter, total
- ``compliments_by_submitter_role``, ``compliments_by_team``: name, count
- ``initial_contacts``: measure, quarters, total
- ``complaints_received``: procedure, stage, quarters, total, previous
- ``complaints_from_young_people``: total, previous
- ``stage1_by_team``, ``stage1_by_theme``, ``stage2_by_team``, ``stage2_by_theme``: name, count
- ``timeliness``: stage, measure (concluded, in_time), quarters, total
- ``stage2_average_working_days``: current, previous (empty when there were no responses)
- ``element_outcomes``: outcome, stage1, stage2, stage3
- ``upheld_elements_by_theme``: stage, theme, count
- ``ombudsman``: outcome, count (the first row is ``received``)
- ``costs``: cost, current, previous (money with two decimals)
- ``restriction_letters``: current, previous
- ``learning_actions``: measure, count
- ``children``: measure, count (when given the figures of ``children.children_complaints``:
  by_young_people, advocate_offered, advocate_accepted, advocate_in_place, offered_rate,
  accepted_rate (whole percentages, empty when there is nothing to divide by), about_a_child)
- ``children_by_status``: status, count (each ``ChildStatus`` code, then ``none_recorded``)

CSV files are UTF-8 without a byte-order mark, comma separated, with a header row, and keep
these machine names and ISO dates (docs/reports.md): they are for other programs. The workbook
is for people: its sheets are named as the tables, but headings and the codes in cells are
the words the report uses (``stage1`` is "Stage 1", ``parent_or_carer`` "Parent or carer",
through ``readable``), dates are dates (cells with a date format), and money is a number
formatted with two decimals. Text that a spreadsheet would run as a formula (a team named
``=HYPERLINK(...)``) begins with an apostrophe in both (``portal.services.common.spreadsheet_cells``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from portal.services.common.dates import spoken
from portal.services.common.labels import ChildStatus, label
from portal.services.reports.document import (
    CONTACT_MEASURES,
    COSTS,
    FEEDBACK_TYPES,
    LEARNING_MEASURES,
    STAGES,
    quarter_head,
)
from portal.services.common.spreadsheet_cells import safe_cell

# A fixed timestamp keeps the zip the same for the same figures.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    money_columns: frozenset[int] = frozenset()


def _named(name: str, first: str, mapping: dict) -> Table:
    return Table(name, [first, "count"], [[key, value] for key, value in mapping.items()])


def tables(report: dict, children: dict | None = None) -> list[Table]:
    """The report's figures as the tables listed in this module's docstring, in that order
    (the children's tables only when given ``children``)."""
    quarters = [f"{q['label']} {q['from']} to {q['to']}" for q in report["quarters"]]

    def row(*lead, figure: dict, extra: tuple = ()) -> list:
        return [*lead, *figure["by_quarter"], figure["total"], *extra]

    result = [
        Table("period", ["which", "from", "to"], [
            ["period", report["period"]["from"], report["period"]["to"]],
            ["previous_period", report["previous_period"]["from"], report["previous_period"]["to"]],
        ]),
        Table("feedback_received", ["feedback", *quarters, "total"],
              [row(name, figure=figure) for name, figure in report["feedback_received"].items()]),
        _named("compliments_by_submitter_role", "submitter_role",
               report["compliments"]["by_submitter_role"]),
        _named("compliments_by_team", "team", report["compliments"]["by_team"]),
        Table("initial_contacts", ["measure", *quarters, "total"],
              [row(name, figure=figure) for name, figure in report["initial_contacts"].items()]),
        Table("complaints_received", ["procedure", "stage", *quarters, "total", "previous"], [
            row(procedure, stage, figure=figure, extra=(figure["previous"],))
            for procedure, stages in report["complaints_received"].items()
            for stage, figure in stages.items()
        ]),
        Table("complaints_from_young_people", ["total", "previous"], [[
            report["complaints_from_young_people"]["total"],
            report["complaints_from_young_people"]["previous"],
        ]]),
    ]
    for key in ("stage1_by_team", "stage1_by_theme", "stage2_by_team", "stage2_by_theme"):
        result.append(_named(key, "team" if key.endswith("team") else "theme", report[key]))
    average = report["stage2_average_working_days"]
    outcomes = report["element_outcomes"]
    ombudsman = report["ombudsman"]
    result += [
        Table("timeliness", ["stage", "measure", *quarters, "total"], [
            row(stage, measure, figure=figure)
            for stage, measures in report["timeliness"].items()
            for measure, figure in measures.items()
        ]),
        Table("stage2_average_working_days", ["current", "previous"],
              [[average["current"], average["previous"]]]),
        Table("element_outcomes", ["outcome", *outcomes], [
            [outcome, *(outcomes[stage][outcome] for stage in outcomes)]
            for outcome in outcomes["stage1"]
        ]),
        Table("upheld_elements_by_theme", ["stage", "theme", "count"], [
            [stage, theme, count]
            for stage, themes in report["upheld_elements_by_theme"].items()
            for theme, count in themes.items()
        ]),
        Table("ombudsman", ["outcome", "count"],
              [["received", ombudsman["received"]], *ombudsman["by_outcome"].items()]),
        Table("costs", ["cost", "current", "previous"], [
            [name, pair["current"], pair["previous"]] for name, pair in report["costs"].items()
        ], money_columns=frozenset({1, 2})),
        Table("restriction_letters", ["current", "previous"], [[
            report["restriction_letters"]["current"], report["restriction_letters"]["previous"],
        ]]),
        Table("learning_actions", ["measure", "count"],
              [[name, count] for name, count in report["learning_actions"].items()]),
    ]
    if children is not None:
        result += [
            Table("children", ["measure", "count"],
                  [[name, value] for name, value in children.items() if not isinstance(value, dict)
                   and name != "no_status_recorded"]),
            Table("children_by_status", ["status", "count"],
                  [*children["by_status"].items(), ["none_recorded", children["no_status_recorded"]]]),
        ]
    for table in result:
        table.rows = [list(r) for r in table.rows]
    return result


def _csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(heading) for heading in table.header])
    for values in table.rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in values])
    return out.getvalue()


def to_csv_zip(report: dict, children: dict | None = None) -> bytes:
    """A zip holding one CSV file a table, named ``<table>.csv``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables(report, children):
            info = zipfile.ZipInfo(f"{table.name}.csv", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _csv_text(table).encode("utf-8"))
    return buffer.getvalue()


# --- The workbook's words ----------------------------------------------------------------

HEADINGS = {
    "which": "Period", "from": "From", "to": "To", "feedback": "Feedback", "total": "Total",
    "count": "Number", "submitter_role": "Who sent it", "team": "Team", "theme": "Theme",
    "measure": "Measure", "procedure": "Procedure", "stage": "Stage", "outcome": "Outcome",
    "cost": "Cost", "status": "Circumstances", "current": "This period", "previous": "Same period last year", **STAGES,
}
PERIODS = {"period": "This period", "previous_period": "Same period last year"}
PROCEDURE_NAMES = {"statutory": "Statutory", "corporate": "Corporate", "all": "All complaints"}
TIMELINESS_MEASURES = {"concluded": "Responses sent", "in_time": "Sent in time"}
OMBUDSMAN_ROWS = {"received": "Enquiries received"}
CHILDREN_MEASURES = {
    "by_young_people": "Stage 1 complaints by young people", "advocate_offered": "An advocate was offered",
    "advocate_accepted": "An advocate was accepted", "advocate_in_place": "An advocate was in place",
    "offered_rate": "Offered rate (%)", "accepted_rate": "Accepted rate (%)",
    "about_a_child": "Stage 1 complaints about a child",
}
# Per table, the columns that hold codes and the words for them; other columns hold names
# people gave (teams, themes), numbers or dates, and stay as they are.
CODES = {
    "period": {0: PERIODS},
    "feedback_received": {0: FEEDBACK_TYPES},
    "compliments_by_submitter_role": {0: label},
    "initial_contacts": {0: CONTACT_MEASURES},
    "complaints_received": {0: PROCEDURE_NAMES, 1: STAGES},
    "timeliness": {0: STAGES, 1: TIMELINESS_MEASURES},
    "element_outcomes": {0: label},
    "upheld_elements_by_theme": {0: STAGES},
    "ombudsman": {0: lambda code: OMBUDSMAN_ROWS.get(code) or label(code)},
    "costs": {0: COSTS},
    "learning_actions": {0: LEARNING_MEASURES},
    "children": {0: CHILDREN_MEASURES},
    "children_by_status": {0: lambda code: "None recorded" if code == "none_recorded" else ChildStatus.words_of(code)},
}
DATE_COLUMNS = {"period": (1, 2)}
DATE_FORMAT = "d mmmm yyyy"


def _words(words, code):
    if code is None:
        return None
    return words(code) if callable(words) else words.get(code, label(code))


def readable(table: Table, report: dict) -> Table:
    """``table`` as people read it: headings and codes in words, dates as dates."""
    quarters = {f"{q['label']} {q['from']} to {q['to']}": quarter_head(q) for q in report["quarters"]}
    codes, dates = CODES.get(table.name, {}), DATE_COLUMNS.get(table.name, ())
    header = [quarters.get(h) or HEADINGS.get(h) or label(h) for h in table.header]
    rows = [[_words(codes[i], value) if i in codes
             else date.fromisoformat(value) if i in dates and value else value
             for i, value in enumerate(values)] for values in table.rows]
    return Table(table.name, header, rows, table.money_columns)


def to_xlsx(report: dict, children: dict | None = None) -> bytes:
    """An XLSX workbook with one sheet a table, named after the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in (readable(t, report) for t in tables(report, children)):
        sheet = workbook.create_sheet(table.name)  # every name is under Excel's 31 characters
        sheet.append([safe_cell(heading) for heading in table.header])
        for cell in sheet[1]:
            cell.font = bold
        for values in table.rows:
            sheet.append([
                Decimal(value) if i in table.money_columns else safe_cell(value)
                for i, value in enumerate(values)
            ])
        for column in table.money_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = "0.00"
        for column in DATE_COLUMNS.get(table.name, ()):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        for letter, width in _widths(table).items():
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(table: Table) -> dict[str, int]:
    from openpyxl.utils import get_column_letter

    widths = {}
    for index, heading in enumerate(table.header):
        longest = max([len(str(heading))] + [len(_shown(r[index])) for r in table.rows if r[index] is not None])
        widths[get_column_letter(index + 1)] = min(max(10, longest + 2), 60)
    return widths


def _shown(value) -> str:
    return spoken(value) if isinstance(value, date) else str(value)
