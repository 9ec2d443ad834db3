"""Forms for Ombudsman enquiries, money, the action plan and contact restrictions.

The forms on the case page carry the case's version (``VersionedForm``), so that a
change made on an out-of-date page is refused rather than overwriting; the action
plan's own rows and the page for an unknown complaint do not.

Forms that appear once per enquiry, recommendation or action on a page take a ``prefix``
(``e12``, ``r7``, ``a3``), so that every field id on the page is unique. The rules
(dates not in the future, amounts, who may own an action) are the services'; the forms
only check that each answer is there and well formed, and the view shows a service's
refusal against its field."""

from __future__ import annotations

from portal.widgets import GovSelect, GovTextInput
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import BaseForm, one_line
from portal.services.common.dates import today
from portal.services.common.labels import (
    ActionSource,
    ActionStatus,
    OmbudsmanDecision,
    OmbudsmanStatus,
    PaymentKind,
    RestrictionCode,
    ReviewOutcome,
    SubmitterRole,
)
from portal.services.casework.payments import REMEDY_DECIDERS, format_amount, payment_state
from staff.case.forms import VersionedForm
from staff.fields import PickList, date_field, team_list, text_box

# An enquiry is "decided" only by recording the decision.
ENQUIRY_STATUSES = OmbudsmanStatus.choices(OmbudsmanStatus.INITIAL_ENQUIRIES, OmbudsmanStatus.INVESTIGATION)
OTHER = "other"


# --- Ombudsman -------------------------------------------------------------------------


class _EnquiryFields(BaseForm):
    reference = StringField("LGSCO reference", filters=[one_line], widget=GovTextInput(),
                            description="As the Ombudsman writes it, for example 23 012 345",
                            validators=[InputRequired("Enter the LGSCO reference"), Length(max=60)])
    notified_on = date_field("Date the Ombudsman told us", "Enter the date the Ombudsman told us",
                             invalid="The date the Ombudsman told us must be a real date", default=today)
    status = RadioField("Status", choices=ENQUIRY_STATUSES, default="initial_enquiries",
                        validators=[InputRequired("Select the status of the enquiry")])


class EnquiryForm(_EnquiryFields, VersionedForm):
    """An enquiry about this case, from its page."""


class UnknownComplaintEnquiryForm(_EnquiryFields):
    summary = text_box("What is the complaint about?", "Enter what the complaint is about", max_length=10000,
                       hint="From the Ombudsman's letter. The portal makes a new complaint record for it.")
    submitter_role = SelectField("Who complained?", widget=GovSelect(), default="other",
                                 choices=SubmitterRole.choices())
    team_id = team_list("Not known")

    ORDER = ("reference", "notified_on", "status", "summary", "submitter_role", "team_id")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.offer(teams)


class EnquiryStatusForm(VersionedForm):
    status = RadioField("Status", choices=ENQUIRY_STATUSES,
                        validators=[InputRequired("Select the status of the enquiry")])


class DecisionForm(VersionedForm):
    decision = RadioField("Decision", choices=OmbudsmanDecision.choices(),
                          validators=[InputRequired("Select the Ombudsman's decision")])
    decided_on = date_field("Date of the decision", "Enter the date of the decision",
                            invalid="The date of the decision must be a real date", default=today)
    remedy_amount = StringField("Remedy the Ombudsman recommended (optional)", filters=[one_line],
                                widget=GovTextInput(), validators=[Optional(), Length(max=30)],
                                description="In pounds, for example £1,300. Leave empty if there is none. "
                                            "Record the payment under Money when it is paid.")
    # The third figure of the Ombudsman's annual letter: an upheld complaint we had already
    # put right before the Ombudsman became involved.
    remedied_before = BooleanField("The Ombudsman found we had already put things right before they became involved")


class RecommendationForm(VersionedForm):
    text = text_box("Recommendation", "Enter the recommendation")
    due_on = date_field("Due date", "Enter the date the recommendation is due",
                        invalid="The due date must be a real date")


class ComplianceForm(VersionedForm):
    result = RadioField("Was it complied with?", choices=[("complied", "Yes, complied with"),
                                                          ("not_complied", "No, not complied with")],
                        validators=[InputRequired("Select whether the recommendation was complied with")])
    complied_on = date_field("Date complied with", invalid="The date complied with must be a real date")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.result.data == "complied" and self.complied_on.data is None and not self.complied_on.errors:
            self.complied_on.errors = ["Enter the date the recommendation was complied with"]
            ok = False
        return ok


# --- Actions ---------------------------------------------------------------------------


class _OwnerForm(BaseForm):
    owner_id = PickList("Owner", "Select an owner", "Select an owner from the list",
                        required="Select who owns the action", description="Usually the manager of the service")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.offer(owners)


