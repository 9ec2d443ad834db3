"""An import file whose report for 1 April - 30 September 2023 is the seed report's.

    .venv/bin/python -m tests.reports.seed_report.generate seed-report.jsonl

The seed (``../shared/seed/000_d469ecb6e6d3369c.txt``, DOMAIN.md's reference document) is a
six-monthly report for April-September 2023 beside the same months of 2022. This file holds
invented records, in the interchange format of ``../shared/interchange/FORMAT.md``, from which
the portal must compute every figure of that report that REPORT.md has a field for;
``expected.py`` lists those figures and where the seed gives each. Every name and sentence
here is invented; nothing is copied from the seed.

Deterministic: no randomness, the same file every time.

How the records are laid out (the seed's section numbers in brackets):

- compliments (3): 88 received, spread over the two quarters, by submitter role and team;
- initial contacts (4): 105 received; 78 resolved and 27 progressed to Stage 1 (the seed's
  Q2 "41 resolved" is its own slip: 57 received less 15 progressed is 42, DOMAIN.md);
- the 27 Stage 1 complaints received (6, 7) are exactly those 27 progressed initial contacts,
  each registered the day after the contact arrived, in the same quarter: ``CURRENT_STAGE1``;
- Stage 2 and Stage 3 (6, 8): escalations of some of those, and of a few complaints
  registered in January-March 2023 (``EARLIER_2023``), since the seed says responses in the
  period include complaints that were open when it began (8.4);
- the year before (6, 8.4, 10): ``PREVIOUS_YEAR``, 1 April - 30 September 2022, plus two
  complaints registered in January 2022 whose Stage 2 ended in spring 2022: the previous
  average of 59.1 working days needs at least seven Stage 2 responses (no smaller number of
  whole days averages 59.1), and only five Stage 2 requests arrived in that period;
- Ombudsman enquiries, money, letters and learning (9-12): ``HISTORY`` holds the complaints
  the Ombudsman looked at, which were answered between October 2022 and March 2023, so they
  count in neither period.
- a few records just outside each period check its edges (``outside_the_periods``).

Working days follow DOMAIN.md: Monday to Friday less the bank holidays of England and Wales
(the ``holidays`` package, as the portal uses), day 1 the first working day after the start.
This module counts them with its own few lines (``working_day``), not the portal's code, so
that the test checks the portal against an independent count. Response dates are written as
"N working days after the start" and each stage says whether it was answered in time; the
generator checks that claim against its own count of the due date, so the data cannot drift
from the figures it is meant to give. Several clocks run over bank holidays so that counting
weekdays alone would give a different answer (Stage 1 from 27 April 2023 over 1 and 8 May;
from 17 August 2023 over 28 August; previous Stage 2 durations over 2-3 June and 19 September
2022).

Figures the seed leaves open, chosen here and marked "chosen" in ``expected.py``: compliments
by quarter, role and team; Stage 1 themes beyond "case management first, SEND second"; Stage
2 themes beyond SEND 6 and case management 3; Stage 2 timeliness and Ombudsman enquiries by
quarter; the one Stage 1 element neither upheld, partially upheld nor not upheld (withdrawn);
the themes of the five upheld Stage 2 elements (four SEND, one social worker conduct, from
their descriptions in 8.7); Stage 3 timeliness and outcomes; complaints from young people a
year earlier; remedies and letters a year earlier; how many learning actions were raised and
how they stood (the four examples of 12.1: three done, one in progress).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays

# --- Working days, counted independently of the portal ----------------------------------


@lru_cache(maxsize=None)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_day(start: date, n: int) -> date:
    """Working day ``n`` after ``start`` (DOMAIN.md: day 1 is the first working day after
    the start, whatever the start is); ``n = 0`` is the start itself."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- Stages and complaints ---------------------------------------------------------------

# Timescales in working days (DOMAIN.md): (base, maximum with an extension).
LIMITS = {("statutory", 1): (10, 20), ("statutory", 2): (25, 65),
          ("corporate", 1): (10, 20), ("corporate", 2): (25, 45)}
ESCALATION_WINDOW = 20

OUTCOME_CODES = {"U": "upheld", "P": "partially_upheld", "N": "not_upheld",
                 "D": "unable_to_determine", "W": "withdrawn"}
