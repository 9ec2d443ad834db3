"""Pauses (DOMAIN.md, Both procedures: "a pause stops the clock (the due date moves on by
the paused working days) and is recorded with its reason")."""

from datetime import date

import pytest

from portal.services.common.errors import Refused
from portal.services.procedures.display import stage_clocks
from portal.services.procedures.extensions import extend_stage
from portal.services.procedures.pauses import end_pause, is_paused, pause_stage

from .conftest import TODAY


def test_pause_moves_the_due_date_on_by_the_paused_working_days(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    pause = pause_stage(stage, "Care proceedings in the family court", date(2024, 1, 2), officer,
                        today=TODAY)
    assert is_paused(stage) and stage.due_on == date(2024, 1, 9)  # unchanged while open
    assert stage_clocks(stage, date(2024, 1, 4))[0].status == "Paused since 2 January 2024"
    end_pause(stage, date(2024, 1, 5), officer, today=TODAY)
    assert (pause.working_days, stage.paused_working_days) == (3, 3)  # 3, 4 and 5 January
    assert stage.due_on == record.due_on == date(2024, 1, 12)
    assert not is_paused(stage)
    assert "now due 12 January 2024" in record.timeline[-1].text


def test_pauses_add_up_and_carry_the_due_date_past_the_maximum_extension(make_complaint, officer):
    """The paused days come after the cap: a pause stops the clock (clocks.due_date)."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    extend_stage(stage, date(2024, 1, 23), "Reason", officer, today=TODAY)
    pause_stage(stage, "Police investigation", date(2024, 1, 2), officer, today=TODAY)
    end_pause(stage, date(2024, 1, 3), officer, today=TODAY)
    pause_stage(stage, "Disciplinary hearing", date(2024, 1, 8), officer, today=TODAY)
    end_pause(stage, date(2024, 1, 10), officer, today=TODAY)
    assert stage.paused_working_days == 3
    assert stage.due_on == date(2024, 1, 26)


def test_pause_needs_a_reason_and_cannot_overlap(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    with pytest.raises(Refused) as refusal:
        pause_stage(stage, "", date(2024, 1, 2), officer, today=TODAY)
    assert refusal.value.field == "pause_reason"
    with pytest.raises(Refused) as refusal:
        pause_stage(stage, "Court", date(2023, 12, 20), officer, today=TODAY)
    assert refusal.value.field == "started_on"
    pause_stage(stage, "Court", date(2024, 1, 2), officer, today=TODAY)
    with pytest.raises(Refused, match="already paused"):
        pause_stage(stage, "Court", date(2024, 1, 3), officer, today=TODAY)
    with pytest.raises(Refused) as refusal:
        end_pause(stage, date(2024, 1, 1), officer, today=TODAY)
    assert refusal.value.field == "ended_on"
    end_pause(stage, date(2024, 1, 4), officer, today=TODAY)
    with pytest.raises(Refused, match="after 4 January 2024"):
        pause_stage(stage, "Court again", date(2024, 1, 3), officer, today=TODAY)
    with pytest.raises(Refused, match="not paused"):
        end_pause(stage, date(2024, 1, 5), officer, today=TODAY)
