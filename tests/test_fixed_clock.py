"""The suite's fixed clock (tests/conftest.py, ``fixed_clock``): every test starts at the
same moment whatever the real date, and a test can still set its own day."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import time_machine

from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import now_utc, today
from portal.services.procedures.working_days import bank_holidays, is_working_day
from tests.conftest import FIXED_MOMENT


def test_every_test_starts_at_the_fixed_moment_and_the_clock_runs():
    first = now_utc()
    assert today() == date(2034, 10, 18)
    assert timedelta(0) <= first - FIXED_MOMENT < timedelta(minutes=5)
    assert date.today() == date(2034, 10, 18) and datetime.now(ZoneInfo("Europe/London")).hour == 10
    assert now_utc() > first  # tick=True: durations and timeouts still pass


def test_the_fixed_day_is_an_ordinary_working_wednesday_in_mid_month(app):
    day = FIXED_MOMENT.astimezone(ZoneInfo("Europe/London")).date()
    assert day.strftime("%A") == "Wednesday" and 10 <= day.day <= 20
    assert is_working_day(day, current_calendar())
    nearby = {day + timedelta(days=n) for n in range(-21, 22)}
    assert not nearby & (bank_holidays(day.year) | bank_holidays(day.year + 1))
    assert FIXED_MOMENT > datetime(2026, 12, 1, tzinfo=timezone.utc)  # in the future, for Chromium's cookies


def test_a_test_can_set_its_own_day_and_gets_the_fixed_clock_back():
    with time_machine.travel(datetime(2027, 8, 30, 10, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert today() == date(2027, 8, 30)
    assert today() == date(2034, 10, 18)
