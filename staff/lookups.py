"""Lists the staff pages offer in their choices."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import StaffUser, Theme
from portal.services import staff_accounts


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.name)))


def assignable_staff() -> list[StaffUser]:
    """Staff ready for work who can see cases, so that an assigned case is one they can open."""
    return staff_accounts.ready_staff("view_cases")
