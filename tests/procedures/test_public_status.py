"""A case's status in plain words: where it is, what happens next and by when."""

from datetime import date

from portal.models import Feedback, Stage
from portal.services.procedures.public_status import describe
from portal.services.procedures.clocks import DEFAULT_TIMESCALES
from portal.services.procedures.working_days import Calendar

CALENDAR = Calendar()
TODAY = date(2024, 1, 15)


def complaint(procedure, *stages) -> Feedback:
    return Feedback(kind="complaint", procedure=procedure, received_on=date(2023, 12, 21),
                    stages=list(stages), summary="", channel="web", submitter_role="other")


def test_an_open_initial_contact_promises_contact_within_5_working_days():
    # Received Thursday 21 December 2023: 5 WD skips Christmas Day, Boxing Day and New Year's Day.
    record = Feedback(kind="initial_contact", received_on=date(2023, 12, 21), outcome="open")
    status = describe(record, TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert status.headline == "We are looking at this"
    assert status.next_date == date(2024, 1, 2)


def test_an_open_statutory_stage_1_shows_its_due_date():
    status = describe(complaint("statutory", Stage(number=1, started_on=date(2023, 12, 21))), TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert status.headline == "Your complaint is at Stage 1 (local resolution)"
    assert status.next_date == date(2024, 1, 9)


def test_an_extension_moves_the_date_the_person_sees():
    stage = Stage(number=1, started_on=date(2023, 12, 21), extended_to=date(2024, 2, 28))
    assert describe(complaint("statutory", stage), TODAY, CALENDAR, DEFAULT_TIMESCALES).next_date == date(2024, 1, 23)


def test_after_a_response_the_person_sees_the_deadline_to_ask_for_the_next_stage():
    stage = Stage(number=1, started_on=date(2023, 12, 21), responded_on=date(2024, 1, 8))
    status = describe(complaint("corporate", stage), TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert status.next_date_label == "Ask for Stage 2 by"
    assert status.next_date == date(2024, 2, 5)  # 20 working days after 8 January
    assert status.can_ask_for_stage == 2
    late = describe(complaint("corporate", stage), date(2024, 2, 6), CALENDAR, DEFAULT_TIMESCALES)
    assert late.can_ask_for_stage is None


def test_the_final_response_points_to_the_ombudsman():
    stages = [Stage(number=1, started_on=date(2023, 1, 2), responded_on=date(2023, 1, 10)),
              Stage(number=2, started_on=date(2023, 1, 20), responded_on=date(2023, 3, 1))]
    status = describe(complaint("corporate", *stages), TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert status.headline == "We have sent our final response"
    assert "Local Government and Social Care Ombudsman" in status.detail


def test_a_stage_3_shows_when_the_panel_should_meet():
    stage = Stage(number=3, started_on=date(2024, 1, 2))
    status = describe(complaint("statutory", stage), TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert status.next_date_label == "The panel should meet by"
    assert status.next_date == date(2024, 2, 13)  # 30 working days after 2 January


def test_after_the_panel_has_met_the_person_sees_when_its_report_is_due():
    """Stage 3: the panel's report within 5 WD of the meeting, the response within 15 WD
    of the report (DOMAIN.md). Once the panel has met, the page no longer says it will."""
    stage = Stage(number=3, started_on=date(2024, 1, 2), panel_met_on=date(2024, 2, 1))
    status = describe(complaint("statutory", stage), TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert "will meet" not in status.detail
    assert status.next_date_label == "The panel should send its report by"
    assert status.next_date == date(2024, 2, 8)  # Thursday 1 February + 5 working days
    stage.panel_report_on = date(2024, 2, 8)
    status = describe(complaint("statutory", stage), TODAY, CALENDAR, DEFAULT_TIMESCALES)
    assert status.detail == "The panel has made its report."
    assert status.next_date_label == "We aim to send our response by"
    assert status.next_date == date(2024, 2, 29)  # Thursday 8 February + 15 working days
