"""Letters about unreasonably persistent contact, by the date the letter was issued.

DOMAIN.md, "The reporting period": letters count by their date issued within the period;
REPORT.md's ``restriction_letters`` compares with the same dates a year earlier.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ContactRestriction
from portal.services.reports.period import Period


def letters_issued(period: Period) -> int:
    return db.session.scalar(
        select(func.count()).where(
            ContactRestriction.letter_issued_on.between(period.start, period.end)
        )
    )


def restriction_letters(period: Period) -> dict:
    """The report's ``restriction_letters``."""
    return {"current": letters_issued(period), "previous": letters_issued(period.previous())}
