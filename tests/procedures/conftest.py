"""Complaints and staff for the procedures' tests, made by tests/factories.py."""

from __future__ import annotations

from datetime import date

import pytest

from portal.models import Feedback, Person, StaffUser
from portal.services.common.placeholders import PATTERN
from tests import factories

TODAY = date(2024, 6, 28)  # after every date the tests use, so none is "in the future"


def written(text: str) -> str:
    """A drafted response with staff's words where its placeholders were."""
    return PATTERN.sub("We read the case file and spoke to the social worker.", text)


@pytest.fixture
def make_user(app):
    return factories.staff


@pytest.fixture
def officer(make_user):
    return make_user("feedback_officer", "Olu Officer")


@pytest.fixture
def make_record(app):
    """An initial contact from Sam Taylor, open, received on 21 December 2023 unless told."""

    def make(received_on: date = date(2023, 12, 21), email: str | None = "sam@example.org",
             **fields) -> Feedback:
        fields.setdefault("person", Person(name="Sam Taylor", email=email))
        return factories.initial_contact(received_on=received_on, status="open", **fields)

    return make


@pytest.fixture
def make_complaint(app):
    """A complaint at its last stage so far: stages ``(started_on, responded_on)`` in
    order, each with one element whose outcome is set when the stage has responded."""

    def make(procedure: str = "statutory", stages=((date(2023, 12, 21), None),),
             assigned_to: StaffUser | None = None, email: str | None = "sam@example.org",
             **fields) -> Feedback:
        fields.setdefault("person", Person(name="Sam Taylor", email=email))
        return factories.complaint(*(factories.stage(*dates) for dates in stages), procedure=procedure,
                                   assigned_to=assigned_to, **fields)

    return make
