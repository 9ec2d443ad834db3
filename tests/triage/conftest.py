"""Records and staff for triage tests, made directly with the models."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from portal.extensions import db
from portal.models import Feedback, Person, StaffUser, Team

_numbers = count(1)


@pytest.fixture
def officer(app):
    user = StaffUser(email="officer@example.org", name="Olu Officer", role="feedback_officer", active=True)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def make_user(app):
    def make(role: str, name: str | None = None, team: Team | None = None) -> StaffUser:
        n = next(_numbers)
        user = StaffUser(email=f"{role}{n}@example.org", name=name or f"{role} {n}", role=role,
                         active=True, team=team)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_record(app):
    def make(**fields) -> Feedback:
        n = next(_numbers)
        values = dict(reference=f"CF-2026-{n:05d}", kind="initial_contact", received_on=date(2026, 11, 2),
                      channel="email", submitter_role="parent_or_carer", summary=f"Summary {n}",
                      outcome="open", status="new")
        values.update(fields)
        if "person" not in values:
            values["person"] = Person(name=f"Person {n}", email=f"person{n}@example.org")
        record = Feedback(**values)
        db.session.add(record)
        db.session.commit()
        return record

    return make