_ELEMENT = re.compile(r"([UPNDW])(?:\(([^)]+)\))?")
_ELEMENTS = re.compile(rf"{_ELEMENT.pattern}(?: {_ELEMENT.pattern})*")


def elements(codes: str) -> list[dict]:
    """Elements from a short code: "U(SEND) N N P" is element 1 upheld with its own theme
    SEND, 2 and 3 not upheld, 4 partially upheld (no own theme: the stage's counts). D is
    unable to determine, W withdrawn."""
    found = []
    assert _ELEMENTS.fullmatch(codes), codes
    for number, match in enumerate(_ELEMENT.finditer(codes), start=1):
        element = {"number": number, "summary": f"Point {number} the complainant raised (invented).",
                   "outcome": OUTCOME_CODES[match[1]]}
        if match[2]:
            element["theme"] = match[2]
        found.append(element)
    return found


@dataclass
class Stage:
    """One stage. ``start`` is its clock start: a date for Stage 1, and for Stages 2 and 3
    either a date or "+N", N working days after the previous stage's response. ``took`` is
    the working days from the start to the response (None: no response yet); ``late`` says
    whether that response came after the due date, which the generator checks."""

    start: str
    took: int | None = None
    late: bool = False
    extended: int | None = None  # an extension to this many working days after the start
    paused: int = 0
    outcomes: str = ""
    team: str | None = None
    theme: str | None = None
    late_request: bool = False  # requested outside the escalation window, accepted
    # Stage 3 only: working days from the request to the panel, and from it to its report.
    panel: int | None = None
    report: int | None = None


@dataclass
class Complaint:
    reference: str
    procedure: str
    team: str
    theme: str
    stages: list[Stage]
    role: str = "parent_or_carer"
    # An initial contact received the day before Stage 1 was registered, progressed then;
    # otherwise a complaint registered straight away.
    via_contact: bool = True
    ombudsman: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)


def _stage_lines(complaint: Complaint) -> list[dict]:
    lines = []
    previous_response: date | None = None
    for number, stage in enumerate(complaint.stages, start=1):
        if stage.start.startswith("+"):
            assert previous_response is not None, complaint.reference
            start = working_day(previous_response, int(stage.start[1:]))
        else:
            start = d(stage.start)
        if previous_response is not None:
            window_ends = working_day(previous_response, ESCALATION_WINDOW)
            assert previous_response < start, complaint.reference
            assert (start > window_ends) == stage.late_request, (
                f"{complaint.reference} Stage {number}: requested {start}, window ends {window_ends}")
        line: dict = {"stage": number, "started_on": start.isoformat()}
        if stage.team:
            line["team"] = stage.team
        if stage.theme:
            line["theme"] = stage.theme
        if number == 1:
            line["officer"] = "Officer Example"
        if number == 2:
            line["investigating_officer"] = "Investigator Example"
            if complaint.procedure == "statutory":
                line["independent_person"] = "Independent Example"
        if stage.late_request:
            line["late_request_reason"] = "The complainant was in hospital when the window closed (invented)."
        if stage.extended is not None:
            line["extended_to"] = working_day(start, stage.extended).isoformat()
            line["extension_reason"] = "More records to read than expected (invented)."
        if stage.paused:
            line["paused_working_days"] = stage.paused
        response = None
        if number == 3:
            line["panel_members"] = ["Panel Chair Example", "Panel Member Example", "Panel Member Example Two"]
            met = working_day(start, stage.panel) if stage.panel is not None else None
            reported = working_day(met, stage.report) if met and stage.report is not None else None
            if met:
                line["panel_met_on"] = met.isoformat()
            if reported:
                line["panel_report_on"] = reported.isoformat()
            if stage.took is not None:
                assert reported is not None, complaint.reference
                response = working_day(reported, stage.took)
                in_time = stage.panel <= 30 and stage.took <= 15
                assert in_time != stage.late, complaint.reference
        elif stage.took is not None:
            response = working_day(start, stage.took)
            base, maximum = LIMITS[complaint.procedure, number]
            allowed = base if stage.extended is None else min(max(base, stage.extended), maximum)
            due = working_day(working_day(start, allowed), stage.paused)
            assert (response > due) == stage.late, (
                f"{complaint.reference} Stage {number}: responded {response}, due {due}")
        if response is not None:
            line["responded_on"] = response.isoformat()
        if stage.outcomes:
            assert response is not None, complaint.reference
            line["elements"] = elements(stage.outcomes)
        lines.append(line)
        previous_response = response
    return lines


