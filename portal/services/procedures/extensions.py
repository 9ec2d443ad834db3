"""Extensions of a stage's response date.

DOMAIN.md, Procedures, stages and clocks: statutory Stage 1 to at most 20 WD and Stage 2
to at most 65 WD, "reason recorded, complainant told"; corporate Stage 1 up to 10 WD
more, "reason recorded", and Stage 2 up to 20 WD more, "reason recorded, agreed with the
complainant"; Stage 3 none. Both procedures: "The portal refuses to record an extension
beyond the maximum". Under the Complaint Handling Code (the corporate procedure from 1
April 2026) the person is told the reason and the Ombudsman's details.

Recording an extension (``extend_stage``) and telling the person are two steps: the
extension notice is a letter or email written, checked and previewed on the letters page
(issue 18: nothing goes without the check), and sending it records how and when they
were told (``record_notice``). Until then the case page says they have not been told.
"""

from __future__ import annotations

from datetime import date

from portal.models import OutboxMessage, Stage, StageExtension, StaffUser
from portal.services.common.labels import NoticeMethod
from portal.services.procedures import clocks, rules
from portal.services.common import timeline
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import spoken
from portal.services.procedures.common import require_unanswered, required_text
from portal.services.common.errors import Refused, check_version
from portal.services.procedures.deadlines import refresh, stage_timescales
from portal.services.procedures.timescales import current_timescales


def tells_ombudsman(stage: Stage) -> bool:
    """Whether the extension notice must give the Ombudsman's details: a corporate stage
    under the Complaint Handling Code (DOMAIN.md, "Timescales change on a date": from 1
    April 2026, "extension ... with the reason and the Ombudsman's details told"). A stage
    follows the rules in force on its clock start. The Code does not apply to the
    statutory procedure."""
    return (stage.feedback.procedure == "corporate"
            and stage.started_on >= clocks.COMPLAINT_HANDLING_CODE.effective_from)


def untold(stage: Stage) -> list[StageExtension]:
    """The stage's extensions the person has not yet been told of."""
    return [e for e in stage.extensions if e.told_on is None]


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
    actor: StaffUser,
    *,
    agreed_with_complainant: bool = False,
    today: date | None = None,
    version: int | None = None,
) -> StageExtension:
    """Extend a stage's response date to ``extended_to``, with its reason.

    Refused beyond the maximum (clocks.check_extension), without a reason, and for a
    corporate Stage 2 unless the complainant agreed. The person is told by the
    extension notice, sent from the letters page (``record_notice``).
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
    if rules.stage(record.procedure, stage.number).extension_agreed and not agreed_with_complainant:
        raise Refused("A corporate Stage 2 can only be extended with the complainant's "
                      "agreement: confirm they have agreed", "agreed_with_complainant")

    stage.extended_to = extended_to
    stage.extension_reason = reason
    extension = StageExtension(extended_to=extended_to, reason=reason,
                               agreed_with_complainant=agreed_with_complainant, created_by=actor)
    stage.extensions.append(extension)
    refresh(record, calendar, settings)
    timeline.add(record, "status_change",
                 f"Stage {stage.number} extended to {spoken(extended_to)}: {reason} "
                 "(the complainant is told by the extension notice)", actor)
    return extension


def record_notice(stage: Stage, told_by: str, told_on: date,
                  outbox_message: OutboxMessage | None = None) -> list[StageExtension]:
    """The extension notice went (``told_by``: "email" or "letter", on ``told_on``): each
    extension of the stage not yet told is now told. The letters page calls this when it
    sends the notice; its letter is on the timeline."""
    if told_by not in NoticeMethod:
        raise Refused("Select how the complainant is told about the extension", "channel")
    told = untold(stage)
    for extension in told:
        extension.told_by, extension.told_on, extension.outbox_message = told_by, told_on, outbox_message
    return told
