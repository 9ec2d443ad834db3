"""Entering a procedure (DOMAIN.md, Procedures, stages and clocks; Both procedures)."""

from datetime import date

import pytest

from portal.extensions import db
from portal.services.procedures import (
    WHICH_PROCEDURE,
    progress_to_stage1,
    register_complaint,
)
from portal.services.common.errors import Refused
from portal.services.procedures.registration import record_acknowledgement

from .conftest import TODAY


def test_stage1_clock_starts_on_registration_worked_example_21_december_2023_due_9_january_2024(
        make_record, officer):
    """Statutory Stage 1: 10 WD from registration; registered Thursday 21 December 2023,
    the response is due Tuesday 9 January 2024 (Christmas, Boxing Day and New Year's Day
    are bank holidays; the days between still count)."""
    record = make_record(received_on=date(2023, 12, 21))
    stage = register_complaint(record, "statutory", date(2023, 12, 21), officer, today=TODAY)
    assert (record.kind, record.procedure, record.status) == ("complaint", "statutory", "open")
    assert (stage.number, stage.started_on, record.stage_number) == (1, date(2023, 12, 21), 1)
    assert stage.due_on == record.due_on == date(2024, 1, 9)
    assert "Registered as a complaint" in record.timeline[-1].text


def test_an_initial_contact_progressed_starts_stage1_on_the_progression_date(make_record, officer):
    """DOMAIN.md: "for an initial contact progressed to Stage 1, the progression date"."""
    record = make_record(received_on=date(2023, 12, 1), assigned_to=officer)
    stage = progress_to_stage1(record, "corporate", date(2023, 12, 21), officer, today=TODAY)
    db.session.commit()
    db.session.expire_all()
    assert (record.kind, record.outcome, record.outcome_on) == (
        "initial_contact", "progressed", date(2023, 12, 21))
    assert (record.procedure, stage.started_on, stage.due_on) == (
        "corporate", date(2023, 12, 21), date(2024, 1, 9))
    assert stage.officer == "Olu Officer"  # the assigned officer handles Stage 1
    assert record.timeline[-1].staff_user_id == officer.id


def test_only_an_open_initial_contact_can_be_progressed(make_record, officer):
    record = make_record(outcome="resolved", outcome_on=date(2023, 12, 22))
    with pytest.raises(Refused, match="already has an outcome"):
        progress_to_stage1(record, "statutory", date(2023, 12, 22), officer, today=TODAY)


def test_a_complaint_is_registered_once_and_needs_a_procedure(make_record, officer):
    record = make_record()
    with pytest.raises(Refused) as refusal:
        register_complaint(record, "informal", date(2023, 12, 21), officer, today=TODAY)
    assert refusal.value.field == "procedure"
    register_complaint(record, "statutory", date(2023, 12, 21), officer, today=TODAY)
    with pytest.raises(Refused, match="already a complaint"):
        register_complaint(record, "corporate", date(2023, 12, 21), officer, today=TODAY)


def test_registration_cannot_come_before_receipt_or_after_today(make_record, officer):
    record = make_record(received_on=date(2023, 12, 21))
    with pytest.raises(Refused) as refusal:
        register_complaint(record, "statutory", date(2023, 12, 20), officer, today=TODAY)
    assert refusal.value.field == "registered_on"
    with pytest.raises(Refused, match="today or in the past"):
        register_complaint(record, "statutory", date(2024, 7, 1), officer, today=TODAY)


def test_complaint_about_events_over_a_year_old_needs_a_recorded_reason(make_record, officer):
    """DOMAIN.md, Both procedures: "Complaints are normally made within one year of the
    events; a later one may be accepted with a recorded reason"."""
    record = make_record(received_on=date(2023, 12, 21))
    with pytest.raises(Refused) as refusal:
        register_complaint(record, "statutory", date(2023, 12, 21), officer,
                           events_on=date(2022, 12, 20), today=TODAY)
    assert refusal.value.field == "late_complaint_reason"
    assert "20 December 2023" in str(refusal.value)
    assert record.procedure is None and not record.stages  # nothing half-done
    stage = register_complaint(record, "statutory", date(2023, 12, 21), officer,
                               events_on=date(2022, 12, 20),
                               late_complaint_reason="The young person only recently left care",
                               today=TODAY)
    assert stage.late_complaint_reason == "The young person only recently left care"
    assert stage.events_on == date(2022, 12, 20)


def test_complaint_about_events_a_year_ago_to_the_day_is_in_time(make_record, officer):
    record = make_record(received_on=date(2023, 12, 21))
    stage = register_complaint(record, "corporate", date(2023, 12, 21), officer,
                               events_on=date(2022, 12, 21), today=TODAY)
    assert stage.late_complaint_reason is None


def test_corporate_acknowledgement_is_recorded_on_or_after_the_start(make_record, officer):
    """DOMAIN.md, Corporate: acknowledge within 5 WD (the clock is display's)."""
    record = make_record()
    stage = register_complaint(record, "corporate", date(2023, 12, 21), officer, today=TODAY)
    with pytest.raises(Refused) as refusal:
        record_acknowledgement(stage, date(2023, 12, 20), officer, today=TODAY)
    assert refusal.value.field == "acknowledged_on"
    record_acknowledgement(stage, date(2023, 12, 22), officer, today=TODAY)
    assert stage.acknowledged_on == date(2023, 12, 22)


def test_guidance_on_which_procedure_applies_names_both():
    assert "Children Act 1989" in WHICH_PROCEDURE and "corporate" in WHICH_PROCEDURE