def _submitter(reference: str, role: str) -> dict:
    number = int(reference.rsplit("-", 1)[1])
    return {"role": role, "name": f"Person {reference}", "email": f"person{number:04d}@example.org"}


def complaint_line(complaint: Complaint) -> dict:
    stages = _stage_lines(complaint)
    registered = d(stages[0]["started_on"])
    line: dict = {
        "type": "feedback", "reference": complaint.reference,
        "kind": "initial_contact" if complaint.via_contact else "complaint",
        "received_on": (registered - timedelta(days=1) if complaint.via_contact else registered).isoformat(),
        "channel": "email", "submitter": _submitter(complaint.reference, complaint.role),
        "team": complaint.team, "theme": complaint.theme,
        "summary": "An invented complaint for the seed report's test data.",
        "formal_complaint_requested": True,
    }
    if complaint.via_contact:
        line["initial_contact"] = {"category": "concern", "outcome": "progressed",
                                   "outcome_on": stages[0]["started_on"]}
    line["complaint"] = {"procedure": complaint.procedure, "stages": stages}
    for key in ("ombudsman", "payments", "actions"):
        if getattr(complaint, key):
            line[key] = getattr(complaint, key)
    return line


def payment(kind: str, amount: str, paid_on: str, decided_by: str | None = None) -> dict:
    found = {"kind": kind, "amount": amount, "paid_on": paid_on,
             "description": "Invented payment for the seed report's test data."}
    if decided_by:
        found["decided_by"] = decided_by
    return found


def action(stage, raised_on: str, status: str, due_on: str, completed_on: str | None, text: str) -> dict:
    found = {"recommendation": text, "stage": stage, "owner": "Manager Example",
             "raised_on": raised_on, "due_on": due_on, "status": status}
    if completed_on:
        found["completed_on"] = completed_on
        found["completion_note"] = "Done and checked (invented)."
    return found


S, C = Stage, Complaint
STAT, CORP = "statutory", "corporate"
SEND, ASSESSMENT, CP = "SEND Team", "Assessment Teams", "Child Protection Teams"
ADOPTION, CC, ICRT = "Adoption Team", "Connected Carers Team", "Independent Children's Reviewing Team (ICRT)"
CWD, EARLY_HELP, PERMANENCE = "Children with Disabilities Team", "Early Help", "Permanence Teams"
TRANSPORT, NEXT_STEPS = "Education - Transport", "Next Steps Team"
CM, COMMS, INFO, CONDUCT = "Case management", "Communication", "Information held", "Social worker conduct"

# --- Stage 1 complaints received in the period (seed 6.1, 7.1, 7.5, 7.8) -------------------
#
# 27 received: Q1 12 (statutory 5, corporate 7), Q2 15 (statutory 9, corporate 6); by team
# SEND 10, Assessment 5, Child Protection 4, Adoption 2 and one each for Connected Carers, ICRT,
# Children with Disabilities, Early Help, Permanence and Education - Transport. Which procedure
# each team's complaints followed is not in the seed: here SEND, Adoption and Transport are
# corporate, the rest statutory (chosen). Themes (chosen, largest case management, then SEND):
# case management 9, SEND 7, communication 4, information held 2, social worker conduct 2,
# delay, finance, transport 1 each.
#
# Responded in the period (7.5): 21, Q1 10 of which 8 in time, Q2 11 of which 7 in time. Those
# are 20 of the 27 (the 7 registered in September are still open) and the Stage 1 of
# E-SR-0104, registered in March. Their 59 elements (7.7, 7.8): 41 not upheld, 12 upheld
# (SEND 4, information held 3, case management 2, communication 2, social worker conduct 1),
# 5 partially upheld, and 1 withdrawn (chosen: the seed leaves one element unaccounted for).
# Some stages leave out their own team and theme, so the record's count (DOMAIN.md).

