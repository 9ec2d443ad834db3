"""Stage 3 of the statutory procedure: the review panel.

DOMAIN.md, Children's social care, Stage 3: "panel of three independent people, one
chairs; the Stage 2 IP may not sit"; the panel meets within 30 WD of the request, its
report within 5 WD of the meeting, the organisation's response within 15 WD of the
report (clocks.panel_due, panel_report_due, stage3_response_due; shown by
display.stage_clocks). A meeting or report recorded after its date is accepted and
shown as late: the dates are facts, the clocks judge them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

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
from portal.services.procedures.deadlines import refresh
from portal.services.procedures.stage2 import check_independent

PANEL_SIZE = 3


def appoint_panel(stage: Stage, members: Sequence[Someone], chair: Someone,
                  actor: StaffUser, *, version: int | None = None) -> None:
    """Appoint the panel of three independent people, one of them the chair.

    Each member is an account with the role "independent_person" or a named person
    from outside the organisation; none may be the Stage 2 Independent Person.
    ``panel_members`` keeps their names, the chair first.
    """
    check_version(stage.feedback, version)
    _require_stage3(stage, "appoint the panel")
    people = [who(member, "Enter the name of each panel member", "panel_members")
              for member in members if not (isinstance(member, str) and not member.strip())]
    if len(people) != PANEL_SIZE:
        raise Refused("Enter three panel members", "panel_members")
    for i, (name, user) in enumerate(people):
        for other_name, other_user in people[:i]:
            if same_person(name, user.id if user else None, other_name,
                           other_user.id if other_user else None):
                raise Refused(f"{name} is named twice: the panel needs three different "
                              "people", "panel_members")
    chair_name, chair_user = who(chair, "Select who chairs the panel", "chair")
    chair_index = next((i for i, (name, user) in enumerate(people)
                        if same_person(name, user.id if user else None, chair_name,
                                       chair_user.id if chair_user else None)), None)
    if chair_index is None:
        raise Refused("The chair must be one of the three panel members", "chair")
    stage2 = next((s for s in stage.feedback.stages if s.number == 2), None)
    for name, user in people:
        check_independent(name, user, "panel_members")
        if stage2 is not None and same_person(name, user.id if user else None,
                                              stage2.independent_person,
                                              stage2.independent_person_id):
            raise Refused(f"{stage2.independent_person or name} was the Stage 2 "
                          "Independent Person, so cannot sit on the panel",
                          "panel_members")
    people.insert(0, people.pop(chair_index))
    stage.panel_members = [name for name, _ in people]
    timeline.add(stage.feedback, "assignment",
                 f"Stage 3 panel: {people[0][0]} (chair), {people[1][0]}, {people[2][0]}", actor)


def record_panel_meeting(stage: Stage, met_on: date, actor: StaffUser, *,
                         today: date | None = None, version: int | None = None) -> None:
    """Record the panel's meeting; the report's 5 WD clock starts."""
    check_version(stage.feedback, version)
    _require_stage3(stage, "record the panel meeting")
    if len(stage.panel_members or []) != PANEL_SIZE:
        raise Refused("Appoint the panel before recording its meeting")
    if met_on < stage.started_on:
        raise Refused(f"The panel must meet on or after {spoken(stage.started_on)}, when "
                      "Stage 3 was requested", "panel_met_on")
    not_after_today(met_on, today, "The date the panel met must be today or in the past",
               "panel_met_on")
    if stage.panel_report_on and met_on > stage.panel_report_on:
        raise Refused("The panel must meet on or before the date of its report",
                      "panel_met_on")
    stage.panel_met_on = met_on
    refresh(stage.feedback)
    timeline.add(stage.feedback, "status_change", f"Stage 3 panel met on {spoken(met_on)}", actor)


def record_panel_report(stage: Stage, report_on: date, actor: StaffUser, *,
                        today: date | None = None, version: int | None = None) -> None:
    """Record the date of the panel's report; the response's 15 WD clock
    starts."""
    check_version(stage.feedback, version)
    _require_stage3(stage, "record the panel's report")
    if stage.panel_met_on is None:
        raise Refused("Record the panel meeting before its report")
    if report_on < stage.panel_met_on:
        raise Refused(f"The report must be dated on or after {spoken(stage.panel_met_on)}, "
                      "when the panel met", "panel_report_on")
    not_after_today(report_on, today, "The date of the report must be today or in the past",
               "panel_report_on")
    stage.panel_report_on = report_on
    refresh(stage.feedback)
    timeline.add(stage.feedback, "status_change",
                 f"Stage 3 panel report received, dated {spoken(report_on)}", actor)


def _require_stage3(stage: Stage, doing: str) -> None:
    if not rules.stage(stage.feedback.procedure, stage.number).review_panel:
        raise Refused(f"You can only {doing} at Stage 3 of the statutory procedure")
    require_unanswered(stage, doing)
