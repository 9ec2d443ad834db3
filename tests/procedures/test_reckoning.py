"""The calendar and the timescales read once for a piece of work
(portal/services/procedures/reckoning.py): within ``one_reckoning`` each is read the first
time it is asked; outside one, and after a change made within one, they are read again."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.services.accounts import administration
from portal.services.procedures import reckoning
from portal.services.procedures.calendars import current_calendar
from portal.services.procedures.deadlines import set_timescales
from portal.services.procedures.timescales import add_timescale_set, current_timescales
from tests.work_done import watching

READS = {("SELECT", "non_working_day"), ("SELECT", "timescale_set"), ("SELECT", "timescale_setting")}
# A Wednesday, not a bank holiday.
CLOSURE = date(2034, 11, 15)


def reads(work) -> int:
    return sum(n for key, n in work.statements.items() if key in READS)


def test_within_a_reckoning_each_is_read_once(app):
    with watching(app) as work, reckoning.one_reckoning():
        for _ in range(4):
            current_calendar(), current_timescales()
    assert reads(work) == 3  # the extra days, the sets from a date, the first set's changes
    with watching(app) as work:
        for _ in range(2):
            current_calendar(), current_timescales()
    assert reads(work) == 6  # outside one, each ask reads the tables


def test_a_reckoning_within_another_is_the_same_one(app):
    with watching(app) as work, reckoning.one_reckoning():
        current_timescales()
        with reckoning.one_reckoning():
            current_timescales()
        current_timescales()
    assert reads(work) == 2


def test_a_change_made_within_a_reckoning_counts_at_once(app, officer):
    with reckoning.one_reckoning():
        assert current_calendar().is_working_day(CLOSURE)
        assert current_timescales().base.statutory_stage1 == 10
        administration.add_non_working_day(CLOSURE, "Office closed")
        db.session.flush()
        assert not current_calendar().is_working_day(CLOSURE)
        set_timescales({"statutory_stage1": 15}, officer)
        assert current_timescales().base.statutory_stage1 == 15
        add_timescale_set("statutory", date(2035, 4, 1), {"statutory_stage1": 12, "statutory_stage1_maximum": 20,
                                                          "statutory_stage2": 25, "statutory_stage2_maximum": 65,
                                                          "stage3_panel": 30, "stage3_panel_report": 5,
                                                          "stage3_response": 15, "escalation_window": 20,
                                                          "complaint_time_limit_months": 12},
                          "The council's new policy", officer)
        assert current_timescales().in_force("statutory", date(2035, 4, 2)).statutory_stage1 == 12
        entry = administration.non_working_days()[0]
        administration.remove_non_working_day(entry)
        db.session.flush()
        assert current_calendar().is_working_day(CLOSURE)
