"""Legal holds stop removal until lifted; erasure on request is refused while one stands."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Person
from portal.services import retention


def record(reference: str) -> Feedback:
    return db.session.scalar(select(Feedback).where(Feedback.reference == reference))


def closed_reference(personal_data) -> str:
    due = retention.due_for_removal(date(2031, 1, 1)).removable
    return next(d.label for d in due if d.kind == "complaint")


def test_a_hold_on_a_record_keeps_it_until_lifted(personal_data):
    held = record(closed_reference(personal_data))
    hold = retention.place_hold("Court proceedings about this placement", None, feedback=held)
    db.session.commit()

    due = retention.due_for_removal(date(2031, 1, 1))
    assert held.reference in [d.label for d in due.held]
    retention.purge(date(2031, 1, 1), actor="test")
    db.session.refresh(held)
    assert held.purged_at is None and held.person.name.startswith("Zebedee")

    retention.lift_hold(hold, None, "Proceedings ended")
    db.session.commit()
    retention.purge(date(2031, 1, 1), actor="test")
    db.session.refresh(held)
    assert held.purged_at is not None and held.person_id is None


def test_a_hold_on_a_person_keeps_all_their_records(personal_data):
    held = record(closed_reference(personal_data))
    person = held.person
    retention.place_hold("Police enquiry", None, person=person)
    db.session.commit()
    retention.purge(date(2031, 1, 1), actor="test")
    db.session.refresh(held)
    assert held.purged_at is None
    assert db.session.get(Person, person.id).email == person.email


def test_a_hold_needs_a_reason_and_is_lifted_once(personal_data):
    held = record(closed_reference(personal_data))
    with pytest.raises(retention.RetentionError):
        retention.place_hold("  ", None, feedback=held)
    hold = retention.place_hold("Claim", None, feedback=held)
    retention.lift_hold(hold, None)
    with pytest.raises(retention.RetentionError):
        retention.lift_hold(hold, None)


def test_erasure_removes_one_persons_records_even_open_ones_unless_held(personal_data):
    open_record = db.session.scalars(select(Feedback).where(Feedback.kind == "complaint")).first()
    person = open_record.person
    retention.place_hold("Legal claim", None, feedback=open_record)
    db.session.commit()
    with pytest.raises(retention.RetentionError, match="legal hold"):
        retention.erase_person(person, actor="test")
    assert open_record.purged_at is None

    hold = retention.active_holds(feedback=open_record)[0]
    retention.lift_hold(hold, None)
    db.session.commit()
    person_id = person.id
    result = retention.erase_person(person, actor="test")
    assert result.references == [open_record.reference] and result.people_removed == 1
    assert db.session.get(Person, person_id) is None
    db.session.refresh(open_record)
    assert open_record.purged_at is not None and open_record.summary == ""
