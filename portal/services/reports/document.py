"""The report as a document people read: its sections in the order of the six-monthly report
(highlights, feedback received, compliments, initial contacts, complaints received, Stage 1,
timeliness, element outcomes, Stage 2, the Ombudsman, costs and remedies, letters about
persistent contact, learning), each a list of paragraphs, tables and charts made from the
report's JSON (``build.build_report``), so that the page, the PDF and the JSON always agree.

Every chart has a table of its figures and a sentence that says what it shows. Numbers are
written as the service computed them: percentages rounded half up (``counting.percentage``),
money as pounds with two decimals and thousands separators ("£1,300.00").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Team
from portal.services.common.dates import spoken
from portal.services.common.labels import label
from portal.services.common.text import plural
from portal.services.reports import charts
from portal.services.reports.counting import NOT_RECORDED, percentage
from portal.services.reports.period import Period

FEEDBACK_TYPES = {
    "compliments": "Compliments",
    "initial_contacts": "Initial contacts",
    "stage1": "Stage 1 complaints",
    "stage2": "Stage 2 complaints",
    "stage3": "Stage 3 complaints",
    "ombudsman": "Ombudsman enquiries",
}
CONTACT_MEASURES = {
    "received": "Received",
    "resolved": "Resolved as an initial contact",
    "progressed": "Progressed to Stage 1",
    "withdrawn": "Withdrawn",
    "referred": "Referred elsewhere",
    "open": "Still open",
}
PROCEDURES = {
    "statutory": "Children's social care (statutory) complaints received",
    "corporate": "Corporate complaints received",
    "all": "All complaints received",
}
STAGES = {"stage1": "Stage 1", "stage2": "Stage 2", "stage3": "Stage 3"}
COSTS = {"investigation": "Investigating complaints", "financial_remedies": "Financial remedies paid"}
LEARNING_MEASURES = {"raised": "Raised in the period", "completed": "Completed by the end of the period",
                     "open": "Still open at the end of the period", "overdue": "Open and past their due date"}
EXAMPLES_SHOWN = 10


# --- Pieces of a section -------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Bullets:
    items: list[str]
    kind: str = "bullets"


@dataclass
class Table:
    """A table whose first column heads its rows and whose other columns are numbers."""

    id: str
    caption: str
    head: list[str]
    rows: list[list[str]]
    foot: list[str] | None = None
    text_columns: int = 1  # the first columns hold words; the rest are numbers
    kind: str = "table"


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    alt: str  # what the image is, and where its figures are
    summary: str  # what it shows, in words
    table: Table
    kind: str = "chart"

    @property
    def src(self) -> str:
        return charts.data_uri(self.svg)


@dataclass
class Quotes:
    """Compliments in the words staff cleared for sharing, under the team they were about."""

    examples: list[tuple[str, str]]
    kind: str = "quotes"


@dataclass
class Section:
    id: str
    title: str
    parts: list = field(default_factory=list)


@dataclass
class Document:
    title: str
    period_text: str
    previous_text: str
    sections: list[Section]


# --- Words and numbers ----------------------------------------------------------------


def day_text(value: str | date) -> str:
    return spoken(date.fromisoformat(value) if isinstance(value, str) else value)


def span_text(span: dict) -> str:
    return f"{day_text(span['from'])} to {day_text(span['to'])}"


def quarter_head(quarter: dict) -> str:
    start, end = date.fromisoformat(quarter["from"]), date.fromisoformat(quarter["to"])
    return f"{quarter['label']} ({start.day} {start:%B} to {end.day} {end:%B %Y})"


def pounds(amount: str) -> str:
    """REPORT.md's money string as pounds: "1300.00" -> "£1,300.00"."""
    return f"£{Decimal(amount):,.2f}"


def percent(part: int, whole: int, places: int = 0) -> str:
    value = percentage(part, whole, places)
    return "n/a" if value is None else f"{value}%"


def change(current: int, previous: int) -> str:
    difference = current - previous
    return f"{difference:+d}" if difference else "0"


def _named_rows(mapping: dict) -> list[list[str]]:
    return [[name, str(count)] for name, count in mapping.items()]


