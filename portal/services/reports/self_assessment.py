"""The self-assessment against the Ombudsman's Complaint Handling Code, one a financial
year: each requirement (in our own words, by the Code's sections), whether and how the
organisation meets it, the evidence, and the figures the portal can give itself. Exported
to publish beside the annual report, with last year's answers beside this year's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import SelfAssessmentAnswer, StaffUser
from portal.services.common import audit
from portal.services.common.errors import Refused
from portal.services.common.labels import Complies
from portal.services.procedures.clocks import DEFAULT_TIMESCALES, Timescales
from portal.services.procedures.working_days import Calendar
from portal.services.reports.annual import financial_year, not_taken_on, stage_figures, year_text
from portal.services.reports.document import Document, Paragraph, Section, Table, percent

LIMIT = 5000


@dataclass(frozen=True)
class Requirement:
    code: str
    section: str
    text: str
    figure: str | None = None  # the key of a figure the portal fills in


REQUIREMENTS = (
    Requirement("1", "Definitions", "We tell a complaint apart from a request for a service, and a person "
                "does not have to use the word complaint for one to be treated as such."),
    Requirement("2", "Exclusions", "We say when we will not take a complaint on; the reasons are fair, and "
                "when we decline one we tell the person why and that they may go to the Ombudsman.",
                "not_taken_on"),
    Requirement("3", "Accessibility and awareness", "People can complain in several ways, we make "
                "reasonable adjustments, and our policy is published and easy to find."),
    Requirement("4", "Complaint handling staff", "Someone has lead responsibility for complaints, with the "
                "time, training and authority to do it well."),
    Requirement("5.1", "The complaint handling process", "We have one procedure for the complaints the Code "
                "covers, with two stages, and we tell people how to escalate and how to reach the Ombudsman."),
    Requirement("5.2", "The complaint handling process", "Each complaint is acknowledged and logged within 5 "
                "working days, and we agree with the person what the complaint is about.",
                "acknowledged"),
    Requirement("6", "Stage 1", "We answer Stage 1 within 10 working days of acknowledging it; an extension "
                "is at most 10 more, with the reason and the Ombudsman's details told to the person.",
                "stage1"),
    Requirement("7.1", "Stage 2", "We never refuse to escalate a complaint for lack of reasons, and someone "
                "other than the Stage 1 officer handles Stage 2."),
    Requirement("7.2", "Stage 2", "We answer Stage 2 within 20 working days of acknowledging it; an extension "
                "is at most 20 more, with reasons.", "stage2"),
    Requirement("8", "Putting things right", "Where something went wrong we put it right, and the remedy "
                "fits what happened to the person."),
    Requirement("9", "Self-assessment, reporting and compliance", "We assess ourselves against the Code each "
                "year and publish an annual complaints performance and service improvement report, with the "
                "response of the Member Responsible for Complaints."),
    Requirement("10", "Scrutiny and oversight", "Elected members see complaint figures regularly, and what we "
                "learn from complaints changes what we do."),
)
BY_CODE = {r.code: r for r in REQUIREMENTS}


def portal_figures(year: int, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES) -> dict[str, str]:
    """The figures the portal fills in for the year, in words, by their key."""
    period = financial_year(year)
    stages = stage_figures(period, calendar, settings, ("corporate",))["corporate"]
    received = sum(f["received"] for f in stages.values())
    acknowledged = sum(f["acknowledged"] for f in stages.values())

    def answered(key: str) -> str:
        f = stages[key]
        return (f"{f['in_time']} of {f['responded']} responses within timescale ({percent(f['in_time'], f['responded'])}); "
                f"{f['extended']} extended.")
    return {
        "not_taken_on": f"{not_taken_on(period)} complaints not taken on under a complaints procedure.",
        "acknowledged": f"{acknowledged} of {received} corporate complaints acknowledged in time "
                        f"({percent(acknowledged, received)}).",
        "stage1": answered("stage1"),
        "stage2": answered("stage2"),
    }


def answers(year: int) -> dict[str, SelfAssessmentAnswer]:
    return {a.requirement: a for a in db.session.scalars(
        select(SelfAssessmentAnswer).where(SelfAssessmentAnswer.year == year))}


def save_answers(year: int, given: dict[str, dict[str, str]], actor: StaffUser) -> None:
    """Keep the year's answers, {requirement: {"complies", "how", "evidence"}}; refused, with
    nothing changed, for an unknown requirement or answer, or text over the limit."""
    for code, answer in given.items():
        if code not in BY_CODE:
            raise Refused("That is not a requirement of the self-assessment", "requirement")
        if answer.get("complies") and answer["complies"] not in Complies.codes():
            raise Refused("Select whether we meet the requirement", f"complies-{code}")
        for name in ("how", "evidence"):
            if len(answer.get(name) or "") > LIMIT:
                raise Refused(f"The answer must be {LIMIT:,} characters or fewer", f"{name}-{code}")
    stored = answers(year)
    for code, answer in given.items():
        row = stored.get(code)
        if row is None:
            row = SelfAssessmentAnswer(year=year, requirement=code)
            db.session.add(row)
        row.complies = answer.get("complies") or None
        row.how = (answer.get("how") or "").strip() or None
        row.evidence = (answer.get("evidence") or "").strip() or None
        row.updated_by_id = actor.id
    db.session.flush()
    audit.record(actor, "self_assessment_saved", "self_assessment", str(year), new={"requirements": sorted(given)})


def _answer_text(answer: SelfAssessmentAnswer | None) -> tuple[str, str]:
    if answer is None:
        return "Not answered", ""
    complies = Complies.words_of(answer.complies, "Not answered")
    how = f"{complies}. {answer.how}" if answer.how else complies
    return how, answer.evidence or ""


def document(year: int, figures: dict[str, str]) -> Document:
    """The year's self-assessment as a document, last year's answers beside each."""
    now, before = answers(year), answers(year - 1)
    sections: dict[str, Section] = {}
    for requirement in REQUIREMENTS:
        section = sections.setdefault(requirement.section, Section(
            f"section-{requirement.code.split('.')[0]}", requirement.section, []))
        how, evidence = _answer_text(now.get(requirement.code))
        last_how, _ = _answer_text(before.get(requirement.code))
        rows = [["What the Code asks", requirement.text], [f"How we comply, {year_text(year)}", how],
                ["Evidence", evidence or "None given"]]
        if requirement.figure:
            rows.append(["The portal's figures", figures[requirement.figure]])
        rows.append([f"Last year, {year_text(year - 1)}", last_how])
        section.parts.append(Table(f"requirement-{requirement.code.replace('.', '-')}",
                                   f"Requirement {requirement.code}", ["", "Answer"], rows, text_columns=2))
    intro = Section("about", "About this self-assessment", [Paragraph(
        f"How we met the Local Government and Social Care Ombudsman's Complaint Handling Code in "
        f"{year_text(year)}, requirement by requirement, with the evidence, the figures counted from our "
        "records, and last year's answer beside each.")])
    return Document("Complaint Handling Code self-assessment", f"1 April {year} to 31 March {year + 1}",
                    f"1 April {year - 1} to 31 March {year}", [intro, *sections.values()])
