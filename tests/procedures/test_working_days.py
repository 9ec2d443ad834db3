"""Working days (DOMAIN.md, Working days), checked against the rule itself: a day-by-day
count over an independently built list of bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.services.procedures import working_days
from portal.services.procedures.working_days import Calendar, add, between, is_working_day, next_working_day, subtract

ENGLAND_AND_WALES = Calendar()

# The reference for the property tests: the package's list for the whole range at once,
# not the service's per-year cache.
REFERENCE_HOLIDAYS = set(holidays.country_holidays("GB", subdiv="ENG", years=range(2017, 2045)))


def brute_is_working_day(day: date, extra: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in REFERENCE_HOLIDAYS and day not in extra


def brute_add(start: date, n: int, extra: frozenset[date] = frozenset()) -> date:
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += brute_is_working_day(day, extra)
    return day


def brute_between(start: date, end: date, extra: frozenset[date] = frozenset()) -> int:
    return sum(
        brute_is_working_day(start + timedelta(days=i), extra)
        for i in range(1, (end - start).days + 1)
    )


# Dates worth landing on: every bank holiday 2019-2040 and every year end, give or take
# a fortnight, as well as any day at all.
ANCHORS = sorted(
    {day for day in REFERENCE_HOLIDAYS if 2019 <= day.year <= 2040}
    | {date(year, 12, 31) for year in range(2019, 2041)}
)
tricky_dates = st.one_of(
    st.dates(min_value=date(2019, 1, 1), max_value=date(2040, 12, 31)),
    st.builds(
        lambda anchor, offset: anchor + timedelta(days=offset),
        st.sampled_from(ANCHORS),
        st.integers(min_value=-15, max_value=15),
    ),
)


@st.composite
def calendars(draw, near: date) -> frozenset[date]:
    """No extra days, or a few within the next three months of ``near``."""
    offsets = draw(st.frozensets(st.integers(min_value=0, max_value=95), max_size=4))
    return frozenset(near + timedelta(days=offset) for offset in offsets)


fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# The properties: add and between agree with counting day by day.


@fast
@given(start=tricky_dates, n=st.integers(min_value=0, max_value=70), data=st.data())
def test_add_is_the_nth_working_day_after_the_start_counted_day_by_day(start, n, data):
    """Day 1 is the first working day after the start date, whether or not the start date
    is itself a working day, and the due date is day N."""
    extra = data.draw(calendars(start))
    assert add(start, n, Calendar(extra)) == brute_add(start, n, extra)


@fast
@given(start=tricky_dates, span=st.integers(min_value=-10, max_value=120), data=st.data())
def test_between_counts_working_days_after_start_up_to_and_including_end(start, span, data):
    """Stage 2 duration is the number of working days after its clock start up to and
    including its response."""
    extra = data.draw(calendars(start))
    end = start + timedelta(days=span)
    assert between(start, end, Calendar(extra)) == brute_between(start, end, extra)


@fast
@given(start=tricky_dates, n=st.integers(min_value=0, max_value=600))
def test_between_undoes_add_even_across_several_year_ends(start, n):
    due = add(start, n, ENGLAND_AND_WALES)
    assert between(start, due, ENGLAND_AND_WALES) == n
    if n:
        assert is_working_day(due, ENGLAND_AND_WALES)
        assert between(start, due - timedelta(days=1), ENGLAND_AND_WALES) == n - 1


def brute_subtract(end: date, n: int, extra: frozenset[date] = frozenset()) -> date:
    day, counted = end, 0
    while counted < n:
        day -= timedelta(days=1)
        counted += brute_is_working_day(day, extra)
    return day


@fast
@given(end=tricky_dates, n=st.integers(min_value=0, max_value=300), data=st.data())
def test_subtract_is_the_nth_working_day_before_the_end_counted_day_by_day(end, n, data):
    """Counting back: day 1 is the last working day before the end date, whether or not
    the end date is itself a working day; across year ends too."""
    extra = data.draw(calendars(end - timedelta(days=95)))
    back = subtract(end, n, Calendar(extra))
    assert back == brute_subtract(end, n, extra)
    if n:
        assert is_working_day(back, Calendar(extra))
        if is_working_day(end, Calendar(extra)):
            assert add(back, n, Calendar(extra)) == end


@fast
@given(day=tricky_dates)
def test_is_working_day_is_monday_to_friday_less_bank_holidays(day):
    assert is_working_day(day, ENGLAND_AND_WALES) == brute_is_working_day(day)


def test_a_long_span_counts_the_same_as_day_by_day():
    start, end = date(2019, 12, 31), date(2040, 12, 31)
    count = brute_between(start, end)
    assert between(start, end, ENGLAND_AND_WALES) == count
    assert add(start, count, ENGLAND_AND_WALES) == date(2040, 12, 31)


# The worked examples.


def test_registered_on_saturday_20_may_2023_day_1_is_22_may_and_day_10_is_5_june():
    """Registered on Saturday 20 May 2023: day 1 is Monday 22 May, day 10 is Monday 5 June,
    as 29 May is a bank holiday."""
    registered = date(2023, 5, 20)
    assert next_working_day(registered, ENGLAND_AND_WALES) == date(2023, 5, 22)
    assert add(registered, 1, ENGLAND_AND_WALES) == date(2023, 5, 22)
    assert add(registered, 10, ENGLAND_AND_WALES) == date(2023, 6, 5)
    assert between(registered, date(2023, 6, 5), ENGLAND_AND_WALES) == 10


def test_10_working_days_before_monday_5_june_2023_is_friday_19_may():
    """The worked example counted back: 29 May is a bank holiday, and Saturday 20 May is
    no working day, so day 10 back is Friday 19 May."""
    assert subtract(date(2023, 6, 5), 10, ENGLAND_AND_WALES) == date(2023, 5, 19)
    assert subtract(date(2023, 5, 30), 1, ENGLAND_AND_WALES) == date(2023, 5, 26)  # over 29 May
    assert subtract(date(2023, 5, 29), 1, ENGLAND_AND_WALES) == date(2023, 5, 26)  # from a bank holiday
    assert subtract(date(2023, 5, 20), 0, ENGLAND_AND_WALES) == date(2023, 5, 20)
    with pytest.raises(ValueError):
        subtract(date(2023, 5, 20), -1, ENGLAND_AND_WALES)


def test_counting_from_a_working_day_starts_the_next_working_day():
    """Day 1 is the first working day after the start date, whether or not the start date
    is itself a working day."""
    assert add(date(2023, 5, 22), 1, ENGLAND_AND_WALES) == date(2023, 5, 23)
    assert add(date(2023, 5, 26), 1, ENGLAND_AND_WALES) == date(2023, 5, 30)  # over 29 May


def test_day_0_is_the_start_itself_and_nothing_counts_before_it():
    saturday = date(2023, 5, 20)
    assert add(saturday, 0, ENGLAND_AND_WALES) == saturday
    assert between(saturday, saturday, ENGLAND_AND_WALES) == 0
    assert between(date(2023, 6, 5), saturday, ENGLAND_AND_WALES) == 0
    with pytest.raises(ValueError):
        add(saturday, -1, ENGLAND_AND_WALES)


def test_christmas_to_new_year_closures_still_count_as_working_days():
    """Christmas-to-New-Year office closures still count as working days."""
    for day in (date(2023, 12, 27), date(2023, 12, 28), date(2023, 12, 29), date(2024, 1, 2)):
        assert is_working_day(day, ENGLAND_AND_WALES)
    # Registered Thursday 21 December 2023: 22 Dec, then 27, 28, 29 Dec, 2 Jan ...
    assert add(date(2023, 12, 21), 5, ENGLAND_AND_WALES) == date(2024, 1, 2)


# The bank holidays themselves.

# GOV.UK's bank holidays in England and Wales, Monday to Friday only.
GOV_UK_ENGLAND_AND_WALES = {
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19",
           "12-26", "12-27"],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
}


@pytest.mark.parametrize("year", sorted(GOV_UK_ENGLAND_AND_WALES))
def test_weekday_bank_holidays_are_those_of_england_and_wales(year):
    """A working day is Monday to Friday, excluding bank holidays in England and Wales."""
    expected = {date.fromisoformat(f"{year}-{md}") for md in GOV_UK_ENGLAND_AND_WALES[year]}
    day, found = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not is_working_day(day, ENGLAND_AND_WALES):
            found.add(day)
        day += timedelta(days=1)
    assert found == expected


@pytest.mark.parametrize(
    "day",
    [date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)],
    ids=["platinum-jubilee", "queens-funeral", "coronation"],
)
def test_one_off_bank_holidays_are_not_working_days(day):
    assert not is_working_day(day, ENGLAND_AND_WALES)


@pytest.mark.parametrize(
    "day",
    [date(2024, 1, 2), date(2023, 1, 3), date(2023, 8, 7), date(2023, 11, 30), date(2024, 12, 2)],
    ids=["2-january", "2-january-substitute", "summer-first-monday-august", "st-andrews-day",
         "st-andrews-day-substitute"],
)
def test_scotland_only_bank_holidays_are_working_days(day):
    assert is_working_day(day, ENGLAND_AND_WALES)


def test_every_year_from_2020_to_2040_has_a_plausible_number_of_working_days():
    for year in range(2020, 2041):
        count = between(date(year - 1, 12, 31), date(year, 12, 31), ENGLAND_AND_WALES)
        assert 250 <= count <= 256, year


# Extra non-working days an administrator adds.


def test_an_extra_non_working_day_moves_the_due_date_on():
    """Plus any extra non-working days an administrator adds (a newly proclaimed bank
    holiday)."""
    proclaimed = Calendar(frozenset({date(2023, 5, 31)}))
    assert not is_working_day(date(2023, 5, 31), proclaimed)
    assert add(date(2023, 5, 20), 10, proclaimed) == date(2023, 6, 6)
    assert between(date(2023, 5, 20), date(2023, 6, 6), proclaimed) == 10


def test_an_extra_day_at_a_weekend_or_on_a_bank_holiday_changes_nothing():
    extra = Calendar(frozenset({date(2023, 5, 27), date(2023, 5, 29)}))
    assert add(date(2023, 5, 20), 10, extra) == date(2023, 6, 5)


def test_a_calendar_is_a_value_built_from_its_extra_days():
    assert Calendar({date(2024, 7, 1)}) == Calendar(frozenset({date(2024, 7, 1)}))
    assert Calendar() != Calendar({date(2024, 7, 1)})
    assert hash(Calendar({date(2024, 7, 1)})) == hash(Calendar(frozenset({date(2024, 7, 1)})))
    assert isinstance(Calendar([date(2024, 7, 1)]).extra_non_working_days, frozenset)


def test_bank_holidays_are_kept_by_the_year_they_fall_in():
    for year in range(2020, 2041):
        assert all(day.year == year for day in working_days.bank_holidays(year))
