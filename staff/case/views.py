"""The case page and its panels. Each panel is a plain form that posts and redirects;
with HTMX the same post swaps that panel in place and, out of band, every other part
of the page that shows what it changed (``panel_response``)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from portal import auth
from portal.extensions import db, htmx
from portal.security import same_site_path
from portal.models import Feedback, StaffUser
from portal.services.data_protection import access_log
from portal.services.procedures import public_status
from portal.services.intake import people
from portal.services.accounts import reference_data
from portal.services.triage import decisions
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from portal.services.common.labels import label
from portal.services.accounts.permissions import can_view_feedback, has_permission
from portal.templating import long_date
from portal.services.common.errors import EditConflict, Refused
from staff import bp
from staff.case.forms import (
    AssignForm,
    ClassifyForm,
    NoteForm,
    OutcomeForm,
    PublicationForm,
    SafeguardingActionForm,
    SafeguardingFlagForm,
    ShareComplimentForm,
)
from staff.fields import add_error
from staff.fields import assignable_staff, themes

CONFLICT = ("Someone else changed this record while you had it open. "
            "You are now looking at their version: check it, then make your change again.")


def load_case(reference: str) -> Feedback:
    """The record, if this person may see it; otherwise a plain 404, which says nothing
    about whether the reference exists."""
    record = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).first()
    if record is None or not can_view_feedback(current_user, record):
        abort(404)
    return record


def forms_for(record: Feedback, **bound) -> dict:
    """A form for every panel: the ones passed in (holding what the person typed and
    its errors), fresh ones for the rest."""
    version = {"version": record.version}
    forms = {
        "classify_form": ClassifyForm(data={"category": record.category or "", "team_id": record.team_id,
                                            "theme_id": record.theme_id, **version},
                                      teams=reference_data.active_teams(), themes=themes(),
                                      formdata=None),
        "assign_form": AssignForm(data={"assignee": record.assigned_to_id, **version},
                                  staff=assignable_staff(keep=record.assigned_to), formdata=None),
        "note_form": NoteForm(formdata=None),
        "outcome_form": OutcomeForm(data=version, formdata=None),
        "share_form": ShareComplimentForm(data=version, formdata=None),
        "publication_form": PublicationForm(data={"anonymised_text": record.anonymised_text, **version},
                                            formdata=None),
        "flag_form": SafeguardingFlagForm(formdata=None),
        "safeguarding_form": SafeguardingActionForm(formdata=None),
    }
    forms.update(bound)
    return forms


# Other parts of the case page (complaint stages, Ombudsman enquiries, money, actions,
# restrictions, ...) add what their panels need here: functions of the record that
# return template context. Each lives with its own views.
CASE_PANELS: list = []


def case_context(record: Feedback, failed_form=None, notice: str | None = None, **bound) -> dict:
    """Everything the case page and each of its panels needs to render."""
    context = dict(
        record=record, label=label, today=today(),
        public_status=public_status.describe(record, today(), current_calendar()),
        can_edit=has_permission(current_user, "edit_cases"),
        can_assign=has_permission(current_user, "assign_cases"),
        can_action_safeguarding=current_user.role == "feedback_manager",
        # A person from a public form who shares an email or phone number with another:
        # staff check, then merge (never done for them: docs/security.md).
        suggested_people=people.suggested_matches(record.person)
        if has_permission(current_user, "edit_cases") else [],
        form=failed_form, notice=notice, **forms_for(record, **bound),
    )
    for panel in CASE_PANELS:
        for key, value in panel(record).items():
            context.setdefault(key, value)
    context.update(bound)  # forms that hold what the person typed, and its errors, win
    return context


CASE_TEMPLATE = "staff/case.html"
# Panels that are blocks of the casework partial (staff/casework/views.py), not of the page.
PANEL_TEMPLATES = dict.fromkeys(("ombudsman", "money", "actions"), "staff/case/_casework.html")

# --- What an HTMX change on the case page updates -------------------------------------
# The one place that decides it (docs/casework.md, "What a change in place updates",
# lists every action). The panel the change was made in is swapped; so, out of band,
# are the parts of the page any change can alter, as every staff change makes a new
# record open and refreshes its due dates: the status tags under the reference, the
# summary list ("What the person sees"), the due date in the sidebar and the timeline;
# and the other panels below that show what that panel's changes change.
SHOWN_EVERYWHERE = ("case_tags", "case_facts", "case_due")
ALSO_SHOWN_IN = {
    # the compliment panel names the team whose manager it was shared with
    "classification": ("compliment",),
    # "Add to the action plan" puts the recommendation in the Actions panel
    "ombudsman": ("actions",),
    # a new stage is a new "where it came from" for an action
    "procedure": ("actions",),
}


def _block(name: str, context: dict) -> str:
    return render_block(PANEL_TEMPLATES.get(name, CASE_TEMPLATE), name, **context)


def panel_response(panel: str, context: dict, status: int = 200):
    """The HTMX answer to a change in ``panel``: the panel, then out of band the
    timeline and, once saved (200), every other part of the page that shows what it
    changed and the record's new version for every form. A refused form changed
    nothing; after a conflict the rest of the page stays as the person had it, with
    the older version, so that they make their change again on what they now see."""
    body = [_block(panel, context), _block("timeline_oob", context)]
    if status == 200:
        elsewhere = dict(context, oob=True, notice=None, conflict=None)
        body += [_block(name, elsewhere) for name in SHOWN_EVERYWHERE + ALSO_SHOWN_IN.get(panel, ())]
        body.append(_block("version_oob", context))
    response = make_response("".join(body), status)
    response.vary.add("HX-Request")
    return response


def render_case(record: Feedback, status: int = 200, panel: str | None = None, failed_form=None,
                notice: str | None = None, **bound):
    """The whole case page, or with HTMX only ``panel`` and, out of band, what else
    shows its change (``panel_response``)."""
    context = case_context(record, failed_form, notice, **bound)
    if htmx and panel and not htmx.boosted:
        return panel_response(panel, context, status)
    response = make_response(render_template(CASE_TEMPLATE, **context), status)
    response.vary.add("HX-Request")
    return response


@bp.get("/cases/<reference>")
@auth.permission_required("view_cases")
def case(reference: str):
    record = load_case(reference)
    access_log.record_view(current_user, "case", feedback=record)
    return render_case(record)


def entered(form) -> list[tuple[str, str]]:
    """What the person entered in a form, as (question, answer in words): shown beside
    the newer version after a conflict, so that nothing they typed is lost."""
    answers = []
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField") or field.data in (None, "", False, []):
            continue
        value = field.data
        if getattr(field, "choices", None):
            value = {str(choice[0]): choice[1] for choice in field.choices}.get(str(value), value)
        elif value is True:
            value = "Yes"
        elif isinstance(value, date):
            value = long_date(value)
        answers.append((field.label.text, str(value)))
    return answers


def _done(record: Feedback, panel: str, message: str):
    if htmx and not htmx.boosted:
        return render_case(record, panel=panel, notice=message)
    flash(message, "success")
    return redirect(url_for(".case", reference=record.reference) + f"#{panel}")


def _act(record: Feedback, panel: str, form, form_name: str, action, message: str):
    """Validate ``form``, run ``action``; show errors, conflicts or success the same way
    for every panel."""
    if form.validate_on_submit():
        try:
            action(form)
        except EditConflict:
            db.session.rollback()
            db.session.refresh(record)
            return render_case(record, 409, panel, notice=CONFLICT,
                               conflict={"panel": panel, "entered": entered(form)})
        except Refused as refused:
            db.session.rollback()
            add_error(form, refused.field, str(refused))
        else:
            db.session.commit()
            return _done(record, panel, message)
    return render_case(record, 422 if htmx else 200, panel, failed_form=form, **{form_name: form})


@bp.post("/cases/<reference>/classify")
@auth.permission_required("edit_cases")
def case_classify(reference: str):
    record = load_case(reference)
    form = ClassifyForm(teams=reference_data.active_teams(), themes=themes())
    if record.kind != "initial_contact":
        del form.category  # only an initial contact is asked its category
    return _act(record, "classification", form, "classify_form", lambda f: decisions.classify(
        record, current_user, f.expected_version, category=(f.category.data or None) if "category" in f else None,
        team_id=f.team_id.data, theme_id=f.theme_id.data), "Classification saved")


@bp.post("/cases/<reference>/assign")
@auth.permission_required("assign_cases")
def case_assign(reference: str):
    record = load_case(reference)
    form = AssignForm(staff=assignable_staff(keep=record.assigned_to))

    def action(f):
        assignee = db.session.get(StaffUser, f.assignee.data) if f.assignee.data else None
        decisions.assign(record, assignee, current_user, f.expected_version)

    if request.args.get("from") == "inbox":
        return _assign_from_inbox(record, form, action)
    return _act(record, "assignment", form, "assign_form", action, "Assignment saved")


def _assign_from_inbox(record: Feedback, form, action):
    """The inbox's row form: answer with the row (HTMX) or go back to the inbox."""
    message = None
    if form.validate_on_submit():
        try:
            action(form)
        except EditConflict:
            db.session.rollback()
            db.session.refresh(record)
            message = "Someone else changed this record. Check the row and try again."
        except Refused as refused:
            db.session.rollback()
            message = str(refused)
        else:
            db.session.commit()
    else:
        message = next(iter(form.errors.values()))[0] if form.errors else None
    if htmx and not htmx.boosted:
        response = make_response(render_template(
            "staff/_inbox_row.html", row=record, staff=assignable_staff(), today=today(), label=label,
            row_message=message, can_assign=True), 200)
        response.vary.add("HX-Request")
        return response
    if message:
        flash(f"{record.reference}: {message}", "info")
    else:
        flash(f"{record.reference} assigned", "success")
    return redirect(same_site_path(request.form.get("back"), within=url_for(".inbox_page"),
                                   default=url_for(".inbox_page")))


