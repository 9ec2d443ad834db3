"""Timescales that change on a date (DOMAIN.md, "Timescales change on a date") and the
Complaint Handling Code's corporate clocks from 1 April 2026 (issue 21, parts 1 and 2).

Every date below is worked by hand from the calendar of England and Wales: Good Friday
2026 is 3 April and Easter Monday 6 April, the early May bank holiday 4 May 2026, the
spring bank holiday 25 May 2026; Good Friday 2025 is 18 April.
"""

from datetime import date

import pytest

from portal.extensions import db
from portal.models import TimescaleSetRow
from portal.services.common.errors import Refused
from portal.services.procedures import clocks, current_timescales, deadlines, display
from portal.services.procedures.clocks import (COMPLAINT_HANDLING_CODE, DEFAULT_BOOK,
                                               DEFAULT_TIMESCALES, TimescaleBook, TimescaleSet)
from portal.services.procedures.registration import record_acknowledgement
from portal.services.procedures.timescales import add_timescale_set
from portal.services.procedures.working_days import Calendar

from tests import factories

CALENDAR = Calendar()
CODE_VALUES = {"corporate_acknowledgement": 5, "corporate_stage1": 10,
               "corporate_stage1_maximum": 20, "corporate_stage2": 20,
               "corporate_stage2_maximum": 40, "corporate_response_from_acknowledgement": True,
               "escalation_window": 20, "complaint_time_limit_months": 12}


def test_a_stage_follows_the_set_in_force_on_its_clock_start():
    assert DEFAULT_BOOK.in_force("corporate", date(2026, 3, 31)) == DEFAULT_TIMESCALES
    code = DEFAULT_BOOK.in_force("corporate", date(2026, 4, 1))
    assert (code.corporate_stage2, code.corporate_stage2_maximum) == (20, 40)
    assert code.corporate_response_from_acknowledgement
    # The Code does not apply to the statutory procedure.
    assert DEFAULT_BOOK.in_force("statutory", date(2030, 1, 1)) == DEFAULT_TIMESCALES
    later = TimescaleSet("corporate", date(2030, 1, 1), {"corporate_stage1": 8})
    book = TimescaleBook(DEFAULT_TIMESCALES, (COMPLAINT_HANDLING_CODE, later))
    assert book.in_force("corporate", date(2029, 12, 31)).corporate_stage1 == 10
    assert book.in_force("corporate", date(2030, 1, 1)).corporate_stage1 == 8
    with pytest.raises(ValueError):
        TimescaleSet("statutory", date(2030, 1, 1), {"corporate_stage1": 8})


def test_a_corporate_complaint_received_on_2_april_2026_follows_the_code(app):
    # Thursday 2 April 2026: day 1 is Tuesday 7 April (Good Friday, Easter Monday), day 5
    # Monday 13 April.
    record = factories.complaint(factories.stage(date(2026, 4, 2), None), procedure="corporate",
                                 received_on=date(2026, 4, 2))
    stage = record.stages[0]
    deadlines.refresh(record)
    assert deadlines.acknowledgement_due("corporate", stage, CALENDAR, current_timescales()) == date(2026, 4, 13)
    # Not yet acknowledged: the response counts from the acknowledgement's due date,
    # 10 WD after Monday 13 April is Monday 27 April.
    assert stage.due_on == record.due_on == date(2026, 4, 27)
    # Acknowledged on Tuesday 7 April: 10 WD after it is Tuesday 21 April.
    officer = factories.staff("feedback_officer", "Olu Officer")
    record_acknowledgement(stage, date(2026, 4, 7), officer, today=date(2026, 4, 8))
    assert stage.due_on == record.due_on == date(2026, 4, 21)
    # At most 10 WD more: 20 WD after 7 April, over the May bank holiday, is 6 May.
    assert clocks.maximum_extension_date("corporate", 1, stage.started_on, CALENDAR,
                                         DEFAULT_BOOK.in_force("corporate", stage.started_on),
                                         acknowledged_on=stage.acknowledged_on) == date(2026, 5, 6)
    with pytest.raises(Refused, match="at most 20 working days after 7 April 2026, the acknowledgement"):
        clocks.check_extension("corporate", 1, stage.started_on, date(2026, 5, 7), CALENDAR,
                               DEFAULT_BOOK.in_force("corporate", stage.started_on),
                               acknowledged_on=stage.acknowledged_on)


