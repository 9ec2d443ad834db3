"""The working-day calendar a report counts with.

DOMAIN.md, "Working days": bank holidays in England and Wales plus any extra non-working days
an administrator adds (the ``NonWorkingDay`` table). Built fresh for each report, so that a
newly added day is always counted.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import NonWorkingDay
from portal.services.working_days import Calendar


def load_calendar() -> Calendar:
    """A Calendar with the administrator's extra non-working days (one small query)."""
    return Calendar(frozenset(db.session.scalars(select(NonWorkingDay.day))))