CURRENT_STAGE1 = [
    # Q1: registered April-June 2023.
    C("C-SR-0001", CORP, SEND, "SEND", [S("2023-04-03", 10, outcomes="U N N"),  # over Easter
                                        S("+14", 37, late=True, extended=35, outcomes="U(SEND) N N N N D")]),
    C("C-SR-0002", STAT, ASSESSMENT, CM, [S("2023-04-12", 10, outcomes="N N")],
      actions=[action(1, "2023-05-02", "done", "2023-06-30", "2023-06-20",
                      "Ask the young person, with his advocate, who he wants at his meetings.")]),
    C("C-SR-0003", CORP, SEND, "SEND", [S("2023-04-19", 11, late=True, outcomes="U(SEND) N N"),
                                        S("+12", 38, late=True, extended=35, outcomes="U(SEND) N N N N N")]),
    # Registered Thursday 27 April: day 10 is Monday 15 May, as 1 and 8 May are bank holidays
    # (weekdays alone would make it Thursday 11 May, and this response late).
    C("C-SR-0004", STAT, CP, CONDUCT, [S("2023-04-27", 10, outcomes="U N N", team=CP, theme=CONDUCT)]),
    C("C-SR-0005", CORP, ADOPTION, COMMS, [S("2023-05-05", 18, extended=20, outcomes="U(Communication) N N")]),
    # The Stage 2 that upheld naming a school not yet open; its extension beyond the
    # corporate maximum (45 working days) counts only up to it.
    C("C-SR-0006", CORP, SEND, "SEND", [
        S("2023-05-10", 10, outcomes="N N P"),
        S("+7", 47, late=True, extended=50, outcomes="U(SEND) N N N N P"),
    ], actions=[action(2, "2023-08-16", "done", "2023-09-29", "2023-09-12",
                       "Remind SEND caseworkers to hear parents' preferences before the resource panel.")]),
    # A pause of 2 working days keeps 12 days in time.
    C("C-SR-0007", STAT, EARLY_HELP, CM, [S("2023-05-22", 12, paused=2, outcomes="N N P"),
                                          S("+17", theme=CM)]),
    C("C-SR-0008", CORP, SEND, CM, [S("2023-05-24", 10, outcomes="N N W"), S("+18", team=SEND)]),
    C("C-SR-0009", STAT, ASSESSMENT, INFO, [S("2023-06-01", 12, late=True, outcomes="U(Information held) N N"),
                                            S("+10")]),
    C("C-SR-0010", STAT, CP, CM, [S("2023-06-19", 10, outcomes="N N"), S("+5", theme=CONDUCT)]),
    C("C-SR-0011", CORP, SEND, "SEND", [S("2023-06-22", 15, extended=16, outcomes="U N N"), S("+9")]),
    C("C-SR-0012", CORP, ADOPTION, "Finance", [S("2023-06-28", 11, late=True, outcomes="N N")]),
    # Q2: registered July-September 2023.
    C("C-SR-0013", STAT, CC, COMMS, [S("2023-07-03", 10, outcomes="U(Communication) N N"), S("+8")]),
    C("C-SR-0014", CORP, TRANSPORT, "Transport", [S("2023-07-05", 10, outcomes="N N P"), S("+6")]),
    C("C-SR-0015", STAT, CWD, CM, [S("2023-07-10", 14, extended=20, outcomes="U N N"), S("+4")],
      actions=[action(1, "2023-07-31", "in_progress", "2023-10-31", None,
                      "Agree with the parent how the team will keep them told about their son's support.")]),
    C("C-SR-0016", STAT, PERMANENCE, CM, [S("2023-07-12", 9, outcomes="N N P"), S("+3", theme="Delay")]),
    # An extension beyond the Stage 1 maximum (20 working days) counts only up to it: late.
    C("C-SR-0017", CORP, SEND, "SEND", [S("2023-07-17", 21, late=True, extended=22, outcomes="U N N"), S("+2")]),
    # Registered Thursday 17 August: day 10 is Friday 1 September, as 28 August is a bank
    # holiday (weekdays alone would make it Thursday 31 August, and this response late).
    C("C-SR-0018", STAT, ASSESSMENT, INFO, [S("2023-08-17", 10, outcomes="U N N")]),
    C("C-SR-0019", STAT, CP, "Delay", [S("2023-08-21", 12, late=True, outcomes="N N")]),
    C("C-SR-0020", CORP, SEND, CM, [S("2023-08-24", 11, late=True, outcomes="U(Case management) N P")]),
    # Still open on 30 September.
    C("C-SR-0021", STAT, ASSESSMENT, CM, [S("2023-09-04")]),
    C("C-SR-0022", STAT, ASSESSMENT, CONDUCT, [S("2023-09-11")]),
    C("C-SR-0023", STAT, CP, CM, [S("2023-09-13")]),
    C("C-SR-0024", STAT, ICRT, COMMS, [S("2023-09-18")]),
    C("C-SR-0025", CORP, SEND, "SEND", [S("2023-09-20")]),
    C("C-SR-0026", CORP, SEND, "SEND", [S("2023-09-25")]),
    C("C-SR-0027", CORP, SEND, COMMS, [S("2023-09-27")]),
]

