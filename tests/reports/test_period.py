"""The reporting period (DOMAIN.md, The reporting period): inclusive, at most 12 months,
financial quarters cut to it, and the same dates a year earlier."""

from __future__ import annotations

from datetime import date

import pytest

from portal.services.reports.period import Period, quick_picks, year_earlier
from portal.services.common.errors import Refused


def spans(period):
    return [(q.label, q.start.isoformat(), q.end.isoformat()) for q in period.quarters()]


def test_a_half_year_has_two_whole_quarters():
    assert spans(Period(date(2023, 4, 1), date(2023, 9, 30))) == [
        ("Q1", "2023-04-01", "2023-06-30"), ("Q2", "2023-07-01", "2023-09-30")]


def test_quarters_are_cut_to_the_period():
    assert spans(Period(date(2023, 5, 15), date(2023, 11, 14))) == [
        ("Q1", "2023-05-15", "2023-06-30"), ("Q2", "2023-07-01", "2023-09-30"),
        ("Q3", "2023-10-01", "2023-11-14")]


def test_a_single_day_is_one_quarter():
    assert spans(Period(date(2024, 1, 1), date(2024, 1, 1))) == [("Q4", "2024-01-01", "2024-01-01")]


def test_twelve_months_off_the_quarter_touch_five_quarters():
    assert spans(Period(date(2023, 5, 15), date(2024, 5, 14))) == [
        ("Q1", "2023-05-15", "2023-06-30"), ("Q2", "2023-07-01", "2023-09-30"),
        ("Q3", "2023-10-01", "2023-12-31"), ("Q4", "2024-01-01", "2024-03-31"),
        ("Q1", "2024-04-01", "2024-05-14")]


def test_the_previous_period_is_the_same_dates_a_year_earlier():
    previous = Period(date(2023, 4, 1), date(2023, 9, 30)).previous()
    assert previous == Period(date(2022, 4, 1), date(2022, 9, 30))


def test_29_february_becomes_28_february():
    assert year_earlier(date(2024, 2, 29)) == date(2023, 2, 28)
    assert Period(date(2023, 4, 1), date(2024, 2, 29)).previous() == Period(
        date(2022, 4, 1), date(2023, 2, 28))


def test_a_financial_year_is_allowed_and_a_day_more_is_not():
    Period(date(2023, 4, 1), date(2024, 3, 31))
    with pytest.raises(Refused, match="at most 12 months.*2024-03-31"):
        Period(date(2023, 4, 1), date(2024, 4, 1))


def test_twelve_months_from_29_february_end_on_28_february():
    Period(date(2024, 2, 29), date(2025, 2, 28))
    with pytest.raises(Refused):
        Period(date(2024, 2, 29), date(2025, 3, 1))


def test_the_end_cannot_come_before_the_start():
    with pytest.raises(Refused, match="end on or after its start"):
        Period(date(2023, 4, 2), date(2023, 4, 1))


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13-01", "20230401", "2023-4-1",
                                  "2023-W01-1", "", "yesterday"])
def test_dates_must_be_real_and_written_yyyy_mm_dd(text):
    with pytest.raises(Refused, match="YYYY-MM-DD"):
        Period.parse(text, "2023-06-30")


def test_quick_picks_cover_the_financial_year_of_today():
    picks = quick_picks(date(2024, 2, 29))
    assert {k: (p.start.isoformat(), p.end.isoformat()) for k, p in picks.items()} == {
        "q1": ("2023-04-01", "2023-06-30"), "q2": ("2023-07-01", "2023-09-30"),
        "q3": ("2023-10-01", "2023-12-31"), "q4": ("2024-01-01", "2024-03-31"),
        "h1": ("2023-04-01", "2023-09-30"), "h2": ("2023-10-01", "2024-03-31"),
        "year": ("2023-04-01", "2024-03-31"), "year_to_date": ("2023-04-01", "2024-02-29"),
    }
    assert quick_picks(date(2023, 4, 1))["year_to_date"] == Period(date(2023, 4, 1), date(2023, 4, 1))
