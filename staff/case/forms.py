"""Forms for triage and the case page. Each carries the record's version, so a
change made on an out-of-date page is refused rather than overwriting."""

from __future__ import annotations

from portal.widgets import GovCharacterCount, GovSelect, GovTextArea, GovTextInput
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.services.common.dates import today
from portal.forms import BaseForm, Called, Email, MaxLength, UKPhone, clean_text, one_line
from portal.services.common.labels import (
    NotAcceptedReason,
    Channel,
    InitialContactCategory,
    InitialContactOutcome,
    Procedure,
    SubmitterRole,
)
from staff.fields import PickList, date_field, team_list, theme_list

NOT_SET = [("", "Not set")]


class PageVersion(HiddenField):
    """The record's version, named ``version`` whatever the form's prefix (a form drawn
    once per item on the case page is prefixed): every form sends it under one name, so
    that one out-of-band swap (templates/staff/case/_version_oob.html) keeps them all
    current after a change."""

    def __init__(self, *args, _prefix: str = "", **kwargs):
        super().__init__(*args, **kwargs)


class VersionedForm(BaseForm):
    version = PageVersion()

    @property
    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ClassifyForm(VersionedForm):
    category = SelectField("Category", widget=GovSelect(), choices=NOT_SET + InitialContactCategory.choices())
    team_id = team_list()
    theme_id = theme_list()

    def __init__(self, *args, teams=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.offer(teams)
        self.theme_id.offer(themes)


class AssignForm(VersionedForm):
    assignee = PickList("Assigned to", "Nobody", "Select someone from the list", validators=[Called(choice="someone")])

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.offer(staff)


class NoteForm(BaseForm):
    note = TextAreaField("Add a note", validators=[InputRequired("Enter a note"), Length(max=10000)],
                         filters=[clean_text], widget=GovTextArea(),
                         description="Notes are for staff only. The person who sent the feedback never sees them.")


class OutcomeForm(VersionedForm):
    # Not id "outcome": that is the panel's section, which the error summary's link
    # would then reach instead of the first radio.
    outcome = RadioField("Outcome", id="outcome-choice", validators=[InputRequired("Select an outcome")],
                         choices=InitialContactOutcome.choices("resolved", "withdrawn", "referred", "progressed"))
    outcome_on = date_field("Date", "Enter the date", default=today)
    resolution = TextAreaField("What was done", filters=[clean_text], validators=[Length(max=5000)],
                               widget=GovTextArea())
    referred_to = StringField("Referred to", filters=[one_line], widget=GovTextInput(),
                              validators=[MaxLength(300, "Who it was referred to")])
    procedure = RadioField("Procedure", choices=Procedure.choices(), validators=[Optional()])
    # The one-year rule (DOMAIN.md, Both procedures): registration.progress_to_stage1
    # asks for a reason when the events were more than a year before it was received.
    events_on = date_field("Date of the events complained about (optional)",
                           hint="The latest date, if they go on over time. For example, 27 3 2025")
    late_complaint_reason = TextAreaField(
        "Why is it accepted more than a year after the events?", filters=[clean_text],
        validators=[MaxLength(2000, "The reason it is accepted late")], widget=GovTextArea(),
        description="Only needed when the events were more than a year before the complaint was received.")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.outcome.data == "resolved" and not self.resolution.data:
            self.resolution.errors = ["Enter what was done to resolve it"]
            ok = False
        if self.outcome.data == "referred" and not self.referred_to.data:
            self.referred_to.errors = ["Enter who it was referred to"]
            ok = False
        if self.outcome.data == "progressed" and not self.procedure.data:
            self.procedure.errors = ["Select the procedure that applies"]
            ok = False
        return ok


class NotAcceptedForm(VersionedForm):
    """A decision not to accept a complaint under the procedure (issue 21)."""

    not_accepted_reason = RadioField("Why is it not accepted?", choices=NotAcceptedReason.choices(),
                                     validators=[InputRequired("Select why the complaint is not accepted")])
    not_accepted_detail = TextAreaField(
        "The reason to give the person", filters=[clean_text], widget=GovTextArea(),
        validators=[InputRequired("Enter the reason to give the person"),
                    MaxLength(5000, "The reason to give the person")],
        description="We send this to the person with the Local Government and Social Care Ombudsman's details.")
    not_accepted_on = date_field("Date decided", "Enter the date it was decided", default=today)


class ShareComplimentForm(VersionedForm):
    shared_on = date_field("Date shared", "Enter the date it was shared", hint=None, default=today)


class PublicationForm(VersionedForm):
    anonymised_text = TextAreaField(
        "Wording cleared for publication", filters=[clean_text], validators=[Length(max=2000)],
        widget=GovCharacterCount(),
        description="Write it so nobody can be identified: no names of children, families or places. "
                    "Leave it empty to withdraw it.")


class SafeguardingFlagForm(BaseForm):
    reason = TextAreaField("Why may this be a safeguarding concern?", filters=[clean_text],
                           validators=[InputRequired("Enter why this may be a safeguarding concern"),
                                       MaxLength(2000, "The reason it may be a safeguarding concern")],
                           widget=GovTextArea())


class SafeguardingActionForm(BaseForm):
    safeguarding_action = TextAreaField(
        "What was done?", filters=[clean_text],
        validators=[InputRequired("Enter what was done about the safeguarding concern"), Length(max=5000)],
        widget=GovTextArea())


class LogContactForm(BaseForm):
    kind = RadioField("What is it?", choices=[("initial_contact", "A question, concern or complaint"),
                                              ("compliment", "A compliment")],
                      validators=[InputRequired("Select what it is")])
    # Not the web form: what came through it was never logged by hand.
    channel = RadioField("How did it come to us?", choices=Channel.choices(*(c for c in Channel if c != Channel.WEB)),
                         validators=[InputRequired("Select how it came to us")])
    # A phone call or a visitor is most often logged the day it came: today, to change.
    received_on = date_field("Date received", "Enter the date it was received", default=today,
                             invalid="The date it was received must be a real date")
    submitter_role = SelectField("Who is it from?", choices=[("", "Select")] + SubmitterRole.choices(),
                                 widget=GovSelect(), validators=[InputRequired("Select who it is from")])
    name = StringField("Their name", filters=[one_line], validators=[Optional(), Length(max=200)],
                       widget=GovTextInput())
    email = StringField("Email address", filters=[one_line], validators=[Optional(), Length(max=254), Email()],
                        widget=GovTextInput())
    phone = StringField("Phone number", filters=[one_line],
                        validators=[Optional(), MaxLength(40, "Their phone number"), UKPhone()],
                        widget=GovTextInput())
    address = TextAreaField("Postal address", filters=[clean_text], validators=[Optional(), Length(max=500)],
                            widget=GovTextArea())
    category = SelectField("Category", choices=NOT_SET + InitialContactCategory.choices(), widget=GovSelect())
    team_id = team_list()
    summary = TextAreaField("What did they tell us?", filters=[clean_text],
                            validators=[InputRequired("Enter what they told us"), Length(max=10000)],
                            widget=GovCharacterCount())
    formal_complaint_requested = BooleanField("They asked for a formal complaint")
    safeguarding_concern = BooleanField("A child may be at risk of harm (the duty team is emailed at once)")
    advocate_requested = BooleanField("They would like an advocate")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.offer(teams)


class MergeForm(BaseForm):
    other = IntegerField("Person number to merge into this one", widget=GovTextInput(),
                         validators=[InputRequired("Enter the number of the person to merge")])
