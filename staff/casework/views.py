"""Ombudsman enquiries, money, the learning action plan and contact restrictions: the
case page's panels for them, the action plan page, the page for an Ombudsman enquiry
about a complaint the portal never held, and a person's restriction letters and reviews.

Views are thin: a form and a service from ``portal/services`` (which never commits);
``act`` (staff/case/acting.py) and ``carry_out`` (staff/changes.py) commit and redirect
(plain post) or swap the panel or row (HTMX), and show a service's refusal against its
field, GOV.UK style.
The panels themselves are staff/casework/panels.py."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import auth
from portal.extensions import db
from portal.forms import read_id
from portal.models import (ContactRestriction, Feedback, LearningAction, OmbudsmanEnquiry, OmbudsmanRecommendation,
                           Payment, Person, StaffUser)
from portal.security import same_site_path
from portal.services.accounts import reference_data
from portal.services.casework import learning_actions, ombudsman, payments, restrictions
from portal.services.casework.learning_actions import ActionFilters, ActionRow
from portal.services.common.dates import today
from portal.services.common.labels import ActionSource, label
from staff import bp
from staff.case.acting import CONFLICT, act, case_action, done, load_case, send_browser_to
from staff.case.forms import VersionedForm
from staff.changes import carry_out
from staff.case.panel import Sent
from staff.casework.forms import (
    RestrictionLetterForm,
    RestrictionReviewForm,
    UnknownComplaintEnquiryForm,
)
from staff.casework.panels import (
    ACTION_OWNER,
    ACTION_STATUS,
    ACTIONS,
    COMPLIANCE_FORM,
    DECISION,
    ENQUIRY,
    ENQUIRY_STATUS,
    FROM_RECOMMENDATION,
    MONEY,
    OMBUDSMAN,
    PAYMENT,
    RAISE_ACTION,
    RECOMMENDATION,
    action_owners,
    can_update_action,
    helpers,
    row_forms,
)
from staff.views import is_panel_request, page_or_fragment

# Where a service names a field differently from the form.
FIELD_NAMES = {"owner": "owner_id"}


@bp.context_processor
def restriction_helpers():
    """For the person's page and any staff page that shows a restriction notice."""
    return {"restrictions_for_person": lambda person: restrictions.active_for_person(person, today()),
            "describe_restrictions": restrictions.describe}


def _enquiry(record: Feedback, enquiry_id: int) -> OmbudsmanEnquiry:
    enquiry = db.session.get(OmbudsmanEnquiry, enquiry_id)
    if enquiry is None or enquiry.feedback_id != record.id:
        abort(404)
    return enquiry


def _recommendation(record: Feedback, recommendation_id: int) -> OmbudsmanRecommendation:
    recommendation = db.session.get(OmbudsmanRecommendation, recommendation_id)
    if recommendation is None or recommendation.enquiry.feedback_id != record.id:
        abort(404)
    return recommendation


