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
