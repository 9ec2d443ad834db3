"""What is due, and when, on each record: one place that keeps the stored due dates
(Feedback.due_on, Stage.due_on) and the open or closed status true to the clock rules
and the calendar.

Services call ``refresh`` after any change to a record's clocks; a change to the
calendar calls ``refresh_open`` (DOMAIN.md: changing a holiday must recompute open
deadlines).
"""

from __future__ import annotations

from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import Feedback, Stage
from portal.services.procedures import clocks, working_days
from portal.services.procedures.clocks import DEFAULT_TIMESCALES, Timescales
from portal.services.procedures.working_days import Calendar

# The promise on the public pages: we contact the person within 5 working days.
FIRST_CONTACT_WORKING_DAYS = 5


def stage_due(procedure: str, stage: Stage, calendar: Calendar,
              settings: Timescales = DEFAULT_TIMESCALES):
    """The date the stage's next step is due: the response (Stages 1 and 2), or for a
    statutory Stage 3 the panel, then the panel's report, then the response."""
    if stage.number == 3:
        if stage.panel_report_on:
            return clocks.stage3_response_due(stage.panel_report_on, calendar, settings)
        if stage.panel_met_on:
            return clocks.panel_report_due(stage.panel_met_on, calendar, settings)
        return clocks.panel_due(stage.started_on, calendar, settings)
    return clocks.due_date(procedure, stage.number, stage.started_on, calendar, settings,
                           stage.extended_to, stage.paused_working_days or 0)


def organisation_timescales() -> Timescales:
    """The timescales in force (DOMAIN.md's defaults with the organisation's changes)."""
    from portal.services.procedures.timescales import current_timescales  # it refreshes through us

    return current_timescales()


def refresh(record: Feedback, calendar: Calendar, settings: Timescales | None = None) -> None:
    """Recompute the record's stored due dates and whether it is closed (not committed here).
    Without ``settings``, the organisation's timescales in force are used."""
    settings = settings or organisation_timescales()
    for stage in record.stages:
        stage.due_on = stage_due(record.procedure, stage, calendar, settings)
    record.due_on = _record_due(record, calendar)
    if not is_open(record):
        record.status = "closed"
    elif record.status == "closed":
        record.status = "open"  # reopened, for example by a request for the next stage


def is_open(record: Feedback) -> bool:
    """Something is still to be done: a compliment not yet shared, an initial contact
    without its outcome, or a complaint stage without its response."""
    if record.procedure:
        return not record.stages or any(s.responded_on is None for s in record.stages)
    if record.kind == "compliment":
        return record.shared_on is None
    return (record.outcome or "open") == "open"


def _record_due(record: Feedback, calendar: Calendar):
    if record.procedure:
        open_stages = [s for s in record.stages if s.responded_on is None]
        return open_stages[-1].due_on if open_stages else None
    if record.kind == "initial_contact" and (record.outcome or "open") == "open":
        return working_days.add(record.received_on, FIRST_CONTACT_WORKING_DAYS, calendar)
    return None


def refresh_open(calendar: Calendar, settings: Timescales | None = None) -> int:
    """Recompute every record that still has something due; return how many."""
    settings = settings or organisation_timescales()
    query = select(Feedback).where(
        or_(Feedback.due_on.is_not(None),
            Feedback.id.in_(select(Stage.feedback_id).where(Stage.responded_on.is_(None))))
    )
    count = 0
    for record in db.session.scalars(query).unique():
        refresh(record, calendar, settings)
        count += 1
    return count
