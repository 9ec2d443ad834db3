"""Acting on many inbox records at once (portal/services/triage/bulk.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, TimelineEvent
from portal.services.common.dates import today
from portal.services.common.errors import Refused
from portal.services.triage import bulk
from portal.services.triage.bulk import Chosen
from tests import factories


def chosen(*records):
    return [Chosen(r.id, r.version) for r in records]


def test_thirty_initial_contacts_are_assigned_in_one_action(app):
    officer = factories.staff("feedback_officer", name="Olu Officer")
    manager = factories.staff("feedback_manager")
    records = [factories.initial_contact() for _ in range(30)]
    outcome = bulk.assign_all(manager, chosen(*records), officer)
    db.session.commit()
    assert outcome.refused == [] and sorted(outcome.done) == sorted(r.reference for r in records)
    for record in records:
        db.session.refresh(record)
        assert record.assigned_to_id == officer.id and record.status == "open"
    # Each on its own timeline, and each change in the audit trail.
    events = db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "assignment")).all()
    assert sorted(e.feedback_id for e in events) == sorted(r.id for r in records)
    audited = db.session.scalars(select(AuditEntry.entity_id).where(
        AuditEntry.entity_type == "feedback", AuditEntry.action == "update")).all()
    assert {str(r.id) for r in records} <= set(audited)


def test_a_record_changed_since_the_list_was_shown_is_refused_and_the_others_done(app):
    officer, manager = factories.staff("feedback_officer"), factories.staff("feedback_manager")
    fresh, stale = factories.initial_contact(), factories.initial_contact()
    seen = chosen(fresh, stale)
    stale.summary = "Changed by someone else"
    db.session.commit()  # its version moves on
    outcome = bulk.assign_all(manager, seen, officer)
    db.session.commit()
    assert outcome.done == [fresh.reference]
    assert outcome.refused == [(stale.reference, bulk.CHANGED_SINCE)]
    db.session.refresh(stale)
    assert stale.assigned_to_id is None


def test_a_record_the_person_may_not_see_is_not_changed(app):
    team_manager = factories.staff("team_manager")
    officer = factories.staff("feedback_officer")
    other_team = factories.team("Fostering Team")
    theirs = factories.initial_contact(team_id=other_team.id)
    outcome = bulk.classify_all(team_manager, chosen(theirs), category="concern")
    assert outcome.done == [] and outcome.refused == [(str(theirs.id), bulk.NOT_FOUND)]
    assert officer  # an officer exists, never offered the record


def test_closing_refuses_what_is_not_an_open_initial_contact(app):
    officer = factories.staff("feedback_officer")
    contact, compliment = factories.initial_contact(), factories.compliment()
    complaint = factories.complaint()
    outcome = bulk.close_all(officer, chosen(contact, compliment, complaint), outcome="resolved",
                             what_was_done="Explained the transport policy", today=today())
    db.session.commit()
    assert outcome.done == [contact.reference]
    assert {ref for ref, _ in outcome.refused} == {compliment.reference, complaint.reference}
    assert all(why == "Only an initial contact can be given this outcome" for _, why in outcome.refused)
    db.session.refresh(contact)
    assert (contact.outcome, contact.outcome_on, contact.status) == ("resolved", today(), "closed")
    assert contact.resolution == "Explained the transport policy"


def test_resolving_needs_what_was_done_and_changes_nothing_without_it(app):
    officer = factories.staff("feedback_officer")
    contact = factories.initial_contact()
    with pytest.raises(Refused) as refused:
        bulk.close_all(officer, chosen(contact), outcome="resolved", what_was_done="  ", today=today())
    assert refused.value.field == "resolution"
    outcome = bulk.close_all(officer, chosen(contact), outcome="withdrawn", what_was_done="", today=today())
    assert outcome.done == [contact.reference] and contact.outcome == "withdrawn"


def test_classifying_keeps_what_was_not_chosen(app):
    officer = factories.staff("feedback_officer")
    send = factories.team("SEND Team")
    contact = factories.initial_contact(category="query", team_id=send.id)
    complaint = factories.complaint()
    outcome = bulk.classify_all(officer, chosen(contact, complaint), category="concern")
    assert outcome.done == [contact.reference]
    assert outcome.refused == [(complaint.reference, "Only an initial contact has a category")]
    assert (contact.category, contact.team_id) == ("concern", send.id)
    with pytest.raises(Refused):
        bulk.classify_all(officer, chosen(contact))


def test_nothing_chosen_is_refused_and_boxes_are_read_strictly(app):
    officer = factories.staff("feedback_officer")
    with pytest.raises(Refused) as refused:
        bulk.assign_all(officer, [], officer)
    assert (refused.value.field, refused.value.message) == ("selected", "Select at least one record")
    assert bulk.read_chosen(["4:2", "4:3", "x:1", "5", "6:", "7:9"]) == [Chosen(4, 2), Chosen(7, 9)]


def test_a_bulk_change_keeps_each_records_earlier_timeline_and_audits_only_what_changed(app):
    """The records are changed without reading their timelines (bulk.py): the new event
    joins the events they had, which stay; the audit entry names the fields changed."""
    from portal.services.common import timeline

    officer, manager = factories.staff("feedback_officer"), factories.staff("feedback_manager")
    records = [factories.initial_contact() for _ in range(3)]
    for record in records:
        timeline.add(record, "note", "Rang the parent back", manager)
    db.session.commit()
    db.session.expire_all()
    bulk.assign_all(manager, chosen(*records), officer)
    db.session.commit()
    for record in records:
        db.session.refresh(record)
        assert sorted(e.kind for e in record.timeline) == ["assignment", "note"]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "feedback", AuditEntry.action == "update",
        AuditEntry.entity_id == str(records[0].id)).order_by(AuditEntry.id.desc())).first()
    assert entry.new["assigned_to_id"] == officer.id and entry.old["assigned_to_id"] is None
    assert "summary" not in entry.new  # not changed, not listed


def test_due_dates_after_a_bulk_change_follow_the_organisations_calendar(app):
    """One reading of the calendar for the whole action (reckoning.one_reckoning) still
    counts the organisation's own non-working days."""
    from portal.models import NonWorkingDay
    from portal.services.procedures import working_days
    from portal.services.procedures.calendars import current_calendar
    from portal.services.procedures.deadlines import FIRST_CONTACT_WORKING_DAYS

    manager = factories.staff("feedback_manager")
    officer = factories.staff("feedback_officer")
    record = factories.initial_contact(received_on=today())
    without_closure = working_days.add(today(), FIRST_CONTACT_WORKING_DAYS, current_calendar())
    db.session.add(NonWorkingDay(day=working_days.add(today(), 2, current_calendar()), description="Office closed"))
    db.session.commit()
    bulk.assign_all(manager, chosen(record), officer)
    db.session.commit()
    db.session.refresh(record)
    # One working day fewer in the span: due on the working day after.
    assert record.due_on == working_days.add(without_closure, 1, current_calendar())