@bp.post("/cases/<reference>/notes")
@auth.permission_required("edit_cases")
def case_note(reference: str):
    record = load_case(reference)
    return _act(record, "notes", NoteForm(), "note_form",
                lambda f: decisions.add_note(record, f.note.data, current_user), "Note added")


@bp.post("/cases/<reference>/outcome")
@auth.permission_required("edit_cases")
def case_outcome(reference: str):
    record = load_case(reference)

    def action(f):
        common = dict(today=today())
        if f.outcome.data == "resolved":
            decisions.resolve(record, current_user, f.expected_version, what_was_done=f.resolution.data,
                           resolved_on=f.outcome_on.data, email_person=f.email_person.data, **common)
        elif f.outcome.data == "withdrawn":
            decisions.withdraw(record, current_user, f.expected_version, withdrawn_on=f.outcome_on.data,
                            reason=f.resolution.data, **common)
        elif f.outcome.data == "referred":
            decisions.refer(record, current_user, f.expected_version, referred_to=f.referred_to.data,
                         referred_on=f.outcome_on.data, **common)
        else:
            progress(record, f)

    form = OutcomeForm()
    response = _act(record, "outcome", form, "outcome_form", action,
                    PROGRESSED if form.outcome.data == "progressed" else "Outcome recorded")
    if record.procedure and response.status_code == (200 if htmx else 302):
        # Progressed: the page now has complaint stages, not an outcome panel. With
        # HTMX, have htmx load the whole case page; without, go to the stages.
        if htmx:
            flash(PROGRESSED, "success")
            response = make_response("", 200)
            response.headers["HX-Redirect"] = url_for(".case", reference=record.reference)
        else:
            response = redirect(url_for(".case", reference=record.reference) + "#procedure")
    return response


