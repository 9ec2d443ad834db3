"""Who handles a stage: the officer, and at Stage 2 the Investigating Officer, the
Independent Person and the statement of complaint.

DOMAIN.md, Procedures, stages and clocks. Statutory Stage 2: "Investigating Officer (IO)
and Independent Person (IP) appointed; statement of complaint agreed (date recorded)".
Corporate: "A Stage 2 must be handled by someone other than the Stage 1 officer".
Issue 5: the Independent Person may not be an officer of the organisation: they have an
account of their own kind (role "independent_person") or are a named external person.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Stage, StaffUser
from portal.services.common.dates import not_after_today
from portal.services.procedures import rules
from portal.services.common import timeline
from portal.services.common.dates import spoken
from portal.services.procedures.common import (
    Someone,
    require_unanswered,
    same_person,
    who,
)
from portal.services.common.errors import Refused, check_version
from portal.services.accounts.permissions import has_permission

INDEPENDENT_ROLE = "independent_person"


def appoint_officer(stage: Stage, officer: Someone, actor: StaffUser, *,
                    override_reason: str | None = None, version: int | None = None) -> None:
    """Name the officer handling a stage. At a corporate Stage 2 it must be
    someone other than Stage 1's officer, unless a feedback manager allows it with a
    reason (``override_reason``; see :func:`_check_not_stage1_officer`)."""
    check_version(stage.feedback, version)
    require_unanswered(stage, "change its officer")
    name, user = who(officer, "Enter the officer's name", "officer")
    allowed = _check_not_stage1_officer(stage, name, user, "officer", actor, override_reason)
    stage.officer, stage.officer_user = name, user
    timeline.add(stage.feedback, "assignment", f"Stage {stage.number} officer: {name}", actor)
    _record_override(stage, name, allowed, actor)


def appoint_investigating_officer(stage: Stage, officer: Someone, actor: StaffUser, *,
                                  override_reason: str | None = None,
                                  version: int | None = None) -> None:
    """Appoint a Stage 2 Investigating Officer: not the Independent Person,
    and at a corporate Stage 2 not Stage 1's officer."""
    check_version(stage.feedback, version)
    _require_stage2(stage, "appoint an Investigating Officer")
    name, user = who(officer, "Enter the Investigating Officer's name", "investigating_officer")
    if same_person(name, user.id if user else None, stage.independent_person,
                   stage.independent_person_id):
        raise Refused("The Investigating Officer and the Independent Person must be "
                      "different people", "investigating_officer")
    allowed = _check_not_stage1_officer(stage, name, user, "investigating_officer", actor,
                                        override_reason)
    stage.investigating_officer, stage.investigating_officer_user = name, user
    timeline.add(stage.feedback, "assignment", f"Stage 2 Investigating Officer: {name}", actor)
    _record_override(stage, name, allowed, actor)


def appoint_independent_person(stage: Stage, person: Someone, actor: StaffUser, *,
                               version: int | None = None) -> None:
    """Appoint the statutory Stage 2 Independent Person: an account with the
    role "independent_person", or a named person from outside the organisation."""
    check_version(stage.feedback, version)
    _require_stage2(stage, "appoint an Independent Person")
    if not rules.stage(stage.feedback.procedure, stage.number).independent_person:
        raise Refused("Only the statutory procedure has an Independent Person")
    name, user = who(person, "Enter the Independent Person's name", "independent_person")
    check_independent(name, user, "independent_person")
    if same_person(name, user.id if user else None, stage.investigating_officer,
                   stage.investigating_officer_id):
        raise Refused("The Independent Person and the Investigating Officer must be "
                      "different people", "independent_person")
    stage.independent_person, stage.independent_person_user = name, user
    timeline.add(stage.feedback, "assignment", f"Stage 2 Independent Person: {name}", actor)


def record_statement_agreed(stage: Stage, agreed_on: date, actor: StaffUser, *,
                            today: date | None = None, version: int | None = None) -> None:
    """Record when the statement of complaint was agreed with the complainant."""
    check_version(stage.feedback, version)
    _require_stage2(stage, "record the statement of complaint")
    if agreed_on < stage.started_on:
        raise Refused(f"The statement of complaint must be agreed on or after "
                      f"{spoken(stage.started_on)}, when Stage 2 started", "agreed_on")
    not_after_today(agreed_on, today, "The date agreed must be today or in the past", "agreed_on")
    stage.statement_agreed_on = agreed_on
    timeline.add(stage.feedback, "status_change",
                 f"Statement of complaint agreed on {spoken(agreed_on)}", actor)


def check_independent(name: str, user: StaffUser | None, field: str) -> None:
    """An independent person is never an officer of the organisation: an account must
    have the role "independent_person", and a name typed in must not be that of a
    member of staff with another role."""
    if user is not None:
        if user.role != INDEPENDENT_ROLE:
            raise Refused(f"{name} is an officer of the organisation, so cannot be "
                          "an independent person", field)
        return
    clash = db.session.scalars(
        select(StaffUser).where(func.lower(StaffUser.name) == " ".join(name.split()).lower(),
                                StaffUser.role != INDEPENDENT_ROLE)
    ).first()
    if clash is not None:
        raise Refused(f"{name} is the name of an officer of the organisation, so "
                      "cannot be an independent person", field)


def _require_stage2(stage: Stage, doing: str) -> None:
    if stage.number != 2:
        raise Refused(f"You can only {doing} at Stage 2")
    require_unanswered(stage, doing)


def _check_not_stage1_officer(stage: Stage, name: str, user: StaffUser | None, field: str,
                              actor: StaffUser | None = None,
                              override_reason: str | None = None) -> str | None:
    """DOMAIN.md, Corporate (and the Complaint Handling Code): a Stage 2 is handled by
    someone other than Stage 1's officer. Refused otherwise, unless someone with the
    permission "allow_same_stage2_handler" (a feedback manager) gives the reason it must
    be the same person; that reason is returned, to be kept on the stage and the timeline.
    """
    if not rules.stage(stage.feedback.procedure, stage.number).not_stage1_officer:
        return None
    first = next((s for s in stage.feedback.stages if s.number == 1), None)
    if first is None or not same_person(name, user.id if user else None, first.officer,
                                        first.officer_id):
        return None
    reason = (override_reason or "").strip()
    if not reason:
        raise Refused(f"{name} was the Stage 1 officer: a corporate Stage 2 must be "
                      "handled by someone else (a feedback manager can allow it, with the "
                      "reason)", field)
    if not has_permission(actor, "allow_same_stage2_handler"):
        raise Refused("Only a feedback manager can allow the Stage 1 officer to handle "
                      "Stage 2", "override_reason")
    return reason


def _record_override(stage: Stage, name: str, reason: str | None, actor: StaffUser) -> None:
    """Keep a manager's reason for letting the Stage 1 officer handle Stage 2 on the stage
    (audited with the row) and on the timeline."""
    if reason is None:
        return
    stage.same_handler_reason = reason
    timeline.add(stage.feedback, "assignment",
                 f"{actor.name} allowed {name}, the Stage 1 officer, to handle Stage "
                 f"{stage.number}: {reason}", actor)
