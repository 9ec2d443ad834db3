"""Pauses: a stage's clock stopped for court, police or disciplinary proceedings.

DOMAIN.md, Both procedures: "Matters subject to court, police or disciplinary
proceedings may be paused: a pause stops the clock (the due date moves on by the paused
working days) and is recorded with its reason." The working days paused are those after
the pause started up to and including the day it ended (working_days.between); when a
pause ends they are added to ``Stage.paused_working_days``, the one number the clock
uses (clocks.due_date adds it after any extension). While a pause is open the stage shows
as paused and its reminders wait.

A review panel's three clocks (panel, report, response) take no pause: the rule-book says
the stage is not ``pausable`` (rules), deadlines.stage_steps applies no pause to them,
and the portal does not offer one.
"""

from __future__ import annotations

from datetime import date

from portal.models import Pause, Stage, StaffUser
from portal.services.common.dates import not_after_today
from portal.services.procedures import rules, working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.common import timeline
from portal.services.common.dates import spoken
from portal.services.procedures.common import (
    require_unanswered,
    required_text,
)
from portal.services.common.errors import Refused, check_version
from portal.services.procedures.deadlines import refresh

PAUSE_REASONS_HINT = "For example: care proceedings in the family court, a police investigation"


def open_pause(stage: Stage) -> Pause | None:
    """The pause in force now, if the stage is paused."""
    return next((pause for pause in stage.pauses if pause.ended_on is None), None)


def is_paused(stage: Stage) -> bool:
    return open_pause(stage) is not None


def pause_stage(stage: Stage, reason: str, started_on: date, actor: StaffUser, *,
                today: date | None = None, version: int | None = None) -> Pause:
    """Stop a stage's clock from ``started_on``."""
    check_version(stage.feedback, version)
    require_unanswered(stage, "pause it")
    if not rules.stage(stage.feedback.procedure, stage.number).pausable:
        raise Refused("A Stage 3 review panel's timescales cannot be paused")
    if is_paused(stage):
        raise Refused(f"Stage {stage.number} is already paused")
    reason = required_text(reason, "Enter the proceedings the complaint is paused for",
                           "pause_reason")
    if started_on < stage.started_on:
        raise Refused(f"The pause must start on or after {spoken(stage.started_on)}, "
                      f"when Stage {stage.number} started", "started_on")
    previous_end = max((p.ended_on for p in stage.pauses if p.ended_on), default=None)
    if previous_end and started_on < previous_end:
        raise Refused(f"The pause must start on or after {spoken(previous_end)}, when "
                      "the last pause ended", "started_on")
    not_after_today(started_on, today, "The date the pause starts must be today or in the past",
               "started_on")
    pause = Pause(reason=reason, started_on=started_on, created_by=actor)
    stage.pauses.append(pause)
    timeline.add(stage.feedback, "status_change",
                 f"Stage {stage.number} paused from {spoken(started_on)}: {reason}", actor)
    return pause


def end_pause(stage: Stage, ended_on: date, actor: StaffUser, *,
              today: date | None = None, version: int | None = None) -> Pause:
    """Restart the clock: the due date moves on by the working days paused."""
    check_version(stage.feedback, version)
    pause = open_pause(stage)
    if pause is None:
        raise Refused(f"Stage {stage.number} is not paused")
    if ended_on < pause.started_on:
        raise Refused(f"The pause must end on or after {spoken(pause.started_on)}, "
                      "when it started", "ended_on")
    not_after_today(ended_on, today, "The date the pause ends must be today or in the past",
               "ended_on")
    calendar = current_calendar()
    pause.ended_on = ended_on
    pause.working_days = working_days.between(pause.started_on, ended_on, calendar)
    stage.paused_working_days = (stage.paused_working_days or 0) + pause.working_days
    refresh(stage.feedback, calendar)
    timeline.add(stage.feedback, "status_change",
                 f"Stage {stage.number} pause ended {spoken(ended_on)}: {pause.working_days} "
                 f"working days paused; response now due {spoken(stage.due_on)}", actor)
    return pause
