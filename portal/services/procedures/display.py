"""Clocks as staff see them where they work: the case page, the dashboard, the inbox.

Issue 5, 8: "due date, working days left, and an overdue marker (text, not colour
alone)". Each clock carries its own words (``status``); a page may colour them too, but
the words say it. Each clocked step of a stage shows (deadlines.stage_steps): a review
panel's three (DOMAIN.md: panel within 30 WD of the request, report within 5 WD of the
meeting, response within 15 WD of the report), another stage's response; a corporate
stage also shows its acknowledgement clock until acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.models import Feedback, Stage
from portal.services.procedures import clocks, rules
from portal.services.procedures.calendars import current_calendar
from portal.services.procedures.clocks import Timescales
from portal.services.common.dates import spoken
from portal.services.procedures.common import open_stage
from portal.services.procedures.deadlines import acknowledgement_due, stage_steps
from portal.services.procedures.pauses import open_pause
from portal.services.procedures.timescales import current_timescales
from portal.services.procedures.working_days import Calendar


@dataclass(frozen=True)
class ClockView:
    """One clock: what is due, when, and how it stands today."""

    label: str  # "Response due", "Panel meeting due", ...
    due_on: date | None  # None: the clock has not started (waits for an earlier step)
    done_on: date | None = None
    working_days: int = 0  # left, or overdue by
    overdue: bool = False
    paused_since: date | None = None

    @property
    def status(self) -> str:
        """The clock in words, the overdue marker included."""
        if self.done_on is not None:
            late = self.due_on is not None and self.done_on > self.due_on
            return f"Done {spoken(self.done_on)}" + (" (late)" if late else " (in time)")
        if self.due_on is None:
            return "Not started"
        if self.paused_since is not None:
            return f"Paused since {spoken(self.paused_since)}"
        if self.overdue:
            ago = f", {_days(self.working_days)} ago" if self.working_days else ""
            return f"Overdue: was due {spoken(self.due_on)}{ago}"
        if self.working_days == 0:
            return "Due today"
        return f"{_days(self.working_days)} left"


def stage_clocks(stage: Stage, today: date, calendar: Calendar | None = None,
                 settings: Timescales | None = None) -> list[ClockView]:
    """Every clock of a stage, in order, for the case page."""
    calendar = calendar or current_calendar()
    settings = settings or current_timescales()
    procedure = stage.feedback.procedure
    rule = rules.stage(procedure, stage.number)
    views = []
    if rule.acknowledged:
        acknowledge_by = acknowledgement_due(procedure, stage, calendar, settings)
        views.append(_view("Acknowledgement due", acknowledge_by, stage.acknowledged_on,
                           today, calendar))
    pause = open_pause(stage) if rule.pausable else None
    for step in stage_steps(procedure, stage, calendar, settings):
        views.append(_view(f"{step.what.capitalize()} due", step.due_on, step.done_on, today,
                           calendar, pause.started_on if pause else None))
    return views


def record_clock(record: Feedback, today: date, calendar: Calendar | None = None) -> ClockView | None:
    """The one clock a list row shows (dashboard, inbox): the record's stored due date,
    with the open stage's pause. None when nothing is due."""
    if record.due_on is None:
        return None
    stage = open_stage(record) if record.procedure else None
    pause = open_pause(stage) if stage is not None else None
    label = f"Stage {stage.number} due" if stage is not None else "Due"
    return _view(label, record.due_on, None, today, calendar or current_calendar(),
                 pause.started_on if pause else None)


def _view(label: str, due: date | None, done: date | None, today: date, calendar: Calendar,
          paused_since: date | None = None) -> ClockView:
    if due is None or done is not None:
        return ClockView(label, due, done)
    left = clocks.working_days_left(due, today, calendar)
    return ClockView(label, due, None, left.working_days, left.overdue, paused_since)


def _days(n: int) -> str:
    return f"{n} working day" + ("" if n == 1 else "s")
