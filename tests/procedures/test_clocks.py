"""Stage clocks (DOMAIN.md: Procedures, stages and clocks; Both procedures; Timeliness).
Each test names the rule it checks and quotes it."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.services.common.labels import Procedure
from portal.services.procedures import clocks
from portal.services.procedures.clocks import (
    DEFAULT_TIMESCALES,
    TimeLeft,
    Timescales,
)
from portal.services.common.errors import Refused
from portal.services.procedures.working_days import Calendar, add, between

CAL = Calendar()
STATUTORY, CORPORATE = Procedure.STATUTORY, Procedure.CORPORATE

THURSDAY_21_DECEMBER_2023 = date(2023, 12, 21)


def due(procedure, stage, started_on, **kwargs):
    return clocks.due_date(procedure, stage, started_on, CAL, DEFAULT_TIMESCALES, **kwargs)


# The defaults of DOMAIN.md.


def test_default_timescales_are_those_of_the_procedures():
    """Statutory: Stage 1 10 WD to at most 20; Stage 2 25 WD to at most 65; Stage 3 panel
    within 30 WD, report within 5 WD, response within 15 WD. Corporate: acknowledge within
    5 WD; Stage 1 10 WD, up to 10 WD more; Stage 2 25 WD, up to 20 WD more. Escalation
    within 20 WD; complaints within one year of the events."""
    t = Timescales()
    assert t.stage_limits(STATUTORY, 1) == (10, 20)
    assert t.stage_limits(STATUTORY, 2) == (25, 65)
    assert (t.stage3_panel, t.stage3_panel_report, t.stage3_response) == (30, 5, 15)
    assert t.corporate_acknowledgement == 5
    assert t.stage_limits(CORPORATE, 1) == (10, 10 + 10)
    assert t.stage_limits(CORPORATE, 2) == (25, 25 + 20)
    assert t.escalation_window == 20
    assert t.complaint_time_limit_months == 12
    with pytest.raises(FrozenInstanceError):
        t.statutory_stage1 = 5  # type: ignore[misc]


def test_an_organisation_may_set_its_own_timescales():
    """Timescales are organisation settings with these defaults."""
    quicker = Timescales(corporate_stage1=5, corporate_stage1_maximum=10)
    assert clocks.due_date(CORPORATE, 1, date(2023, 5, 20), CAL, quicker) == date(2023, 5, 26)
    with pytest.raises(ValueError):
        Timescales(statutory_stage2=30, statutory_stage2_maximum=20)


def test_procedure_codes_are_those_of_the_interchange_format():
    assert due("statutory", 1, date(2023, 5, 20)) == due(STATUTORY, 1, date(2023, 5, 20))
    with pytest.raises(ValueError):
        due("informal", 1, date(2023, 5, 20))


# Due dates.


def test_statutory_stage1_registered_21_december_2023_is_due_9_january_2024():
    """Stage 1 local resolution: clock starts on the date the complaint is registered; due
    10 WD. Counted over Christmas Day, Boxing Day and New Year's Day."""
    assert due(STATUTORY, 1, THURSDAY_21_DECEMBER_2023) == date(2024, 1, 9)


def test_statutory_stage1_extended_to_the_maximum_20_working_days_is_due_23_january_2024():
    """Stage 1 extension: to at most 20 WD."""
    latest = clocks.maximum_extension_date(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, CAL)
    assert latest == date(2024, 1, 23)
    assert due(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, extended_to=latest) == date(2024, 1, 23)


def test_registered_on_saturday_20_may_2023_stage1_is_due_monday_5_june():
    """Registered on Saturday 20 May 2023: day 1 is Monday 22 May, day 10 is Monday 5 June."""
    assert due(STATUTORY, 1, date(2023, 5, 20)) == date(2023, 6, 5)
    assert due(CORPORATE, 1, date(2023, 5, 20)) == date(2023, 6, 5)


def test_stage2_is_due_25_working_days_after_the_request_is_received():
    """Stage 2: clock starts on the date the Stage 2 request is received; due 25 WD."""
    received = date(2023, 5, 2)
    assert due(STATUTORY, 2, received) == add(received, 25, CAL) == date(2023, 6, 8)
    assert due(CORPORATE, 2, received) == date(2023, 6, 8)


