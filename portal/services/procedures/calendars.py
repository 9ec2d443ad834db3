"""The organisation's working-day calendar: bank holidays plus the extra
non-working days an administrator has added (the NonWorkingDay table)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import NonWorkingDay
from portal.services.procedures import reckoning
from portal.services.procedures.working_days import Calendar


# Calendars by their extra days: a Calendar fills its year tables on first use, so
# reusing one keeps that work; a changed set of extra days simply makes a new one.
_calendars: dict[frozenset, Calendar] = {}


def current_calendar() -> Calendar:
    """The Calendar for the extra non-working days in the database as it is now.

    One small query each time, so a newly added non-working day is always taken into
    account (once within ``reckoning.one_reckoning``); the Calendar itself is reused
    while the days are the same.
    """
    return reckoning.once("calendar", _read_calendar)


def _read_calendar() -> Calendar:
    days = frozenset(db.session.scalars(select(NonWorkingDay.day)))
    calendar = _calendars.get(days)
    if calendar is None:
        if len(_calendars) > 32:  # administrators change these rarely; stay small anyway
            _calendars.clear()
        calendar = _calendars[days] = Calendar(days)
    return calendar