def _themes_summary(mapping: dict, what: str) -> str:
    if not mapping:
        return f"No {what} were received in the period."
    ranked = list(mapping.items())
    text = f"The most common theme was {ranked[0][0]} ({ranked[0][1]})"
    if len(ranked) > 1:
        text += ", then " + ", ".join(f"{name} ({count})" for name, count in ranked[1:3])
    return text + "."


def _bars_chart(id: str, title: str, mapping: dict, xlabel: str, what: str, table: Table) -> Chart:
    return Chart(
        id=id, title=title,
        svg=charts.horizontal_bars(list(mapping), list(mapping.values()), xlabel),
        alt=f"Bar chart: {title.lower()}. The figures are in the table beside it.",
        summary=_themes_summary(mapping, what), table=table,
    )


# --- The sections ---------------------------------------------------------------------


def compliment_examples(period: Period, limit: int = EXAMPLES_SHOWN) -> list[tuple[str, str]]:
    """Compliments received in the period whose sender agreed to share them, in the
    anonymised wording staff cleared (``Feedback.anonymised_text``), never the summary as
    received; with the team each was about, oldest first."""
    rows = db.session.execute(
        select(Team.name, Feedback.anonymised_text)
        .outerjoin(Team, Feedback.team_id == Team.id)
        .where(
            Feedback.kind == "compliment",
            Feedback.publish_consent.is_(True),
            Feedback.anonymised_text.is_not(None),
            Feedback.anonymised_text != "",
            Feedback.received_on.between(period.start, period.end),
        )
        .order_by(Feedback.received_on, Feedback.id)
        .limit(limit)
    ).tuples().all()
    return [(team or NOT_RECORDED, text) for team, text in rows]


def build_document(report: dict, examples: list[tuple[str, str]], children: dict | None = None) -> Document:
    """The readable report for ``report`` (REPORT.md's JSON) and compliment ``examples``,
    with the section on children's complaints when given their figures
    (``children.children_complaints``)."""
    quarters = [quarter_head(q) for q in report["quarters"]]
    return Document(
        title="Customer feedback report",
        period_text=span_text(report["period"]),
        previous_text=span_text(report["previous_period"]),
        sections=[
            _highlights(report),
            _feedback_received(report, quarters),
            _compliments(report, examples),
            _initial_contacts(report, quarters),
            _complaints_received(report, quarters),
            _stage1(report),
            _timeliness(report, quarters),
            _element_outcomes(report),
            _stage2(report),
            _ombudsman(report),
            _costs(report),
            _letters(report),
            _learning(report),
            *([_children(children)] if children is not None else []),
        ],
    )


def _highlights(report: dict) -> Section:
    received = report["feedback_received"]
    contacts = report["initial_contacts"]
    complaints = report["complaints_received"]["all"]
    now = sum(stage["total"] for stage in complaints.values())
    before = sum(stage["previous"] for stage in complaints.values())
    stage1 = report["timeliness"]["stage1"]
    items = [
        f"{plural(received['compliments']['total'], 'compliment')} received.",
        f"{contacts['resolved']['total']} of {plural(contacts['received']['total'], 'initial contact')} "
        f"({percent(contacts['resolved']['total'], contacts['received']['total'])}) resolved without "
        "a formal complaint.",
        f"{plural(now, 'complaint')} received across all stages, compared with {before} in the same "
        "period a year earlier.",
    ]
    if stage1["concluded"]["total"]:
        items.append(
            f"{stage1['in_time']['total']} of {stage1['concluded']['total']} Stage 1 responses "
            f"({percent(stage1['in_time']['total'], stage1['concluded']['total'])}) were sent within "
            "the timescale."
        )
    average = report["stage2_average_working_days"]
    if average["current"] is not None:
        items.append(
            f"Stage 2 complaints took {average['current']} working days on average"
            + (f", compared with {average['previous']} a year earlier." if average["previous"] is not None else ".")
        )
    learning = report["learning_actions"]
    items.append(f"{plural(learning['raised'], 'learning action')} raised, "
                 f"{learning['completed']} completed by the end of the period.")
    return Section("highlights", "Highlights", [Bullets(items)])


