"""Forms for Ombudsman enquiries, money, the action plan and contact restrictions.

Forms that appear once per enquiry, recommendation or action on a page take a ``prefix``
(``e12``, ``r7``, ``a3``), so that every field id on the page is unique. The rules
(dates not in the future, amounts, who may own an action) are the services'; the forms
only check that each answer is there and well formed, and the view shows a service's
refusal against its field."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import BaseForm, clean_text, one_line
from portal.models import RESTRICTION_CODES, SUBMITTER_ROLES
from portal.services.common.labels import label
from portal.services.casework.payments import REMEDY_DECIDERS, format_amount, payment_state
from staff.fields import RealDateField

EXAMPLE_DATE = "For example, 27 3 2026"

ENQUIRY_STATUSES = [
    ("initial_enquiries", "Initial enquiries"),
    ("investigation", "Investigation"),
]
DECISIONS = [
    ("upheld", "Upheld"),
    ("not_upheld", "Not upheld"),
    ("closed_after_initial_enquiries", "Closed after initial enquiries"),
    ("referred_back", "Referred back for local resolution"),
    ("invalid", "Incomplete or invalid"),
    ("advice_given", "Advice given"),
]
COMPLIANCE = {"pending": "Not yet complied with", "on_time": "Complied with on time",
              "late": "Complied with late", "not_complied": "Not complied with"}
PAYMENT_KINDS = [
    ("investigation_cost", "Investigation cost (external Investigating Officer, Independent Person or panel fee)"),
    ("financial_remedy", "Financial remedy (compensation)"),
]
ACTION_STATUSES = [("open", "Open"), ("in_progress", "In progress"), ("done", "Done")]
SOURCES = {"1": "Stage 1", "2": "Stage 2", "3": "Stage 3", "ombudsman": "Ombudsman"}
RESTRICTION_HINTS = {
    "single_point_of_contact": "They contact one named member of staff",
    "written_contact_only": "By letter or email, not by phone or in person",
    "limited_phone_calls": "For example, one call a week at an agreed time",
    "no_acknowledgement_of_repeated_correspondence": "We read it, but do not reply to points already answered",
    "restricted_access_to_premises": "They visit only by appointment",
}
REVIEW_RESULTS = [
    ("renewed", "Renewed: the same restrictions continue"),
    ("changed", "Changed: different restrictions apply"),
    ("lifted", "Lifted: no restrictions from now"),
]
OTHER = "other"


def decision_label(code: str | None) -> str:
    return dict(DECISIONS).get(code, label(code))


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _text(label_text: str, message: str, max_length: int = 5000, **kwargs):
    return TextAreaField(label_text, filters=[clean_text], widget=GovTextArea(),
                         validators=[InputRequired(message), Length(max=max_length)], **kwargs)


# --- Ombudsman -------------------------------------------------------------------------


class EnquiryForm(BaseForm):
    reference = StringField("LGSCO reference", filters=[one_line], widget=GovTextInput(),
                            description="As the Ombudsman writes it, for example 23 012 345",
                            validators=[InputRequired("Enter the LGSCO reference"), Length(max=60)])
    notified_on = RealDateField("Date the Ombudsman told us", description=EXAMPLE_DATE,
                                invalid="The date the Ombudsman told us must be a real date",
                                validators=[InputRequired("Enter the date the Ombudsman told us")])
    status = RadioField("Status", choices=ENQUIRY_STATUSES, default="initial_enquiries",
                        validators=[InputRequired("Select the status of the enquiry")])


class UnknownComplaintEnquiryForm(EnquiryForm):
    summary = _text("What is the complaint about?", "Enter what the complaint is about", 10000,
                    description="From the Ombudsman's letter. The portal makes a new complaint record for it.")
    submitter_role = SelectField("Who complained?", widget=GovSelect(), default="other",
                                 choices=[(r, label(r)) for r in SUBMITTER_ROLES])
    team_id = SelectField("Team", widget=GovSelect(), coerce=_int_or_none, validate_choice=False)

    ORDER = ("reference", "notified_on", "status", "summary", "submitter_role", "team_id")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.choices = [(None, "Not known")] + [(t.id, t.name) for t in teams]
        self._team_ids = {t.id for t in teams}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.team_id.data is not None and self.team_id.data not in self._team_ids:
            self.team_id.errors = ["Select a team from the list"]
            ok = False
        return ok


class EnquiryStatusForm(BaseForm):
    status = RadioField("Status", choices=ENQUIRY_STATUSES,
                        validators=[InputRequired("Select the status of the enquiry")])


class DecisionForm(BaseForm):
    decision = RadioField("Decision", choices=DECISIONS, validators=[InputRequired("Select the Ombudsman's decision")])
    decided_on = RealDateField("Date of the decision", description=EXAMPLE_DATE,
                               invalid="The date of the decision must be a real date",
                               validators=[InputRequired("Enter the date of the decision")])
    remedy_amount = StringField("Remedy the Ombudsman recommended (optional)", filters=[one_line],
                                widget=GovTextInput(), validators=[Optional(), Length(max=30)],
                                description="In pounds, for example £1,300. Leave empty if there is none. "
                                            "Record the payment under Money when it is paid.")


class RecommendationForm(BaseForm):
    text = _text("Recommendation", "Enter the recommendation")
    due_on = RealDateField("Due date", description=EXAMPLE_DATE, invalid="The due date must be a real date",
                           validators=[InputRequired("Enter the date the recommendation is due")])


class ComplianceForm(BaseForm):
    result = RadioField("Was it complied with?", choices=[("complied", "Yes, complied with"),
                                                          ("not_complied", "No, not complied with")],
                        validators=[InputRequired("Select whether the recommendation was complied with")])
    complied_on = RealDateField("Date complied with", description=EXAMPLE_DATE,
                                invalid="The date complied with must be a real date", validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.result.data == "complied" and self.complied_on.data is None and not self.complied_on.errors:
            self.complied_on.errors = ["Enter the date the recommendation was complied with"]
            ok = False
        return ok


# --- Actions ---------------------------------------------------------------------------


class _OwnerForm(BaseForm):
    owner_id = SelectField("Owner", widget=GovSelect(), coerce=_int_or_none, validate_choice=False,
                           description="Usually the manager of the service")

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = [(None, "Select an owner")] + [(u.id, u.name) for u in owners]
        self._owner_ids = {u.id for u in owners}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.owner_id.data is None:
            self.owner_id.errors = ["Select who owns the action"]
            ok = False
        elif self.owner_id.data not in self._owner_ids:
            self.owner_id.errors = ["Select an owner from the list"]
            ok = False
        return ok


class RaiseActionForm(_OwnerForm):
    source = SelectField("Where the recommendation came from", widget=GovSelect(),
                         validators=[InputRequired("Select where the recommendation came from")])
    recommendation = _text("Recommendation", "Enter the recommendation")
    due_on = RealDateField("Due date", description=EXAMPLE_DATE, invalid="The due date must be a real date",
                           validators=[InputRequired("Enter the date the action is due")])

    ORDER = ("source", "recommendation", "owner_id", "due_on")

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = [("", "Select")] + [(s, SOURCES[s]) for s in sources]


class ActionFromRecommendationForm(_OwnerForm):
    due_on = RealDateField("Due date", invalid="The due date must be a real date", validators=[Optional()],
                           description="Leave empty for the Ombudsman's due date")


class ActionStatusForm(BaseForm):
    status = SelectField("Status", widget=GovSelect(), choices=ACTION_STATUSES,
                         validators=[InputRequired("Select the status of the action")])
    completion_note = TextAreaField("What was done", filters=[clean_text], widget=GovTextArea(),
                                    validators=[Optional(), Length(max=5000)],
                                    description="Needed when the action is done")


class ReassignActionForm(_OwnerForm):
    due_on = RealDateField("Due date", description=EXAMPLE_DATE, invalid="The due date must be a real date",
                           validators=[InputRequired("Enter the date the action is due")])


# --- Money -----------------------------------------------------------------------------


class PaymentForm(BaseForm):
    kind = RadioField("What is it?", choices=PAYMENT_KINDS,
                      validators=[InputRequired("Select whether this is an investigation cost or a financial remedy")])
    amount = StringField("Amount", filters=[one_line], widget=GovTextInput(), validators=[Length(max=30)],
                         description="In pounds, for example £1,300 or 450.50")
    paid_on = RealDateField("Date paid or incurred", description=EXAMPLE_DATE,
                            invalid="The date must be a real date",
                            validators=[InputRequired("Enter the date it was paid or incurred")])
    decided_by = RadioField("Who decided? (financial remedies)", validators=[Optional()],
                            choices=[(d, d) for d in REMEDY_DECIDERS] + [(OTHER, "Someone else")])
    decided_by_other = StringField("Their name and role", filters=[one_line], widget=GovTextInput(),
                                   validators=[Optional(), Length(max=200)])
    reason = _text("What it was for, or why the remedy was paid", "Enter what it was for, or why it was paid")
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
    restrictions = SelectMultipleField("Restrictions", choices=[(c, label(c)) for c in RESTRICTION_CODES],
                                       validators=[Optional()],
                                       description="Select all that apply. They never stop a new complaint "
                                                   "being considered on its merits.")


class RestrictionLetterForm(_RestrictionChoices):
    letter_issued_on = RealDateField("Date of the letter", description=EXAMPLE_DATE,
                                     invalid="The date of the letter must be a real date",
                                     validators=[InputRequired("Enter the date of the letter")])
    reason = _text("Reason for the restrictions", "Enter the reason for the restrictions")
    decided_by = StringField("Who decided", filters=[one_line], widget=GovTextInput(),
                             description="Usually the Customer Feedback Manager",
                             validators=[InputRequired("Enter who decided the restrictions"), Length(max=200)])
    review_on = RealDateField("Review date (optional)", invalid="The review date must be a real date",
                              validators=[Optional()],
                              description="Leave empty to review six months after the date of the letter")

    ORDER = ("letter_issued_on", "restrictions", "reason", "decided_by", "review_on")


class RestrictionReviewForm(_RestrictionChoices):
    reviewed_on = RealDateField("Date of the review", description=EXAMPLE_DATE,
                                invalid="The date of the review must be a real date",
                                validators=[InputRequired("Enter the date of the review")])
    outcome = RadioField("Result of the review", choices=REVIEW_RESULTS,
                         validators=[InputRequired("Select the result of the review")])
    reasons = TextAreaField("Reasons", filters=[clean_text], widget=GovTextArea(),
                            validators=[Optional(), Length(max=5000)],
                            description="Needed when the restrictions are renewed")
    next_review_on = RealDateField("Next review date (optional)", invalid="The next review date must be a real date",
                                   validators=[Optional()],
                                   description="Leave empty to review six months after this review")

    ORDER = ("reviewed_on", "outcome", "restrictions", "reasons", "next_review_on")
