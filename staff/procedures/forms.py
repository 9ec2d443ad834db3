"""Forms for the complaint procedure panels of the case page and the timescales page.

Each form that changes a record carries its version (VersionedForm). Messages are worded
as the GOV.UK Design System says; the services' own refusals (portal.services.procedures,
Refused with ``field``) are added to the field they name.
"""

from __future__ import annotations

from portal.widgets import GovSelect, GovTextInput
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.forms import BaseForm, one_line
from portal.services.common.dates import today
from portal.services.common.labels import ElementOutcome
from portal.services.procedures.timescales import TIMESCALE_LABELS
from staff.case.forms import VersionedForm
from staff.fields import PickList, date_field, text_box, theme_list


class AcknowledgeForm(VersionedForm):
    acknowledged_on = date_field("Date acknowledged", "Enter the date the complaint was acknowledged", default=today)


class ExtensionForm(VersionedForm):
    extended_to = date_field("New response date", "Enter the date the extension runs to")
    extension_reason = text_box("Reason for the extension", "Enter the reason for the extension")
    agreed_with_complainant = BooleanField("The complainant agreed to the extension")


class PauseForm(VersionedForm):
    pause_reason = text_box("What proceedings is the complaint paused for?",
                            "Enter the proceedings the complaint is paused for",
                            hint="For example: care proceedings in the family court, a police investigation")
    started_on = date_field("Date the pause starts", "Enter the date the pause starts", default=today)


class EndPauseForm(VersionedForm):
    ended_on = date_field("Date the pause ends", "Enter the date the pause ends", default=today)


class _PersonForm(VersionedForm):
    """Someone chosen from the accounts, or an external person named: one or the other.
    The select is ``FIELD``, the typed name ``FIELD_name``."""

    FIELD = ""
    WHO = ""

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self[self.FIELD].offer(people)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        select, name = self[self.FIELD], self[self.FIELD + "_name"]
        if select.data is not None and select.data not in select.offered:
            select.errors = [f"Select the {self.WHO} from the list"]
            return False
        if select.data is None and not name.data:
            select.errors = [f"Select the {self.WHO}, or enter their name"]
            return False
        if select.data is not None and name.data:
            name.errors = [f"Select the {self.WHO} or enter a name, not both"]
            return False
        return ok

    def chosen_id(self) -> int | None:
        return self[self.FIELD].data

    def chosen_name(self) -> str:
        return self[self.FIELD + "_name"].data


def _person_select(label: str):
    # Whether the person is one offered is the form's own check, with the typed name.
    return PickList(label, "Select a person")


def _person_name(label: str = "Or enter the name of someone without an account"):
    return StringField(label, filters=[one_line], validators=[Optional(), Length(max=200)],
                       widget=GovTextInput())


def _override_reason():
    return text_box("If this is the Stage 1 officer: why must they handle Stage 2?",
                    hint="Only a feedback manager can allow it. The reason is kept on the case.",
                    subject="The reason", max_length=2000)


class OfficerForm(_PersonForm):
    FIELD, WHO = "officer", "officer"
    officer = _person_select("Officer handling this stage")
    officer_name = _person_name()
    officer_override_reason = _override_reason()


class InvestigatingOfficerForm(_PersonForm):
    FIELD, WHO = "investigating_officer", "Investigating Officer"
    investigating_officer = _person_select("Investigating Officer")
    investigating_officer_name = _person_name()
    investigating_officer_override_reason = _override_reason()


class IndependentPersonForm(_PersonForm):
    FIELD, WHO = "independent_person", "Independent Person"
    independent_person = _person_select("Independent Person")
    independent_person_name = _person_name("Or enter the name of an independent person without an account")


class StatementForm(VersionedForm):
    agreed_on = date_field("Date the statement of complaint was agreed",
                           "Enter the date the statement of complaint was agreed", default=today)


class PanelForm(VersionedForm):
    """Three panel members, each an Independent Person account or a typed name, and
    which of them chairs."""

    member_1 = _person_select("Panel member 1")
    member_1_name = _person_name("Or enter panel member 1's name")
    member_2 = _person_select("Panel member 2")
    member_2_name = _person_name("Or enter panel member 2's name")
    member_3 = _person_select("Panel member 3")
    member_3_name = _person_name("Or enter panel member 3's name")
    chair = RadioField("Who chairs the panel?", choices=[("1", "Panel member 1"), ("2", "Panel member 2"),
                                                         ("3", "Panel member 3")],
                       validators=[InputRequired("Select who chairs the panel")])
    NUMBERS = (1, 2, 3)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        for n in self.NUMBERS:
            self[f"member_{n}"].offer(people)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for n in self.NUMBERS:
            select, name = self[f"member_{n}"], self[f"member_{n}_name"]
            if select.data is not None and select.data not in select.offered:
                select.errors = ["Select the panel member from the list"]
                ok = False
            elif select.data is None and not name.data:
                select.errors = [f"Select panel member {n}, or enter their name"]
                ok = False
            elif select.data is not None and name.data:
                name.errors = [f"Select panel member {n} or enter a name, not both"]
                ok = False
        return ok


