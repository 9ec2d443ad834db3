"""The reporting period: its limits, its financial quarters and the period a year earlier.

DOMAIN.md, "The reporting period": the financial year runs April to March (Q1 April-June,
Q2 July-September, Q3 October-December, Q4 January-March). A report's period is inclusive
at both ends and at most 12 months long; its figures compare with the same dates one year
earlier, where 29 February becomes 28 February.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from portal.services.common.dates import add_months
from portal.services.common.errors import Refused

# The financial quarters by the calendar month they start in.
_QUARTER_STARTS = {4: "Q1", 7: "Q2", 10: "Q3", 1: "Q4"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def year_earlier(day: date) -> date:
    """The same date one year earlier; 29 February becomes 28 February (DOMAIN.md)."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _anniversary(day: date) -> date:
    """The same date one year later; 29 February's is 1 March (the day after 28 February),
    so that 29 February 2024 to 28 February 2025 counts as 12 months."""
    if day.month == 2 and day.day == 29:
        return date(day.year + 1, 3, 1)
    return day.replace(year=day.year + 1)


@dataclass(frozen=True)
class Quarter:
    """A financial quarter, cut to the period it belongs to."""

    label: str  # "Q1" to "Q4"
    start: date
    end: date


@dataclass(frozen=True)
class Period:
    """An inclusive span of dates of at most 12 months."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise Refused(
                f"The period must end on or after its start: {self.end:%Y-%m-%d} is before "
                f"{self.start:%Y-%m-%d}"
            )
        if self.end >= _anniversary(self.start):
            raise Refused(
                f"A report covers at most 12 months: from {self.start:%Y-%m-%d} the period "
                f"must end by {_anniversary(self.start) - timedelta(days=1):%Y-%m-%d}"
            )

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        """A period from two YYYY-MM-DD strings, refusing anything else with a clear message."""
        return cls(_parse_date(start, "start"), _parse_date(end, "end"))

    def previous(self) -> Period:
        """The same dates one year earlier (DOMAIN.md, The reporting period)."""
        return Period(year_earlier(self.start), year_earlier(self.end))

    def quarters(self) -> list[Quarter]:
        """The financial quarters the period touches, each cut to the period, in order.

        A 12-month period that does not start on a quarter's first day touches five.
        """
        quarters = []
        start = self.start
        while start <= self.end:
            first = _quarter_start(start)
            following = add_months(first, 3)
            end = min(self.end, following - timedelta(days=1))
            quarters.append(Quarter(_QUARTER_STARTS[first.month], start, end))
            start = following
        return quarters

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _parse_date(text: str, which: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise Refused(
            f"The {which} date must be a real date written YYYY-MM-DD, like 2023-04-01: "
            f"got {text!r}"
        ) from None


def _quarter_start(day: date) -> date:
    month = day.month - (day.month - 1) % 3  # 1, 4, 7 or 10
    return date(day.year, month, 1)


def financial_year_start(day: date) -> date:
    """1 April of the financial year that ``day`` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def quick_picks(today: date) -> dict[str, Period]:
    """The periods offered with one click, for the financial year ``today`` falls in:
    each quarter, each half year, the whole year, and the year to date (to ``today``).

    Keys: "q1" to "q4", "h1", "h2", "year", "year_to_date".
    """
    first = financial_year_start(today)
    picks: dict[str, Period] = {}
    for number in range(4):
        start = add_months(first, 3 * number)
        picks[f"q{number + 1}"] = Period(start, add_months(start, 3) - timedelta(days=1))
    picks["h1"] = Period(first, add_months(first, 6) - timedelta(days=1))
    picks["h2"] = Period(add_months(first, 6), add_months(first, 12) - timedelta(days=1))
    picks["year"] = Period(first, add_months(first, 12) - timedelta(days=1))
    picks["year_to_date"] = Period(first, today)
    return picks
