"""The complaint procedure actions on a case (issue 5) and the timescales page.

Each action is a plain form that posts and redirects; with HTMX the same post swaps the
whole procedure panel (``#procedure``, staff/procedures/panel.py) and the timeline. The
rules are the services' (portal.services.procedures): a view names its form and one
service call, and ``act`` (staff/case/acting.py) does the rest. Changes need
"edit_cases": Investigating Officers and Independent Persons who can see an assigned
case read the panel but do not change it.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db
from portal.models import Feedback, Stage, StaffUser
from portal.services.common.dates import spoken, today
from portal.services.procedures import (current_timescales, elements, escalation, extensions, pauses,
                                       registration, stage2, stage3)
from portal.services.procedures.deadlines import set_timescales
from portal.services.common.labels import Procedure
from portal.services.procedures.clocks import PROCEDURE_TIMESCALES
from portal.services.procedures.timescales import TIMESCALE_LABELS, add_timescale_set, base_timescales
from staff import bp
from staff.case.acting import act, case_action
from staff.changes import carry_out
from staff.fields import assignable_staff, themes
from staff.procedures.forms import (AcknowledgeForm, ElementForm, ElementOutcomeForm, EndPauseForm, EscalationForm,
                                    ExtensionForm, IndependentPersonForm, InvestigatingOfficerForm, OfficerForm,
                                    PanelForm, PanelMeetingForm, PanelReportForm, PauseForm, RemoveElementForm,
                                    StatementForm, numbered, timescale_set_form,
                                    timescales_form)
from staff.procedures.panel import PROCEDURE, element_key, independent_people


def _stage(record: Feedback, number: int) -> Stage:
    stage = next((s for s in record.stages if s.number == number), None)
    if stage is None:
        abort(404)
    return stage


def stage_action(path: str):
    """Register a post view for an action on one stage of a case: the view receives the
    case and its stage (404 for either unknown) and any further URL values."""
    def register(view):
        @bp.post(f"/cases/<reference>/stages/<int:number>/{path}", endpoint=view.__name__)
        @case_action("edit_cases")
        @wraps(view)
        def action(record: Feedback, number: int, **values):
            return view(record, _stage(record, number), **values)
        return action
    return register


def _appoint(record: Feedback, key: str, form, appoint, stage: Stage, message: str):
    """Appoint the person chosen in ``form`` to ``stage`` with the service ``appoint``:
    an account from the list, or a name typed in for someone without one."""
    def perform(f):
        chosen = f.chosen_id()
        person = db.session.get(StaffUser, chosen) if chosen is not None else f.chosen_name()
        override = f.FIELD + "_override_reason"  # the Stage 1 officer at a corporate Stage 2
        extra = {"override_reason": f[override].data} if override in f else {}
        appoint(stage, person, current_user, version=f.expected_version, **extra)

    return act(record, PROCEDURE, key, form, perform, message,
               fields={"override_reason": form.FIELD + "_override_reason"})


@stage_action("acknowledge")
def stage_acknowledge(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "acknowledge", AcknowledgeForm(), lambda f: registration.record_acknowledgement(
        stage, f.acknowledged_on.data, current_user, today=today(),
        version=f.expected_version), "Acknowledgement recorded")


@stage_action("extension")
def stage_extend(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "extension", ExtensionForm(), lambda f: extensions.extend_stage(
        stage, f.extended_to.data, f.extension_reason.data, current_user,
        agreed_with_complainant=f.agreed_with_complainant.data, today=today(), version=f.expected_version),
        lambda extension: f"Stage {stage.number} extended: response now due {spoken(stage.due_on)}. "
                          "Now write the extension notice to tell the complainant")


@stage_action("pause")
def stage_pause(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "pause", PauseForm(), lambda f: pauses.pause_stage(
        stage, f.pause_reason.data, f.started_on.data, current_user, today=today(),
        version=f.expected_version),
        f"Stage {stage.number} paused")


@stage_action("resume")
def stage_resume(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "end_pause", EndPauseForm(), lambda f: pauses.end_pause(
        stage, f.ended_on.data, current_user, today=today(), version=f.expected_version),
        lambda pause: f"Pause ended: {pause.working_days} working days paused")


@stage_action("officer")
def stage_officer(record: Feedback, stage: Stage):
    return _appoint(record, "officer", OfficerForm(people=assignable_staff()), stage2.appoint_officer, stage,
                    "Officer appointed")


@stage_action("investigating-officer")
def stage_investigating_officer(record: Feedback, stage: Stage):
    return _appoint(record, "investigating_officer", InvestigatingOfficerForm(people=assignable_staff()),
                    stage2.appoint_investigating_officer, stage, "Investigating Officer appointed")


@stage_action("independent-person")
def stage_independent_person(record: Feedback, stage: Stage):
    return _appoint(record, "independent_person", IndependentPersonForm(people=independent_people()),
                    stage2.appoint_independent_person, stage, "Independent Person appointed")


@stage_action("statement")
def stage_statement(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "statement", StatementForm(), lambda f: stage2.record_statement_agreed(
        stage, f.agreed_on.data, current_user, today=today(),
        version=f.expected_version), "Statement of complaint recorded")


@stage_action("panel")
def stage_panel(record: Feedback, stage: Stage):
    def appoint(f):
        members = [db.session.get(StaffUser, f[f"member_{n}"].data) if f[f"member_{n}"].data is not None
                   else f[f"member_{n}_name"].data for n in f.NUMBERS]
        stage3.appoint_panel(stage, members, members[int(f.chair.data) - 1], current_user,
        version=f.expected_version)

    return act(record, PROCEDURE, "panel", PanelForm(people=independent_people()), appoint,
               "Panel appointed", fields={"panel_members": "member_1"})


@stage_action("panel-meeting")
def stage_panel_meeting(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "panel_meeting", PanelMeetingForm(), lambda f: stage3.record_panel_meeting(
        stage, f.panel_met_on.data, current_user, today=today(),
        version=f.expected_version), "Panel meeting recorded")


@stage_action("panel-report")
def stage_panel_report(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "panel_report", PanelReportForm(), lambda f: stage3.record_panel_report(
        stage, f.panel_report_on.data, current_user, today=today(),
        version=f.expected_version), "Panel report recorded")


@stage_action("elements")
def stage_element_add(record: Feedback, stage: Stage):
    return act(record, PROCEDURE, "element", ElementForm(themes=themes()), lambda f: elements.add_element(
        stage, f.summary.data, current_user, theme_id=f.theme_id.data, version=f.expected_version),
        lambda element: f"Element {element.number} added")


def _act_on_element(record: Feedback, stage: Stage, number: int, kind: str, form, perform, message: str):
    """``act`` with element ``number``'s ``kind`` form (numbered, in its own slot, as the
    panel draws it); ``perform`` is given the element and the form (404 for no such element)."""
    element = next((e for e in stage.elements if e.number == number), None)
    if element is None:
        abort(404)
    return act(record, PROCEDURE, element_key(number, kind), numbered(form, number),
               lambda f: perform(element, f), message)


@stage_action("elements/<int:element_number>")
def stage_element_change(record: Feedback, stage: Stage, element_number: int):
    return _act_on_element(record, stage, element_number, "change", ElementForm(themes=themes()),
                           lambda element, f: elements.change_element(
                               element, f.summary.data, current_user, theme_id=f.theme_id.data,
                               version=f.expected_version),
                           f"Element {element_number} changed")


@stage_action("elements/<int:element_number>/outcome")
def stage_element_outcome(record: Feedback, stage: Stage, element_number: int):
    return _act_on_element(record, stage, element_number, "outcome", ElementOutcomeForm(),
                           lambda element, f: elements.set_outcome(element, f.outcome.data, current_user,
                                                                   version=f.expected_version),
                           f"Outcome of element {element_number} saved")


@stage_action("elements/<int:element_number>/remove")
def stage_element_remove(record: Feedback, stage: Stage, element_number: int):
    return _act_on_element(record, stage, element_number, "remove", RemoveElementForm(),
                           lambda element, f: elements.remove_element(element, current_user,
                                                                      version=f.expected_version),
                           f"Element {element_number} removed")


@bp.post("/cases/<reference>/next-stage")
@case_action("edit_cases")
def stage_request(record: Feedback):
    """Staff record a request for the next stage (by phone, letter or email)."""
    return act(record, PROCEDURE, "escalation", EscalationForm(), lambda f: escalation.request_next_stage(
        record, f.requested_on.data, current_user, late_request_reason=f.late_request_reason.data,
        today=today(), version=f.expected_version), lambda stage: f"Stage {stage.number} started")


# --- The organisation's timescales ------------------------------------------------------


@bp.route("/admin/timescales", methods=["GET", "POST"])
@auth.permission_required("manage_reference_data")
def timescales():
    from dataclasses import asdict

    form = timescales_form(asdict(base_timescales()))
    if carry_out(form, lambda f: set_timescales({name: f[name].data for name in TIMESCALE_LABELS},
                                                current_user)).done:
        flash("Timescales saved. Every open due date has been recalculated.", "success")
        return redirect(url_for(".timescales"))
    book = current_timescales()
    sets = {procedure: book.sets_of(procedure) for procedure in PROCEDURE_TIMESCALES}
    return render_template("staff/admin/timescales.html", form=form, sets=sets,
                           labels=TIMESCALE_LABELS, Procedure=Procedure)


@bp.route("/admin/timescales/<procedure>/new", methods=["GET", "POST"])
@auth.permission_required("manage_reference_data")
def timescale_set_new(procedure: str):
    """Add a set of one procedure's timescales from a later date: open complaints keep
    the set they follow (timescales.add_timescale_set refuses a date that would move one)."""
    from dataclasses import asdict

    if procedure not in PROCEDURE_TIMESCALES:
        abort(404)
    in_force = asdict(current_timescales().in_force(procedure, today()))
    form = timescale_set_form(procedure, in_force)

    def perform(f):
        values = {name: f[name].data for name in f.ORDER}
        if f.FROM_ACKNOWLEDGEMENT:
            values["corporate_response_from_acknowledgement"] = f.corporate_response_from_acknowledgement.data
        return add_timescale_set(procedure, f.effective_from.data, values, f.reason.data, current_user,
                                 today=today())

    outcome = carry_out(form, perform)
    if outcome.done:
        flash(f"New {Procedure(procedure).choice.lower()} timescales saved. They apply to stages "
              f"that start on or after {spoken(outcome.result.effective_from)}; open complaints "
              "keep the timescales they follow.", "success")
        return redirect(url_for(".timescales"))
    return render_template("staff/admin/timescale_set.html", form=form, procedure=procedure,
                           procedure_words=Procedure(procedure).choice)
