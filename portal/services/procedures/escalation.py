"""Escalation: a request to take the complaint to the next stage.

DOMAIN.md, Both procedures: "the next stage must be requested within 20 WD of the
previous stage's response. A late request may be accepted with a recorded reason." The
next stage's clock starts on the date the request is received (Procedures, stages and
clocks: Stage 2 and Stage 3 "clock starts").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template

from portal.models import Feedback, Stage, StaffUser
from portal.services.common.dates import not_after_today
from portal.services.procedures import clocks, rules
from portal.services.common import outbox, timeline
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import spoken
from portal.services.procedures.common import required_text
from portal.services.common.errors import Refused, check_version
from portal.services.procedures.deadlines import refresh
from portal.services.procedures.rules import stage_name
from portal.services.procedures.elements import carry_up
from portal.services.procedures.timescales import current_timescales


@dataclass(frozen=True)
class EscalationWindow:
    """Where a complaint stands for escalation: the stage that may be asked for next, and
    the last day of the window (after it, a request needs a reason)."""

    next_stage: int
    previous_response_on: date
    deadline: date


def escalation_window(record: Feedback) -> EscalationWindow | None:
    """The window for the next stage, when the last stage has responded and is not the
    procedure's last; None otherwise."""
    if not record.procedure or not record.stages:
        return None
    last = record.stages[-1]
    if last.responded_on is None or rules.stage(record.procedure, last.number).last:
        return None
    deadline = clocks.escalation_deadline(
        last.responded_on, current_calendar(),
        current_timescales().in_force(record.procedure, last.started_on))
    return EscalationWindow(last.number + 1, last.responded_on, deadline)


def request_next_stage(
    record: Feedback,
    requested_on: date,
    actor: StaffUser,
    *,
    late_request_reason: str | None = None,
    today: date | None = None,
    version: int | None = None,
) -> Stage:
    """Staff record a request for the next stage, received on ``requested_on``. A
    request after the window needs ``late_request_reason``.

    The new stage starts on ``requested_on``, with the previous stage's team and theme
    and its elements carried up (withdrawn ones stay behind).
    """
    check_version(record, version)
    window = _window_or_refuse(record)
    if requested_on < window.previous_response_on:
        raise Refused(
            f"The date the request was received must be on or after "
            f"{spoken(window.previous_response_on)}, when Stage {window.next_stage - 1} "
            "was responded to", "requested_on")
    not_after_today(requested_on, today, "The date the request was received must be today or in "
               "the past", "requested_on")
    reason = (late_request_reason or "").strip() or None
    if requested_on > window.deadline and not reason:
        raise Refused(
            f"Enter why this late request is accepted: the time to ask for Stage "
            f"{window.next_stage} ended on {spoken(window.deadline)}", "late_request_reason")
    if requested_on <= window.deadline:
        reason = None
    stage = _start(record, window, requested_on, reason)
    words = f"Stage {stage.number} requested; received {spoken(requested_on)}"
    if reason:
        words += f" (late; accepted because: {reason})"
    timeline.add(record, "status_change", words, actor)
    refresh(record)
    return stage


def request_from_status_page(record: Feedback, requested_on: date, who: str,
                             unhappy_about: str, *, version: int | None = None) -> Stage:
    """The person asks for the next stage from their status page, saying what
    they are still unhappy about (issue 13: required; kept on the timeline), and the
    officer is told by email (:func:`_tell_officer`).

    Only within the window: after it, the page says to contact the team, whose staff
    may accept a late request with a reason (:func:`request_next_stage`). ``who`` is the
    label for the timeline (the person's name, or "The person who sent it").
    """
    check_version(record, version)
    window = _window_or_refuse(record)
    unhappy_about = _reasons(record, window, unhappy_about)
    if requested_on > window.deadline:
        raise Refused(
            f"The time to ask for Stage {window.next_stage} online ended on "
            f"{spoken(window.deadline)}. Contact the Customer Feedback Team: they can still "
            "consider your request.")
    stage = _start(record, window, requested_on, None)
    timeline.add(record, "status_change",
                 f"Stage {stage.number} requested from the status page. What they are still unhappy "
                 f"about: {unhappy_about}", None, actor_label=who)
    refresh(record)
    _tell_officer(record, window, requested_on, late=False)
    return stage


