"""The annual reports as documents people read (the same ``document.Document`` the
six-monthly report is, so the page, the PDF and the spreadsheet draw them the same way):
the annual complaints performance and service improvement report, the statutory annual
report for the children's procedure (small numbers hidden, ``suppression``), and the
12-month summary of a children's home's complaints in the shape Ofsted asks for.

Each is made from figures the services count (``annual``, ``childrens_home``); nothing here
reads a case, and the statutory report and the home's summary name no one.
"""

from __future__ import annotations

import io
import re

from portal.services.common.labels import ElementOutcome, OmbudsmanDecision
from portal.services.common.spreadsheet_cells import safe_cell
from portal.services.common.text import plural
from portal.services.reports import suppression
from portal.services.reports.annual import year_text
from portal.services.reports.document import (
    Bullets, Document, Paragraph, Section, Table, percent, pounds, span_text,
)

PROCEDURE_NAMES = {"corporate": "Corporate complaints (the Complaint Handling Code)",
                   "statutory": "Children's social care complaints (the statutory procedure)"}
STAGE_HEAD = ["Stage", "Received", "Responded", "Within timescale", "Per cent within timescale", "Extended"]


def _stage_rows(stages: dict) -> list[list[str]]:
    return [[f"Stage {key[-1]}", str(f["received"]), str(f["responded"]), str(f["in_time"]),
             percent(f["in_time"], f["responded"]), str(f["extended"])] for key, f in stages.items()]


def annual_document(figures: dict) -> Document:
    year = figures["year"]
    stages, previous = figures["stages"], figures["previous_stages"]
    sections = []

    corporate = stages["corporate"]
    lead = [Paragraph(
        f"This report covers the financial year {year_text(year)}. Every figure is counted from the "
        "portal's own records: a complaint is counted at a stage by the date that stage began, and its "
        "response by the date it was sent.")]
    answered = sum(f["responded"] for f in corporate.values())
    timely = sum(f["in_time"] for f in corporate.values())
    lead.append(Bullets([
        f"{sum(f['received'] for f in corporate.values())} corporate complaints received at Stage 1 or 2 "
        f"({sum(f['received'] for f in previous['corporate'].values())} the year before).",
        f"{timely} of {answered} corporate responses ({percent(timely, answered)}) within the Code's timescales.",
        f"{figures['not_taken_on']} complaints not taken on under a complaints procedure.",
        f"{figures['learning']['completed']} learning actions completed in the year.",
    ]))
    sections.append(Section("summary", "Summary", lead))

    for procedure in ("corporate", "statutory"):
        parts = [Paragraph(
            "Within timescale means the response was sent by its due date, including any extension "
            "(never beyond the longest the procedure allows) and any pause.")]
        parts.append(Table(f"{procedure}-stages", f"{PROCEDURE_NAMES[procedure]}, {year_text(year)}",
                           STAGE_HEAD, _stage_rows(stages[procedure])))
        if procedure == "corporate":
            parts.append(Table(
                "corporate-acknowledged", "Corporate complaints acknowledged within 5 working days",
                ["Stage", "Received", "Acknowledged in time", "Per cent"],
                [[f"Stage {key[-1]}", str(f["received"]), str(f["acknowledged"]),
                  percent(f["acknowledged"], f["received"])] for key, f in corporate.items()]))
        parts.append(Table(
            f"{procedure}-last-year", f"{PROCEDURE_NAMES[procedure]}, the year before",
            STAGE_HEAD, _stage_rows(previous[procedure])))
        outcomes = figures["element_outcomes"][procedure]
        parts.append(Table(
            f"{procedure}-outcomes", "What was found on each point of complaint answered in the year",
            ["Outcome", "Points"], [[ElementOutcome.words_of(code), str(n)] for code, n in outcomes.items()],
            foot=["Total", str(sum(outcomes.values()))]))
        sections.append(Section(procedure, PROCEDURE_NAMES[procedure], parts))

    sections.append(Section("not-taken-on", "Complaints not taken on", [Paragraph(
        f"{figures['not_taken_on']} complaints (or requests for one) were not taken on under a complaints "
        "procedure by a decision made in the year: made more than 12 months after the events with no good "
        "reason, already decided, or for a tribunal, a court or another body. The reason is recorded with "
        "each decision, and the letter the portal offers for it gives the Ombudsman's details. Enquiries "
        "simply passed to another organisation are not counted here.")]))

    theme_rows = [[name, str(n)] for name, n in figures["themes"].items()]
    sections.append(Section("themes", "What complaints were about", [
        Paragraph("Stage 1 and Stage 2 complaints received in the year, by their main theme."),
        Table("themes-table", "Complaints by theme", ["Theme", "Complaints"], theme_rows,
              foot=["Total", str(sum(figures["themes"].values()))])]))

    remedy = figures["remedies"]
    sections.append(Section("remedies", "Putting things right", [Paragraph(
        f"{plural(remedy['payments'], 'financial remedy', 'financial remedies')} "
        f"{'was' if remedy['payments'] == 1 else 'were'} paid in the year, {pounds(remedy['amount'])} in all. "
        "Other remedies (apologies, a service provided, a decision looked at again) are recorded with "
        "each complaint's response.")]))

    learned = figures["learning"]
    parts = [Paragraph(
        f"{learned['raised']} learning actions were raised in the year and {learned['completed']} completed; "
        f"{learned['open_at_end']} were still open at the end of it.")]
    if learned["changes"]:
        parts.append(Table("changes", "What we changed", ["What we learned", "What changed"],
                           [[c["recommendation"], c["what_changed"] or "Not recorded"] for c in learned["changes"]],
                           text_columns=2))
    sections.append(Section("learning", "What we learned and changed", parts))

    decisions = figures["ombudsman"]
    sections.append(Section("ombudsman", "The Ombudsman's decisions", [
        Paragraph("Decisions the Local Government and Social Care Ombudsman made in the year on "
                  "complaints about us."),
        Table("ombudsman-decisions", "The Ombudsman's decisions", ["Decision", "Complaints"],
              [[OmbudsmanDecision.words_of(code), str(n)] for code, n in decisions.items()],
              foot=["Total", str(sum(decisions.values()))])]))

    response = figures["member_response"]
    sections.append(Section("member-response", "The response of the Member Responsible for Complaints", [
        Paragraph(paragraph) for paragraph in re.split(r"\n\s*\n", response.strip())
    ] if response else [Paragraph("Not yet written.")]))
    return Document("Annual complaints performance and service improvement report",
                    f"1 April {year} to 31 March {year + 1}", f"1 April {year - 1} to 31 March {year}", sections)


