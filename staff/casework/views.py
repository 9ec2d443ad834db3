"""Ombudsman enquiries, money, the learning action plan and contact restrictions: the
case page's panels for them, the action plan page, the page for an Ombudsman enquiry
about a complaint the portal never held, and a person's restriction letters and reviews.

Views are thin: a form, a service from ``portal/services`` (which never commits), then
commit here, and redirect (plain post) or swap the panel or row (HTMX). A service's
refusal is shown against its field, GOV.UK style."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from portal import auth
from portal.forms import read_id
from portal.extensions import db, htmx
from portal.security import same_site_path
from portal.models import (
    ContactRestriction,
    Feedback,
    LearningAction,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Payment,
    Person,
    StaffUser,
)
from portal.services.casework import learning_actions, ombudsman, payments, restrictions
from portal.services.accounts import reference_data, staff_accounts
from portal.services.common.errors import Refused
from portal.services.common.dates import today
from portal.services.common.labels import label
from portal.services.casework.learning_actions import ActionFilters, ActionRow
from portal.services.accounts.permissions import has_permission
from staff import bp
from staff.case.views import CASE_PANELS, CASE_TEMPLATE, case_context, load_case, panel_response
from staff.casework.forms import (
    COMPLIANCE,
    RESTRICTION_HINTS,
    SOURCES,
    ActionFromRecommendationForm,
    ActionStatusForm,
    ReassignActionForm,
    ComplianceForm,
    DecisionForm,
    EnquiryForm,
    EnquiryStatusForm,
    PaymentForm,
    RaiseActionForm,
    RecommendationForm,
    RestrictionLetterForm,
    RestrictionReviewForm,
    UnknownComplaintEnquiryForm,
    decision_label,
)
from staff.fields import add_error
from staff.views import page_or_fragment

# Where a service names a field differently from the form.
FIELD_NAMES = {"owner": "owner_id"}


# --- Who may own and update actions ----------------------------------------------------


def action_owners() -> list[StaffUser]:
    """Staff ready for work who can open the action plan, so an owner can always see and
    update what they own."""
    return staff_accounts.ready_staff("view_actions")


def can_update_action(user, action: LearningAction) -> bool:
    """Feedback managers and officers (manage_actions) update any action; anyone else
    with view_actions only those the action plan shows them (``visible_actions``, the
    service's rule: a team manager's team's actions and the ones they own)."""
    if has_permission(user, "manage_actions"):
        return True
    if not has_permission(user, "view_actions"):
        return False
    return db.session.scalar(
        select(LearningAction.id).join(Feedback, LearningAction.feedback_id == Feedback.id)
        .where(LearningAction.id == action.id, learning_actions.visible_actions(user))
    ) is not None


# --- Forms for the case page, one per enquiry, recommendation or action ------------------


@dataclass(frozen=True)
class Failed:
    """A form that was sent and refused: the page shows it, with what was typed and its
    errors, in place of a fresh one."""

    kind: str
    key: int | None
    form: object


def _sources(record: Feedback) -> list[str]:
    return [str(stage.number) for stage in record.stages] + ["ombudsman"]


def make_form(kind: str, key: int | None = None, obj=None, record: Feedback | None = None, sent: bool = False):
    """The form ``kind`` for object ``key``, prefixed so its ids are unique on the page;
    ``sent`` reads it from the request, otherwise it is fresh (filled from ``obj``)."""
    prefix = f"{kind}-{key}" if key is not None else kind
    extra = {} if sent else {"formdata": None}
    if kind == "enquiry":
        return EnquiryForm(prefix=prefix, **extra)
    if kind == "enquiry-status":
        return EnquiryStatusForm(prefix=prefix, data={"status": obj.status if obj else None}, **extra)
    if kind == "decision":
        return DecisionForm(prefix=prefix, **extra)
    if kind == "recommendation":
        return RecommendationForm(prefix=prefix, **extra)
    if kind == "compliance":
        return ComplianceForm(prefix=prefix, **extra)
    if kind == "from-recommendation":
        return ActionFromRecommendationForm(prefix=prefix, owners=action_owners(), **extra)
    if kind == "payment":
        return PaymentForm(prefix=prefix, data=PaymentForm.data_of(obj) if obj else {}, **extra)
    if kind == "action":
        return RaiseActionForm(prefix=prefix, owners=action_owners(), sources=_sources(record), **extra)
    if kind == "action-owner":
        data = {"owner_id": obj.owner_id, "due_on": obj.due_on} if obj else {}
        return ReassignActionForm(prefix=prefix, owners=action_owners(), data=data, **extra)
    if kind == "action-status":
        data = {"status": obj.status, "completion_note": obj.completion_note} if obj else {}
        return ActionStatusForm(prefix=prefix, data=data, **extra)
    raise KeyError(kind)


def form_getter(record: Feedback | None, failed: Failed | None):
    def form(kind: str, key: int | None = None, obj=None):
        if failed is not None and failed.kind == kind and failed.key == key:
            return failed.form
        return make_form(kind, key, obj, record)

    return form


def casework_panels(record: Feedback) -> dict:
    """What the Ombudsman, Money and Actions panels and the restriction notice need."""
    on = today()
    has_casework = bool(record.ombudsman_enquiries or record.payments or record.learning_actions)
    return dict(
        show_casework=record.kind == "complaint" or bool(record.procedure) or has_casework,
        enquiries=record.ombudsman_enquiries,
        payment_totals=payments.case_totals(record) if record.id else None,
        case_actions=[ActionRow(a, learning_actions.is_overdue(a, on)) for a in record.learning_actions],
        active_restrictions=restrictions.active_for_feedback(record, on),
        cw_failed=None,
        cw_form=form_getter(record, None),
        actioned_recommendations={a.recommendation_id for a in record.learning_actions if a.recommendation_id},
        can_manage_actions=has_permission(current_user, "manage_actions"),
        can_update_action=lambda action: can_update_action(current_user, action),
        **helpers(),
    )


def helpers() -> dict:
    return dict(
        money=payments.format_amount, decision_label=decision_label, compliance_label=COMPLIANCE.get,
        source_label=lambda s: SOURCES.get(s, "Not recorded"), describe_restrictions=restrictions.describe,
        is_recommendation_overdue=lambda r: ombudsman.is_overdue(r, today()),
        restriction_hints=RESTRICTION_HINTS,
    )


CASE_PANELS.append(casework_panels)


@bp.context_processor
def restriction_helpers():
    """For the person's page and any staff page that shows a restriction notice."""
    return {"restrictions_for_person": lambda person: restrictions.active_for_person(person, today()),
            "describe_restrictions": restrictions.describe}


# --- Rendering a panel ------------------------------------------------------------------


def render_panel(record: Feedback, panel: str, status: int = 200, failed: Failed | None = None,
                 notice: str | None = None):
    """The whole case page, or with HTMX only ``panel`` (a block of the casework
    partial) and, out of band, what else shows its change (``panel_response``)."""
    context = case_context(record, failed.form if failed else None, notice, cw_failed=failed)
    context["cw_form"] = form_getter(record, failed)
    if htmx and not htmx.boosted:
        return panel_response(panel, context, status)
    response = make_response(render_template(CASE_TEMPLATE, **context), status)
    response.vary.add("HX-Request")
    return response


def _carried_out(form, perform) -> bool:
    """Validate the sent form and run ``perform`` (a service call) with it, committed;
    False with the form's errors (its own, or the service's refusal) if not."""
    if not form.validate_on_submit():
        return False
    try:
        perform(form)
    except Refused as refused:
        db.session.rollback()
        add_error(form, FIELD_NAMES.get(refused.field, refused.field), str(refused))
        return False
    db.session.commit()
    return True


def _panel_act(record: Feedback, panel: str, kind: str, key: int | None, action, message: str, obj=None):
    """Read the form, run ``action`` (a service call), commit; or show why not."""
    form = make_form(kind, key, obj, record, sent=True)
    if _carried_out(form, action):
        if htmx and not htmx.boosted:
            return render_panel(record, panel, notice=message)
        flash(message, "success")
        return redirect(url_for(".case", reference=record.reference) + f"#{panel}")
    return render_panel(record, panel, 422 if htmx else 200, failed=Failed(kind, key, form))


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


# --- The Ombudsman panel ----------------------------------------------------------------


@bp.post("/cases/<reference>/ombudsman")
@auth.permission_required("edit_cases")
def case_enquiry_add(reference: str):
    record = load_case(reference)
    return _panel_act(record, "ombudsman", "enquiry", None, lambda f: ombudsman.record_enquiry(
        record, f.reference.data, f.notified_on.data, current_user, status=f.status.data, today=today()),
        "Ombudsman enquiry recorded")


@bp.post("/cases/<reference>/ombudsman/<int:enquiry_id>/status")
@auth.permission_required("edit_cases")
def case_enquiry_status(reference: str, enquiry_id: int):
    record = load_case(reference)
    enquiry = _enquiry(record, enquiry_id)
    return _panel_act(record, "ombudsman", "enquiry-status", enquiry.id, lambda f: ombudsman.update_enquiry(
        enquiry, enquiry.reference, enquiry.notified_on, f.status.data, current_user, today=today()),
        "Status of the Ombudsman enquiry saved", obj=enquiry)


@bp.post("/cases/<reference>/ombudsman/<int:enquiry_id>/decision")
@auth.permission_required("edit_cases")
def case_enquiry_decision(reference: str, enquiry_id: int):
    record = load_case(reference)
    enquiry = _enquiry(record, enquiry_id)
    return _panel_act(record, "ombudsman", "decision", enquiry.id, lambda f: ombudsman.record_decision(
        enquiry, f.decision.data, f.decided_on.data, current_user, remedy_amount=f.remedy_amount.data,
        today=today()), "The Ombudsman's decision is recorded")


@bp.post("/cases/<reference>/ombudsman/<int:enquiry_id>/recommendations")
@auth.permission_required("edit_cases")
def case_recommendation_add(reference: str, enquiry_id: int):
    record = load_case(reference)
    enquiry = _enquiry(record, enquiry_id)
    return _panel_act(record, "ombudsman", "recommendation", enquiry.id, lambda f: ombudsman.add_recommendation(
        enquiry, f.text.data, f.due_on.data, current_user), "Recommendation added")


@bp.post("/cases/<reference>/recommendations/<int:recommendation_id>/compliance")
@auth.permission_required("edit_cases")
def case_recommendation_compliance(reference: str, recommendation_id: int):
    record = load_case(reference)
    recommendation = _recommendation(record, recommendation_id)

    def action(f):
        if f.result.data == "not_complied":
            ombudsman.record_not_complied(recommendation, current_user)
        else:
            ombudsman.record_compliance(recommendation, f.complied_on.data, current_user, today=today())

    return _panel_act(record, "ombudsman", "compliance", recommendation.id, action, "Compliance recorded")


@bp.post("/cases/<reference>/recommendations/<int:recommendation_id>/action")
@auth.permission_required("manage_actions")
def case_recommendation_action(reference: str, recommendation_id: int):
    record = load_case(reference)
    recommendation = _recommendation(record, recommendation_id)
    return _panel_act(record, "ombudsman", "from-recommendation", recommendation.id,
                      lambda f: learning_actions.raise_action_from_recommendation(
                          recommendation, _owner(f), f.due_on.data, current_user, today=today()),
                      "Recommendation added to the action plan")


# --- The Money panel --------------------------------------------------------------------


@bp.post("/cases/<reference>/payments")
@auth.permission_required("edit_cases")
def case_payment_add(reference: str):
    record = load_case(reference)
    return _panel_act(record, "money", "payment", None, lambda f: payments.record_payment(
        record, f.kind.data, f.amount.data, f.paid_on.data, current_user, decided_by=f.decider,
        reason=f.reason.data, today=today()), "Payment recorded")


@bp.post("/cases/<reference>/payments/<int:payment_id>")
@auth.permission_required("edit_cases")
def case_payment_correct(reference: str, payment_id: int):
    record = load_case(reference)
    payment = _payment(record, payment_id)
    return _panel_act(record, "money", "payment", payment.id, lambda f: payments.correct_payment(
        payment, f.kind.data, f.amount.data, f.paid_on.data, current_user, decided_by=f.decider,
        reason=f.reason.data, today=today(), seen=f.seen.data or ""), "Payment corrected")


@bp.route("/cases/<reference>/payments/<int:payment_id>/remove", methods=["GET", "POST"])
@auth.permission_required("edit_cases")
def case_payment_remove(reference: str, payment_id: int):
    """Remove a payment recorded by mistake, once confirmed: it cannot be undone, so the
    case page's "Remove" leads to a page that asks (issue 13), and only its button
    (``confirm=yes``) removes it. A post without it, from a page opened before, asks too."""
    record = load_case(reference)
    payment = _payment(record, payment_id)
    form = FlaskForm()
    if request.method == "POST" and request.form.get("confirm") == "yes" and form.validate_on_submit():
        payments.remove_payment(payment, current_user)
        db.session.commit()
        db.session.refresh(record)
        message = "Payment removed. The audit trail keeps what it said."
        if htmx and not htmx.boosted:
            return render_panel(record, "money", notice=message)
        flash(message, "success")
        return redirect(url_for(".case", reference=record.reference) + "#money")
    if htmx and not htmx.boosted:  # asked from a panel: go to the page that asks
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url_for(".case_payment_remove", reference=reference,
                                                  payment_id=payment_id)
        return response
    return render_template("staff/case/confirm_remove_payment.html", record=record, payment=payment,
                           form=form, **helpers())


# --- The Actions panel and the action plan ----------------------------------------------


@bp.post("/cases/<reference>/actions")
@auth.permission_required("manage_actions")
def case_action_raise(reference: str):
    record = load_case(reference)
    return _panel_act(record, "actions", "action", None, lambda f: learning_actions.raise_action(
        record, f.source.data, f.recommendation.data, _owner(f), f.due_on.data, current_user, today=today()),
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
        source=args.get("source") if args.get("source") in SOURCES else None,
        overdue=args.get("overdue") == "1",
        raised_from=_iso(args.get("from")),
        raised_to=_iso(args.get("to")),
    )


def _plan_page(args, failed: Failed | None = None, status: int = 200):
    rows = learning_actions.action_plan(action_filters(args), today(), viewer=current_user)
    context = dict(
        rows=rows, args=args, today=today(), label=label, form=failed.form if failed else None,
        owner_options=[(u.id, u.name) for u in action_owners()],
        team_options=[(t.id, t.name) for t in reference_data.active_teams()],
        source_options=list(SOURCES.items()),
        back=url_for(".action_plan") + ("?" + urlencode(args) if args else ""),
        cw_form=form_getter(None, failed), can_update_action=lambda a: can_update_action(current_user, a),
        **helpers(),
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
        record = load_case(action.feedback.reference)
        return _panel_act(record, "actions", "action-status", action.id, lambda f: learning_actions.update_status(
            action, f.status.data, current_user, completion_note=f.completion_note.data, today=today()),
            "Action updated", obj=action)
    return _plan_row_act(action, "action-status", lambda f: learning_actions.update_status(
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
    return _plan_row_act(action, "action-owner", lambda f: learning_actions.reassign(
        action, _owner(f), f.due_on.data, current_user, today=today()),
        "Owner and due date saved")


def _plan_row_act(action: LearningAction, kind: str, perform, message: str):
    """Run ``perform`` with the sent form ``kind`` of one action plan row; the row again
    (HTMX) or the plan with its filters (plain post), with the form's errors on refusal."""
    form = make_form(kind, action.id, action, sent=True)
    back = _plan_url(request.form.get("back"))
    if _carried_out(form, perform):
        if htmx and not htmx.boosted:
            return _row(action, notice=message)
        flash(message, "success")
        return redirect(back)
    failed = Failed(kind, action.id, form)
    if htmx and not htmx.boosted:
        return _row(action, failed, 422)
    return _plan_page(dict(parse_qsl(urlsplit(back).query)), failed)


def _plan_url(value: str | None) -> str:
    """Back to the action plan with its filters; never anywhere else."""
    plan = url_for(".action_plan")
    back = same_site_path(value, within=plan, default=plan)
    return back if urlsplit(back).path == plan else plan


def _row(action: LearningAction, failed: Failed | None = None, status: int = 200, notice: str | None = None):
    db.session.refresh(action)
    response = make_response(render_template(
        "staff/_action_row.html", row=ActionRow(action, learning_actions.is_overdue(action, today())),
        cw_form=form_getter(None, failed), today=today(), back=_plan_url(request.form.get("back")),
        can_update_action=lambda a: can_update_action(current_user, a), row_notice=notice, **helpers()), status)
    response.vary.add("HX-Request")
    return response


# --- An Ombudsman enquiry about a complaint the portal never held ------------------------


@bp.route("/ombudsman/new", methods=["GET", "POST"])
@auth.permission_required("edit_cases")
def enquiry_for_unknown_complaint():
    form = UnknownComplaintEnquiryForm(teams=reference_data.active_teams())
    made = []
    if _carried_out(form, lambda f: made.append(ombudsman.record_enquiry_for_unknown_complaint(
            f.reference.data, f.notified_on.data, f.summary.data, current_user,
            submitter_role=f.submitter_role.data, team_id=f.team_id.data, status=f.status.data,
            today=today()))):
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
    if _carried_out(form, lambda f: restrictions.record_letter(
            person, f.letter_issued_on.data, f.restrictions.data, f.reason.data, f.decided_by.data,
            current_user, review_on=f.review_on.data, today=today())):
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
    if _carried_out(form, lambda f: restrictions.record_review(
            restriction, f.reviewed_on.data, f.outcome.data, current_user, reasons=f.reasons.data,
            restrictions=f.restrictions.data, next_review_on=f.next_review_on.data, today=today())):
        flash("Review recorded", "success")
        if restriction.person_id:
            return redirect(url_for(".person", person_id=restriction.person_id))
        return redirect(url_for(".restriction_list"))
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
