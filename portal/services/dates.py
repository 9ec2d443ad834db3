"""Calendar dates as the organisation counts them: in Europe/London.

A submission at 00:30 BST on 1 July is received on 1 July (DOMAIN.md, Working days).
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def london_date(moment: datetime) -> date:
    """The calendar date in London at an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed to know the London date")
    return moment.astimezone(LONDON).date()


def today() -> date:
    return london_date(now_utc())