# --- Complaints registered January-March 2023 that reach into the period (seed 8.4) ---------
#
# Stage 2 (8.1-8.6): 15 requests received, Q1 5 (statutory 2, corporate 3), Q2 10 (statutory
# 6, corporate 4); by team SEND 7 and one each for Next Steps, Assessment, Connected Carers,
# Children with Disabilities, Early Help, Permanence, Child Protection and Transport; themes
# SEND 6, case management 3, and (chosen) communication 2, information held, social worker
# conduct, delay and transport 1 each. Seven responses in the period, Q1 3 and Q2 4 (chosen);
# three in time, all statutory, and the four corporate ones late despite an extension (8.4);
# they took 20, 24, 27 (statutory) and 38, 37, 38, 47 (corporate) working days: 231 / 7 =
# 33.0. Their 40 elements: 28 not upheld, 5 upheld, 4 partially upheld, 3 unable to
# determine (8.5, 8.6).
# Stage 3 (6.1): 2 requests, both in Q1, from the two statutory Stage 2s answered in Q1; one
# panel has been and the organisation answered in time in Q2, the other panel met late and
# its answer is awaited (chosen).

EARLIER_2023 = [
    # Answered at Stage 2 in April, in time; to Stage 3 in May, answered in July in time.
    C("E-SR-0101", STAT, ASSESSMENT, CM, [
        S("2023-02-13", 10, outcomes="N N"),
        S("+15", 20, outcomes="U(Social worker conduct) N N N N P"),
        S("+13", 10, panel=24, report=4, outcomes="N N P"),
    ], payments=[payment("investigation_cost", "412.00", "2023-04-26", "Independent Person fee"),
                 payment("investigation_cost", "1988.00", "2023-07-14", "Stage 3 review panel fees")],
       actions=[action(3, "2023-07-06", "done", "2023-08-31", "2023-08-15",
                       "Brief every social care team again on what care team meetings must cover.")]),
    # To Stage 2 in April (Next Steps), answered in May in time; to Stage 3 in June, whose
    # panel met after its 30 working days; the answer is awaited.
    C("E-SR-0102", STAT, NEXT_STEPS, COMMS, [
        S("2023-03-06", 10, outcomes="N N"),
        S("+17", 24, outcomes="N N N N D"),
        S("+14", panel=47, report=5),
    ], payments=[payment("investigation_cost", "412.00", "2023-05-31", "Independent Person fee")]),
    # Stage 2 from March, answered in May, late despite an extension: the parental
    # preference not considered; the remedy was paid in July.
    C("E-SR-0103", CORP, SEND, "SEND", [
        S("2023-02-01", 10, outcomes="N N"),
        S("+15", 38, late=True, extended=35, outcomes="U(SEND) N N N P D"),
    ], payments=[payment("financial_remedy", "7620.00", "2023-07-20", "Investigating Officer")]),
    # Stage 1 from March answered in April (one of the 21), a statutory complaint about the
    # SEND team; Stage 2 requested after the window, accepted, answered in July in time.
    C("E-SR-0104", STAT, SEND, "SEND", [
        S("2023-03-27", 19, extended=20, outcomes="U(Information held) N N"),
        S("+27", 27, extended=30, late_request=True, outcomes="N N N N P"),
    ], payments=[payment("investigation_cost", "412.00", "2023-07-20", "Independent Person fee")]),
]

# --- The same months of 2022 (seed 6.1-6.4, 8.4, 10.1) --------------------------------------
#
# Stage 1 received: statutory 6, corporate 4; Stage 2: statutory 2, corporate 3; Stage 3: 0.
# Seven Stage 2 responses (five of this period's requests and two from January 2022) took 55,
# 60, 48, 58, 63, 64 and 66 working days: 414 / 7 = 59.14, 59.1. Investigation costs
# £4,058 (two external Investigating Officers at £1,250, two Independent Persons at £779).
# Chosen: one Stage 1 from a care leaver, a remedy of £250 and one letter about persistent
# contact, so that those comparisons are not all zero.

