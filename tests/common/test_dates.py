"""Dates every part shares (services.common.dates): reading a date as people type it, for the
inbox and the report; a date some months on; a date in words."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.services.common.dates import add_months, read_date, spoken

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


# --- add_months: retention periods, restriction reviews, the one-year time limit -------------


def test_months_are_calendar_months():
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 5, 15), 24) == date(2025, 5, 15)
    assert add_months(date(2024, 2, 29), 72) == date(2030, 2, 28)
    assert add_months(date(2031, 1, 1), -72) == date(2025, 1, 1)


def test_six_months_on_from_the_end_of_a_month_is_the_end_of_a_shorter_month():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 7, 15), 6) == date(2025, 1, 15)


def test_a_year_on_crosses_the_year_and_29_february_becomes_28_february():
    # DOMAIN.md, The reporting period: 29 February a year on is 28 February.
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 3, 31), 0) == date(2026, 3, 31)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)), st.integers(-1200, 1200))
def test_months_on_and_back_again_never_passes_the_day_it_started(day, months):
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day
    assert add_months(later, -months) <= day


# --- spoken: a date in words, as GOV.UK writes it ------------------------------------------


def test_a_date_is_spoken_with_no_leading_zero_and_the_month_in_full():
    assert spoken(date(2024, 1, 9)) == "9 January 2024"
    assert spoken(date(2023, 5, 22)) == "22 May 2023"


def test_a_missing_date_is_said_in_the_words_given():
    assert spoken(None) == ""
    assert spoken(None, unknown="a date we have not recorded") == "a date we have not recorded"


def test_today_yesterday_and_tomorrow_are_read_from_the_day_given():
    wednesday = date(2034, 10, 18)
    assert read_date(" Today ", wednesday) == wednesday
    assert read_date("yesterday", wednesday) == date(2034, 10, 17)
    assert read_date("TOMORROW", wednesday) == date(2034, 10, 19)
    assert read_date("today please", wednesday) is None