def _feedback_received(report: dict, quarters: list[str]) -> Section:
    received = report["feedback_received"]
    table = Table(
        "table-feedback-received", "Feedback received by type and quarter",
        ["Type of feedback", *quarters, "Total"],
        [[FEEDBACK_TYPES[key], *map(str, figure["by_quarter"]), str(figure["total"])]
         for key, figure in received.items()],
    )
    short = [q["label"] for q in report["quarters"]]
    series = [
        (f"{label_} ({i + 1})" if short.count(label_) > 1 else label_,
         [figure["by_quarter"][i] for figure in received.values()])
        for i, label_ in enumerate(short)
    ]
    totals = ", ".join(f"{FEEDBACK_TYPES[key].lower()} {figure['total']}" for key, figure in received.items())
    chart = Chart(
        "chart-feedback-received", "Feedback received by type and quarter",
        charts.grouped_bars(["Compliments", "Initial\ncontacts", "Stage 1", "Stage 2", "Stage 3", "Ombudsman"],
                            series, "Number received"),
        alt="Bar chart of feedback received by type, one bar a quarter. The figures are in the table beside it.",
        summary=f"In the period as a whole: {totals}.", table=table,
    )
    return Section("feedback-received", "Feedback received", [
        Paragraph("Each kind of feedback received in each financial quarter of the period. "
                  "Complaints are counted at each stage from the date that stage's clock started."),
        chart,
    ])


def _compliments(report: dict, examples: list[tuple[str, str]]) -> Section:
    section = report["compliments"]
    parts = [
        Paragraph(f"{plural(section['total'], 'compliment')} received in the period."),
        Table("table-compliments-by-role", "Compliments by who sent them", ["Sent by", "Number"],
              [[label(role), str(count)] for role, count in section["by_submitter_role"].items()]),
        Table("table-compliments-by-team", "Compliments by team", ["Team", "Number"],
              _named_rows(section["by_team"])),
    ]
    if examples:
        parts += [Paragraph("Some of the compliments, in words their senders agreed to share:"),
                  Quotes(examples)]
    else:
        parts.append(Paragraph("No compliment from this period has wording cleared for sharing."))
    return Section("compliments", "Compliments", parts)


def _initial_contacts(report: dict, quarters: list[str]) -> Section:
    contacts = report["initial_contacts"]
    received = contacts["received"]["total"]
    table = Table(
        "table-initial-contacts", "Initial contacts by quarter and outcome",
        ["Initial contacts", *quarters, "Total", "% of received"],
        [[CONTACT_MEASURES[key], *map(str, figure["by_quarter"]), str(figure["total"]),
          percent(figure["total"], received)] for key, figure in contacts.items()],
    )
    return Section("initial-contacts", "Initial contacts", [
        Paragraph(f"{plural(received, 'initial contact')} received; "
                  f"{contacts['resolved']['total']} ({percent(contacts['resolved']['total'], received)}) were "
                  f"resolved informally and {contacts['progressed']['total']} "
                  f"({percent(contacts['progressed']['total'], received)}) progressed to a Stage 1 complaint. "
                  "Each is counted under its outcome today."),
        table,
    ])


def _complaints_received(report: dict, quarters: list[str]) -> Section:
    parts: list = [Paragraph(
        f"Complaints received at each stage, by procedure, compared with the same dates a year "
        f"earlier ({span_text(report['previous_period'])}).")]
    for procedure, stages in report["complaints_received"].items():
        rows = [[STAGES[stage], *map(str, figure["by_quarter"]), str(figure["total"]),
                 str(figure["previous"]), change(figure["total"], figure["previous"])]
                for stage, figure in stages.items()]
        total = sum(f["total"] for f in stages.values())
        previous = sum(f["previous"] for f in stages.values())
        by_quarter = [sum(f["by_quarter"][i] for f in stages.values()) for i in range(len(quarters))]
        parts.append(Table(
            f"table-complaints-{procedure}", PROCEDURES[procedure],
            ["Stage", *quarters, "Total", "Same period last year", "Change"], rows,
            foot=["All stages", *map(str, by_quarter), str(total), str(previous), change(total, previous)],
        ))
    young = report["complaints_from_young_people"]
    parts.append(Paragraph(
        f"{plural(young['total'], 'Stage 1 complaint')} came from children, young people or care "
        f"leavers, compared with {young['previous']} a year earlier."))
    return Section("complaints-received", "Complaints received", parts)