WHO = {"child": "Children and young people, care leavers, and advocates for them",
       "family": "Parents, carers and other family members",
       "other": "Others (professionals, foster carers and anyone else)"}


def statutory_document(figures: dict, threshold: int) -> Document:
    """The annual report of the children's procedure: counts only, small ones hidden."""
    year = figures["year"]
    stages = figures["stages"]["statutory"]
    hidden = suppression.HIDDEN.format(threshold=threshold)
    rows = []
    for key, f in stages.items():
        rows.append([f"Stage {key[-1]}", suppression.shown(f["received"], threshold),
                     suppression.shown(f["responded"], threshold),
                     suppression.part_of(f["in_time"], f["responded"], threshold),
                     suppression.part_of(f["extended"], f["responded"], threshold)])

    def counted(id, caption, first, mapping, words=lambda code: code):
        cells, total = suppression.column(list(mapping.values()), threshold)
        return Table(id, caption, [first, "Number"], [[words(code), cell] for code, cell in zip(mapping, cells)],
                     foot=["Total", total])

    sections = [
        Section("about", "About this report", [Paragraph(
            f"The annual report of complaints and representations made under the children's social care "
            f"complaints procedure in the financial year {year_text(year)}, as regulation 13 of the Children "
            f"Act 1989 Representations Procedure (England) Regulations 2006 asks. It holds numbers only. So "
            f"that no child or complainant can be recognised, any number from 1 to {threshold - 1} is shown "
            f"as \"{hidden}\". Where one such number could be worked out from a total or from another "
            f"figure, that other number is hidden too and shown as \"{suppression.WITHHELD}\".")]),
        Section("stages", "Complaints at each stage", [Table(
            "statutory-stages", f"Complaints at each stage, {year_text(year)}",
            ["Stage", "Received", "Responded", "Within timescale", "Extended"], rows)]),
        Section("who", "Who complained", [counted(
            "statutory-who", "Stage 1 complaints by who made them", "Who", figures["who"], WHO.get)]),
        Section("outcomes", "Outcomes", [counted(
            "statutory-outcomes", "What was found on each point of complaint", "Outcome",
            figures["element_outcomes"], ElementOutcome.words_of)]),
        Section("themes", "What complaints were about", [counted(
            "statutory-themes", "Stage 1 complaints by theme", "Theme", figures["themes"])]),
        Section("advocacy", "Advocacy", [Table(
            "statutory-advocacy", "Stage 1 complaints made by or for a child", ["", "Number"],
            [["Asked for an advocate", suppression.shown(figures["advocacy"]["requested"], threshold)]])]),
        Section("ombudsman", "The Ombudsman", [counted(
            "statutory-ombudsman", "The Ombudsman's decisions on children's social care complaints", "Decision",
            figures["ombudsman"], OmbudsmanDecision.words_of)]),
        Section("learning", "Learning", [Paragraph(
            f"Learning actions raised from these complaints in the year: "
            f"{suppression.shown(figures['learning']['raised'], threshold)}; completed: "
            f"{suppression.shown(figures['learning']['completed'], threshold)}.")]),
    ]
    return Document("Children's social care complaints: annual report", f"1 April {year} to 31 March {year + 1}",
                    "", sections)