PREVIOUS_YEAR = [
    C("P-SR-0201", STAT, CP, CM, [S("2022-04-04", 10, outcomes="N N"), S("+9", 55, extended=60, outcomes="N N U")],
      via_contact=False,
      payments=[payment("investigation_cost", "1250.00", "2022-07-15", "External Investigating Officer"),
                payment("investigation_cost", "779.00", "2022-07-15", "Independent Person fee")]),
    C("P-SR-0202", STAT, PERMANENCE, CM, [S("2022-04-11", 12, extended=14, outcomes="N N"),
                                          S("+10", 60, extended=62, outcomes="N P")],
      via_contact=False,
      payments=[payment("investigation_cost", "1250.00", "2022-08-26", "External Investigating Officer"),
                payment("investigation_cost", "779.00", "2022-08-26", "Independent Person fee")]),
    C("P-SR-0203", CORP, SEND, "SEND", [S("2022-04-19", 10, outcomes="N N"), S("+8", 48, late=True, outcomes="N N")],
      via_contact=False),
    C("P-SR-0204", CORP, SEND, "SEND", [S("2022-05-03", 9, outcomes="N N"), S("+5", 58, late=True, outcomes="U N")],
      via_contact=False, payments=[payment("financial_remedy", "250.00", "2022-09-01", "Adjudicating manager")]),
    C("P-SR-0205", CORP, TRANSPORT, "Transport", [S("2022-05-10", 10, outcomes="N"),
                                                  S("+7", 63, late=True, outcomes="N N")], via_contact=False),
    C("P-SR-0206", STAT, NEXT_STEPS, COMMS, [S("2022-06-06", 10, outcomes="P N")], role="care_leaver"),
    C("P-SR-0207", STAT, ASSESSMENT, CM, [S("2022-07-11", 11, late=True, outcomes="N N")]),
    C("P-SR-0208", STAT, CP, CONDUCT, [S("2022-08-15", 10, outcomes="N")]),
    # Over the state funeral of 19 September 2022.
    C("P-SR-0209", STAT, ASSESSMENT, INFO, [S("2022-09-12", 10, outcomes="U N")]),
    C("P-SR-0210", CORP, ADOPTION, "Finance", [S("2022-09-20", 8, outcomes="N")]),
    # Registered in January 2022, Stage 2 requested in February, answered in the period.
    C("P-SR-0211", STAT, CWD, CM, [S("2022-01-10", 10, outcomes="N"), S("+12", 64, extended=65, outcomes="N N")],
      via_contact=False),
    C("P-SR-0212", CORP, SEND, "SEND", [S("2022-01-24", 10, outcomes="N"), S("+11", 66, late=True, outcomes="N")],
      via_contact=False),
]

# --- Complaints the Ombudsman looked at (seed 9.1, 10.2) ------------------------------------
#
# Five enquiries notified in the period, Q1 2 and Q2 3 (chosen): two upheld, one closed after
# initial enquiries, two under investigation. Remedies paid in the period: £1,300 on the SEND
# complaint the Ombudsman upheld (£500 the service offered, then £500 and £300 the Ombudsman
# recommended; its own remedy_amount of £800 is never added) and £7,620 on E-SR-0103:
# £8,920. All these complaints were answered before April 2023, so they count nowhere else.


def _enquiry(reference: str, notified: str, status: str, decision: str | None = None,
             decided: str | None = None, **extra) -> dict:
    found = {"reference": reference, "notified_on": notified, "status": status}
    if decision:
        found.update(decision=decision, decided_on=decided)
    found.update(extra)
    return found