def _by_team_table(id: str, caption: str, mapping: dict) -> Table:
    total = sum(mapping.values())
    return Table(
        id, caption, ["Team", "Number", "% of the stage's complaints"],
        [[name, str(count), percent(count, total, 1)] for name, count in mapping.items()],
        foot=["Total", str(total), "100.0%" if total else "n/a"],
    )


def _stage1(report: dict) -> Section:
    themes = report["stage1_by_theme"]
    theme_table = Table("table-stage1-themes", "Stage 1 complaints by theme", ["Theme", "Number"],
                        _named_rows(themes))
    return Section("stage1", "Stage 1 complaints", [
        Paragraph("Stage 1 complaints received in the period, both procedures, by the team and theme "
                  "of the stage (else of the record)."),
        _by_team_table("table-stage1-teams", "Stage 1 complaints by team", report["stage1_by_team"]),
        _bars_chart("chart-stage1-themes", "Stage 1 complaints by theme", themes, "Complaints",
                    "Stage 1 complaints", theme_table),
    ])


def _timeliness(report: dict, quarters: list[str]) -> Section:
    def cell(in_time: int, concluded: int) -> str:
        if not concluded:
            return "None concluded"
        return f"{percent(in_time, concluded)} ({in_time} of {concluded})"

    rows = []
    for stage, measures in report["timeliness"].items():
        done, timely = measures["concluded"], measures["in_time"]
        rows.append([STAGES[stage],
                     *(cell(t, c) for t, c in zip(timely["by_quarter"], done["by_quarter"])),
                     cell(timely["total"], done["total"])])
    return Section("timeliness", "Timeliness", [
        Paragraph("Responses sent in the period, by the quarter of the response: the share sent "
                  "within the timescale, allowing for agreed extensions and pauses."),
        Table("table-timeliness", "Responses sent within the timescale", ["Stage", *quarters, "Overall"], rows),
    ])


def _element_outcomes(report: dict) -> Section:
    outcomes = report["element_outcomes"]
    names = list(outcomes["stage1"])
    totals = {stage: sum(values.values()) for stage, values in outcomes.items()}
    head = ["Outcome"]
    for stage in outcomes:
        head += [f"{STAGES[stage]} elements", f"{STAGES[stage]} %"]
    rows = [[label(name), *[v for stage in outcomes
                            for v in (str(outcomes[stage][name]), percent(outcomes[stage][name], totals[stage]))]]
            for name in names]
    foot = ["Total", *[v for stage in outcomes for v in (str(totals[stage]), "100%" if totals[stage] else "n/a")]]
    table = Table("table-element-outcomes", "Outcomes of complaint elements", head, rows, foot=foot)
    summary = " ".join(
        f"{STAGES[stage]}: {totals[stage]} elements, "
        + ", ".join(f"{outcomes[stage][name]} {label(name).lower()}" for name in names) + "."
        for stage in outcomes
    )
    chart = Chart(
        "chart-element-outcomes", "Outcomes of complaint elements",
        charts.grouped_bars([label(n).replace(" ", "\n", 1) for n in names],
                            [(STAGES[stage], list(outcomes[stage].values())) for stage in outcomes],
                            "Elements"),
        alt="Bar chart of the outcomes of complaint elements, one bar a stage. The figures are in the table beside it.",
        summary=summary, table=table,
    )
    upheld = report["upheld_elements_by_theme"]
    return Section("element-outcomes", "Outcomes of complaint elements", [
        Paragraph("Each complaint is answered point by point; these are the outcomes of the points "
                  "(elements) in responses sent in the period."),
        chart,
        Table("table-upheld-by-theme", "Upheld elements by theme", ["Stage", "Theme", "Number"],
              [[STAGES[stage], theme, str(count)] for stage, themes in upheld.items()
               for theme, count in themes.items()], text_columns=2),
    ])