def test_an_extension_counts_when_later_than_the_usual_due_date():
    """The due date of a stage: start + base WD; where an extension is recorded, the later
    of that and the extended date."""
    started = THURSDAY_21_DECEMBER_2023
    assert due(STATUTORY, 1, started, extended_to=date(2024, 1, 16)) == date(2024, 1, 16)
    # An earlier "extension" (from imported history) never shortens the clock.
    assert due(STATUTORY, 1, started, extended_to=date(2024, 1, 3)) == date(2024, 1, 9)


def test_an_imported_extension_beyond_the_maximum_counts_only_up_to_the_maximum():
    """The portal refuses to record an extension beyond the maximum; imported history may
    hold one, and it counts only up to the maximum."""
    started = THURSDAY_21_DECEMBER_2023
    assert due(STATUTORY, 1, started, extended_to=date(2024, 3, 1)) == date(2024, 1, 23)
    assert due(CORPORATE, 2, started, extended_to=date(2024, 12, 1)) == add(started, 45, CAL)
    assert due(STATUTORY, 2, started, extended_to=date(2024, 12, 1)) == add(started, 65, CAL)


def test_the_portal_refuses_an_extension_beyond_the_maximum():
    """The portal refuses to record an extension beyond the maximum."""
    with pytest.raises(Refused) as refused:
        clocks.check_extension(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, date(2024, 1, 24), CAL)
    assert str(refused.value) == (
        "The extended date must be on or before 23 January 2024: a Stage 1 response can be "
        "extended to at most 20 working days after 21 December 2023"
    )
    clocks.check_extension(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, date(2024, 1, 23), CAL)


def test_an_extension_must_be_later_than_the_usual_due_date():
    with pytest.raises(Refused, match="must be after 9 January 2024"):
        clocks.check_extension(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, date(2024, 1, 9), CAL)
    clocks.check_extension(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, date(2024, 1, 10), CAL)


def test_stage3_timescales_cannot_be_extended():
    """Stage 3 review panel: extension none."""
    with pytest.raises(Refused, match="Stage 3"):
        clocks.check_extension(STATUTORY, 3, date(2023, 5, 2), date(2023, 7, 1), CAL)
    with pytest.raises(ValueError, match="panel_due"):
        due(STATUTORY, 3, date(2023, 5, 2))


def test_the_corporate_procedure_has_no_stage3():
    """Corporate: Stages 1 and 2 only."""
    with pytest.raises(ValueError, match="no Stage 3"):
        due(CORPORATE, 3, date(2023, 5, 2))
    with pytest.raises(ValueError):
        clocks.check_extension(CORPORATE, 3, date(2023, 5, 2), date(2023, 6, 1), CAL)


@pytest.mark.parametrize(
    "procedure, stage, maximum",
    [(STATUTORY, 1, 20), (STATUTORY, 2, 65), (CORPORATE, 1, 20), (CORPORATE, 2, 45)],
)
def test_the_longest_extension_differs_between_the_procedures(procedure, stage, maximum):
    """Statutory: Stage 1 to at most 20 WD, Stage 2 to at most 65 WD. Corporate: Stage 1 up
    to 10 WD more, Stage 2 up to 20 WD more."""
    started = date(2023, 5, 2)
    latest = clocks.maximum_extension_date(procedure, stage, started, CAL)
    assert between(started, latest, CAL) == maximum
    clocks.check_extension(procedure, stage, started, latest, CAL)
    with pytest.raises(Refused):
        clocks.check_extension(procedure, stage, started, latest + timedelta(days=1), CAL)


def test_a_pause_moves_the_due_date_on_by_the_paused_working_days():
    """A pause stops the clock (the due date moves on by the paused working days)."""
    started = THURSDAY_21_DECEMBER_2023
    assert due(STATUTORY, 1, started, paused_working_days=5) == add(date(2024, 1, 9), 5, CAL)
    assert due(STATUTORY, 1, started, paused_working_days=5) == date(2024, 1, 16)
    with pytest.raises(ValueError):
        due(STATUTORY, 1, started, paused_working_days=-1)


def test_pauses_are_added_after_the_extension_is_capped_at_the_maximum():
    """Never beyond start + maximum WD; then moved on by the paused WD."""
    started = THURSDAY_21_DECEMBER_2023
    capped_then_paused = due(
        STATUTORY, 1, started, extended_to=date(2024, 3, 1), paused_working_days=3
    )
    assert capped_then_paused == add(date(2024, 1, 23), 3, CAL) == date(2024, 1, 26)


