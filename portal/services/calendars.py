"""The organisation's working-day calendar: bank holidays plus the extra
non-working days an administrator has added (the NonWorkingDay table)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import NonWorkingDay
from portal.services.working_days import Calendar


def current_calendar() -> Calendar:
    """A Calendar built from the database as it is now.

    Cheap to build (one small query); build a fresh one per request or report so that
    a newly added non-working day is always taken into account.
    """
    days = db.session.scalars(select(NonWorkingDay.day))
    return Calendar(frozenset(days))