def _stage2(report: dict) -> Section:
    themes = report["stage2_by_theme"]
    average = report["stage2_average_working_days"]
    theme_table = Table("table-stage2-themes", "Stage 2 complaints by theme", ["Theme", "Number"],
                        _named_rows(themes))
    if average["current"] is None:
        words = "No Stage 2 response was sent in the period."
    else:
        words = f"Stage 2 responses sent in the period took {average['current']} working days on average"
        words += (f", compared with {average['previous']} a year earlier." if average["previous"] is not None
                  else "; none was sent in the same period a year earlier.")
    return Section("stage2", "Stage 2 complaints", [
        _by_team_table("table-stage2-teams", "Stage 2 complaints by team", report["stage2_by_team"]),
        _bars_chart("chart-stage2-themes", "Stage 2 complaints by theme", themes, "Complaints",
                    "Stage 2 complaints", theme_table),
        Paragraph(words),
        Table("table-stage2-average", "Average working days to answer at Stage 2",
              ["Period", "Working days"],
              [["This period", "n/a" if average["current"] is None else str(average["current"])],
               ["Same period last year", "n/a" if average["previous"] is None else str(average["previous"])]]),
    ])


def _ombudsman(report: dict) -> Section:
    lgsco = report["ombudsman"]
    return Section("ombudsman", "Local Government and Social Care Ombudsman", [
        Paragraph(f"The Ombudsman told us of {plural(lgsco['received'], 'complaint')} in the period."),
        Table("table-ombudsman", "Ombudsman enquiries by outcome at the end of the period",
              ["Outcome", "Number"],
              [[label(outcome), str(count)] for outcome, count in lgsco["by_outcome"].items()],
              foot=["Total", str(lgsco["received"])]),
    ])


def _costs(report: dict) -> Section:
    costs = report["costs"]
    names = COSTS
    return Section("costs", "Costs and remedies", [
        Paragraph("Money paid in the period; an amount the Ombudsman recommended counts once it is paid."),
        Table("table-costs", "Costs and remedies", ["Cost", "This period", "Same period last year"],
              [[names[key], pounds(pair["current"]), pounds(pair["previous"])] for key, pair in costs.items()]),
    ])


def _letters(report: dict) -> Section:
    letters = report["restriction_letters"]
    return Section("letters", "Letters about persistent contact", [
        Paragraph(f"{plural(letters['current'], 'letter')} about unreasonably persistent contact "
                  f"{'was' if letters['current'] == 1 else 'were'} sent, compared with "
                  f"{letters['previous']} in the same period a year earlier."),
        Table("table-letters", "Letters about persistent contact", ["Period", "Letters"],
              [["This period", str(letters["current"])], ["Same period last year", str(letters["previous"])]]),
    ])


def _learning(report: dict) -> Section:
    learning = report["learning_actions"]
    names = LEARNING_MEASURES
    return Section("learning", "Learning and improvement", [
        Paragraph("Actions on the action plan raised in the period from complaints and Ombudsman "
                  "recommendations."),
        Table("table-learning", "Learning actions", ["Actions", "Number"],
              [[names[key], str(count)] for key, count in learning.items()]),
    ])


def _rate(rate: int | None) -> str:
    return "n/a" if rate is None else f"{rate}%"


def _children(children: dict) -> Section:
    """Children's complaints (reports/children.py says how each figure is counted)."""
    from portal.services.common.labels import ChildStatus

    young, offered = children["by_young_people"], children["advocate_offered"]
    advocacy = Table("table-children-advocacy", "Stage 1 complaints by young people, and advocacy",
                     ["Measure", "Number", "Rate"], [
                         ["Complaints by young people", str(young), ""],
                         ["An advocate was offered", str(offered), _rate(children["offered_rate"])],
                         ["The young person accepted an advocate", str(children["advocate_accepted"]),
                          _rate(children["accepted_rate"])],
                         ["An advocate was in place", str(children["advocate_in_place"]), ""],
                     ])
    statuses = Table("table-children-status", "Stage 1 complaints about a child, by the child's circumstances",
                     ["Circumstances", "Complaints"],
                     [[ChildStatus.words_of(code), str(count)] for code, count in children["by_status"].items()]
                     + [["None recorded", str(children["no_status_recorded"])]],
                     foot=["Complaints about a child", str(children["about_a_child"])])
    return Section("children", "Children's complaints", [
        Paragraph(f"{plural(young, 'Stage 1 complaint')} came from children, young people or care leavers, "
                  "or from an advocate acting for one. The offered rate is of those complaints; the accepted "
                  "rate is of the offers."),
        advocacy,
        Paragraph("A child may have more than one of these circumstances, and then counts under each."),
        statuses,
    ])
