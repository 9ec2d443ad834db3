"""Casework fixtures: staff accounts by role, and a statutory complaint at Stage 2."""

from __future__ import annotations

from datetime import date

import pytest

from portal.models import Feedback, Person
from portal.services.common import outbox
from tests import factories


@pytest.fixture
def make_staff(app):
    return factories.staff


@pytest.fixture
def officer(make_staff):
    return make_staff("feedback_officer", name="Olu Officer")


@pytest.fixture
def manager(make_staff):
    return make_staff("feedback_manager", name="Mina Manager")


team = factories.team


@pytest.fixture
def make_complaint(app):
    """A statutory complaint received on 8 January 2024 whose Stage 2 responded on 6 March."""

    def make(person: Person | None = None, team_name: str = "Fostering Team",
             received_on: date = date(2024, 1, 8)) -> Feedback:
        return factories.after_stage_2((received_on, date(2024, 1, 19)), (date(2024, 2, 1), date(2024, 3, 6)),
                                       person=person, team=team(team_name))

    return make


def deliver(app) -> None:
    """Send the outbox to the test SMTP server (the ``mail_to`` fixture)."""
    result = outbox.send_due(outbox.MailSettings.from_config(app.config))
    assert result.failed == 0


def body_of(message) -> str:
    return message.get_payload(decode=True).decode()
