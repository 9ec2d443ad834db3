"""Calendar dates as the organisation counts them: in Europe/London.

A submission at 00:30 BST on 1 July is received on 1 July (DOMAIN.md, Working days).
Also the two date rules every part shares: a date some months on (``add_months``) and a
date in words (``spoken``).
"""

import calendar
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from portal.services.common.errors import Refused

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


def today_or(day: date | None) -> date:
    """The day a service was given, or else today (services take ``today=`` so that tests
    and the worker can say which day it is)."""
    return day if day is not None else today()


def not_after_today(day: date | None, today_: date | None, message: str, field: str) -> None:
    """Refuse a date that has not come yet: what happened (a response sent, a panel met,
    a payment made) happened today or before. Nothing to check when no date is given."""
    if day is not None and day > today_or(today_):
        raise Refused(message, field)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (earlier when negative); where that
    month is shorter, its last day: 31 January + 1 month is 28 February (29 in a leap
    year), 31 August + 6 months the end of February. DOMAIN.md, The reporting period:
    29 February a year on is 28 February. Retention periods, restriction reviews, the
    one-year time limit for complaints and the report's quarters all count this way."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def spoken(day: date | None, unknown: str = "") -> str:
    """A date as the portal writes it, in the GOV.UK style: 9 January 2024 (no leading
    zero, the month in full); ``unknown`` when there is no date."""
    return f"{day.day} {day:%B %Y}" if day is not None else unknown


_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBERS = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s*([a-z]+)\.?,?\s*(\d{4})")


_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}


def read_date(text: str | None, today_: date | None = None) -> date | None:
    """A date as people in England type it, day before month: ``01/11/2026``,
    ``1/11/2026``, ``1.11.2026``, ``2026-11-01``, ``1 November 2026``, ``1 Nov 2026``,
    or ``today``, ``yesterday``, ``tomorrow`` (from ``today_``, else today in London).
    None when it is not a real date written one of these ways."""
    text = " ".join((text or "").lower().split())[:40]
    if text in _RELATIVE:
        return date.fromordinal(today_or(today_).toordinal() + _RELATIVE[text])
    try:
        if match := _ISO.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMBERS.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if (match := _WORDS.fullmatch(text)) and match[2] in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2]], int(match[1]))
    except ValueError:  # 31 February, month 13, year 0
        pass
    return None
