"""The workload: each officer's open cases, for the managers who share out the work.

For each member of staff with open cases among those the manager may see (a team
manager: their team's; a feedback manager: everyone's), and for the cases nobody has:
open cases by where they are (initial contact, Stage 1, 2 or 3, compliment), how many
are due this week (today to Sunday) and how many are overdue (due before today); and
their average days to respond this quarter: for each stage response sent this calendar
quarter on a case assigned to them, the working days from the stage's start to the
response, averaged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.models import Feedback, Stage, StaffUser
from portal.services.accounts.permissions import visible_feedback_counted, visible_stages_counted
from portal.services.procedures import working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.triage.inbox import NOT_CLOSED, end_of_week

COLUMNS = ("initial_contact", "stage_1", "stage_2", "stage_3", "compliment")
HEADINGS = {"initial_contact": "Initial contacts", "stage_1": "Stage 1", "stage_2": "Stage 2",
            "stage_3": "Stage 3", "compliment": "Compliments"}


@dataclass
class OfficerLoad:
    officer_id: int | None  # None: the open cases nobody is assigned
    name: str
    by_stage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    due_this_week: int = 0
    overdue: int = 0
    responses: int = 0
    average_days_to_respond: float | None = None

    @property
    def open_cases(self) -> int:
        return sum(self.by_stage.values())


def quarter_start(day: date) -> date:
    """The first day of ``day``'s calendar quarter (1 January, April, July or October),
    which are the organisation's financial quarters too."""
    return date(day.year, day.month - (day.month - 1) % 3, 1)


def _open_cases(user: StaffUser, today: date) -> list[tuple]:
    """(officer, kind, procedure, latest stage, open cases, due this week, overdue) of the
    records not closed, in one statement read from their index alone
    (ix_feedback_open_workload, migration 0028) in the order it groups them: the latest
    stage is the record's kept stage_number, where a look-up of each complaint's stages
    and a sort of every open record took seconds at 1,000,000 records."""
    week_end = end_of_week(today)
    due = Feedback.due_on
    group = (Feedback.assigned_to_id, Feedback.kind, Feedback.procedure, Feedback.stage_number)
    return [tuple(row) for row in db.session.execute(
        select(*group, func.count(), func.sum(case(((due >= today) & (due <= week_end), 1), else_=0)),
               func.sum(case((due < today, 1), else_=0)))
        .where(visible_feedback_counted(user), NOT_CLOSED)
        .group_by(*group))]


def _responded(user: StaffUser, today: date) -> dict[int, list[tuple[int, int]]]:
    """Each officer's stage responses sent this quarter, as (working days, how many):
    counted by the stage's start and response dates, so that the working days are
    reckoned once for each pair of dates rather than for every response (tens of
    thousands a quarter at 1,000,000 records); read from the stages' index on
    responded_on alone (ix_stage_responded_on_feedback, migration 0028), which holds each
    stage's copy of its case's officer and team, where looking up each stage's case took
    most of the page's time."""
    calendar, responded = current_calendar(), defaultdict(list)
    officer = Stage.case_assigned_to_id
    rows = db.session.execute(
        select(officer, Stage.started_on, Stage.responded_on, func.count())
        .where(visible_stages_counted(user), officer.is_not(None),
               Stage.responded_on >= quarter_start(today), Stage.responded_on <= today)
        .group_by(officer, Stage.started_on, Stage.responded_on))
    for officer_id, started, sent, count in rows:
        responded[officer_id].append((working_days.between(started, sent, calendar), count))
    return responded


def _where(record_kind: str, procedure: str | None, stage: int | None) -> str:
    if procedure:
        return f"stage_{min(max(stage or 1, 1), 3)}"
    return "compliment" if record_kind == "compliment" else "initial_contact"


def workload(user: StaffUser, today: date) -> list[OfficerLoad]:
    """Each officer's load as ``user`` may see it, most open cases first, and the cases
    nobody has last."""
    loads: dict[int | None, OfficerLoad] = {}

    def load(officer_id):
        if officer_id not in loads:
            loads[officer_id] = OfficerLoad(officer_id, "")
        return loads[officer_id]

    for officer_id, kind, procedure, stage, count, this_week, overdue in _open_cases(user, today):
        entry = load(officer_id)
        entry.by_stage[_where(kind, procedure, stage)] += count
        entry.due_this_week += this_week or 0
        entry.overdue += overdue or 0

    for officer_id, counted in _responded(user, today).items():
        entry = load(officer_id)
        entry.responses = sum(count for _, count in counted)
        entry.average_days_to_respond = round(sum(days * count for days, count in counted) / entry.responses, 1)

    names = dict(db.session.execute(select(StaffUser.id, StaffUser.name).where(
        StaffUser.id.in_([k for k in loads if k is not None]))).all())
    for officer_id, entry in loads.items():
        entry.name = names.get(officer_id, "") if officer_id is not None else "Not assigned"
    return sorted(loads.values(), key=lambda e: (e.officer_id is None, -e.open_cases, e.name))