def test_an_extra_non_working_day_moves_the_due_date_on():
    """Working days exclude any extra non-working days an administrator adds."""
    proclaimed = Calendar({date(2024, 1, 5)})
    assert clocks.due_date(STATUTORY, 1, THURSDAY_21_DECEMBER_2023, proclaimed) == date(2024, 1, 10)


@settings(max_examples=300, deadline=None)
@given(
    procedure=st.sampled_from(list(Procedure)),
    stage=st.sampled_from([1, 2]),
    started=st.dates(min_value=date(2020, 1, 1), max_value=date(2039, 12, 31)),
    extension=st.none() | st.integers(min_value=-20, max_value=120),
    paused=st.integers(min_value=0, max_value=30),
)
def test_the_due_date_formula_holds_for_any_stage(procedure, stage, started, extension, paused):
    """The due date of a stage: start + base WD; where an extension is recorded, the later
    of that and the extended date, but never beyond start + maximum WD; then moved on by
    the paused WD."""
    base, maximum = DEFAULT_TIMESCALES.stage_limits(procedure, stage)
    extended_to = None if extension is None else started + timedelta(days=extension)
    result = due(procedure, stage, started, extended_to=extended_to, paused_working_days=paused)
    unpaused = add(started, base, CAL)
    if extended_to is not None:
        unpaused = min(max(unpaused, extended_to), add(started, maximum, CAL))
    assert between(unpaused, result, CAL) == paused
    assert add(started, base, CAL) <= result <= add(started, maximum + paused, CAL)


# Acknowledgement.


def test_a_corporate_stage_is_acknowledged_within_5_working_days():
    """Corporate Stages 1 and 2: acknowledge within 5 WD."""
    assert clocks.acknowledgement_due(CORPORATE, 1, date(2023, 5, 20), CAL) == date(2023, 5, 26)
    assert clocks.acknowledgement_due(CORPORATE, 2, date(2023, 5, 24), CAL) == date(2023, 6, 1)


def test_the_statutory_procedure_sets_no_acknowledgement_clock():
    assert clocks.acknowledgement_due(STATUTORY, 1, date(2023, 5, 20), CAL) is None
    assert clocks.acknowledgement_due(STATUTORY, 2, date(2023, 5, 20), CAL) is None


# Stage 3 and timeliness.


def test_stage3_clocks_panel_30_report_5_response_15_working_days():
    """Stage 3: panel meets within 30 WD of the request; panel report within 5 WD of the
    meeting; organisation's response within 15 WD of the report."""
    requested = date(2023, 5, 2)
    assert clocks.panel_due(requested, CAL) == date(2023, 6, 15)  # over 8 and 29 May
    assert clocks.panel_report_due(date(2023, 6, 15), CAL) == date(2023, 6, 22)
    assert clocks.stage3_response_due(date(2023, 6, 22), CAL) == date(2023, 7, 13)


@pytest.mark.parametrize(
    "panel_met_on, panel_report_on, responded_on, on_time",
    [
        (date(2023, 6, 15), date(2023, 6, 22), date(2023, 7, 13), True),   # every limit met exactly
        (date(2023, 6, 16), date(2023, 6, 22), date(2023, 7, 13), False),  # panel a day late
        (date(2023, 6, 15), date(2023, 6, 22), date(2023, 7, 14), False),  # response a day late
        # A late report does not count against the stage; the response is 15 WD after it.
        (date(2023, 6, 15), date(2023, 6, 30), date(2023, 7, 21), True),
    ],
)
def test_stage3_is_in_timescale_when_panel_met_within_30_and_response_within_15(
    panel_met_on, panel_report_on, responded_on, on_time
):
    """Stage 3 is in timescale when the panel met within 30 WD of the request and the
    response came within 15 WD of the panel report."""
    assert clocks.stage3_in_timescale(
        date(2023, 5, 2), panel_met_on, panel_report_on, responded_on, CAL, DEFAULT_TIMESCALES
    ) is on_time


