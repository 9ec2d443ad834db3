"""Stored due dates follow the clock rules and the calendar."""

from datetime import date

from portal.extensions import db
from portal.models import Feedback, NonWorkingDay, Stage
from portal.services.procedures import deadlines
from portal.services.procedures.calendars import current_calendar
from portal.services.procedures.clocks import DEFAULT_TIMESCALES
from portal.services.procedures.working_days import Calendar


def test_an_open_initial_contact_is_due_for_first_contact_within_5_working_days():
    record = Feedback(kind="initial_contact", received_on=date(2023, 5, 20), outcome="open")
    deadlines.refresh(record, Calendar(), DEFAULT_TIMESCALES)
    assert record.due_on == date(2023, 5, 26)  # Sat 20 May: day 1 is Mon 22, day 5 Fri 26


def test_a_complaint_is_due_when_its_open_stage_is_and_nothing_once_responded():
    stage = Stage(number=1, started_on=date(2023, 12, 21))
    record = Feedback(kind="complaint", procedure="statutory", received_on=date(2023, 12, 21), stages=[stage])
    deadlines.refresh(record, Calendar(), DEFAULT_TIMESCALES)
    assert (stage.due_on, record.due_on) == (date(2024, 1, 9), date(2024, 1, 9))
    stage.responded_on = date(2024, 1, 8)
    deadlines.refresh(record, Calendar(), DEFAULT_TIMESCALES)
    assert record.due_on is None


def test_a_stage_3_is_due_for_its_panel_then_its_report_then_its_response():
    stage = Stage(number=3, started_on=date(2024, 1, 2))
    assert deadlines.stage_due("statutory", stage, Calendar(), DEFAULT_TIMESCALES) == date(2024, 2, 13)
    stage.panel_met_on = date(2024, 2, 12)
    assert deadlines.stage_due("statutory", stage, Calendar(), DEFAULT_TIMESCALES) == date(2024, 2, 19)
    stage.panel_report_on = date(2024, 2, 16)
    assert deadlines.stage_due("statutory", stage, Calendar(), DEFAULT_TIMESCALES) == date(2024, 3, 8)


def test_a_new_non_working_day_moves_every_open_deadline(app):
    stage = Stage(number=1, started_on=date(2024, 1, 2))
    record = Feedback(reference="CF-2024-00001", kind="complaint", procedure="corporate", channel="email",
                      received_on=date(2024, 1, 2), submitter_role="other", summary="x", stages=[stage])
    db.session.add(record)
    deadlines.refresh(record, current_calendar())
    db.session.commit()
    assert record.due_on == date(2024, 1, 16)
    db.session.add(NonWorkingDay(day=date(2024, 1, 10), description="A newly proclaimed bank holiday"))
    db.session.commit()
    assert deadlines.refresh_open(current_calendar()) == 1
    assert record.due_on == date(2024, 1, 17)


def test_the_organisations_timescales_set_the_stored_due_dates(app):
    """DOMAIN.md: timescales are organisation settings; changing them moves open deadlines."""
    from portal.models import TimescaleSetting

    stage = Stage(number=1, started_on=date(2024, 1, 2))
    record = Feedback(reference="CF-2024-00002", kind="complaint", procedure="corporate", channel="email",
                      received_on=date(2024, 1, 2), submitter_role="other", summary="x", stages=[stage])
    db.session.add(record)
    db.session.add(TimescaleSetting(name="corporate_stage1", value=12))
    db.session.commit()
    deadlines.refresh(record, current_calendar())
    assert record.due_on == date(2024, 1, 18)  # 12 working days, not 10


def test_the_record_keeps_its_latest_stages_number_for_the_workload():
    """Feedback.stage_number is the latest stage's, none before Stage 1 (the workload
    counts open cases by it, migration 0028)."""
    record = Feedback(kind="initial_contact", received_on=date(2024, 1, 2), outcome="open")
    deadlines.refresh(record, Calendar(), DEFAULT_TIMESCALES)
    assert record.stage_number is None
    record.procedure, record.kind = "statutory", "complaint"
    record.stages = [Stage(number=1, started_on=date(2024, 1, 2), responded_on=date(2024, 1, 12))]
    deadlines.refresh(record, Calendar(), DEFAULT_TIMESCALES)
    assert record.stage_number == 1
    record.stages.append(Stage(number=2, started_on=date(2024, 1, 22)))
    deadlines.refresh(record, Calendar(), DEFAULT_TIMESCALES)
    assert record.stage_number == 2
