"""Reading a date as people type it (services.dates.read_date), for the inbox and the report."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.services.common.dates import read_date

NOVEMBER_1 = date(2026, 11, 1)


@pytest.mark.parametrize("typed", [
    "01/11/2026", "1/11/2026", "2026-11-01", "2026-11-1", "1 November 2026", "1 Nov 2026", "1 nov 2026",
    "1st November 2026", "01.11.2026", "1-11-2026", " 1 / 11 / 2026 ", "1 NOVEMBER 2026", "1 Nov. 2026",
    "1 November, 2026", "1  November   2026",
])
def test_the_ways_people_type_a_date_are_read(typed):
    assert read_date(typed) == NOVEMBER_1


@pytest.mark.parametrize("typed", [
    "", None, "31/02/2026", "1/13/2026", "2026-02-30", "1 Novembre 2026", "next Tuesday", "1/11/26",
    "11/2026", "0/11/2026", "2026", "1 November", "9" * 5000, "1\x00/11/2026",
])
def test_what_is_not_a_real_date_is_read_as_none(typed):
    assert read_date(typed) is None


def test_the_day_comes_before_the_month():
    assert read_date("02/11/2026") == date(2026, 11, 2)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d.%m.%Y", "{day}/{month}/%Y"]))
def test_any_date_written_any_of_these_ways_reads_back(day, written):
    text = day.strftime(written.format(day=day.day, month=day.month))
    assert read_date(text) == day
