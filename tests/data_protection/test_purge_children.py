"""A purge removes the child's details with the last of the cases about them, and the
advocate's and service's names with their case; the child's circumstances stay for the
report (issue 20)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Advocacy, AuditEntry, Child, Person
from portal.services.data_protection import purge
from tests import factories


def test_the_child_is_blanked_with_the_last_of_their_cases(app):
    child = Child(name="Tallulah Quixotic", date_of_birth=date(2012, 3, 27), record_number="LL-991",
                  school="Hillside Academy", statuses=["in_care"])
    first = factories.initial_contact(person=Person(name="Zebedee One"), child=child)
    second = factories.initial_contact(person=Person(name="Zebedee Two"), child=child)
    first.advocacy = Advocacy(offered_on=date(2026, 11, 2), offered_how="phone", answer="accepted",
                              answered_on=date(2026, 11, 2), referred_to="Coram Voice", referred_on=date(2026, 11, 3),
                              advocate_name="Ada Advocate", in_place_on=date(2026, 11, 4))
    db.session.commit()

    purge.erase_person(first.person, actor="test")
    db.session.commit()
    assert (first.advocacy.referred_to, first.advocacy.advocate_name) == (None, None)
    assert first.advocacy.in_place_on == date(2026, 11, 4)  # the report still counts it
    assert child.name == "Tallulah Quixotic"  # still the child of a case not purged

    purge.erase_person(second.person, actor="test")
    db.session.commit()
    assert (child.name, child.date_of_birth, child.record_number, child.school) == (None, None, None, None)
    assert child.statuses == ["in_care"] and second.child_id == child.id
    trail = json.dumps([[e.old, e.new] for e in db.session.scalars(select(AuditEntry))])
    for value in ("Tallulah Quixotic", "LL-991", "Hillside Academy", "Ada Advocate"):
        assert value not in trail, value