def test_a_code_stage_2_is_due_20_working_days_after_its_acknowledgement():
    # Requested Monday 1 June 2026, acknowledged Wednesday 3 June: 20 WD is Wednesday
    # 1 July; with the longest extension (40 WD) Wednesday 29 July.
    settings = DEFAULT_BOOK.in_force("corporate", date(2026, 6, 1))
    assert clocks.acknowledgement_due("corporate", 2, date(2026, 6, 1), CALENDAR, settings) == date(2026, 6, 8)
    assert clocks.due_date("corporate", 2, date(2026, 6, 1), CALENDAR, settings,
                           acknowledged_on=date(2026, 6, 3)) == date(2026, 7, 1)
    assert clocks.due_date("corporate", 2, date(2026, 6, 1), CALENDAR, settings,
                           extended_to=date(2026, 9, 1),
                           acknowledged_on=date(2026, 6, 3)) == date(2026, 7, 29)


def test_a_corporate_complaint_before_the_code_keeps_the_2023_clocks(app):
    # Wednesday 2 April 2025: 10 WD from the start is Wednesday 16 April, whenever it was
    # acknowledged; Stage 2 25 WD from its request.
    record = factories.complaint(factories.stage(date(2025, 4, 2), None), procedure="corporate",
                                 received_on=date(2025, 4, 2))
    record.stages[0].acknowledged_on = date(2025, 4, 8)
    deadlines.refresh(record)
    assert record.due_on == date(2025, 4, 16)


def test_the_case_page_clocks_show_the_acknowledgement_overdue(app):
    record = factories.complaint(factories.stage(date(2026, 4, 2), None), procedure="corporate",
                                 received_on=date(2026, 4, 2))
    deadlines.refresh(record)
    # Tuesday 14 April 2026: the acknowledgement was due on Monday 13th, one WD ago.
    ack, response = display.stage_clocks(record.stages[0], date(2026, 4, 14), CALENDAR)
    assert (ack.label, ack.overdue, ack.working_days) == ("Acknowledgement due", True, 1)
    assert ack.status == "Overdue: was due 13 April 2026, 1 working day ago"
    assert (response.due_on, response.overdue) == (date(2026, 4, 27), False)


def test_an_administrator_adds_a_set_from_a_later_date(app):
    admin = factories.staff("administrator", "Ada Admin")
    today = date(2034, 10, 18)
    values = dict(CODE_VALUES, corporate_stage1=8, corporate_stage1_maximum=16)
    added = add_timescale_set("corporate", date(2035, 1, 1), values, "The council's own rule", admin,
                              today=today)
    db.session.commit()
    assert added.values["corporate_stage1"] == 8
    book = current_timescales()
    assert book.in_force("corporate", date(2034, 12, 31)).corporate_stage1 == 10  # the Code's
    assert book.in_force("corporate", date(2035, 1, 1)).corporate_stage1 == 8
    row = db.session.query(TimescaleSetRow).one()
    assert (row.procedure, row.effective_from, row.created_by) == ("corporate", date(2035, 1, 1), admin)


def test_a_new_set_never_moves_an_open_case(app):
    admin = factories.staff("administrator", "Ada Admin")
    today = date(2034, 10, 18)
    with pytest.raises(Refused, match="must be after today") as refusal:
        add_timescale_set("corporate", today, CODE_VALUES, "Now", admin, today=today)
    assert refusal.value.field == "effective_from"
    # An open stage that starts later (imported, say) keeps the date out of reach.
    factories.complaint(factories.stage(date(2034, 11, 2), None), procedure="corporate",
                        received_on=date(2034, 11, 2))
    with pytest.raises(Refused, match="An open corporate stage started on 2 November 2034"):
        add_timescale_set("corporate", date(2034, 11, 1), CODE_VALUES, "Soon", admin, today=today)
    # The statutory procedure has no open stage: its set may start tomorrow.
    add_timescale_set("statutory", date(2034, 10, 19), {
        "statutory_stage1": 10, "statutory_stage1_maximum": 20, "statutory_stage2": 25,
        "statutory_stage2_maximum": 65, "stage3_panel": 30, "stage3_panel_report": 5,
        "stage3_response": 15, "escalation_window": 20, "complaint_time_limit_months": 12},
        "Checked", admin, today=today)


@pytest.mark.parametrize("values, field", [
    (dict(CODE_VALUES, corporate_stage1=0), "corporate_stage1"),
    (dict(CODE_VALUES, corporate_stage2_maximum=10), "corporate_stage2_maximum"),
    ({k: v for k, v in CODE_VALUES.items() if k != "escalation_window"}, "escalation_window"),
])
def test_a_set_with_a_nonsense_value_is_refused(app, values, field):
    admin = factories.staff("administrator", "Ada Admin")
    with pytest.raises(Refused) as refusal:
        add_timescale_set("corporate", date(2035, 1, 1), values, "Why", admin, today=date(2034, 10, 18))
    assert refusal.value.field == field
    with pytest.raises(Refused) as refusal:
        add_timescale_set("corporate", date(2035, 1, 1), CODE_VALUES, " ", admin, today=date(2034, 10, 18))
    assert refusal.value.field == "reason"
    assert db.session.query(TimescaleSetRow).count() == 0
