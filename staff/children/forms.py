"""The forms of the child's panel, the child's page and the advocacy panel. Their field
names are their own on the case page (``child_name``, ``advocacy_service``), so that every
id there is unique."""

from __future__ import annotations

from portal.widgets import GovTextInput
from wtforms import BooleanField, IntegerField, RadioField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.forms import LARGEST_ID, BaseForm, MaxLength, one_line
from portal.services.common.labels import AdvocacyAnswer, AdvocacyOfferMethod, ChildStatus
from staff.case.forms import VersionedForm
from staff.fields import date_field


def _line(label: str, limit: int, subject: str, hint: str | None = None) -> StringField:
    return StringField(label, filters=[one_line], widget=GovTextInput(), description=hint,
                       validators=[Optional(), MaxLength(limit, subject)])


class ChildForm(VersionedForm):
    child_name = _line("Name", 200, "The child's name")
    # Three boxes, with or without JavaScript: a date of birth is one people know, so a
    # calendar is no help (MOJ Frontend's and GOV.UK's guidance on date pickers).
    date_of_birth = date_field("Date of birth", hint="For example, 27 3 2012",
                               invalid="The date of birth must be a real date", picker=False)
    record_number = _line("Social care record number", 40, "The record number",
                          hint="As the social care system shows it (Liquidlogic or Mosaic)")
    school = _line("School or setting", 200, "The school")
    statuses = SelectMultipleField("Their circumstances", choices=ChildStatus.choices(), validators=[Optional()],
                                   description="Select all that apply.")

    @classmethod
    def data_of(cls, child) -> dict:
        if child is None:
            return {}
        return {"child_name": child.name, "date_of_birth": child.date_of_birth,
                "record_number": child.record_number, "school": child.school, "statuses": child.statuses or []}


class LinkChildForm(VersionedForm):
    child_number = IntegerField("Child number", widget=GovTextInput(),
                         validators=[InputRequired("Enter the number of the child the case is about"),
                                     NumberRange(min=1, max=LARGEST_ID,
                                                 message="Enter the number of the child the case is about")],
                         description="On the child's page, after \u201cChild\u201d.")


class UnlinkChildForm(VersionedForm):
    pass


class MergeChildForm(BaseForm):
    other = IntegerField("Number of the other record of this child", widget=GovTextInput(),
                         validators=[InputRequired("Enter the number of the other record of this child"),
                                     NumberRange(min=1, max=LARGEST_ID,
                                                 message="Enter the number of the other record of this child")])


class AdvocacyForm(VersionedForm):
    offered_on = date_field("Date the advocate was offered", invalid="The date of the offer must be a real date")
    offered_how = RadioField("How was it offered?", choices=AdvocacyOfferMethod.choices(), validators=[Optional()])
    advocacy_answer = RadioField("The child's answer", choices=AdvocacyAnswer.choices(), validators=[Optional()])
    answered_on = date_field("Date the child answered", invalid="The date the child answered must be a real date")
    advocacy_service = _line("Referred to (the advocacy service)", 200, "The advocacy service")
    referred_on = date_field("Date of the referral", invalid="The date of the referral must be a real date")
    pause_while_waiting = BooleanField("Pause the stage's clock until the advocate is in place")
    advocate_name = _line("Advocate's name", 200, "The advocate's name")
    in_place_on = date_field("Date the advocate was in place",
                             invalid="The date the advocate was in place must be a real date")

    # A service's field names, as the form calls them (for a refusal shown on its field).
    FIELDS = {"answer": "advocacy_answer", "referred_to": "advocacy_service"}

    @classmethod
    def data_of(cls, advocacy) -> dict:
        if advocacy is None:
            return {}
        return {"offered_on": advocacy.offered_on, "offered_how": advocacy.offered_how,
                "advocacy_answer": advocacy.answer, "answered_on": advocacy.answered_on,
                "advocacy_service": advocacy.referred_to, "referred_on": advocacy.referred_on,
                "advocate_name": advocacy.advocate_name, "in_place_on": advocacy.in_place_on}
