"""Lists the staff pages offer in their choices."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import StaffUser, Theme
from portal.services.permissions import permissions_of


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.name)))


def assignable_staff() -> list[StaffUser]:
    """Active staff who can see cases, so that an assigned case is one they can open."""
    users = db.session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.name))
    return [u for u in users if "view_cases" in permissions_of(u.role)]
