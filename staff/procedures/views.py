"""The case page's complaint procedure panel (issue 5) and the timescales page.

Each action is a plain form that posts and redirects; with HTMX the same post swaps the
whole procedure panel (``#procedure``) and the timeline. The rules are the services'
(portal.services.procedures): a view validates the form, checks the record's version,
calls one service function and shows its refusal (Refused) against the field it
names. Changes need "edit_cases": Investigating Officers and Independent Persons who can
see an assigned case read the panel but do not change it.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db, htmx
from portal.models import Feedback, Stage, StaffUser
from portal.services.accounts import staff_accounts
from portal.services.triage import decisions
from portal.services.common.dates import today
from portal.services.procedures import current_timescales
from portal.services.common.errors import EditConflict, Refused
from portal.services.procedures import (
    elements,
    escalation,
    extensions,
    pauses,
    registration,
    responses,
    rules,
    stage2,
    stage3,
)
from portal.services.procedures.common import open_stage, spoken
from portal.services.procedures.deadlines import set_timescales
from portal.services.procedures.display import stage_clocks
from portal.services.procedures.guidance import PROCEDURE_LABELS
from portal.services.procedures.rules import stage_name
from portal.services.procedures.stage2 import INDEPENDENT_ROLE
from portal.services.procedures.timescales import TIMESCALE_LABELS
from staff import bp
from staff.case.views import CASE_PANELS, CONFLICT, load_case, render_case
from staff.fields import add_error
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
    ResponseForm,
    StatementForm,
    numbered,
    timescales_form,
)

PANEL = "procedure"
edit_cases = auth.permission_required("edit_cases")


# --- What the panel shows -----------------------------------------------------------


def independent_people() -> list[StaffUser]:
    """Accounts ready for work that may be an Independent Person or sit on a Stage 3 panel."""
    return staff_accounts.ready_staff(role=INDEPENDENT_ROLE)


def element_forms(stage: Stage) -> dict[int, dict]:
    """Per element, its outcome form and its change form, with ids of their own."""
    version = {"version": stage.feedback.version}
    return {
        element.number: {
            "outcome": numbered(ElementOutcomeForm(
                data={"outcome": element.outcome or "", **version}, formdata=None), element.number),
            "change": numbered(ElementForm(
                data={"summary": element.summary, "theme_id": element.theme_id, **version},
                themes=themes(), formdata=None), element.number),
            "remove": numbered(RemoveElementForm(data=version, formdata=None), element.number),
        }
        for element in stage.elements
    }


def procedure_panel(record: Feedback) -> dict:
    """CASE_PANELS provider: each stage with its rules and clocks, and for the open
    stage its rules (``stage_rule``) and a fresh form for every action it allows."""
    if not record.procedure:
        return {}
    day = today()
    stages = [dict(stage=stage, rule=rules.stage(record.procedure, stage.number),
                   name=stage_name(record.procedure, stage.number),
                   clocks=stage_clocks(stage, day), pause=pauses.open_pause(stage),
                   outcome_label=elements.outcome_label)
              for stage in record.stages]
    context = dict(procedure_label=PROCEDURE_LABELS[record.procedure], procedure_stages=stages,
                   escalation_window=escalation.escalation_window(record),
                   escalation_days=current_timescales().escalation_window,
                   last_stage_done=bool(stages) and stages[-1]["stage"].responded_on is not None
                   and stages[-1]["rule"].last)
    stage = open_stage(record)
    if stage is None:
        context["escalation_form"] = EscalationForm(data={"version": record.version}, formdata=None)
        return context
    version = {"version": record.version}
    officers, independents = assignable_staff(), independent_people()
    email = record.person.email if record.person else None
    rule = rules.stage(record.procedure, stage.number)
    context.update(
        open_stage=stage,
        stage_rule=rule,
        latest_extension=extensions.latest_extension_date(stage) if rule.extendable else None,
        acknowledge_form=AcknowledgeForm(data=version, formdata=None),
        extension_form=ExtensionForm(data=version, formdata=None).offering(
            extensions.notice_methods(record)),
        pause_form=PauseForm(data=version, formdata=None),
        end_pause_form=EndPauseForm(data=version, formdata=None),
        officer_form=OfficerForm(data={"officer": stage.officer_id, **version},
                                 people=officers, formdata=None),
        io_form=InvestigatingOfficerForm(
            data={"investigating_officer": stage.investigating_officer_id, **version},
            people=officers, formdata=None),
        ip_form=IndependentPersonForm(
            data={"independent_person": stage.independent_person_id, **version},
            people=independents, formdata=None),
        statement_form=StatementForm(data=version, formdata=None),
        panel_form=PanelForm(data={"chair": "1", **version}, people=independents, formdata=None),
        meeting_form=PanelMeetingForm(data=version, formdata=None),
        report_form=PanelReportForm(data=version, formdata=None),
        element_form=ElementForm(data=version, themes=themes(), formdata=None),
        element_forms=element_forms(stage),
        response_form=_response_form(record, stage, day),
    )
    return context


def _response_form(record: Feedback, stage: Stage, day) -> ResponseForm:
    """A fresh response form: the template filled in for ``day``, to go by email when the
    person gave an address, otherwise by post (and worded for a letter)."""
    methods = responses.response_methods(record)
    method = methods[0]
    return ResponseForm(data={
        "sent_on": day, "method": method, "version": record.version,
        "text": responses.draft_response(stage, day, current_user, method)},
        formdata=None).offering(methods)


CASE_PANELS.append(procedure_panel)


# --- Acting on the panel --------------------------------------------------------------


def _stage(record: Feedback, number: int) -> Stage:
    stage = next((s for s in record.stages if s.number == number), None)
    if stage is None:
        abort(404)
    return stage


def _done(record: Feedback, message: str):
    if htmx and not htmx.boosted:
        return render_case(record, panel=PANEL, notice=message)
    flash(message, "success")
    return redirect(url_for(".case", reference=record.reference) + f"#{PANEL}")


def _act(record: Feedback, form, form_name: str, action, message, fields: dict | None = None,
         then=None, **bound):
    """Validate ``form``, run ``action`` (a service call, given the form's version to
    check) and commit; show a refusal against the field it names (``fields`` maps the
    service's names to the form's), a conflict with the newer version, or the panel with
    its notice (or what ``then`` makes of the action's result, such as a page asking to
    confirm it)."""
    if form.validate_on_submit():
        try:
            result = action(form)
        except EditConflict:
            db.session.rollback()
            db.session.refresh(record)
            return render_case(record, 409, PANEL, notice=CONFLICT)
        except Refused as refused:
            db.session.rollback()
            field = (fields or {}).get(refused.field, refused.field)
            add_error(form, field, refused.message)
        else:
            db.session.commit()
            if then is not None:
                return then(result)
            return _done(record, message(result) if callable(message) else message)
    return render_case(record, 422 if htmx else 200, PANEL, failed_form=form,
                       **{form_name: form}, **bound)


def stage_action(path: str):
    """Register a post view for an action on one stage of a case: the view receives the
    case and its stage (404 for either unknown) and any further URL values."""
    def register(view):
        @bp.post(f"/cases/<reference>/stages/<int:number>/{path}", endpoint=view.__name__)
        @edit_cases
        @wraps(view)
        def action(reference: str, number: int, **values):
            record = load_case(reference)
            return view(record, _stage(record, number), **values)
        return action
    return register


def _person(form) -> StaffUser | str:
    chosen = form.chosen_id()
    return db.session.get(StaffUser, chosen) if chosen is not None else form.chosen_name()


@stage_action("acknowledge")
def stage_acknowledge(record: Feedback, stage: Stage):
    return _act(record, AcknowledgeForm(), "acknowledge_form", lambda f: registration.record_acknowledgement(
        stage, f.acknowledged_on.data, current_user, today=today(), version=f.expected_version),
        "Acknowledgement recorded")


@stage_action("extension")
def stage_extend(record: Feedback, stage: Stage):
    form = ExtensionForm().offering(extensions.notice_methods(record))
    return _act(record, form, "extension_form", lambda f: extensions.extend_stage(
        stage, f.extended_to.data, f.extension_reason.data, f.told_by.data, current_user,
        told_on=f.told_on.data, agreed_with_complainant=f.agreed_with_complainant.data, today=today(),
        version=f.expected_version),
        lambda extension: f"Stage {stage.number} extended: response now due {spoken(stage.due_on)}")


@stage_action("pause")
def stage_pause(record: Feedback, stage: Stage):
    return _act(record, PauseForm(), "pause_form", lambda f: pauses.pause_stage(
        stage, f.pause_reason.data, f.started_on.data, current_user, today=today(),
        version=f.expected_version),
        f"Stage {stage.number} paused")


@stage_action("resume")
def stage_resume(record: Feedback, stage: Stage):
    return _act(record, EndPauseForm(), "end_pause_form", lambda f: pauses.end_pause(
        stage, f.ended_on.data, current_user, today=today(), version=f.expected_version),
        lambda pause: f"Pause ended: {pause.working_days} working days paused")


@stage_action("officer")
def stage_officer(record: Feedback, stage: Stage):
    return _act(record, OfficerForm(people=assignable_staff()), "officer_form",
                lambda f: stage2.appoint_officer(stage, _person(f), current_user, version=f.expected_version),
                "Officer appointed")


@stage_action("investigating-officer")
def stage_investigating_officer(record: Feedback, stage: Stage):
    return _act(record, InvestigatingOfficerForm(people=assignable_staff()), "io_form",
                lambda f: stage2.appoint_investigating_officer(stage, _person(f), current_user,
                                                               version=f.expected_version),
                "Investigating Officer appointed")


@stage_action("independent-person")
def stage_independent_person(record: Feedback, stage: Stage):
    return _act(record, IndependentPersonForm(people=independent_people()), "ip_form",
                lambda f: stage2.appoint_independent_person(stage, _person(f), current_user,
                                                            version=f.expected_version),
                "Independent Person appointed")


@stage_action("statement")
def stage_statement(record: Feedback, stage: Stage):
    return _act(record, StatementForm(), "statement_form", lambda f: stage2.record_statement_agreed(
        stage, f.agreed_on.data, current_user, today=today(), version=f.expected_version),
        "Statement of complaint recorded")


@stage_action("panel")
def stage_panel(record: Feedback, stage: Stage):
    def appoint(f):
        members = [db.session.get(StaffUser, f[f"member_{n}"].data) if f[f"member_{n}"].data is not None
                   else f[f"member_{n}_name"].data for n in f.NUMBERS]
        stage3.appoint_panel(stage, members, members[int(f.chair.data) - 1], current_user,
                             version=f.expected_version)

    return _act(record, PanelForm(people=independent_people()), "panel_form", appoint,
                "Panel appointed", fields={"panel_members": "member_1"})


@stage_action("panel-meeting")
def stage_panel_meeting(record: Feedback, stage: Stage):
    return _act(record, PanelMeetingForm(), "meeting_form", lambda f: stage3.record_panel_meeting(
        stage, f.panel_met_on.data, current_user, today=today(), version=f.expected_version),
        "Panel meeting recorded")


@stage_action("panel-report")
def stage_panel_report(record: Feedback, stage: Stage):
    return _act(record, PanelReportForm(), "report_form", lambda f: stage3.record_panel_report(
        stage, f.panel_report_on.data, current_user, today=today(), version=f.expected_version),
        "Panel report recorded")


@stage_action("elements")
def stage_element_add(record: Feedback, stage: Stage):
    return _act(record, ElementForm(themes=themes()), "element_form", lambda f: elements.add_element(
        stage, f.summary.data, current_user, theme_id=f.theme_id.data, version=f.expected_version),
        lambda element: f"Element {element.number} added")


def _element(stage: Stage, element_number: int):
    element = next((e for e in stage.elements if e.number == element_number), None)
    if element is None:
        abort(404)
    return element


def _element_act(record: Feedback, stage: Stage, element_number: int, kind: str, form, action, message):
    forms = element_forms(stage)
    forms[element_number][kind] = numbered(form, element_number)
    return _act(record, form, f"element_{kind}_form", action, message, element_forms=forms)


@stage_action("elements/<int:element_number>")
def stage_element_change(record: Feedback, stage: Stage, element_number: int):
    element = _element(stage, element_number)
    return _element_act(record, stage, element_number, "change", ElementForm(themes=themes()),
                        lambda f: elements.change_element(element, f.summary.data, current_user,
                                                          theme_id=f.theme_id.data,
                                                          version=f.expected_version),
                        f"Element {element_number} changed")


@stage_action("elements/<int:element_number>/outcome")
def stage_element_outcome(record: Feedback, stage: Stage, element_number: int):
    element = _element(stage, element_number)
    return _element_act(record, stage, element_number, "outcome", ElementOutcomeForm(),
                        lambda f: elements.set_outcome(element, f.outcome.data, current_user,
                                                       version=f.expected_version),
                        f"Outcome of element {element_number} saved")


@stage_action("elements/<int:element_number>/remove")
def stage_element_remove(record: Feedback, stage: Stage, element_number: int):
    element = _element(stage, element_number)
    return _element_act(record, stage, element_number, "remove", RemoveElementForm(),
                        lambda f: elements.remove_element(element, current_user,
                                                          version=f.expected_version),
                        f"Element {element_number} removed")


@stage_action("response")
def stage_response(record: Feedback, stage: Stage):
    """Write, check and send the response. "Send response" checks it and shows it on a
    page of its own to confirm (a response cannot be taken back); that page's button
    (``action=confirm``) sends it, and "Change the response" comes back to the form with
    what was typed. "Fill in the template" starts again from the template for the date
    given (the next step's deadline depends on it)."""
    form = ResponseForm().offering(responses.response_methods(record))
    action = request.form.get("action")
    if action == "draft":
        form.validate_on_submit()  # only the date and the way it is sent matter for a draft
        if form.sent_on.data and not form.sent_on.errors:
            method = form.method.data if form.method.data in responses.response_methods(record) else "post"
            form.text.data = responses.draft_response(stage, form.sent_on.data, current_user, method)
            for field in form:
                field.errors = []
            return render_case(record, 200, PANEL, response_form=form,
                               notice=f"Filled in from the template for a response dated "
                                      f"{spoken(form.sent_on.data)}")
        form.text.errors = []
        return render_case(record, 422 if htmx else 200, PANEL, failed_form=form, response_form=form)
    if action == "change":
        form.validate_on_submit()
        for field in form:
            field.errors = []
        return render_case(record, 200, PANEL, response_form=form, response_open=True)
    if action == "confirm":
        return _act(record, form, "response_form", lambda f: responses.send_response(
            stage, f.text.data, f.method.data, f.sent_on.data, current_user,
            to_address=f.to_address.data, today=today(), version=f.expected_version),
            lambda response: (f"Stage {stage.number} response emailed to {response.to_address}"
                              if response.to_address else f"Stage {stage.number} response recorded as posted"),
            fields={"elements": "text"})
    return _act(record, form, "response_form", lambda f: responses.check_response(
        stage, f.text.data, f.method.data, f.sent_on.data, to_address=f.to_address.data, today=today(),
        version=f.expected_version),
        None, fields={"elements": "text"}, then=lambda checked: render_template(
            "staff/case/confirm_response.html", record=record, stage=stage, form=form, checked=checked,
            stage_name=stage_name(record.procedure, stage.number)))


@bp.post("/cases/<reference>/next-stage")
@edit_cases
def stage_request(reference: str):
    """Staff record a request for the next stage (by phone, letter or email)."""
    record = load_case(reference)
    return _act(record, EscalationForm(), "escalation_form", lambda f: escalation.request_next_stage(
        record, f.requested_on.data, current_user, late_request_reason=f.late_request_reason.data,
        today=today(), version=f.expected_version), lambda stage: f"Stage {stage.number} started")


# --- The organisation's timescales ------------------------------------------------------


@bp.route("/admin/timescales", methods=["GET", "POST"])
@auth.permission_required("manage_reference_data")
def timescales():
    from dataclasses import asdict

    form = timescales_form(asdict(current_timescales()))
    if form.validate_on_submit():
        changes = {name: form[name].data for name in TIMESCALE_LABELS}
        try:
            set_timescales(changes, current_user)
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            add_error(form, refused.field, refused.message)
        else:
            flash("Timescales saved. Every open due date has been recalculated.", "success")
            return redirect(url_for(".timescales"))
    return render_template("staff/admin/timescales.html", form=form)
