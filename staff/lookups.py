"""Lists the staff pages offer in their choices."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import StaffUser, Theme
from portal.services import staff_accounts


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
