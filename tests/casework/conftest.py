"""Casework fixtures: staff accounts by role, and a statutory complaint at Stage 2."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Element, Feedback, Person, StaffUser, Stage, Team
from portal.services.common import outbox


@pytest.fixture
def make_staff(app):
    made = {"n": 0}

    def make(role: str = "feedback_officer", name: str | None = None, team: Team | None = None,
             active: bool = True) -> StaffUser:
        made["n"] += 1
        user = StaffUser(
            email=f"{role.replace('_', '.')}{made['n']}@example.org",
            name=name or f"{role.replace('_', ' ').title()} {made['n']}",
            role=role, team_id=team.id if team else None, active=active,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def officer(make_staff):
    return make_staff("feedback_officer", name="Olu Officer")


@pytest.fixture
def manager(make_staff):
    return make_staff("feedback_manager", name="Mina Manager")


def team(name: str) -> Team:
    return db.session.scalar(select(Team).where(Team.name == name))


@pytest.fixture
def make_complaint(app):
    made = {"n": 0}

    def make(person: Person | None = None, team_name: str = "Fostering Team",
             received_on: date = date(2024, 1, 8)) -> Feedback:
        made["n"] += 1
        record = Feedback(
            reference=f"CF-2024-{made['n']:05d}", kind="complaint", procedure="statutory",
            status="open", received_on=received_on, channel="email", submitter_role="parent_or_carer",
            summary="Our foster placement was ended without a meeting.", person=person,
            team=team(team_name),
            stages=[
                Stage(number=1, started_on=received_on, responded_on=date(2024, 1, 19),
                      elements=[Element(number=1, summary="No meeting", outcome="not_upheld")]),
                Stage(number=2, started_on=date(2024, 2, 1), responded_on=date(2024, 3, 6),
                      investigating_officer="Ira Investigator", independent_person="Pat Independent",
                      elements=[Element(number=1, summary="No meeting", outcome="upheld")]),
            ],
        )
        db.session.add(record)
        db.session.commit()
        return record

    return make


def deliver(app) -> None:
    """Send the outbox to the test SMTP server (the ``mail_to`` fixture)."""
    result = outbox.send_due(outbox.MailSettings.from_config(app.config))
    assert result.failed == 0


def body_of(message) -> str:
    return message.get_payload(decode=True).decode()
