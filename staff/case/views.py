"""The case page and the triage actions on it: classify, assign, notes, the outcome of an
initial contact, sharing a compliment and safeguarding. Each is a plain form that posts
and redirects; with HTMX the same post swaps its panel in place and, out of band, every
other part of the page that shows what it changed (staff/case/page.py). Acting on a
case is staff/case/acting.py."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from portal.extensions import db, htmx
from portal.models import Feedback, StaffUser
from portal.services.accounts import reference_data
from portal.services.common.dates import today
from portal.services.data_protection import access_log
from portal.services.insight import suggestions
from portal.services.triage import decisions
from portal.services.common.errors import Refused
from staff import bp
from staff.case import panels
from staff.case.acting import act, case_action, send_browser_to
from staff.case.forms import (AssignForm, ClassifyForm, NoteForm, NotAcceptedForm, OutcomeForm, PublicationForm,
                              SafeguardingActionForm, SafeguardingFlagForm, ShareComplimentForm)
from staff.case.page import render_case
from staff.fields import assignable_staff, themes


@bp.get("/cases/<reference>")
@case_action("view_cases")
def case(record: Feedback):
    access_log.record_view(current_user, "case", feedback=record, only_read=True)
    return render_case(record)


@bp.post("/cases/<reference>/classify")
@case_action("edit_cases")
def case_classify(record: Feedback):
    form = ClassifyForm(teams=reference_data.active_teams(), themes=themes())
    if record.kind != "initial_contact":
        del form.category  # only an initial contact is asked its category
    before = {"team_before": record.team_id, "theme_before": record.theme_id}

    def classify(f):
        decisions.classify(
            record, current_user, f.expected_version, category=(f.category.data or None) if "category" in f else None,
            team_id=f.team_id.data, theme_id=f.theme_id.data)
        suggestions.note_classification(record, current_user, current_app.config["INSIGHT_PATH"], **before)

    return act(record, panels.CLASSIFICATION, "classify", form, classify, "Classification saved")


@bp.post("/cases/<reference>/assign")
@case_action("assign_cases")
def case_assign(record: Feedback):
    form = AssignForm(staff=assignable_staff(keep=record.assigned_to))

    def assign(f):
        assignee = db.session.get(StaffUser, f.assignee.data) if f.assignee.data else None
        decisions.assign(record, assignee, current_user, f.expected_version)

    return act(record, panels.ASSIGNMENT, "assign", form, assign, "Assignment saved")


@bp.post("/cases/<reference>/notes")
@case_action("edit_cases")
def case_note(record: Feedback):
    return act(record, panels.NOTES, "note", NoteForm(),
               lambda f: decisions.add_note(record, f.note.data, current_user), "Note added")


PROGRESSED = "Progressed to Stage 1. The Stage 1 clock has started."


@bp.post("/cases/<reference>/outcome")
@case_action("edit_cases")
def case_outcome(record: Feedback):
    form = OutcomeForm()

    def record_outcome(f):
        on = dict(today=today())
        if f.outcome.data == "resolved":
            decisions.resolve(record, current_user, f.expected_version, what_was_done=f.resolution.data,
                              resolved_on=f.outcome_on.data, **on)
        elif f.outcome.data == "withdrawn":
            decisions.withdraw(record, current_user, f.expected_version, withdrawn_on=f.outcome_on.data,
                               reason=f.resolution.data, **on)
        elif f.outcome.data == "referred":
            decisions.refer(record, current_user, f.expected_version, referred_to=f.referred_to.data,
                            referred_on=f.outcome_on.data, **on)
        else:
            progress(record, f)

    if form.outcome.data == "progressed":
        return act(record, panels.OUTCOME, "outcome", form, record_outcome, PROGRESSED,
                   then=lambda _: _to_the_stages(record))
    return act(record, panels.OUTCOME, "outcome", form, record_outcome, "Outcome recorded")


def _to_the_stages(record: Feedback):
    """Progressed: the page now has complaint stages, not an outcome panel. With HTMX,
    have htmx load the whole case page; without, go to the stages."""
    flash(PROGRESSED, "success")
    if htmx:
        return send_browser_to(url_for(".case", reference=record.reference))
    return redirect(url_for(".case", reference=record.reference) + "#procedure")


def progress(record: Feedback, form) -> None:
    """Progress to Stage 1 under the chosen procedure; the clock starts on this date."""
    from portal.services.procedures import registration

    if form.outcome_on.data > today():
        raise Refused("The date must be today or in the past", "outcome_on")
    try:
        registration.progress_to_stage1(record, form.procedure.data, form.outcome_on.data, current_user,
                                        events_on=form.events_on.data,
                                        late_complaint_reason=form.late_complaint_reason.data, today=today(),
                                        version=form.expected_version)
    except Refused as refused:  # the outcome form calls the date outcome_on
        field = "outcome_on" if refused.field == "progressed_on" else refused.field
        raise Refused(refused.message, field) from refused


@bp.post("/cases/<reference>/not-accepted")
@case_action("edit_cases")
def case_not_accepted(record: Feedback):
    """A decision not to accept the complaint: closes it and tells the person (issue 21)."""
    return act(record, panels.NOT_ACCEPTED, "not_accepted", NotAcceptedForm(), lambda f: decisions.not_accept(
        record, current_user, f.expected_version, reason=f.not_accepted_reason.data,
        detail=f.not_accepted_detail.data, decided_on=f.not_accepted_on.data, today=today()),
        "Decision recorded: not accepted. The person has been told, with the Ombudsman's details.")


@bp.post("/cases/<reference>/share")
@case_action("edit_cases")
def case_share(record: Feedback):
    return act(record, panels.COMPLIMENT, "share", ShareComplimentForm(), lambda f: decisions.share_compliment(
        record, current_user, f.expected_version, shared_on=f.shared_on.data, today=today()),
        "Compliment shared with the team's manager")


@bp.post("/cases/<reference>/publication")
@case_action("edit_cases")
def case_publication(record: Feedback):
    return act(record, panels.COMPLIMENT, "publication", PublicationForm(),
               lambda f: decisions.clear_for_publication(record, current_user, f.expected_version,
                                                         anonymised_text=f.anonymised_text.data),
               "Wording for publication saved")


@bp.post("/cases/<reference>/safeguarding/flag")
@case_action("edit_cases")
def case_flag(record: Feedback):
    return act(record, panels.SAFEGUARDING, "flag", SafeguardingFlagForm(),
               lambda f: decisions.flag_safeguarding(record, current_user, f.reason.data),
               "Flagged as a safeguarding concern. The duty team has been emailed.")


@bp.post("/cases/<reference>/safeguarding/action")
@case_action("follow_up_safeguarding")
def case_safeguarding_action(record: Feedback):
    return act(record, panels.SAFEGUARDING, "safeguarding", SafeguardingActionForm(),
               lambda f: decisions.record_safeguarding_action(record, current_user, f.safeguarding_action.data),
               "Safeguarding follow-up recorded")
