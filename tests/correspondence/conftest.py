"""A Stage 1 complaint from Sam Taylor with two elements, and the staff who write to them."""

from __future__ import annotations

from datetime import date

import pytest

from portal.models import Element, Person
from tests import factories

STARTED = date(2034, 10, 2)


@pytest.fixture
def officer(app):
    return factories.staff("feedback_officer", "Olu Officer")


@pytest.fixture
def manager(app):
    return factories.staff("feedback_manager", "Mo Manager")


@pytest.fixture
def complaint(app):
    """Statutory Stage 1, started 2 October 2034; element 1 "The social worker did not
    call back" (partially upheld) and element 2 "Transport was late" (no finding yet)."""
    record = factories.complaint(factories.stage(STARTED), procedure="statutory",
                                 person=Person(name="Sam Taylor", email="sam@example.org",
                                               address="1 Park Road\nAnytown AN1 2BB"))
    stage = record.stages[0]
    stage.elements[0].outcome = "partially_upheld"
    stage.elements.append(Element(number=2, summary="Transport was late"))
    from portal.extensions import db
    db.session.commit()
    return record
