"""The case page's Ombudsman, Money and Actions panels and its restriction notice, and
the forms of the action plan's rows.

A form drawn once per enquiry, recommendation, payment or action is prefixed with its
``slot`` (``compliance-7``), so that every id on the page is unique; the same slot is
where a refused form comes back to (``CaseView.form``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, LearningAction, OmbudsmanEnquiry, OmbudsmanRecommendation, StaffUser
from portal.services.accounts import staff_accounts
from portal.services.accounts.permissions import has_permission
from portal.services.casework import learning_actions, ombudsman, payments, restrictions
from portal.services.casework.learning_actions import ActionRow
from portal.services.common.labels import (
    ActionSource,
    Compliance,
    OmbudsmanDecision,
    PaymentKind,
    RestrictionCode,
    label,
)
from staff.case.panel import CaseView, Panel, Sent
from staff.casework.forms import (
    ActionFromRecommendationForm,
    ActionStatusForm,
    ComplianceForm,
    DecisionForm,
    EnquiryForm,
    EnquiryStatusForm,
    PaymentForm,
    RaiseActionForm,
    ReassignActionForm,
    RecommendationForm,
)

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


# --- The forms, one per enquiry, recommendation, payment or action ------------------------


@dataclass(frozen=True)
class ItemForm:
    """A form drawn once per item (or once, for a new item), prefixed with its slot."""

    kind: str
    make: Callable[..., object]  # (item, prefix=..., **read) -> the form
    per_item: bool = True  # False: one on the page, whatever it is given

    def slot(self, item=None) -> str:
        return f"{self.kind}-{item.id}" if item is not None and self.per_item else self.kind

    def sent(self, item=None):
        """The form as the person sent it."""
        return self.make(item, prefix=self.slot(item))

    def fresh(self, item=None):
        return self.make(item, prefix=self.slot(item), formdata=None)

    def shown(self, case: CaseView, item=None):
        """The fresh form for ``item``, or the one the person sent for it if refused."""
        return case.form(self.slot(item), lambda: self.fresh(item))


ENQUIRY = ItemForm("enquiry", lambda _, **kw: EnquiryForm(**kw))
ENQUIRY_STATUS = ItemForm("enquiry-status", lambda enquiry, **kw: EnquiryStatusForm(
    data={"status": enquiry.status}, **kw))
DECISION = ItemForm("decision", lambda _, **kw: DecisionForm(**kw))
RECOMMENDATION = ItemForm("recommendation", lambda _, **kw: RecommendationForm(**kw))
COMPLIANCE_FORM = ItemForm("compliance", lambda _, **kw: ComplianceForm(**kw))
FROM_RECOMMENDATION = ItemForm("from-recommendation", lambda _, **kw: ActionFromRecommendationForm(
    owners=action_owners(), **kw))
PAYMENT = ItemForm("payment", lambda payment, **kw: PaymentForm(
    data=PaymentForm.data_of(payment) if payment else {}, **kw))
ACTION_STATUS = ItemForm("action-status", lambda action, **kw: ActionStatusForm(
    data={"status": action.status, "completion_note": action.completion_note}, **kw))
ACTION_OWNER = ItemForm("action-owner", lambda action, **kw: ReassignActionForm(
    owners=action_owners(), data={"owner_id": action.owner_id, "due_on": action.due_on}, **kw))


def _raise_action(record: Feedback, **kw):
    sources = [str(stage.number) for stage in record.stages] + ["ombudsman"]
    return RaiseActionForm(owners=action_owners(), sources=sources, **kw)


# One per case page: it is given the record for the stages an action can come from.
RAISE_ACTION = ItemForm("action", _raise_action, per_item=False)


def helpers() -> dict:
    """What the casework partials use to say amounts, decisions and sources in words."""
    return dict(
        money=payments.format_amount, decision_label=lambda code: OmbudsmanDecision.words_of(code, label(code)),
        compliance_label=Compliance.words_of, source_label=lambda s: ActionSource.words_of(s, "Not recorded"),
        describe_restrictions=restrictions.describe, restriction_hints=RestrictionCode.hints(),
        payment_kind=PaymentKind.words_of,
    )


def has_casework(record: Feedback) -> bool:
    """Every complaint has the three panels; any other record once it has casework."""
    return (record.kind == "complaint" or bool(record.procedure)
            or bool(record.ombudsman_enquiries or record.payments or record.learning_actions))


# --- The Ombudsman panel ----------------------------------------------------------------


@dataclass
class RecommendationView:
    recommendation: OmbudsmanRecommendation
    overdue: bool
    on_the_plan: bool
    compliance_form: object
    action_form: object | None  # adding it to the action plan, for those who manage actions


@dataclass
class EnquiryView:
    enquiry: OmbudsmanEnquiry
    recommendations: list[RecommendationView]
    recommendation_form: object
    decision_form: object
    status_form: object


def ombudsman_panel(case: CaseView) -> dict:
    record = case.record
    on_the_plan = {a.recommendation_id for a in record.learning_actions if a.recommendation_id}
    can_manage = has_permission(current_user, "manage_actions")

    def recommendation(rec) -> RecommendationView:
        offered = can_manage and rec.id not in on_the_plan
        return RecommendationView(rec, ombudsman.is_overdue(rec, case.day), rec.id in on_the_plan,
                                  COMPLIANCE_FORM.shown(case, rec),
                                  FROM_RECOMMENDATION.shown(case, rec) if offered else None)

    enquiries = [EnquiryView(enquiry, [recommendation(rec) for rec in enquiry.recommendations],
                             RECOMMENDATION.shown(case, enquiry), DECISION.shown(case, enquiry),
                             ENQUIRY_STATUS.shown(case, enquiry))
                 for enquiry in record.ombudsman_enquiries]
    return dict(enquiries=enquiries, enquiry_form=ENQUIRY.shown(case), **helpers())


# --- The Money panel --------------------------------------------------------------------


def money_panel(case: CaseView) -> dict:
    record = case.record
    return dict(
        payment_totals=payments.case_totals(record),
        corrections=[(payment, PAYMENT.shown(case, payment)) for payment in record.payments],
        payment_form=PAYMENT.shown(case),
        **helpers(),
    )


# --- The Actions panel ------------------------------------------------------------------


@dataclass
class CaseActionView:
    row: ActionRow
    status_form: object | None  # for those who may update it (``can_update_action``)


def actions_panel(case: CaseView) -> dict:
    record = case.record
    rows = [ActionRow(a, learning_actions.is_overdue(a, case.day)) for a in record.learning_actions]
    return dict(
        case_actions=[CaseActionView(row, ACTION_STATUS.shown(case, row.action)
                                     if can_update_action(current_user, row.action) else None)
                      for row in rows],
        action_form=RAISE_ACTION.shown(case, record) if has_permission(current_user, "manage_actions") else None,
        **helpers(),
    )


# --- The restriction notice in the sidebar ------------------------------------------------


def restrictions_notice(case: CaseView) -> dict:
    return {"active_restrictions": restrictions.active_for_feedback(case.record, case.day), **helpers()}


OMBUDSMAN = Panel("ombudsman", "staff/case/_ombudsman.html", ombudsman_panel, shown=has_casework)
MONEY = Panel("money", "staff/case/_money.html", money_panel, shown=has_casework)
ACTIONS = Panel("actions", "staff/case/_actions.html", actions_panel, shown=has_casework)
RESTRICTIONS = Panel("restrictions", "staff/case/_restrictions.html", restrictions_notice)


# --- The action plan's rows ---------------------------------------------------------------


@dataclass
class RowForms:
    status: object | None
    owner: object | None


def row_forms(sent: Sent | None = None):
    """For the action plan: a row's update forms, fresh or the one sent for it."""
    def forms(action: LearningAction) -> RowForms:
        def shown(item_form: ItemForm):
            key = item_form.slot(action)
            return sent.form if sent is not None and sent.key == key else item_form.fresh(action)

        return RowForms(status=shown(ACTION_STATUS) if can_update_action(current_user, action) else None,
                        owner=shown(ACTION_OWNER) if has_permission(current_user, "manage_actions") else None)

    return forms