HISTORY = [
    C("H-SR-0301", CORP, SEND, "SEND", [
        S("2022-10-10", 10, outcomes="U N"),
        S("+6", 40, extended=42, outcomes="U U N"),
    ], via_contact=False,
       ombudsman=[_enquiry("LG-23-001", "2023-04-20", "decided", "upheld", "2023-08-03", remedy_amount="800.00",
                           recommendations=[{"text": "Pay £500 for the delay (invented).", "due_on": "2023-09-01",
                                             "complied_on": "2023-08-24", "compliance": "on_time"},
                                            {"text": "Pay £300 for the unsuitable provision (invented).",
                                             "due_on": "2023-09-01", "complied_on": "2023-08-24",
                                             "compliance": "on_time"}])],
       payments=[payment("financial_remedy", "500.00", "2023-04-25", "Adjudicating manager"),
                 payment("financial_remedy", "500.00", "2023-08-24", "LGSCO recommendation"),
                 payment("financial_remedy", "300.00", "2023-08-24", "LGSCO recommendation")]),
    C("H-SR-0302", STAT, PERMANENCE, CM, [S("2022-11-07", 10, outcomes="N N"),
                                          S("+10", 30, extended=35, outcomes="N P")],
      via_contact=False,
      ombudsman=[_enquiry("LG-23-002", "2023-06-12", "decided", "upheld", "2023-09-14",
                          recommendations=[{"text": "Write to apologise (invented).", "due_on": "2023-10-12",
                                            "compliance": "pending"}])],
      # Raised before the period: not counted.
      actions=[action("ombudsman", "2023-03-15", "open", "2023-04-30", None, "An earlier action (invented).")]),
    C("H-SR-0303", CORP, "Finance", "Finance", [S("2022-12-05", 10, outcomes="N"), S("+8", 25, outcomes="N N")],
      via_contact=False,
      ombudsman=[_enquiry("LG-23-003", "2023-07-10", "decided", "closed_after_initial_enquiries", "2023-07-31")]),
    C("H-SR-0304", STAT, CP, CONDUCT, [S("2023-01-09", 10, outcomes="N N"), S("+5", 22, outcomes="N N")],
      via_contact=False, ombudsman=[_enquiry("LG-23-004", "2023-08-14", "investigation")]),
    C("H-SR-0305", CORP, SEND, "SEND", [S("2022-10-17", 10, outcomes="N"), S("+4", 24, outcomes="N")],
      via_contact=False,
      ombudsman=[_enquiry("LG-22-009", "2022-12-01", "decided", "not_upheld", "2023-02-01"),  # before the period
                 _enquiry("LG-23-005", "2023-09-05", "investigation")]),
]

COMPLAINTS = [*CURRENT_STAGE1, *EARLIER_2023, *PREVIOUS_YEAR, *HISTORY]


# --- Compliments (seed 3.1) --------------------------------------------------------------
#
# 88 received. The seed names the people they came from and the teams of its examples, not
# how many of each; chosen: Q1 40, Q2 48; by role and by team as below.

COMPLIMENTS_BY_QUARTER = (40, 48)
COMPLIMENTS_BY_ROLE = {"child_or_young_person": 9, "parent_or_carer": 34, "other_family": 8,
                       "foster_carer": 8, "professional": 22, "staff": 7}
COMPLIMENTS_BY_TEAM = {
    ASSESSMENT: 12, CP: 11, PERMANENCE: 10, "Fostering Team": 9, EARLY_HELP: 9, "Children's Homes": 7,
    NEXT_STEPS: 6, CWD: 6, ICRT: 5, "Business Support": 5, "Customer Feedback Team": 4, "Finance": 4,
}
PRAISE = [
    "The worker listened and explained every step (invented).",
    "Thank you for helping our family through a hard year (invented).",
    "The panel was well organised despite late changes (invented).",
]


