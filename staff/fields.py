"""What the staff forms share: a date field, a box of text, a pick-list of teams, themes
or staff, a service's refusal shown on its field, and the lists those pick-lists offer."""

from __future__ import annotations

from portal.widgets import GovDateInput, GovSelect, GovTextArea
from markupsafe import Markup
from sqlalchemy import select
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.extensions import db
from portal.forms import MaxLength, clean_text
from portal.models import StaffUser, Theme
from portal.services.accounts import staff_accounts
from portal.services.common import held
from portal.services.common.dates import read_date

FOR_EXAMPLE = "For example, 27 3 2026"


class DateBoxes(GovDateInput):
    """The three boxes (day, month, year), marked for the script that turns them, with
    JavaScript, into one box that takes a typed date and MOJ Frontend's date picker
    (assets/js/dates.mjs); what was typed in that box comes back to it after an error."""

    def __call__(self, field, **kwargs):
        typed = getattr(field, "typed", None)
        boxes = super().__call__(field, **kwargs)
        if not getattr(field, "picker", False):
            return boxes
        return Markup('<div class="app-date" data-app-date data-name="{}" data-typed="{}">{}</div>').format(
            field.name, typed or "", boxes)


class RealDateField(DateField):
    """A date in three boxes (day, month, year), or in one box as people type it (the
    box the date picker fills: ``1/11/2026``, ``1 Nov 2026``, ``today``); each read by
    ``dates.read_date``, so the boxes take ``1``, ``Nov``, ``2026`` too. Refused in
    GOV.UK words when it is not a real date."""

    def __init__(self, label, invalid="Date must be a real date", picker: bool = False, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", DateBoxes())
        super().__init__(label, **kwargs)
        self.invalid, self.picker = invalid, picker
        self.typed = None

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if self.raw_data and len(self.raw_data) == 1:
            # Typed in the one box: shown again there, and as three boxes if it was a date.
            self.typed = self.raw_data[0]
            # (Not a date: kept whole, so that it is "not a real date", not "enter a date".)
            self.raw_data = self.data.strftime("%d %m %Y").split(" ") if self.data else [self.typed, "", ""]
        elif not self.raw_data or len(self.raw_data) != 3:
            # The widget expects day, month and year; a form sent without them has none.
            self.raw_data = None

    def process_formdata(self, valuelist):
        if not valuelist or not any(v.strip() for v in valuelist) or len(valuelist) not in (1, 3):
            return
        read = read_date(" ".join(v.strip() for v in valuelist) if len(valuelist) == 3 else valuelist[0])
        if read is None:
            raise ValueError(self.invalid)
        self.data = read


def date_field(label: str, required: str | None = None, *, hint: str | None = FOR_EXAMPLE,
               invalid: str | None = None, picker: bool = True, **kwargs) -> RealDateField:
    """A staff date: three boxes without JavaScript; with it, one box that takes a typed
    date (1/11/2026, 1 Nov 2026, today) and MOJ Frontend's date picker. ``required`` is the
    message when it is left empty (without it the date is optional); ``invalid`` the
    message when it is not a real date; ``default=today`` where today is the likely answer
    (a required date of something that happens as it is recorded: never an optional one,
    which a default would fill in unasked). ``picker=False`` keeps the three boxes even
    with JavaScript (a date of birth)."""
    if invalid:
        kwargs["invalid"] = invalid
    return RealDateField(label, description=hint, picker=picker,
                         validators=[InputRequired(required) if required else Optional()], **kwargs)


def text_box(label: str, required: str | None = None, *, hint: str | None = None, max_length: int = 5000,
             subject: str | None = None, **kwargs) -> TextAreaField:
    """A box of text, tidied (``clean_text``): ``required`` is the message when it is left
    empty (without it the box is optional); ``subject`` what a too-long answer is called."""
    validators = [InputRequired(required) if required else Optional(), MaxLength(max_length, subject)]
    return TextAreaField(label, description=hint, filters=[clean_text], validators=validators,
                         widget=GovTextArea(), **kwargs)


def optional_id(value) -> int | None:
    """A chosen id, or None for the "Not set" or "Nobody" option (sent as an empty value)."""
    if value in (None, "", "None"):
        return None
    return int(value)


class PickList(SelectField):
    """A choice of teams, themes or people, which the form's maker offers (``offer``). The
    first option, ``blank``, is none of them (None); any other answer must be one that was
    offered, or ``not_listed`` says so (no message: the form checks it itself). With
    ``required``, choosing none is refused in those words."""

    def __init__(self, label: str, blank: str = "Not set", not_listed: str | None = None,
                 required: str | None = None, **kwargs):
        kwargs.setdefault("widget", GovSelect())
        super().__init__(label, coerce=optional_id, validate_choice=False, **kwargs)
        self.blank, self.not_listed, self.required = blank, not_listed, required
        self.offer(())

    def offer(self, records) -> PickList:
        records = list(records)
        self.choices = [("", self.blank)] + [(r.id, r.name) for r in records]
        self.offered = frozenset(r.id for r in records)
        return self

    def pre_validate(self, form):
        if self.data is None and self.required:
            raise ValidationError(self.required)
        if self.data is not None and self.not_listed and self.data not in self.offered:
            raise ValidationError(self.not_listed)


def team_list(blank: str = "Not set") -> PickList:
    return PickList("Team", blank, "Select a team from the list")


def theme_list(blank: str = "Not set", **kwargs) -> PickList:
    return PickList("Theme", blank, "Select a theme from the list", **kwargs)


def add_error(form, field_name: str | None, message: str) -> None:
    """Show a service's refusal against a field (or the first field) of the form."""
    field = form[field_name] if field_name and field_name in form else next(
        f for f in form if f.name != "csrf_token"
    )
    field.errors = list(field.errors) + [message]


def themes() -> list[Theme]:
    """The themes offered, by name (read once within a ``held.holding``: the case page
    offers them in its classification and in each element's form)."""
    return held.once("themes", lambda: list(db.session.scalars(
        select(Theme).where(Theme.active).order_by(Theme.name))))


def assignable_staff(keep: StaffUser | None = None) -> list[StaffUser]:
    """Staff ready for work who can see cases, so that an assigned case is one they can open;
    with ``keep``, the case's present assignee too, whoever they are, so that the choice
    shows who has it (not "Nobody") and saving it again changes nothing."""
    staff = staff_accounts.ready_staff("view_cases")
    if keep is not None and keep not in staff:
        staff.append(keep)
    return staff
