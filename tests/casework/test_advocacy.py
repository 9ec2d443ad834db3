"""Advocacy as a record (issue 20, DOMAIN.md "The child and advocacy"): the offer, the
answer, the referral and the advocate in place, each after the step before it; and the
stage's clock paused while the child waits, where the procedure allows."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.services.casework import advocacy
from portal.services.common.errors import EditConflict, Refused
from portal.services.procedures import pauses
from tests import factories

TODAY = date(2026, 11, 26)
# A statutory Stage 1 registered on Monday 2 November 2026: day 1 is Tuesday 3 November,
# day 10 (due) Monday 16 November (no bank holiday in between).
REGISTERED = date(2026, 11, 2)


@pytest.fixture
def stage_one(app):
    return factories.complaint(factories.stage(REGISTERED), submitter_role="child_or_young_person")


def record(complaint, actor, **fields):
    fields.setdefault("today", TODAY)
    made = advocacy.record_advocacy(complaint, actor, version=complaint.version, **fields)
    db.session.commit()
    return made


def test_each_step_is_recorded_with_its_date_and_goes_on_the_timeline(stage_one, officer):
    made = record(stage_one, officer, offered_on=date(2026, 11, 3), offered_how="phone", answer="accepted",
                  answered_on=date(2026, 11, 3), referred_to="Coram Voice", referred_on=date(2026, 11, 4),
                  advocate_name="Ade Advocate", in_place_on=date(2026, 11, 9))
    assert (made.offered_how, made.answer, made.referred_to, made.advocate_name) == (
        "phone", "accepted", "Coram Voice", "Ade Advocate")
    texts = [event.text for event in stage_one.timeline]
    assert "Advocate offered by phone on 3 November 2026" in texts
    assert "Advocate accepted on 3 November 2026" in texts
    assert "Referred to Coram Voice for an advocate on 4 November 2026" in texts
    assert "Advocate in place from 9 November 2026: Ade Advocate" in texts
    assert stage_one.stages[0].due_on == date(2026, 11, 16)  # not paused: the clock ran on


@pytest.mark.parametrize("fields, field, message", [
    ({"answer": "accepted", "answered_on": date(2026, 11, 3)}, "offered_on",
     "Enter when the advocate was offered before recording the answer"),
    ({"offered_on": date(2026, 11, 3)}, "offered_how", "Choose how the advocate was offered"),
    ({"offered_on": date(2026, 11, 3), "offered_how": "phone", "answer": "declined", "answered_on": date(2026, 11, 3),
      "referred_to": "Coram Voice", "referred_on": date(2026, 11, 4)}, "answer",
     "Record that the child accepted an advocate before the referral"),
    ({"offered_on": date(2026, 11, 5), "offered_how": "phone", "answer": "accepted", "answered_on": date(2026, 11, 4)},
     "answered_on", "The date the child answered must be on or after the offer, 5 November 2026"),
    ({"offered_on": date(2026, 11, 27), "offered_how": "letter"}, "offered_on",
     "The date of the offer must be today or in the past"),
    ({"offered_on": date(2026, 11, 3), "offered_how": "phone", "answer": "accepted", "answered_on": date(2026, 11, 3),
      "referred_to": "Coram Voice", "referred_on": date(2026, 11, 4), "advocate_name": "Ade Advocate"},
     "in_place_on", "Enter the date the advocate was in place"),
])
def test_a_step_out_of_order_is_refused_before_anything_changes(stage_one, officer, fields, field, message):
    with pytest.raises(Refused) as refused:
        advocacy.record_advocacy(stage_one, officer, today=TODAY, **fields)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert stage_one.advocacy is None


def test_the_clock_waits_for_the_advocate_and_the_due_date_moves_on_by_the_days_waited(stage_one, officer):
    steps = dict(offered_on=date(2026, 11, 3), offered_how="in_person", answer="accepted",
                 answered_on=date(2026, 11, 3), referred_to="Coram Voice", referred_on=date(2026, 11, 4))
    made = record(stage_one, officer, pause_while_waiting=True, **steps)
    stage = stage_one.stages[0]
    assert pauses.is_paused(stage) and made.pause.started_on == date(2026, 11, 4)
    assert made.pause.reason == "Waiting for an advocate from Coram Voice"
    # In place on Wednesday 11 November: the working days after 4 November up to and
    # including 11 November are 5, 6, 9, 10 and 11 November, five days; 16 November plus
    # five working days is Monday 23 November.
    record(stage_one, officer, advocate_name="Ade Advocate", in_place_on=date(2026, 11, 11), **steps)
    assert not pauses.is_paused(stage)
    assert (made.pause.ended_on, made.pause.working_days) == (date(2026, 11, 11), 5)
    assert stage.due_on == date(2026, 11, 23)


def test_a_review_panel_clock_is_never_paused_for_an_advocate(officer):
    complaint = factories.complaint(factories.stage(date(2026, 6, 1), date(2026, 6, 12)),
                                    factories.stage(date(2026, 7, 1), date(2026, 9, 1)),
                                    factories.stage(date(2026, 11, 2)))
    assert not advocacy.can_pause_for(complaint)
    with pytest.raises(Refused) as refused:
        advocacy.record_advocacy(complaint, officer, offered_on=date(2026, 11, 3), offered_how="phone",
                                 answer="accepted", answered_on=date(2026, 11, 3), referred_to="Coram Voice",
                                 referred_on=date(2026, 11, 4), pause_while_waiting=True, today=TODAY)
    assert refused.value.message == "A Stage 3 review panel's timescales cannot be paused"
    assert complaint.stages[2].pauses == []


def test_an_initial_contact_has_no_clock_to_pause(officer):
    contact = factories.initial_contact(received_on=REGISTERED)
    with pytest.raises(Refused, match="no open complaint stage"):
        advocacy.record_advocacy(contact, officer, offered_on=date(2026, 11, 3), offered_how="phone",
                                 answer="accepted", answered_on=date(2026, 11, 3), referred_to="Coram Voice",
                                 referred_on=date(2026, 11, 4), pause_while_waiting=True, today=TODAY)


def test_an_out_of_date_form_is_a_conflict(stage_one, officer):
    with pytest.raises(EditConflict):
        advocacy.record_advocacy(stage_one, officer, offered_on=date(2026, 11, 3), offered_how="phone",
                                 today=TODAY, version=stage_one.version - 1)