def _payment(record: Feedback, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.feedback_id != record.id:
        abort(404)
    return payment


def _owner(form) -> StaffUser | None:
    return db.session.get(StaffUser, form.owner_id.data) if form.owner_id.data else None


def _act(record: Feedback, panel, item_form, item, perform, message: str):
    """``act`` with the form ``item_form`` sent for ``item`` (an enquiry, a payment, ...)."""
    return act(record, panel, item_form.slot(item), item_form.sent(item), perform, message, fields=FIELD_NAMES)


# --- The Ombudsman panel ----------------------------------------------------------------


@bp.post("/cases/<reference>/ombudsman")
@case_action("edit_cases")
def case_enquiry_add(record: Feedback):
    return _act(record, OMBUDSMAN, ENQUIRY, None, lambda f: ombudsman.record_enquiry(
        record, f.reference.data, f.notified_on.data, current_user, status=f.status.data, today=today(),
        version=f.expected_version),
        "Ombudsman enquiry recorded")


@bp.post("/cases/<reference>/ombudsman/<int:enquiry_id>/status")
@case_action("edit_cases")
def case_enquiry_status(record: Feedback, enquiry_id: int):
    enquiry = _enquiry(record, enquiry_id)
    return _act(record, OMBUDSMAN, ENQUIRY_STATUS, enquiry, lambda f: ombudsman.update_enquiry(
        enquiry, enquiry.reference, enquiry.notified_on, f.status.data, current_user, today=today(),
        version=f.expected_version),
        "Status of the Ombudsman enquiry saved")


@bp.post("/cases/<reference>/ombudsman/<int:enquiry_id>/decision")
@case_action("edit_cases")
def case_enquiry_decision(record: Feedback, enquiry_id: int):
    enquiry = _enquiry(record, enquiry_id)
    return _act(record, OMBUDSMAN, DECISION, enquiry, lambda f: ombudsman.record_decision(
        enquiry, f.decision.data, f.decided_on.data, current_user, remedy_amount=f.remedy_amount.data,
        remedied_before=f.remedied_before.data, today=today(), version=f.expected_version), "The Ombudsman's decision is recorded")


@bp.post("/cases/<reference>/ombudsman/<int:enquiry_id>/recommendations")
@case_action("edit_cases")
def case_recommendation_add(record: Feedback, enquiry_id: int):
    enquiry = _enquiry(record, enquiry_id)
    return _act(record, OMBUDSMAN, RECOMMENDATION, enquiry, lambda f: ombudsman.add_recommendation(
        enquiry, f.text.data, f.due_on.data, current_user, version=f.expected_version), "Recommendation added")


@bp.post("/cases/<reference>/recommendations/<int:recommendation_id>/compliance")
@case_action("edit_cases")
def case_recommendation_compliance(record: Feedback, recommendation_id: int):
    recommendation = _recommendation(record, recommendation_id)

    def record_compliance(f):
        if f.result.data == "not_complied":
            ombudsman.record_not_complied(recommendation, current_user, version=f.expected_version)
        else:
            ombudsman.record_compliance(recommendation, f.complied_on.data, current_user, today=today(),
                                        version=f.expected_version)

    return _act(record, OMBUDSMAN, COMPLIANCE_FORM, recommendation, record_compliance, "Compliance recorded")


@bp.post("/cases/<reference>/recommendations/<int:recommendation_id>/action")
@case_action("manage_actions")
def case_recommendation_action(record: Feedback, recommendation_id: int):
    recommendation = _recommendation(record, recommendation_id)
    return _act(record, OMBUDSMAN, FROM_RECOMMENDATION, recommendation,
                lambda f: learning_actions.raise_action_from_recommendation(
                    recommendation, _owner(f), f.due_on.data, current_user, today=today(),
                    version=f.expected_version),
                "Recommendation added to the action plan")


# --- The Money panel --------------------------------------------------------------------


@bp.post("/cases/<reference>/payments")
@case_action("edit_cases")
def case_payment_add(record: Feedback):
    return _act(record, MONEY, PAYMENT, None, lambda f: payments.record_payment(
        record, f.kind.data, f.amount.data, f.paid_on.data, current_user, decided_by=f.decider,
        reason=f.reason.data, today=today(), version=f.expected_version), "Payment recorded")


@bp.post("/cases/<reference>/payments/<int:payment_id>")
@case_action("edit_cases")
def case_payment_correct(record: Feedback, payment_id: int):
    payment = _payment(record, payment_id)
    return _act(record, MONEY, PAYMENT, payment, lambda f: payments.correct_payment(
        payment, f.kind.data, f.amount.data, f.paid_on.data, current_user, decided_by=f.decider,
        reason=f.reason.data, today=today(), seen=f.seen.data or "", version=f.expected_version),
        "Payment corrected")


@bp.route("/cases/<reference>/payments/<int:payment_id>/remove", methods=["GET", "POST"])
@case_action("edit_cases")
def case_payment_remove(record: Feedback, payment_id: int):
    """Remove a payment recorded by mistake, once confirmed: it cannot be undone, so the
    case page's "Remove" leads to a page that asks (issue 13), and only its button
    (``confirm=yes``) removes it. A post without it, from a page opened before, asks too.
    The page carries the case's version: if the case changed after it was drawn, it asks
    again (409) about the case as it now is."""
    payment = _payment(record, payment_id)
    form = VersionedForm()
    outcome = None
    if request.method == "POST" and request.form.get("confirm") == "yes":
        outcome = carry_out(form, lambda f: payments.remove_payment(payment, current_user,
                                                                      version=f.expected_version))
        if outcome.done:
            db.session.refresh(record)
            return done(record, MONEY, "Payment removed. The audit trail keeps what it said.")
    if is_panel_request():  # asked from a panel: go to the page that asks
        return send_browser_to(url_for(".case_payment_remove", reference=record.reference, payment_id=payment_id))
    conflict = outcome is not None and outcome.conflict
    return render_template("staff/case/confirm_remove_payment.html", record=record, payment=payment,
                           form=form, notice=CONFLICT if conflict else None, **helpers()), 409 if conflict else 200


# --- The Actions panel and the action plan ----------------------------------------------


@bp.post("/cases/<reference>/actions")
@case_action("manage_actions")
def case_action_raise(record: Feedback):
    return _act(record, ACTIONS, RAISE_ACTION, record, lambda f: learning_actions.raise_action(
        record, f.source.data, f.recommendation.data, _owner(f), f.due_on.data, current_user, today=today(),
        version=f.expected_version),
        "Action added to the action plan")


def _int(value) -> int | None:
    return read_id(value)


def _iso(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def action_filters(args) -> ActionFilters:
    """Filters from the query string; anything malformed is ignored, never an error."""
    status = args.get("status")
    return ActionFilters(
        status=status if status in ("open", "in_progress", "done", "not_done") else None,
        owner_id=_int(args.get("owner")),
        team_id=_int(args.get("team")),
        source=args.get("source") if args.get("source") in ActionSource else None,
        overdue=args.get("overdue") == "1",
        raised_from=_iso(args.get("from")),
        raised_to=_iso(args.get("to")),
    )


def _plan_page(args, sent: Sent | None = None, status: int = 200):
    rows = learning_actions.action_plan(action_filters(args), today(), viewer=current_user)
    context = dict(
        rows=rows, args=args, today=today(), label=label, form=sent.form if sent else None,
        owner_options=[(u.id, u.name) for u in action_owners()],
        team_options=[(t.id, t.name) for t in reference_data.active_teams()],
        source_options=ActionSource.choices(),
        back=url_for(".action_plan") + ("?" + urlencode(args) if args else ""),
        row_forms=row_forms(sent), **helpers(),
    )
    response = page_or_fragment("staff/actions.html", "results", **context)
    response.status_code = status
    return response


@bp.get("/actions")
@auth.permission_required("view_actions")
def action_plan():
    return _plan_page(request.args)


@bp.post("/actions/<int:action_id>/status")
@auth.permission_required("view_actions")
def action_status(action_id: int):
    action = db.session.get(LearningAction, action_id)
    if action is None or not can_update_action(current_user, action):
        abort(404)  # says nothing about actions this person may not see
    if request.form.get("back") == "case":
        return _act(load_case(action.feedback.reference), ACTIONS, ACTION_STATUS, action,
                    lambda f: learning_actions.update_status(action, f.status.data, current_user,
                                                             completion_note=f.completion_note.data, today=today()),
                    "Action updated")
    return _plan_row_act(action, ACTION_STATUS, lambda f: learning_actions.update_status(
        action, f.status.data, current_user, completion_note=f.completion_note.data, today=today()),
        "Action updated")


@bp.post("/actions/<int:action_id>/owner")
@auth.permission_required("manage_actions")
def action_reassign(action_id: int):
    """Give an action to another owner or move its due date (someone left, or the work
    needs longer): feedback managers and officers only."""
    action = db.session.get(LearningAction, action_id)
    if action is None:
        abort(404)
    return _plan_row_act(action, ACTION_OWNER, lambda f: learning_actions.reassign(
        action, _owner(f), f.due_on.data, current_user, today=today()),
        "Owner and due date saved")


def _plan_row_act(action: LearningAction, item_form, perform, message: str):
    """Run ``perform`` with the sent form ``item_form`` of one action plan row; the row
    again (HTMX) or the plan with its filters (plain post), with the form's errors on
    refusal."""
    form = item_form.sent(action)
    back = _plan_url(request.form.get("back"))
    if carry_out(form, perform, FIELD_NAMES).done:
        if is_panel_request():
            return _row(action, notice=message)
        flash(message, "success")
        return redirect(back)
    sent = Sent(item_form.slot(action), form)
    if is_panel_request():
        return _row(action, sent, 422)
    return _plan_page(dict(parse_qsl(urlsplit(back).query)), sent)


def _plan_url(value: str | None) -> str:
    """Back to the action plan with its filters; never anywhere else."""
    plan = url_for(".action_plan")
    back = same_site_path(value, within=plan, default=plan)
    return back if urlsplit(back).path == plan else plan


def _row(action: LearningAction, sent: Sent | None = None, status: int = 200, notice: str | None = None):
    db.session.refresh(action)
    response = make_response(render_template(
        "staff/_action_row.html", row=ActionRow(action, learning_actions.is_overdue(action, today())),
        row_forms=row_forms(sent), today=today(), back=_plan_url(request.form.get("back")),
        row_notice=notice, **helpers()), status)
    response.vary.add("HX-Request")
    return response


# --- An Ombudsman enquiry about a complaint the portal never held ------------------------


@bp.route("/ombudsman/new", methods=["GET", "POST"])
@auth.permission_required("edit_cases")
def enquiry_for_unknown_complaint():
    form = UnknownComplaintEnquiryForm(teams=reference_data.active_teams())
    made = []
    if carry_out(form, lambda f: made.append(ombudsman.record_enquiry_for_unknown_complaint(
            f.reference.data, f.notified_on.data, f.summary.data, current_user,
            submitter_role=f.submitter_role.data, team_id=f.team_id.data, status=f.status.data,
            today=today())), FIELD_NAMES).done:
        reference = made[0].feedback.reference
        flash(f"Ombudsman enquiry recorded on a new complaint record, {reference}", "success")
        return redirect(url_for(".case", reference=reference) + "#ombudsman")
    return render_template("staff/ombudsman_new.html", form=form)


# --- Contact restrictions ---------------------------------------------------------------


@bp.route("/people/<int:person_id>/restrictions/new", methods=["GET", "POST"])
@auth.permission_required("manage_restrictions")
def restriction_new(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    form = RestrictionLetterForm()
    if carry_out(form, lambda f: restrictions.record_letter(
            person, f.letter_issued_on.data, f.restrictions.data, f.reason.data, f.decided_by.data,
            current_user, review_on=f.review_on.data, today=today()), FIELD_NAMES).done:
        flash("Letter recorded. Staff now see the restrictions on this person's cases.", "success")
        return redirect(url_for(".person", person_id=person.id))
    return render_template("staff/restriction_new.html", form=form, person=person, **helpers())


@bp.route("/restrictions/<int:restriction_id>/review", methods=["GET", "POST"])
@auth.permission_required("manage_restrictions")
def restriction_review(restriction_id: int):
    restriction = db.session.get(ContactRestriction, restriction_id)
    if restriction is None:
        abort(404)
    form = RestrictionReviewForm(data={"restrictions": list(restriction.restrictions or [])}
                                 if request.method == "GET" else None)
    if carry_out(form, lambda f: restrictions.record_review(
            restriction, f.reviewed_on.data, f.outcome.data, current_user, reasons=f.reasons.data,
            restrictions=f.restrictions.data, next_review_on=f.next_review_on.data, today=today()), FIELD_NAMES).done:
        # The review letter, drafted from the review just recorded, ready to check and preview
        # (issue 18, 5: the review produces the review letter).
        flash("Review recorded. The review letter is drafted from it: finish it, check and preview it, "
              "then send it.", "success")
        return redirect(url_for(".restriction_letter", restriction_id=restriction.id, purpose="restriction_review"))
    return render_template("staff/restriction_review.html", form=form, restriction=restriction,
                           is_lifted=restrictions.is_lifted(restriction), **helpers())


@bp.get("/restrictions")
@auth.permission_required("manage_restrictions")
def restriction_list():
    on = today()
    issued = db.session.scalars(
        select(ContactRestriction).where(ContactRestriction.letter_issued_on <= on)
        .order_by(ContactRestriction.review_on, ContactRestriction.id))
    due = restrictions.reviews_due(on)
    active = [r for r in issued if not restrictions.is_lifted(r) and r not in due]
    return render_template("staff/restrictions.html", due=due, active=active, today=on)
