"""What the staff forms share: a date field, a service's refusal shown on its field,
and the lists of teams, themes and staff the pick-lists offer."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from sqlalchemy import select
from wtforms import DateField

from portal.extensions import db
from portal.models import StaffUser, Theme
from portal.services.accounts import staff_accounts


class RealDateField(DateField):
    """A date in three boxes, refused in GOV.UK words when it is not a real date."""

    def __init__(self, label, invalid="Date must be a real date", **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, **kwargs)
        self.invalid = invalid

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if not self.raw_data or len(self.raw_data) != 3:
            # The widget expects day, month and year; a form sent without them has none.
            self.raw_data = None

    def process_formdata(self, valuelist):
        if not valuelist or not any(v.strip() for v in valuelist):
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.invalid) from exc


def add_error(form, field_name: str | None, message: str) -> None:
    """Show a service's refusal against a field (or the first field) of the form."""
    field = form[field_name] if field_name and field_name in form else next(
        f for f in form if f.name != "csrf_token"
    )
    field.errors = list(field.errors) + [message]


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.name)))


def assignable_staff(keep: StaffUser | None = None) -> list[StaffUser]:
    """Staff ready for work who can see cases, so that an assigned case is one they can open;
    with ``keep``, the case's present assignee too, whoever they are, so that the choice
    shows who has it (not "Nobody") and saving it again changes nothing."""
    staff = staff_accounts.ready_staff("view_cases")
    if keep is not None and keep not in staff:
        staff.append(keep)
    return staff
