"""What is due, and when, on each record: one place that works out a stage's due date
and keeps the stored due dates (Feedback.due_on, Stage.due_on), the latest stage's number
(Feedback.stage_number) and the open or closed status true to the clock rules, the
calendar and the timescales.

``stage_steps`` is the one reckoning of a stage's dates: the case page's clocks
(display), the person's status page (public_status), the reminders and the stored due
date all read it. Services call ``refresh`` after any change to a record's clocks; a
change to the calendar calls ``refresh_open`` (DOMAIN.md: changing a holiday must
recompute open deadlines), and so does a change to the timescales (``set_timescales``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import Feedback, Stage, StaffUser
from portal.services.procedures import clocks, rules, working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.procedures.clocks import DEFAULT_BOOK, TimescaleBook, Timescales
from portal.services.procedures.timescales import current_timescales, store_timescales
from portal.services.procedures.working_days import Calendar

# The promise on the public pages: we contact the person within 5 working days.
FIRST_CONTACT_WORKING_DAYS = 5


@dataclass(frozen=True)
class Step:
    """One clocked step of a stage: what is due, by when, and when it was done.

    ``due_on`` is None while the step waits for the one before it (a panel's report
    before the panel has met)."""

    what: str  # "response", "panel meeting", "panel report"
    due_on: date | None
    done_on: date | None


def stage_timescales(procedure: str, stage: Stage,
                     settings: Timescales | TimescaleBook = DEFAULT_BOOK) -> Timescales:
    """The set of timescales a stage follows: the one in force on its clock start
    (DOMAIN.md, "Timescales change on a date"). ``settings`` is every set
    (``current_timescales()``) or one set, which every stage then follows."""
    return settings.in_force(procedure, stage.started_on)


def acknowledgement_due(procedure: str, stage: Stage, calendar: Calendar,
                        settings: Timescales | TimescaleBook = DEFAULT_BOOK) -> date | None:
    """When the stage is to be acknowledged (corporate stages), under the set it follows;
    None for a stage the rule-book does not acknowledge."""
    return clocks.acknowledgement_due(procedure, stage.number, stage.started_on, calendar,
                                      stage_timescales(procedure, stage, settings))


def stage_steps(procedure: str, stage: Stage, calendar: Calendar,
                settings: Timescales | TimescaleBook = DEFAULT_BOOK) -> list[Step]:
    """A stage's clocked steps, in order (rules.Clock): one response date, with its
    extension and pauses; or for a review panel the meeting (from the request), the
    report (from the meeting) and the response (from the report). Each under the set of
    timescales in force on the stage's start; under the Code a corporate response counts
    from the acknowledgement (clocks.response_clock_start)."""
    settings = stage_timescales(procedure, stage, settings)
    if rules.stage(procedure, stage.number).clock is rules.Clock.REVIEW_PANEL:
        met, report = stage.panel_met_on, stage.panel_report_on
        return [
            Step("panel meeting", clocks.panel_due(stage.started_on, calendar, settings), met),
            Step("panel report", clocks.panel_report_due(met, calendar, settings) if met else None,
                 report),
            Step("response", clocks.stage3_response_due(report, calendar, settings) if report
                 else None, stage.responded_on),
        ]
    due = clocks.due_date(procedure, stage.number, stage.started_on, calendar, settings,
                          stage.extended_to, stage.paused_working_days or 0,
                          acknowledged_on=stage.acknowledged_on)
    return [Step("response", due, stage.responded_on)]


def current_step(procedure: str, stage: Stage, calendar: Calendar,
                 settings: Timescales | TimescaleBook = DEFAULT_BOOK) -> Step:
    """The step the stage is at: the last whose clock has started."""
    return [step for step in stage_steps(procedure, stage, calendar, settings)
            if step.due_on is not None][-1]


def stage_due(procedure: str, stage: Stage, calendar: Calendar,
              settings: Timescales | TimescaleBook = DEFAULT_BOOK) -> date:
    """The date the stage's next step is due: the response, or for a review panel the
    panel, then the panel's report, then the response."""
    return current_step(procedure, stage, calendar, settings).due_on


def refresh(record: Feedback, calendar: Calendar | None = None,
            settings: Timescales | TimescaleBook | None = None) -> None:
    """Recompute the record's stored due dates, its latest stage's number and whether it
    is closed (not committed here). Without ``calendar`` or ``settings``, the
    organisation's calendar and timescales in force are used (read once within
    ``reckoning.one_reckoning``)."""
    calendar = calendar or current_calendar()
    settings = settings or current_timescales()
    for stage in record.stages:
        stage.due_on = stage_due(record.procedure, stage, calendar, settings)
    record.due_on = _record_due(record, calendar)
    record.stage_number = max((stage.number for stage in record.stages), default=None)
    record.acknowledge_by = _acknowledge_by(record, calendar, settings)
    if not is_open(record):
        record.status = "closed"
    elif record.status == "closed":
        record.status = "open"  # reopened, for example by a request for the next stage


def is_open(record: Feedback) -> bool:
    """Something is still to be done: a compliment not yet shared, an initial contact
    without its outcome, or a complaint stage without its response; never one not
    accepted (issue 21, triage.decisions.not_accept)."""
    # getattr: the interchange import passes plain namespaces
    if getattr(record, "not_accepted_on", None) is not None:
        return False
    if record.procedure:
        return not record.stages or any(s.responded_on is None for s in record.stages)
    if record.kind == "compliment":
        return record.shared_on is None
    return (record.outcome or "open") == "open"


def _acknowledge_by(record: Feedback, calendar: Calendar, settings) -> date | None:
    """The open stage's acknowledgement due date while it is not acknowledged."""
    if not record.procedure or getattr(record, "not_accepted_on", None) is not None:
        return None
    open_stages = [s for s in record.stages if s.responded_on is None]
    if not open_stages or getattr(open_stages[-1], "acknowledged_on", None) is not None:
        return None
    return acknowledgement_due(record.procedure, open_stages[-1], calendar, settings)


def _record_due(record: Feedback, calendar: Calendar):
    if getattr(record, "not_accepted_on", None) is not None:
        return None
    if record.procedure:
        open_stages = [s for s in record.stages if s.responded_on is None]
        return open_stages[-1].due_on if open_stages else None
    if record.kind == "initial_contact" and (record.outcome or "open") == "open":
        return working_days.add(record.received_on, FIRST_CONTACT_WORKING_DAYS, calendar)
    return None


def refresh_open(calendar: Calendar, settings: Timescales | TimescaleBook | None = None) -> int:
    """Recompute every record that still has something due; return how many."""
    settings = settings or current_timescales()
    query = select(Feedback).where(
        or_(Feedback.due_on.is_not(None),
            Feedback.id.in_(select(Stage.feedback_id).where(Stage.responded_on.is_(None))))
    )
    count = 0
    for record in db.session.scalars(query).unique():
        refresh(record, calendar, settings)
        count += 1
    return count


def set_timescales(changes: dict[str, int], actor: StaffUser) -> Timescales:
    """Change some of the organisation's first set of timescales and recompute every open
    deadline (those of stages that follow a later set do not change). Refused as
    ``timescales.store_timescales`` says."""
    settings = store_timescales(changes, actor)
    refresh_open(current_calendar(), current_timescales())
    return settings