OUTCOMES = {"upheld": "Upheld (at least one point)", "partially_upheld": "Partly upheld",
            "not_upheld": "Not upheld", "other": "Withdrawn or could not be decided",
            "open": "Not answered yet"}


def home_document(summary: dict) -> Document:
    """A children's home's complaints over 12 months, in the order Ofsted's questions come:
    how many, from whom, about what, how they ended, and how quickly."""
    period_text = span_text(summary["period"])
    sections = [
        Section("home", summary["home"], [Paragraph(
            f"Complaints and compliments about {summary['home']} received from {period_text}. Counts "
            "only: this summary names no child, family member or member of staff.")]),
        Section("complaints", "Complaints", [Table(
            "home-complaints", "Complaints received", ["", "Number"],
            [["Complaints received", str(summary["complaints"])],
             ["Made by a child living at the home, or for one", str(summary["from_children"])],
             ["Answered", str(summary["answered"])],
             ["Answered within timescale", str(summary["in_time"])],
             ["Went on to Stage 2 or 3", str(summary["escalated"])],
             ["Referred to the Ombudsman", str(summary["ombudsman"])]])]),
        Section("nature", "What the complaints were about", [Table(
            "home-themes", "Complaints by theme", ["Theme", "Complaints"],
            [[name, str(n)] for name, n in summary["themes"].items()],
            foot=["Total", str(summary["complaints"])])]),
        Section("outcomes", "How the complaints ended", [Table(
            "home-outcomes", "Outcome of each complaint at its last stage answered", ["Outcome", "Complaints"],
            [[OUTCOMES[code], str(n)] for code, n in summary["outcomes"].items()],
            foot=["Total", str(summary["complaints"])])]),
        Section("compliments", "Compliments", [Paragraph(f"{summary['compliments']} compliments received.")]),
    ]
    return Document("Complaints summary for the last 12 months", period_text, "", sections)


def to_xlsx(document: Document) -> bytes:
    """The document as a workbook: a first sheet with its title, period and text, then one
    sheet a table (named after the table), headings in bold, counts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Report"
    cover.append([document.title])
    cover["A1"].font = bold
    cover.append([document.period_text])
    for section in document.sections:
        cover.append([])
        cover.append([safe_cell(section.title)])
        cover.cell(cover.max_row, 1).font = bold
        for part in section.parts:
            if part.kind == "paragraph":
                cover.append([safe_cell(part.text)])
            elif part.kind == "bullets":
                for item in part.items:
                    cover.append([safe_cell(item)])
    cover.column_dimensions["A"].width = 100
    for table in (p for s in document.sections for p in s.parts if p.kind == "table"):
        name = table.id[:31]
        sheet = workbook.create_sheet(name)
        sheet.append([safe_cell(table.caption)])
        sheet["A1"].font = bold
        sheet.append([safe_cell(h) for h in table.head])
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows + ([table.foot] if table.foot else []):
            sheet.append([_cell(value, i >= table.text_columns) for i, value in enumerate(row)])
        if table.foot:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for i in range(len(table.head)):
            sheet.column_dimensions[chr(ord("A") + i)].width = 60 if i < table.text_columns else 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: str, numeric: bool):
    if numeric and re.fullmatch(r"\d{1,3}(,\d{3})*", value):
        return int(value.replace(",", ""))
    return safe_cell(value)