class PanelMeetingForm(VersionedForm):
    panel_met_on = date_field("Date the panel met", "Enter the date the panel met")


class PanelReportForm(VersionedForm):
    panel_report_on = date_field("Date of the panel's report", "Enter the date of the panel's report")


class ElementForm(VersionedForm):
    summary = text_box("What the complainant says in this element",
                       "Enter what the complainant says in this element", max_length=2000)
    # Not id "theme_id": the case page's classification panel has that one, and its
    # label would name this list instead.
    theme_id = theme_list("The stage's theme", id="element_theme_id")

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_id.offer(themes)


class ElementOutcomeForm(VersionedForm):
    outcome = SelectField("Outcome", widget=GovSelect(),
                          choices=[("", "No outcome yet")] + ElementOutcome.choices(),
                          validators=[InputRequired("Select the outcome of this element")])


class RemoveElementForm(VersionedForm):
    mistake = BooleanField("This element was added by mistake",
                           validators=[InputRequired("Confirm that this element was added by mistake")])


def numbered(form, number: int):
    """Give a form drawn once per element ids of its own (``outcome-3``), so the page
    has no duplicate ids and the error summary links to the right element."""
    for field in form:
        if field.name not in ("csrf_token", "version"):
            field.id = f"{field.name}-{number}"
    return form


class EscalationForm(VersionedForm):
    requested_on = date_field("Date the request was received", "Enter the date the request was received",
                              default=today)
    late_request_reason = text_box("Why is a late request accepted?",
                                   hint="Only needed when the request arrived after the time to ask ended.",
                                   subject="The reason a late request is accepted")


class WholeNumberField(IntegerField):
    def __init__(self, label, invalid: str, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.invalid) from exc


def timescales_form(current: dict[str, int]):
    """A form with one whole-number box per organisation timescale, in the order of
    ``timescales.TIMESCALE_LABELS``."""

    class TimescalesForm(BaseForm):
        ORDER = list(TIMESCALE_LABELS)

    for name, text in TIMESCALE_LABELS.items():
        setattr(TimescalesForm, name, WholeNumberField(
            text, f"\u2018{text}\u2019 must be a whole number", widget=GovTextInput(),
            validators=[InputRequired(f"Enter a whole number for \u2018{text}\u2019"),
                        NumberRange(min=1, message=f"\u2018{text}\u2019 must be 1 or more")]))
    return TimescalesForm(data=current)


def timescale_set_form(procedure: str, current: dict):
    """A new set of one procedure's timescales from a date: the date, the reason, one
    whole-number box per timescale of the procedure (clocks.PROCEDURE_TIMESCALES), and for
    the corporate procedure whether responses count from the acknowledgement. ``current``
    is the set in force today, to start from."""
    from portal.services.procedures.clocks import PROCEDURE_TIMESCALES

    names = [name for name in PROCEDURE_TIMESCALES[procedure] if name in TIMESCALE_LABELS]

    class TimescaleSetForm(BaseForm):
        ORDER = names
        FROM_ACKNOWLEDGEMENT = "corporate_response_from_acknowledgement" in PROCEDURE_TIMESCALES[procedure]
        effective_from = date_field("Date the new timescales apply from",
                                    "Enter the date the new timescales apply from",
                                    hint="Complaint stages whose clock starts on or after this date "
                                         "follow them. It must be after today. For example, 1 4 2027")
        reason = text_box("Why the timescales change", "Enter why the timescales change",
                          subject="Why the timescales change", max_length=2000)

    for name in names:
        text = TIMESCALE_LABELS[name]
        setattr(TimescaleSetForm, name, WholeNumberField(
            text, f"\u2018{text}\u2019 must be a whole number", widget=GovTextInput(),
            validators=[InputRequired(f"Enter a whole number for \u2018{text}\u2019"),
                        NumberRange(min=1, message=f"\u2018{text}\u2019 must be 1 or more")]))
    if TimescaleSetForm.FROM_ACKNOWLEDGEMENT:
        TimescaleSetForm.corporate_response_from_acknowledgement = BooleanField(
            "Responses are due counted from the acknowledgement, as the Complaint Handling "
            "Code says (otherwise from the start of the stage)")
    return TimescaleSetForm(data=current)
