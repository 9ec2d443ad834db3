"""Clocks where staff work (issue 5, 8): due date, working days left, and an overdue
marker in words, not colour alone."""

from datetime import date

from portal.services.procedures.display import record_clock, stage_clocks
from portal.services.procedures.registration import record_acknowledgement

from .conftest import TODAY


def test_a_clock_says_the_working_days_left_then_overdue_in_words(make_complaint):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    assert record_clock(record, date(2024, 1, 4)).status == "3 working days left"
    assert record_clock(record, date(2024, 1, 9)).status == "Due today"
    late = record_clock(record, date(2024, 1, 11))
    assert (late.overdue, late.working_days, late.label) == (True, 2, "Stage 1 due")
    assert late.status == "Overdue: was due 9 January 2024, 2 working days ago"


def test_a_clock_is_overdue_on_the_weekend_after_a_friday_due_date(make_complaint):
    record = make_complaint("statutory", stages=((date(2024, 1, 19), None),))  # due Fri 2 Feb
    assert record_clock(record, date(2024, 2, 3)).status == "Overdue: was due 2 February 2024"


def test_a_corporate_stage_shows_its_acknowledgement_clock_until_acknowledged(make_complaint, officer):
    """DOMAIN.md, Corporate: acknowledge within 5 WD."""
    record = make_complaint("corporate", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    ack, response = stage_clocks(stage, date(2023, 12, 28))
    assert (ack.label, ack.due_on, ack.status) == ("Acknowledgement due", date(2024, 1, 2),
                                                   "2 working days left")
    assert (response.label, response.due_on) == ("Response due", date(2024, 1, 9))
    record_acknowledgement(stage, date(2024, 1, 3), officer, today=TODAY)
    assert stage_clocks(stage, date(2024, 1, 4))[0].status == "Done 3 January 2024 (late)"


def test_nothing_due_shows_no_clock(make_complaint):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), date(2024, 1, 5)),))
    assert record_clock(record, date(2024, 1, 8)) is None
    assert stage_clocks(record.stages[0], date(2024, 1, 8))[0].status == "Done 5 January 2024 (in time)"
