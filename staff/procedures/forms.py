"""Forms for the complaint procedure panels of the case page and the timescales page.

Each form that changes a record carries its version (VersionedForm). Messages are worded
as the GOV.UK Design System says; the services' own refusals (portal.services.procedures,
Refused with ``field``) are added to the field they name.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.forms import BaseForm, Email, MaxLength, clean_text, one_line
from portal.services.procedures.elements import OUTCOME_LABELS
from portal.services.procedures.timescales import TIMESCALE_LABELS
from staff.case.forms import VersionedForm, _optional_int
from staff.fields import RealDateField

EXAMPLE = "For example, 27 3 2026"


def _date(label: str, message: str, required: bool = True, description: str = EXAMPLE):
    return RealDateField(label, description=description,
                         validators=[InputRequired(message) if required else Optional()])


def _text(label: str, message: str | None, rows_hint: str | None = None, max_length: int = 5000,
          subject: str | None = None):
    validators = [InputRequired(message)] if message else [Optional()]
    return TextAreaField(label, description=rows_hint, filters=[clean_text],
                         validators=validators + [MaxLength(max_length, subject)], widget=GovTextArea())


class AcknowledgeForm(VersionedForm):
    acknowledged_on = _date("Date acknowledged", "Enter the date the complaint was acknowledged")


class _OffersMethods:
    """A form whose way of reaching the person (``METHOD``) offers only the ways the
    person can be reached (the service's ``response_methods`` or ``notice_methods``).
    A way not offered is refused by the service, in its words."""

    METHOD = ""
    METHOD_LABELS: dict[str, str] = {}

    def offering(self, methods: list[str]):
        self[self.METHOD].choices = [(m, self.METHOD_LABELS[m]) for m in methods]
        return self


class ExtensionForm(_OffersMethods, VersionedForm):
    METHOD = "told_by"
    METHOD_LABELS = {"email": "By email (the portal sends it)", "letter": "By letter (you post it)"}
    extended_to = _date("New response date", "Enter the date the extension runs to")
    extension_reason = _text("Reason for the extension", "Enter the reason for the extension")
    told_by = RadioField("How was the complainant told?", choices=list(METHOD_LABELS.items()),
                         validate_choice=False,
                         validators=[InputRequired("Select how the complainant is told about the extension")])
    told_on = _date("Date the letter was posted", "", required=False,
                    description="Leave empty for today. " + EXAMPLE)
    agreed_with_complainant = BooleanField("The complainant agreed to the extension")


class PauseForm(VersionedForm):
    pause_reason = _text("What proceedings is the complaint paused for?",
                         "Enter the proceedings the complaint is paused for",
                         "For example: care proceedings in the family court, a police investigation")
    started_on = _date("Date the pause starts", "Enter the date the pause starts")


class EndPauseForm(VersionedForm):
    ended_on = _date("Date the pause ends", "Enter the date the pause ends")


class _PersonForm(VersionedForm):
    """Someone chosen from the accounts, or an external person named: one or the other.
    The select is ``FIELD``, the typed name ``FIELD_name``."""

    FIELD = ""
    WHO = ""

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        select = self[self.FIELD]
        select.choices = [("", "Select a person")] + [(u.id, u.name) for u in people]
        self._ids = {u.id for u in people}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        select, name = self[self.FIELD], self[self.FIELD + "_name"]
        if select.data is not None and select.data not in self._ids:
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
    return SelectField(label, widget=GovSelect(), coerce=_optional_int, validate_choice=False)


def _person_name(label: str = "Or enter the name of someone without an account"):
    return StringField(label, filters=[one_line], validators=[Optional(), Length(max=200)],
                       widget=GovTextInput())


class OfficerForm(_PersonForm):
    FIELD, WHO = "officer", "officer"
    officer = _person_select("Officer handling this stage")
    officer_name = _person_name()


class InvestigatingOfficerForm(_PersonForm):
    FIELD, WHO = "investigating_officer", "Investigating Officer"
    investigating_officer = _person_select("Investigating Officer")
    investigating_officer_name = _person_name()


class IndependentPersonForm(_PersonForm):
    FIELD, WHO = "independent_person", "Independent Person"
    independent_person = _person_select("Independent Person")
    independent_person_name = _person_name("Or enter the name of an independent person without an account")


class StatementForm(VersionedForm):
    agreed_on = _date("Date the statement of complaint was agreed",
                      "Enter the date the statement of complaint was agreed")


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
            self[f"member_{n}"].choices = [("", "Select a person")] + [(u.id, u.name) for u in people]
        self._ids = {u.id for u in people}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for n in self.NUMBERS:
            select, name = self[f"member_{n}"], self[f"member_{n}_name"]
            if select.data is not None and select.data not in self._ids:
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
    panel_met_on = _date("Date the panel met", "Enter the date the panel met")


class PanelReportForm(VersionedForm):
    panel_report_on = _date("Date of the panel's report", "Enter the date of the panel's report")


class ElementForm(VersionedForm):
    summary = _text("What the complainant says in this element",
                    "Enter what the complainant says in this element", max_length=2000)
    # Not id "theme_id": the case page's classification panel has that one, and its
    # label would name this list instead.
    theme_id = SelectField("Theme", id="element_theme_id", widget=GovSelect(), coerce=_optional_int,
                           validate_choice=False)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_id.choices = [("", "The stage's theme")] + [(t.id, t.name) for t in themes]
        self._theme_ids = {t.id for t in themes}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.theme_id.data is not None and self.theme_id.data not in self._theme_ids:
            self.theme_id.errors = ["Select a theme from the list"]
            ok = False
        return ok


class ElementOutcomeForm(VersionedForm):
    outcome = SelectField("Outcome", widget=GovSelect(),
                          choices=[("", "No outcome yet")] + list(OUTCOME_LABELS.items()),
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


class ResponseForm(_OffersMethods, VersionedForm):
    METHOD = "method"
    METHOD_LABELS = {"email": "By email (through the outbox)", "post": "By post (you have posted it)"}
    sent_on = _date("Date of the response", "Enter the date of the response")
    method = RadioField("How is it sent?", choices=list(METHOD_LABELS.items()), validate_choice=False,
                        validators=[InputRequired("Select how the response is sent")])
    to_address = StringField("Email address", filters=[one_line], widget=GovTextInput(),
                             description="Leave empty to use the complainant's email address.",
                             validators=[Optional(), Length(max=254), Email()])
    text = TextAreaField("Response", filters=[clean_text], widget=GovTextArea(),
                         description="Write the findings where the square brackets are. Keep the "
                                     "next step and its date.",
                         validators=[InputRequired("Enter the response"), Length(max=50000)])


class EscalationForm(VersionedForm):
    requested_on = _date("Date the request was received", "Enter the date the request was received")
    late_request_reason = _text("Why is a late request accepted?", None,
                                "Only needed when the request arrived after the time to ask ended.",
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