def test_a_response_is_in_timescale_on_or_before_its_due_date():
    """A stage response is in timescale when its date is on or before the stage's due
    date, where the due date includes a recorded extension (capped at the maximum) and
    pauses."""
    assert clocks.in_timescale(date(2024, 1, 9), date(2024, 1, 9))
    assert clocks.in_timescale(date(2024, 1, 8), date(2024, 1, 9))
    assert not clocks.in_timescale(date(2024, 1, 10), date(2024, 1, 9))
    imported = due(
        STATUTORY, 1, THURSDAY_21_DECEMBER_2023, extended_to=date(2024, 3, 1), paused_working_days=2
    )
    assert clocks.in_timescale(date(2024, 1, 25), imported)
    assert not clocks.in_timescale(date(2024, 1, 26), imported)


def test_stage2_duration_counts_working_days_after_the_start_up_to_the_response():
    """Stage 2 duration is the number of working days after its clock start up to and
    including its response (pauses not subtracted)."""
    received = date(2023, 5, 2)
    assert clocks.stage2_duration(received, date(2023, 6, 8), CAL) == 25
    assert clocks.stage2_duration(received, received, CAL) == 0
    assert clocks.stage2_duration(received, date(2023, 5, 3), CAL) == 1
    assert clocks.stage2_duration(date(2023, 5, 20), date(2023, 6, 5), CAL) == 10
    with pytest.raises(ValueError):
        clocks.stage2_duration(received, date(2023, 5, 1), CAL)


def test_working_days_left_counts_down_to_the_due_date_and_then_up_when_overdue():
    due_on = date(2023, 6, 5)  # a Monday
    assert clocks.working_days_left(due_on, date(2023, 5, 20), CAL) == TimeLeft(10, overdue=False)
    assert clocks.working_days_left(due_on, date(2023, 5, 22), CAL) == TimeLeft(9, overdue=False)
    assert clocks.working_days_left(due_on, date(2023, 6, 2), CAL) == TimeLeft(1, overdue=False)
    assert clocks.working_days_left(due_on, due_on, CAL) == TimeLeft(0, overdue=False)
    assert clocks.working_days_left(due_on, date(2023, 6, 6), CAL) == TimeLeft(1, overdue=True)
    friday, saturday = date(2023, 6, 2), date(2023, 6, 3)
    assert clocks.working_days_left(friday, saturday, CAL) == TimeLeft(0, overdue=True)


# Escalation and late complaints.


def test_the_next_stage_must_be_requested_within_20_working_days_of_the_response():
    """Escalation windows: the next stage must be requested within 20 WD of the previous
    stage's response."""
    responded = date(2023, 5, 5)
    last_day = clocks.escalation_deadline(responded, CAL)
    assert last_day == date(2023, 6, 6)  # over 8 and 29 May
    assert not clocks.is_late_request(responded, last_day, CAL)
    assert clocks.is_late_request(responded, last_day + timedelta(days=1), CAL)


def test_a_late_request_may_be_accepted_with_a_recorded_reason():
    """A late request may be accepted with a recorded reason."""
    responded = date(2023, 5, 5)
    assert not clocks.needs_late_request_reason(responded, date(2023, 6, 6), CAL)
    assert clocks.needs_late_request_reason(responded, date(2023, 6, 7), CAL)


@pytest.mark.parametrize(
    "events_on, received_on, needs_reason",
    [
        (date(2023, 3, 10), date(2024, 3, 10), False),  # a year to the day: in time
        (date(2023, 3, 10), date(2024, 3, 11), True),
        (date(2024, 2, 29), date(2025, 2, 28), False),  # 29 February's anniversary is 28 February
        (date(2024, 2, 29), date(2025, 3, 1), True),
        (date(2023, 2, 28), date(2024, 2, 28), False),
        (date(2023, 2, 28), date(2024, 2, 29), True),
    ],
)
def test_complaints_are_normally_made_within_one_year_of_the_events(
    events_on, received_on, needs_reason
):
    """Complaints are normally made within one year of the events; a later one may be
    accepted with a recorded reason."""
    assert clocks.needs_late_complaint_reason(events_on, received_on) is needs_reason


def test_a_shorter_time_limit_ends_on_the_same_day_or_the_end_of_the_month():
    six_months = Timescales(complaint_time_limit_months=6)
    assert clocks.complaint_time_limit(date(2023, 8, 31), six_months) == date(2024, 2, 29)
    assert clocks.complaint_time_limit(date(2023, 12, 31), six_months) == date(2024, 6, 30)
    assert clocks.complaint_time_limit(date(2023, 7, 15), six_months) == date(2024, 1, 15)
