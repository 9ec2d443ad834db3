"""Legal holds stop removal until lifted; erasure on request is refused while one stands."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Person
from portal.services.data_protection import holds, purge
from portal.services.common.errors import Refused


def record(reference: str) -> Feedback:
    return db.session.scalar(select(Feedback).where(Feedback.reference == reference))


def closed_reference(personal_data) -> str:
    due = purge.due_for_removal(date(2031, 1, 1)).removable
    return next(d.label for d in due if d.kind == "complaint")


def test_a_hold_on_a_record_keeps_it_until_lifted(personal_data):
    held = record(closed_reference(personal_data))
    hold = holds.place("Court proceedings about this placement", None, feedback=held)
    db.session.commit()

    due = purge.due_for_removal(date(2031, 1, 1))
    assert held.reference in [d.label for d in due.held]
    purge.run(date(2031, 1, 1), actor="test")
    db.session.refresh(held)
    assert held.purged_at is None and held.person.name.startswith("Zebedee")

    holds.lift(hold, None, "Proceedings ended")
    db.session.commit()
    purge.run(date(2031, 1, 1), actor="test")
    db.session.refresh(held)
    assert held.purged_at is not None and held.person_id is None


def test_a_hold_on_a_person_keeps_all_their_records(personal_data):
    held = record(closed_reference(personal_data))
    person = held.person
    holds.place("Police enquiry", None, person=person)
    db.session.commit()
    purge.run(date(2031, 1, 1), actor="test")
    db.session.refresh(held)
    assert held.purged_at is None
    assert db.session.get(Person, person.id).email == person.email


def test_a_hold_needs_a_reason_and_is_lifted_once(personal_data):
    held = record(closed_reference(personal_data))
    with pytest.raises(Refused):
        holds.place("  ", None, feedback=held)
    hold = holds.place("Claim", None, feedback=held)
    holds.lift(hold, None)
    with pytest.raises(Refused):
        holds.lift(hold, None)


def test_erasure_removes_one_persons_records_even_open_ones_unless_held(personal_data):
    open_record = db.session.scalars(select(Feedback).where(Feedback.kind == "complaint")).first()
    person = open_record.person
    holds.place("Legal claim", None, feedback=open_record)
    db.session.commit()
    with pytest.raises(Refused, match="legal hold"):
        purge.erase_person(person, actor="test")
    assert open_record.purged_at is None

    hold = holds.in_force(feedback=open_record)[0]
    holds.lift(hold, None)
    db.session.commit()
    person_id = person.id
    result = purge.erase_person(person, actor="test")
    assert result.references == [open_record.reference] and result.people_removed == 1
    assert db.session.get(Person, person_id) is None
    db.session.refresh(open_record)
    assert open_record.purged_at is not None and open_record.summary == ""


def test_erasure_also_redacts_what_the_audit_trail_holds_about_people_merged_into_this_one(app):
    from portal.models import AuditEntry
    from portal.services.intake import people

    def about(person_id: int) -> list[AuditEntry]:
        return list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.entity_type == "person", AuditEntry.entity_id == str(person_id))))

    kept = Person(name="Robin Parent", email="robin@example.org")
    earlier = Person(name="R. Parent", email="r.parent@example.org", phone="07700 900123")
    first = Person(name="Robin P", email="robin.p@example.org")
    db.session.add_all([kept, earlier, first])
    db.session.commit()
    people.merge(first, earlier)  # earlier into first, then first into kept: a chain
    db.session.commit()
    people.merge(kept, first)
    db.session.commit()
    earlier_id, first_id = earlier.id, first.id
    assert "r.parent@example.org" in str([e.new for e in about(earlier_id)])

    purge.erase_person(kept, actor="test")

    for person_id in (earlier_id, first_id):
        entries = [e for e in about(person_id) if e.action in ("create", "update", "delete")]
        assert entries and all(e.redacted_at is not None for e in entries)
        held = str([(e.old, e.new) for e in entries])
        assert "r.parent@example.org" not in held and "Robin P" not in held and "07700" not in held