class RaiseActionForm(_OwnerForm, VersionedForm):
    source = SelectField("Where the recommendation came from", widget=GovSelect(),
                         validators=[InputRequired("Select where the recommendation came from")])
    recommendation = text_box("Recommendation", "Enter the recommendation")
    due_on = date_field("Due date", "Enter the date the action is due", invalid="The due date must be a real date")

    ORDER = ("source", "recommendation", "owner_id", "due_on")

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = [("", "Select")] + ActionSource.choices(*sources)


class ActionFromRecommendationForm(_OwnerForm, VersionedForm):
    due_on = date_field("Due date", hint="Leave empty for the Ombudsman's due date",
                        invalid="The due date must be a real date")


class ActionStatusForm(BaseForm):
    status = SelectField("Status", widget=GovSelect(), choices=ActionStatus.choices(),
                         validators=[InputRequired("Select the status of the action")])
    completion_note = text_box("What was done", hint="Needed when the action is done")


class ReassignActionForm(_OwnerForm):
    due_on = date_field("Due date", "Enter the date the action is due", invalid="The due date must be a real date")


# --- Money -----------------------------------------------------------------------------


class PaymentForm(VersionedForm):
    kind = RadioField("What is it?", choices=PaymentKind.choices(),
                      validators=[InputRequired("Select whether this is an investigation cost or a financial remedy")])
    amount = StringField("Amount", filters=[one_line], widget=GovTextInput(), validators=[Length(max=30)],
                         description="In pounds, for example £1,300 or 450.50")
    paid_on = date_field("Date paid or incurred", "Enter the date it was paid or incurred",
                         invalid="The date must be a real date", default=today)
    decided_by = RadioField("Who decided? (financial remedies)", validators=[Optional()],
                            choices=[(d, d) for d in REMEDY_DECIDERS] + [(OTHER, "Someone else")])
    decided_by_other = StringField("Their name and role", filters=[one_line], widget=GovTextInput(),
                                   validators=[Optional(), Length(max=200)])
    reason = text_box("What it was for, or why the remedy was paid", "Enter what it was for, or why it was paid")
    seen = HiddenField()  # when correcting: the payment as it was shown (payments.payment_state)

    ORDER = ("kind", "amount", "paid_on", "decided_by", "decided_by_other", "reason")

    @classmethod
    def data_of(cls, payment) -> dict:
        """A recorded payment as the form shows it, to be corrected."""
        decider = payment.decided_by
        known = decider in REMEDY_DECIDERS
        return {
            "kind": payment.kind, "amount": format_amount(payment.amount).removeprefix("£"),
            "paid_on": payment.paid_on, "decided_by": decider if known else (OTHER if decider else None),
            "decided_by_other": None if known else decider, "reason": payment.description,
            "seen": payment_state(payment),
        }

    @property
    def decider(self) -> str | None:
        if self.decided_by.data == OTHER:
            return self.decided_by_other.data or None
        return self.decided_by.data or None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.decided_by.data == OTHER and not self.decided_by_other.data:
            self.decided_by_other.errors = ["Enter the name and role of who decided the remedy"]
            ok = False
        return ok


# --- Contact restrictions --------------------------------------------------------------


class _RestrictionChoices(BaseForm):
    restrictions = SelectMultipleField("Restrictions", choices=RestrictionCode.choices(),
                                       validators=[Optional()],
                                       description="Select all that apply. They never stop a new complaint "
                                                   "being considered on its merits.")


class RestrictionLetterForm(_RestrictionChoices):
    letter_issued_on = date_field("Date of the letter", "Enter the date of the letter",
                                  invalid="The date of the letter must be a real date", default=today)
    reason = text_box("Reason for the restrictions", "Enter the reason for the restrictions")
    decided_by = StringField("Who decided", filters=[one_line], widget=GovTextInput(),
                             description="Usually the Customer Feedback Manager",
                             validators=[InputRequired("Enter who decided the restrictions"), Length(max=200)])
    review_on = date_field("Review date (optional)", invalid="The review date must be a real date",
                           hint="Leave empty to review six months after the date of the letter")

    ORDER = ("letter_issued_on", "restrictions", "reason", "decided_by", "review_on")


class RestrictionReviewForm(_RestrictionChoices):
    reviewed_on = date_field("Date of the review", "Enter the date of the review",
                             invalid="The date of the review must be a real date", default=today)
    outcome = RadioField("Result of the review", choices=ReviewOutcome.choices(),
                         validators=[InputRequired("Select the result of the review")])
    reasons = text_box("Reasons", hint="Needed when the restrictions are renewed")
    next_review_on = date_field("Next review date (optional)", invalid="The next review date must be a real date",
                                hint="Leave empty to review six months after this review")

    ORDER = ("reviewed_on", "outcome", "restrictions", "reasons", "next_review_on")