PROGRESSED = "Progressed to Stage 1. The Stage 1 clock has started."


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


@bp.post("/cases/<reference>/share")
@auth.permission_required("edit_cases")
def case_share(reference: str):
    record = load_case(reference)
    return _act(record, "compliment", ShareComplimentForm(), "share_form", lambda f: decisions.share_compliment(
        record, current_user, f.expected_version, shared_on=f.shared_on.data, today=today()),
        "Compliment shared with the team's manager")


@bp.post("/cases/<reference>/publication")
@auth.permission_required("edit_cases")
def case_publication(reference: str):
    record = load_case(reference)
    return _act(record, "compliment", PublicationForm(), "publication_form",
                lambda f: decisions.clear_for_publication(record, current_user, f.expected_version,
                                                       anonymised_text=f.anonymised_text.data),
                "Wording for publication saved")


@bp.post("/cases/<reference>/safeguarding/flag")
@auth.permission_required("edit_cases")
def case_flag(reference: str):
    record = load_case(reference)
    return _act(record, "safeguarding", SafeguardingFlagForm(), "flag_form",
                lambda f: decisions.flag_safeguarding(record, current_user, f.reason.data),
                "Flagged as a safeguarding concern. The duty team has been emailed.")


@bp.post("/cases/<reference>/safeguarding/action")
@auth.permission_required("edit_cases")
def case_safeguarding_action(reference: str):
    record = load_case(reference)
    if current_user.role != "feedback_manager":
        abort(403)
    return _act(record, "safeguarding", SafeguardingActionForm(), "safeguarding_form",
                lambda f: decisions.record_safeguarding_action(record, current_user, f.safeguarding_action.data),
                "Safeguarding follow-up recorded")
