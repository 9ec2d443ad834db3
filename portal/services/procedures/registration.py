"""A complaint enters a procedure: registered straight in, or an initial contact
progressed to Stage 1; and the corporate acknowledgement.

DOMAIN.md, Procedures, stages and clocks: Stage 1's clock starts on "the date the
complaint is registered (for an initial contact progressed to Stage 1, the progression
date)". Both procedures: "Complaints are normally made within one year of the events; a
later one may be accepted with a recorded reason". Corporate: acknowledge within 5 WD.
"""

from __future__ import annotations

from datetime import date

from portal.models import Feedback, Stage, StaffUser
from portal.services.common.dates import not_after_today
from portal.services.procedures import clocks
from portal.services.procedures.common import not_accepted
from portal.services.common import timeline
from portal.services.common.dates import spoken
from portal.services.common.errors import Refused, check_version
from portal.services.procedures.deadlines import refresh
from portal.services.common.labels import Procedure
from portal.services.procedures.rules import stage_name
from portal.services.procedures.timescales import current_timescales


def register_complaint(
    record: Feedback,
    procedure: str,
    registered_on: date,
    actor: StaffUser,
    *,
    events_on: date | None = None,
    late_complaint_reason: str | None = None,
    today: date | None = None,
    version: int | None = None,
) -> Stage:
    """Register a record as a complaint at Stage 1 of ``procedure``.

    For something logged straight in as a complaint: the record becomes kind
    "complaint". An initial contact that has been worked on informally should be
    progressed instead (:func:`progress_to_stage1`), so that the report counts it as an
    initial contact progressed. Stage 1's clock starts on ``registered_on``.
    ``events_on`` is the latest date of the events complained about; more than a year
    before the record was received, ``late_complaint_reason`` is required.
    """
    check_version(record, version)
    _check_can_enter(record, procedure)
    if record.kind == "initial_contact" and (record.outcome or "open") != "open":
        raise Refused(
            f"{record.reference} already has an outcome as an initial contact, so it "
            "cannot be registered as a complaint"
        )
    stage = _enter_stage1(record, procedure, registered_on, "registered", events_on=events_on,
                          late_complaint_reason=late_complaint_reason, today=today)
    record.kind = "complaint"
    record.outcome = None
    record.outcome_on = None
    timeline.add(record, "status_change",
                 f"Registered as a complaint: {Procedure(procedure).words}, "
                 f"{stage_name(procedure, 1)} from {spoken(registered_on)}", actor)
    _finish(record)
    return stage


def progress_to_stage1(
    record: Feedback,
    procedure: str,
    progressed_on: date,
    actor: StaffUser,
    *,
    events_on: date | None = None,
    late_complaint_reason: str | None = None,
    today: date | None = None,
    version: int | None = None,
) -> Stage:
    """Progress an open initial contact to a Stage 1 complaint.

    The initial contact's outcome becomes "progressed" on ``progressed_on``, and Stage
    1's clock starts that day (DOMAIN.md: "for an initial contact progressed to Stage
    1, the progression date"). The one-year rule applies as for a registration.
    """
    check_version(record, version)
    _check_can_enter(record, procedure)
    if record.kind != "initial_contact":
        raise Refused(f"Only an initial contact can be progressed to Stage 1; "
                      f"{record.reference} is not one")
    if (record.outcome or "open") != "open":
        raise Refused(
            f"{record.reference} already has an outcome ({record.outcome}); only an open "
            "initial contact can be progressed to Stage 1"
        )
    stage = _enter_stage1(record, procedure, progressed_on, "progressed", events_on=events_on,
                          late_complaint_reason=late_complaint_reason, today=today)
    record.outcome = "progressed"
    record.outcome_on = progressed_on
    timeline.add(record, "status_change",
                 f"Progressed to a Stage 1 complaint: {Procedure(procedure).words}, "
                 f"clock started {spoken(progressed_on)}", actor)
    _finish(record)
    return stage


def record_acknowledgement(stage: Stage, acknowledged_on: date, actor: StaffUser, *,
                           today: date | None = None, version: int | None = None) -> None:
    """Record when a stage was acknowledged. DOMAIN.md, Corporate: Stages 1
    and 2 are acknowledged within 5 WD; the clock shows until this date is recorded. Under
    the Complaint Handling Code (from 1 April 2026) the response is due counted from this
    date, so the stage's due date is recomputed."""
    check_version(stage.feedback, version)
    if stage.feedback.not_accepted_on is not None:
        raise Refused(not_accepted(stage.feedback, "record the acknowledgement"), "acknowledged_on")
    if stage.responded_on is not None:
        raise Refused(f"Stage {stage.number} has already responded", "acknowledged_on")
    if acknowledged_on < stage.started_on:
        raise Refused(
            f"The date acknowledged must be on or after {spoken(stage.started_on)}, "
            f"when Stage {stage.number} started", "acknowledged_on")
    not_after_today(acknowledged_on, today, "The date acknowledged must be today or in the past",
               "acknowledged_on")
    stage.acknowledged_on = acknowledged_on
    refresh(stage.feedback)
    timeline.add(stage.feedback, "status_change",
                 f"Stage {stage.number} acknowledged on {spoken(acknowledged_on)}", actor)


def _check_can_enter(record: Feedback, procedure: str) -> None:
    if procedure not in Procedure:
        raise Refused("Select which complaints procedure applies", "procedure")
    if record.kind == "compliment":
        raise Refused("A compliment cannot become a complaint")
    if record.procedure or record.stages:
        raise Refused(f"{record.reference} is already a complaint under the "
                      f"{record.procedure} procedure")


def _check_time_limit(record: Feedback, procedure: str, start: date, events_on: date | None,
                      reason: str | None) -> str | None:
    """DOMAIN.md, Both procedures: over a year after the events, a reason is needed."""
    reason = (reason or "").strip() or None
    if events_on is None:
        return reason
    if events_on > start:
        raise Refused("The date of the events must be on or before the date the "
                      "complaint starts", "events_on")
    settings = current_timescales().in_force(procedure, start)  # the set Stage 1 will follow
    if clocks.needs_late_complaint_reason(events_on, record.received_on, settings) and not reason:
        limit = clocks.complaint_time_limit(events_on, settings)
        raise Refused(
            f"Enter why the complaint is accepted although it was made more than a year "
            f"after the events (it would have been in time up to {spoken(limit)})",
            "late_complaint_reason")
    return reason


def _enter_stage1(record: Feedback, procedure: str, start: date, verb: str, *,
                  events_on: date | None, late_complaint_reason: str | None,
                  today: date | None) -> Stage:
    """Start Stage 1 of ``procedure`` on ``start`` (the date the record was ``verb``, its
    form's field ``{verb}_on``): no earlier than the record was received, not in the
    future, and within the one-year rule."""
    field = f"{verb}_on"
    if start < record.received_on:
        raise Refused(
            f"The date {verb} must be on or after {spoken(record.received_on)}, when "
            f"{record.reference} was received", field)
    not_after_today(start, today, f"The date {verb} must be today or in the past", field)
    reason = _check_time_limit(record, procedure, start, events_on, late_complaint_reason)
    record.procedure = procedure
    officer = record.assigned_to
    stage = Stage(number=1, started_on=start, team_id=record.team_id, theme_id=record.theme_id,
                  officer=officer.name if officer else None, officer_user=officer,
                  events_on=events_on, late_complaint_reason=reason, paused_working_days=0,
                  panel_members=[])
    record.stages.append(stage)
    return stage


def _finish(record: Feedback) -> None:
    if record.status == "new":
        record.status = "open"
    refresh(record)
