"""Working days: the unit of every clock in the complaint procedures.

The rule (DOMAIN.md, Working days): a working day is Monday to Friday, excluding bank
holidays in England and Wales and any extra non-working days an administrator adds (a
newly proclaimed bank holiday). Christmas-to-New-Year office closures still count as
working days. Day 1 is the first working day after the start date, whether or not the
start date is itself a working day, and the due date is day N: registered on Saturday
20 May 2023, day 1 is Monday 22 May and day 10 is Monday 5 June (29 May is a bank
holiday).

Bank holidays come from ``holidays.country_holidays("GB", subdiv="ENG")``. England and
Wales share one list (the package's ENG and WLS calendars are identical), and it holds
the one-off days (3 June 2022, 19 September 2022, 8 May 2023) and the substitute days
("observed") when a holiday falls at a weekend, and none of Scotland's (2 January, St
Andrew's Day, the first Monday of August). It also lists the weekend date itself (Sunday
25 December 2022 beside Tuesday 27 December); that is harmless, as a weekend is never a
working day. A bank holiday proclaimed after the package was released is what the
administrator's extra non-working days are for.

Reports compute thousands of these, so a :class:`Calendar` keeps, for each year asked, a
table of that year's working days (built lazily, once, a few hundred entries). ``add``
and ``between`` then cost a lookup or two, plus one step for each year end crossed,
however long the span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=None)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays in England and Wales falling in ``year``, weekends included.

    Built from the neighbouring years too, so that a substitute day that crossed a year
    end would still land in the year it falls in (none does today in England and Wales,
    but the package files a holiday under the year of the event, not of the day off).
    """
    years = range(max(date.min.year, year - 1), min(date.max.year, year + 1) + 1)
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return frozenset(day for day in calendar if day.year == year)


@dataclass(frozen=True)
class _Year:
    """One year's working days. ``rank[i]`` is the number of working days on or before
    the year's day ``i`` (0 is 1 January); ``working`` holds their ordinals in order."""

    number: int
    first_ordinal: int
    rank: tuple[int, ...]
    working: tuple[int, ...]

    def rank_of(self, day: date) -> int:
        return self.rank[day.toordinal() - self.first_ordinal]


@dataclass(frozen=True)
class Calendar:
    """Bank holidays in England and Wales plus the administrator's extra non-working days.

    Build a new Calendar when the extra days change, and recompute open deadlines with it
    (DOMAIN.md: changing a holiday must recompute open deadlines).
    """

    extra_non_working_days: frozenset[date] = frozenset()
    # year -> _Year. Filled on first use; two threads filling the same year at once both
    # compute the same value, so no lock is needed.
    _years: dict[int, _Year] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Accept any iterable of dates, and keep the Calendar hashable and immutable.
        if not isinstance(self.extra_non_working_days, frozenset):
            extra = frozenset(self.extra_non_working_days)
            object.__setattr__(self, "extra_non_working_days", extra)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in bank_holidays(day.year)
            and day not in self.extra_non_working_days
        )

    def year_table(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            first = date(year, 1, 1).toordinal()
            rank: list[int] = []
            working: list[int] = []
            for ordinal in range(first, date(year, 12, 31).toordinal() + 1):
                if self.is_working_day(date.fromordinal(ordinal)):
                    working.append(ordinal)
                rank.append(len(working))
            table = self._years[year] = _Year(year, first, tuple(rank), tuple(working))
        return table


def is_working_day(day: date, calendar: Calendar) -> bool:
    """Monday to Friday, not a bank holiday in England and Wales, not an extra
    non-working day (DOMAIN.md, Working days)."""
    return calendar.is_working_day(day)


def add(start: date, n: int, calendar: Calendar) -> date:
    """Working day ``n`` after ``start``: day 1 is the first working day after ``start``,
    whether or not ``start`` is itself a working day (DOMAIN.md, Working days).

    ``add(start, 0)`` is ``start``. Saturday 20 May 2023 plus 10 is Monday 5 June 2023.
    """
    if n < 0:
        raise ValueError(f"cannot count {n} working days: the count starts after the start date")
    if n == 0:
        return start
    year = calendar.year_table(start.year)
    n += year.rank_of(start)  # now the n-th working day of the start's year, or later
    while n > len(year.working):
        n -= len(year.working)
        year = calendar.year_table(year.number + 1)
    return date.fromordinal(year.working[n - 1])


def between(start: date, end: date, calendar: Calendar) -> int:
    """The number of working days after ``start`` up to and including ``end``; 0 when
    ``end`` is on or before ``start``. The inverse of :func:`add`: ``between(start,
    add(start, n)) == n`` (DOMAIN.md, Working days and Timeliness)."""
    if end <= start:
        return 0
    count = calendar.year_table(end.year).rank_of(end)
    count -= calendar.year_table(start.year).rank_of(start)
    for year in range(start.year, end.year):
        count += len(calendar.year_table(year).working)
    return count


def subtract(end: date, n: int, calendar: Calendar) -> date:
    """Working day ``n`` before ``end``: day 1 is the last working day before ``end``,
    whether or not ``end`` is itself a working day. The inverse of :func:`add` for a
    working day: ``add(subtract(end, n), n) == end``. ``subtract(end, 0)`` is ``end``.

    Monday 5 June 2023 less 10 is Friday 19 May 2023 (29 May is a bank holiday).
    """
    if n < 0:
        raise ValueError(f"cannot count {n} working days back: the count starts before the end date")
    if n == 0:
        return end
    year = calendar.year_table(end.year)
    before = year.rank_of(end) - (1 if calendar.is_working_day(end) else 0)  # working days before end
    while n > before:
        n -= before
        year = calendar.year_table(year.number - 1)
        before = len(year.working)
    return date.fromordinal(year.working[before - n])


def next_working_day(day: date, calendar: Calendar) -> date:
    """The first working day after ``day`` (day 1 of a clock started on ``day``)."""
    return add(day, 1, calendar)
