"""Escalation (DOMAIN.md, Both procedures: "the next stage must be requested within 20 WD
of the previous stage's response. A late request may be accepted with a recorded
reason"; the next stage's clock starts when the request is received)."""

from datetime import date

import pytest

from portal.models import OutboxMessage
from portal.services.common.errors import Refused
from portal.services.procedures.escalation import (
    escalation_window,
    note_late_request_from_status_page,
    request_from_status_page,
    request_next_stage,
)

from .conftest import TODAY

RESPONDED = date(2024, 1, 9)
WINDOW_ENDS = date(2024, 2, 6)  # 20 WD after 9 January 2024


def test_escalation_in_time_starts_stage2_on_the_request_date_due_25_wd_later(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), RESPONDED),))
    assert escalation_window(record).deadline == WINDOW_ENDS
    stage = request_next_stage(record, WINDOW_ENDS, officer, today=TODAY)
    assert (stage.number, stage.started_on, stage.late_request_reason) == (2, WINDOW_ENDS, None)
    assert stage.due_on == record.due_on == date(2024, 3, 12)  # statutory Stage 2: 25 WD
    assert (record.status, record.stage_number) == ("open", 2)
    assert "Stage 2 requested; received 6 February 2024" in record.timeline[-1].text


def test_late_escalation_needs_a_recorded_reason(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), RESPONDED),))
    with pytest.raises(Refused) as refusal:
        request_next_stage(record, date(2024, 2, 7), officer, today=TODAY)
    assert refusal.value.field == "late_request_reason"
    assert "ended on 6 February 2024" in str(refusal.value)
    assert len(record.stages) == 1
    stage = request_next_stage(record, date(2024, 2, 7), officer,
                               late_request_reason="The complainant was in hospital", today=TODAY)
    assert stage.late_request_reason == "The complainant was in hospital"
    assert "late; accepted because" in record.timeline[-1].text


def test_escalation_needs_the_previous_response_and_a_next_stage(make_complaint, officer):
    record = make_complaint("corporate", stages=((date(2023, 12, 21), None),))
    with pytest.raises(Refused, match="must be responded to before"):
        request_next_stage(record, date(2024, 1, 2), officer, today=TODAY)
    record = make_complaint("corporate", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), date(2024, 2, 6))))
    assert escalation_window(record) is None
    with pytest.raises(Refused, match="Ombudsman"):
        request_next_stage(record, date(2024, 2, 7), officer, today=TODAY)


def test_escalation_request_cannot_predate_the_response(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), RESPONDED),))
    with pytest.raises(Refused) as refusal:
        request_next_stage(record, date(2024, 1, 8), officer, today=TODAY)
    assert refusal.value.field == "requested_on"


def test_escalation_from_the_status_page_within_the_window_only(make_complaint):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), RESPONDED),))
    with pytest.raises(Refused, match="Contact the Customer Feedback Team"):
        request_from_status_page(record, date(2024, 2, 7), "Sam Taylor", "Nobody called back")
    stage = request_from_status_page(record, date(2024, 1, 20), "Sam Taylor", "Nobody called back")
    assert stage.started_on == date(2024, 1, 20)
    assert record.timeline[-1].actor_label == "Sam Taylor"
    assert record.timeline[-1].staff_user_id is None


def test_asking_from_the_status_page_needs_what_they_are_still_unhappy_about_and_tells_the_officer(
        make_complaint, officer):
    """Issue 13: the status page's button started Stage 2 on one press, with no reason asked
    and nobody told."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), RESPONDED),), assigned_to=officer)
    with pytest.raises(Refused) as refusal:
        request_from_status_page(record, date(2024, 1, 20), "Sam Taylor", "  ")
    assert (refusal.value.message, refusal.value.field) == (
        "Enter what you are still unhappy about", "unhappy_about")
    assert len(record.stages) == 1 and OutboxMessage.query.count() == 0
    request_from_status_page(record, date(2024, 1, 20), "Sam Taylor", "The plan is still not shared with me.")
    assert record.timeline[-1].text == ("Stage 2 requested from the status page. What they are still "
                                        "unhappy about: The plan is still not shared with me.")
    told = OutboxMessage.query.one()
    assert (told.to_address, told.purpose) == (officer.email, "next_stage_requested")
    assert told.subject == f"Stage 2 asked for on {record.reference}"
    assert "Stage 2 started on 20 January 2024" in told.body and f"/staff/cases/{record.reference}" in told.body
    assert "plan is still not shared" not in told.body  # kept out of inboxes


def test_a_late_request_from_the_status_page_is_noted_with_what_they_said_and_the_team_told(make_complaint):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), RESPONDED),))  # assigned to nobody
    note_late_request_from_status_page(record, date(2024, 3, 1), "Sam Taylor", "Still no apology.")
    assert len(record.stages) == 1
    assert record.timeline[-1].text.endswith("What they are still unhappy about: Still no apology.")
    told = OutboxMessage.query.one()
    assert told.to_address == "feedback@example.org"  # the team's mailbox (ORG_EMAIL)
    assert "nothing has started" in told.body and "(after the time to ask)" in told.subject


def test_a_corporate_stage_2_is_never_refused_for_lack_of_reasons(make_complaint, officer):
    """The Complaint Handling Code (issue 21): a request to escalate is never refused for
    lack of reasons. The statutory procedure keeps issue 13's question (above)."""
    record = make_complaint("corporate", stages=((date(2023, 12, 21), RESPONDED),), assigned_to=officer)
    stage = request_from_status_page(record, date(2024, 1, 20), "Sam Taylor", "  ")
    assert (stage.number, stage.started_on) == (2, date(2024, 1, 20))
    assert record.timeline[-1].text == ("Stage 2 requested from the status page. What they are still "
                                        "unhappy about: (they gave no reasons, and need not)")
    assert OutboxMessage.query.one().purpose == "next_stage_requested"
