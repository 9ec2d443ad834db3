"""The case page's complaint procedure panel (issue 5): each stage with its clocks, and
for the open stage a form for every action it allows; after a response, the request
for the next stage. The whole panel is one HTMX swap target (``#procedure``)."""

from __future__ import annotations

from portal.models import Feedback, Stage, StaffUser
from portal.services.accounts import staff_accounts
from portal.services.procedures import current_timescales, elements, escalation, extensions, pauses, rules
from portal.services.procedures.common import open_stage
from portal.services.procedures.display import stage_clocks
from portal.services.common.labels import Procedure
from portal.services.procedures.rules import stage_name
from portal.services.procedures.stage2 import INDEPENDENT_ROLE
from staff.case.panel import CaseView, Panel
from staff.fields import assignable_staff, themes
from staff.procedures.forms import (
    AcknowledgeForm,
    ElementForm,
    ElementOutcomeForm,
    EndPauseForm,
    EscalationForm,
    ExtensionForm,
    IndependentPersonForm,
    InvestigatingOfficerForm,
    OfficerForm,
    PanelForm,
    PanelMeetingForm,
    PanelReportForm,
    PauseForm,
    RemoveElementForm,
    StatementForm,
    numbered,
)


def independent_people() -> list[StaffUser]:
    """Accounts ready for work that may be an Independent Person or sit on a Stage 3 panel."""
    return staff_accounts.ready_staff(role=INDEPENDENT_ROLE)


def element_key(number: int, kind: str) -> str:
    """The slot of element ``number``'s ``kind`` form (outcome, change, remove)."""
    return f"element-{number}-{kind}"


def element_forms(case: CaseView, stage: Stage) -> dict[int, dict]:
    """Per element, its outcome, change and remove forms, with ids of their own."""
    version = {"version": stage.feedback.version}
    fresh = {
        "outcome": lambda element: ElementOutcomeForm(data={"outcome": element.outcome or "", **version},
                                                      formdata=None),
        "change": lambda element: ElementForm(data={"summary": element.summary, "theme_id": element.theme_id,
                                                    **version}, themes=themes(), formdata=None),
        "remove": lambda element: RemoveElementForm(data=version, formdata=None),
    }
    return {
        element.number: {
            kind: case.form(element_key(element.number, kind),
                            lambda make=make, element=element: numbered(make(element), element.number))
            for kind, make in fresh.items()
        }
        for element in stage.elements
    }


def procedure(case: CaseView) -> dict:
    """Each stage with its rules and clocks, and for the open stage its rules
    (``stage_rule``) and a form for every action it allows."""
    record, day = case.record, case.day
    stages = [dict(stage=stage, rule=rules.stage(record.procedure, stage.number),
                   name=stage_name(record.procedure, stage.number),
                   clocks=stage_clocks(stage, day), pause=pauses.open_pause(stage),
                   outcome_label=elements.outcome_label)
              for stage in record.stages]
    context = dict(procedure_label=Procedure(record.procedure).words, procedure_stages=stages,
                   escalation_window=escalation.escalation_window(record),
                   escalation_days=(current_timescales().in_force(
                       record.procedure, record.stages[-1].started_on) if record.stages
                       else current_timescales().base).escalation_window,
                   last_stage_done=bool(stages) and stages[-1]["stage"].responded_on is not None
                   and stages[-1]["rule"].last,
                   open_stage=None)
    if record.not_accepted_on is not None:
        # Not accepted (issue 21): the procedure goes no further, so nothing is offered on
        # its stages (the Not accepted panel says what was decided).
        context["escalation_window"] = None
        return context
    stage = open_stage(record)
    version = {"version": record.version}
    if stage is None:
        context["escalation_form"] = case.form("escalation", lambda: EscalationForm(data=version, formdata=None))
        return context
    officers = assignable_staff()
    independents = independent_people()
    rule = rules.stage(record.procedure, stage.number)
    context.update(
        open_stage=stage,
        stage_rule=rule,
        latest_extension=extensions.latest_extension_date(stage) if rule.extendable else None,
        acknowledge_form=case.form("acknowledge", lambda: AcknowledgeForm(data=version, formdata=None)),
        extension_form=case.form("extension", lambda: ExtensionForm(data=version, formdata=None)),
        pause_form=case.form("pause", lambda: PauseForm(data=version, formdata=None)),
        end_pause_form=case.form("end_pause", lambda: EndPauseForm(data=version, formdata=None)),
        officer_form=case.form("officer", lambda: OfficerForm(
            data={"officer": stage.officer_id, **version}, people=officers, formdata=None)),
        io_form=case.form("investigating_officer", lambda: InvestigatingOfficerForm(
            data={"investigating_officer": stage.investigating_officer_id, **version},
            people=officers, formdata=None)),
        ip_form=case.form("independent_person", lambda: IndependentPersonForm(
            data={"independent_person": stage.independent_person_id, **version},
            people=independents, formdata=None)),
        statement_form=case.form("statement", lambda: StatementForm(data=version, formdata=None)),
        panel_form=case.form("panel", lambda: PanelForm(data={"chair": "1", **version}, people=independents,
                                                         formdata=None)),
        meeting_form=case.form("panel_meeting", lambda: PanelMeetingForm(data=version, formdata=None)),
        report_form=case.form("panel_report", lambda: PanelReportForm(data=version, formdata=None)),
        element_form=case.form("element", lambda: ElementForm(data=version, themes=themes(), formdata=None)),
        element_forms=element_forms(case, stage),
    )
    return context


PROCEDURE = Panel("procedure", "staff/case/_procedure.html", procedure, shown=lambda record: bool(record.procedure))