def note_late_request_from_status_page(record: Feedback, requested_on: date, who: str,
                                       unhappy_about: str, *,
                                       version: int | None = None) -> EscalationWindow:
    """The person asked from their status page after the window closed.

    Nothing starts: DOMAIN.md, "A late request may be accepted with a recorded reason",
    and that is for staff to decide. The request goes on the timeline, dated, with what
    they are still unhappy about, so staff can accept it with :func:`request_next_stage`
    and a reason; the officer is told by email.
    """
    check_version(record, version)
    window = _window_or_refuse(record)
    unhappy_about = _reasons(record, window, unhappy_about)
    timeline.add(record, "status_change",
                 f"Stage {window.next_stage} asked for from the status page on {spoken(requested_on)}, "
                 f"after the time to ask ended on {spoken(window.deadline)}. To accept it, record the "
                 f"request with the reason it is accepted late. What they are still unhappy about: "
                 f"{unhappy_about}", None, actor_label=who)
    _tell_officer(record, window, requested_on, late=True)
    return window


def reasons_needed(record: Feedback, next_stage: int) -> bool:
    """Whether a request for ``next_stage`` must say what the person is still unhappy
    about (rules.StageRule.request_needs_reasons: never under the Complaint Handling Code)."""
    return rules.stage(record.procedure, next_stage).request_needs_reasons


def _reasons(record: Feedback, window: EscalationWindow, unhappy_about: str | None) -> str:
    if reasons_needed(record, window.next_stage):
        return required_text(unhappy_about, "Enter what you are still unhappy about",
                             "unhappy_about")
    return (unhappy_about or "").strip() or "(they gave no reasons, and need not)"


def _tell_officer(record: Feedback, window: EscalationWindow, requested_on: date, late: bool) -> None:
    """Email the officer the case is assigned to (the team's mailbox when nobody is, or
    their account is no longer active) through the outbox: the person asked for the next
    stage. The email does not repeat what they wrote; the case's timeline has it."""
    officer = record.assigned_to if record.assigned_to is not None and record.assigned_to.active else None
    to = officer.email if officer is not None else current_app.config["ORG_EMAIL"]
    outbox.queue(
        to,
        f"Stage {window.next_stage} asked for on {record.reference}" + (" (after the time to ask)" if late else ""),
        render_template("email/next_stage_requested.txt", record=record, officer=officer,
                        window=window, requested_on=requested_on, late=late, spoken=spoken),
        purpose="next_stage_requested", feedback=record)


def _window_or_refuse(record: Feedback) -> EscalationWindow:
    window = escalation_window(record)
    if window is not None:
        return window
    if not record.procedure or not record.stages:
        raise Refused(f"{record.reference} is not a complaint under a procedure yet")
    last = record.stages[-1]
    if last.responded_on is None:
        raise Refused(f"Stage {last.number} must be responded to before the complaint "
                      f"can go to Stage {last.number + 1}")
    raise Refused(
        f"{stage_name(record.procedure, last.number)} is the last stage of this procedure: "
        "the complainant can now go to the Local Government and Social Care Ombudsman")


def _start(record: Feedback, window: EscalationWindow, requested_on: date,
           reason: str | None) -> Stage:
    previous = record.stages[-1]
    stage = Stage(number=window.next_stage, started_on=requested_on, team_id=previous.team_id,
                  theme_id=previous.theme_id, late_request_reason=reason,
                  paused_working_days=0, panel_members=[])
    record.stages.append(stage)
    carry_up(previous, stage)
    return stage