def _spread(first: date, last: date, count: int) -> list[date]:
    """``count`` working days from ``first`` to ``last``, evenly spaced, both ends included."""
    days = [day for day in (first + timedelta(n) for n in range((last - first).days + 1)) if is_working_day(day)]
    return [days[(len(days) - 1) * i // (count - 1)] for i in range(count)]


def _expand(counts: dict[str, int]) -> list[str]:
    """Names repeated by their counts, interleaved so that neighbours differ."""
    names = [name for name, count in counts.items() for _ in range(count)]
    return names[0::2] + names[1::2]


def compliment_lines() -> Iterator[dict]:
    q1, q2 = COMPLIMENTS_BY_QUARTER
    days = _spread(d("2023-04-03"), d("2023-06-30"), q1) + _spread(d("2023-07-03"), d("2023-09-29"), q2)
    roles, teams = _expand(COMPLIMENTS_BY_ROLE), _expand(COMPLIMENTS_BY_TEAM)
    assert len(days) == len(roles) == len(teams) == 88
    for i, (day, role, team) in enumerate(zip(days, roles, teams, strict=True), start=1):
        compliment: dict = {"named_staff": [f"Worker {i}"], "shared_on": (day + timedelta(days=3)).isoformat()}
        if i % 10 == 0:
            compliment.update(publish_consent=True, anonymised_text=PRAISE[(i // 10) % len(PRAISE)])
        yield {"type": "feedback", "reference": f"K-SR-{i:04d}", "kind": "compliment",
               "received_on": day.isoformat(), "channel": "email", "submitter": {"role": role},
               "team": team, "summary": PRAISE[i % len(PRAISE)], "compliment": compliment}


# --- Initial contacts resolved (seed 4.1, 4.2) ----------------------------------------------
#
# 105 received: Q1 48, Q2 57; progressed 12 and 15 (the Stage 1 complaints above); resolved
# 36 and 42 (the seed prints 41 for Q2, a slip: DOMAIN.md).

RESOLVED_BY_QUARTER = (36, 42)
CATEGORIES = ("query", "concern", "information_request", "issue")


def resolved_contact_lines() -> Iterator[dict]:
    q1, q2 = RESOLVED_BY_QUARTER
    # The last of Q1 arrives on 30 June and is resolved in July: it counts in Q1, by receipt.
    days = _spread(d("2023-04-03"), d("2023-06-30"), q1) + _spread(d("2023-07-03"), d("2023-09-29"), q2)
    for i, day in enumerate(days, start=1):
        yield {"type": "feedback", "reference": f"I-SR-{i:04d}", "kind": "initial_contact",
               "received_on": day.isoformat(), "channel": ("email", "phone", "web")[i % 3],
               "submitter": {"role": "parent_or_carer" if i % 4 else "foster_carer"},
               "team": (ASSESSMENT, SEND, CP, EARLY_HELP)[i % 4], "summary": "An invented question or concern.",
               "initial_contact": {"category": CATEGORIES[i % 4], "outcome": "resolved",
                                   "outcome_on": working_day(day, 2).isoformat(),
                                   "resolution": "Put right informally (invented)."}}


# --- Just outside the periods ------------------------------------------------------------


def outside_the_periods() -> Iterator[dict]:
    """Records dated the day before each period starts, or between the periods: none counts."""
    for reference, day in (("X-SR-0401", "2023-03-31"), ("X-SR-0402", "2022-03-31"), ("X-SR-0403", "2022-10-03")):
        yield {"type": "feedback", "reference": reference + "K", "kind": "compliment", "received_on": day,
               "channel": "web", "submitter": {"role": "parent_or_carer"}, "team": "Fostering Team",
               "summary": "Thanks, outside the period (invented).", "compliment": {}}
        yield {"type": "feedback", "reference": reference + "I", "kind": "initial_contact", "received_on": day,
               "channel": "web", "submitter": {"role": "parent_or_carer"}, "summary": "A question (invented).",
               "initial_contact": {"category": "query", "outcome": "resolved", "outcome_on": day},
               "payments": [payment("investigation_cost", "600.00", day, "Independent Person fee")]}


def restriction_lines() -> Iterator[dict]:
    """Letters about persistent contact (seed 11.1): three in the period; one a year earlier
    (chosen) and one between the periods."""
    for i, day in enumerate(("2022-08-10", "2023-01-12", "2023-05-11", "2023-07-19", "2023-09-06"), start=1):
        yield {"type": "contact_restriction",
               "person": {"name": f"Restricted Person {i}", "email": f"restricted{i}@example.org"},
               "letter_issued_on": day, "restrictions": ["single_point_of_contact", "written_contact_only"],
               "reason": "Many calls a day to several staff (invented).", "decided_by": "Feedback Manager Example",
               "review_on": (d(day) + timedelta(days=182)).isoformat()}


def lines() -> list[dict]:
    """Every line of the file: feedback in order of reference, then restrictions by date."""
    feedback = [*compliment_lines(), *resolved_contact_lines(), *map(complaint_line, COMPLAINTS),
                *outside_the_periods()]
    feedback.sort(key=lambda line: line["reference"])
    return [*feedback, *restriction_lines()]


def write(path: str | Path) -> Path:
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in lines():
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.reports.seed_report.generate OUTPUT.jsonl")
    print(f"{write(sys.argv[1])}: {len(lines())} lines")
