"""Extensions of a stage's response date.

DOMAIN.md, Procedures, stages and clocks: statutory Stage 1 to at most 20 WD and Stage 2
to at most 65 WD, "reason recorded, complainant told"; corporate Stage 1 up to 10 WD
more, "reason recorded", and Stage 2 up to 20 WD more, "reason recorded, agreed with the
complainant"; Stage 3 none. Both procedures: "The portal refuses to record an extension
beyond the maximum". Issue 5: the complainant is told by a letter or an email, so every
extension records how and when.
"""

from __future__ import annotations

from datetime import date

from flask import render_template

from portal.models import Feedback, Stage, StageExtension, StaffUser
from portal.services.common.dates import today_or, not_after_today
from portal.services.common.labels import NoticeMethod
from portal.services.procedures import clocks, rules
from portal.services.common import outbox, timeline
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import spoken
from portal.services.procedures.common import (
    can_email,
    require_unanswered,
    required_text,
)
from portal.services.common.errors import Refused, check_version
from portal.services.procedures.deadlines import refresh, stage_timescales
from portal.services.procedures.rules import stage_name
from portal.services.procedures.timescales import current_timescales


def ombudsman_details(record: Feedback) -> str | None:
    """What an extension's notice says about the Ombudsman: the Complaint Handling Code
    (the corporate procedure) tells the person the reason together with the
    Ombudsman's details. None for the statutory procedure."""
    if record.procedure != "corporate":
        return None
    from portal.services.procedures.responses import OMBUDSMAN, OMBUDSMAN_CONTACT

    return (f"If you are unhappy about the delay, you can contact the {OMBUDSMAN}. The "
            f"Ombudsman is free and independent ({OMBUDSMAN_CONTACT}).")


def notice_methods(record: Feedback) -> list[str]:
    """How the complainant can be told of an extension: by email only when they gave an
    email address, by a letter always."""
    return ["email", "letter"] if can_email(record) else ["letter"]


def latest_extension_date(stage: Stage) -> date:
    """The furthest a stage can be extended to (before pauses), for the form's hint."""
    procedure = stage.feedback.procedure
    return clocks.maximum_extension_date(procedure, stage.number, stage.started_on,
                                         current_calendar(),
                                         stage_timescales(procedure, stage, current_timescales()),
                                         acknowledged_on=stage.acknowledged_on)


def extend_stage(
    stage: Stage,
    extended_to: date,
    reason: str,
    told_by: str,
    actor: StaffUser,
    *,
    told_on: date | None = None,
    agreed_with_complainant: bool = False,
    today: date | None = None,
    version: int | None = None,
) -> StageExtension:
    """Extend a stage's response date to ``extended_to``.

    Refused beyond the maximum (clocks.check_extension), without a reason, without
    saying how the complainant is told (``told_by``: "email" or "letter"), and for a
    corporate Stage 2 unless the complainant agreed. With "email" the letter goes to the
    person's email address through the outbox; with "letter" staff have posted it on
    ``told_on`` (default today).
    """
    record = stage.feedback
    check_version(record, version)
    require_unanswered(stage, "extend it")
    calendar, settings = current_calendar(), current_timescales()
    try:
        clocks.check_extension(record.procedure, stage.number, stage.started_on, extended_to,
                               calendar, stage_timescales(record.procedure, stage, settings),
                               acknowledged_on=stage.acknowledged_on)
    except Refused as refusal:
        raise Refused(str(refusal), "extended_to") from refusal
    reason = required_text(reason, "Enter the reason for the extension", "extension_reason")
    if told_by not in NoticeMethod:
        raise Refused("Select how the complainant is told about the extension", "told_by")
    if rules.stage(record.procedure, stage.number).extension_agreed and not agreed_with_complainant:
        raise Refused("A corporate Stage 2 can only be extended with the complainant's "
                      "agreement: confirm they have agreed", "agreed_with_complainant")
    told_on = told_on or today_or(today)
    not_after_today(told_on, today, "The date the complainant was told must be today or in the past",
               "told_on")
    email = record.person.email if record.person else None
    if told_by == "email" and not email:
        raise Refused("There is no email address for the complainant: send a letter "
                      "and record it as a letter", "told_by")

    stage.extended_to = extended_to
    stage.extension_reason = reason
    extension = StageExtension(extended_to=extended_to, reason=reason, told_by=told_by,
                               told_on=told_on, agreed_with_complainant=agreed_with_complainant,
                               created_by=actor)
    stage.extensions.append(extension)
    refresh(record, calendar, settings)
    if told_by == "email":
        body = render_template("email/extension.txt", record=record, stage=stage,
                               stage_name=stage_name(record.procedure, stage.number),
                               reason=reason, due=stage.due_on,
                               ombudsman=ombudsman_details(record))
        extension.outbox_message = outbox.queue(
            email, f"We need more time to respond to your complaint - reference {record.reference}",
            body, purpose="extension", feedback=record)
    timeline.add(record, "status_change",
                 f"Stage {stage.number} extended to {spoken(extended_to)}: {reason} "
                 f"(complainant told by {told_by} on {spoken(told_on)})", actor)
    return extension
