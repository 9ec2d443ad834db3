"""Complaints and staff for the procedures' tests, made directly with the models."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from portal.extensions import db
from portal.models import Element, Feedback, Person, Stage, StaffUser
from portal.services.common.placeholders import PATTERN

_numbers = count(1)
TODAY = date(2024, 6, 28)  # after every date the tests use, so none is "in the future"


def written(text: str) -> str:
    """A drafted response with staff's words where its placeholders were."""
    return PATTERN.sub("We read the case file and spoke to the social worker.", text)


@pytest.fixture
def make_user(app):
    def make(role: str = "feedback_officer", name: str | None = None) -> StaffUser:
        n = next(_numbers)
        user = StaffUser(email=f"{role}{n}@example.org", name=name or f"{role.title()} {n}",
                         role=role, active=True)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def officer(make_user):
    return make_user("feedback_officer", "Olu Officer")


@pytest.fixture
def make_record(app):
    def make(received_on: date = date(2023, 12, 21), email: str | None = "sam@example.org",
             **fields) -> Feedback:
        n = next(_numbers)
        values = dict(reference=f"CF-2023-{n:05d}", kind="initial_contact", received_on=received_on,
                      channel="email", submitter_role="parent_or_carer", summary=f"Summary {n}",
                      outcome="open", status="open",
                      person=Person(name="Sam Taylor", email=email))
        values.update(fields)
        record = Feedback(**values)
        db.session.add(record)
        db.session.commit()
        return record

    return make


@pytest.fixture
def make_complaint(make_record):
    """A complaint at its last stage so far, made straight from the models: stages
    ``(started_on, responded_on)`` in order, each with one element whose outcome is set
    when the stage has responded."""

    def make(procedure: str = "statutory", stages=((date(2023, 12, 21), None),),
             assigned_to: StaffUser | None = None, **fields) -> Feedback:
        record = make_record(kind="complaint", outcome=None, procedure=procedure,
                             received_on=stages[0][0], assigned_to=assigned_to, **fields)
        for number, (started_on, responded_on) in enumerate(stages, start=1):
            stage = Stage(number=number, started_on=started_on, responded_on=responded_on,
                          paused_working_days=0, panel_members=[])
            stage.elements.append(Element(number=1, summary="The social worker did not call back",
                                          outcome="not_upheld" if responded_on else None))
            record.stages.append(stage)
        from portal.services.procedures.deadlines import refresh

        refresh(record)
        db.session.commit()
        return record

    return make
