"""Records and staff made straight from the models, for tests that need them to exist
rather than to be made through the pages or the services.

Each function makes one thing, commits it and returns it. Every field has a plain
default and any field can be given: a test names only what it is about.

    factories.initial_contact(summary="Nobody rang back")
    factories.complaint(factories.stage(date(2024, 1, 8), date(2024, 1, 19)),
                        factories.stage(date(2024, 2, 1)))
    factories.staff("team_manager", "Fran Fostering", team=factories.team("Fostering Team"))

References follow the portal's pattern (``CF-2026-00001``, the year the record came),
numbered from 1 in each test and skipping any number already taken, so that a test can
name the reference it expects.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pyotp
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Element, Feedback, Person, Stage, StaffUser, Team
from portal.services.accounts import passwords
from portal.services.common.dates import today
from portal.services.intake.references import format_reference
from portal.services.procedures.deadlines import refresh

# --- Records --------------------------------------------------------------------------


def _next_number(year: int) -> int:
    number = db.session.scalar(select(func.count(Feedback.id))) + 1
    while db.session.scalar(select(Feedback.id).where(Feedback.reference == format_reference(year, number))):
        number += 1
    return number


def record(kind: str = "initial_contact", **fields) -> Feedback:
    """A record of this kind, received today by email from a parent, from a person of its
    own. An initial contact starts with the outcome "open", as triage leaves it."""
    received_on = fields.setdefault("received_on", today())
    n = _next_number(received_on.year)
    values = dict(reference=format_reference(received_on.year, n), kind=kind, channel="email",
                  submitter_role="parent_or_carer", summary=f"Summary {n}",
                  outcome="open" if kind == "initial_contact" else None,
                  status="new")
    values.update(fields)
    if "person" not in values and "person_id" not in values:
        values["person"] = Person(name=f"Person {n}", email=f"person{n}@example.org")
    made = Feedback(**values)
    db.session.add(made)
    db.session.commit()
    return made


def compliment(**fields) -> Feedback:
    return record("compliment", **fields)


def initial_contact(**fields) -> Feedback:
    return record("initial_contact", **fields)


# --- Complaints at a stage ------------------------------------------------------------


def stage(started_on: date, responded_on: date | None = None, *, outcome: str | None = None,
          elements: int = 1, summary: str = "The social worker did not call back", **fields) -> Stage:
    """A stage of a complaint with ``elements`` elements. Once the stage has responded each
    element has an outcome (``outcome``, "not upheld" unless given); until then none."""
    if responded_on is not None and outcome is None:
        outcome = "not_upheld"
    values = dict(started_on=started_on, responded_on=responded_on, paused_working_days=0, panel_members=[])
    values.update(fields)
    made = Stage(**values)
    for number in range(1, elements + 1):
        made.elements.append(Element(number=number, summary=summary if elements == 1 else f"{summary} {number}",
                                     outcome=outcome if responded_on else None))
    return made


def complaint(*stages: Stage, procedure: str = "statutory", **fields) -> Feedback:
    """A complaint under ``procedure`` that has reached its last stage given (Stage 1 just
    started when none is), received the day its Stage 1 started, with its due dates
    worked out as the procedure services would store them."""
    stages = stages or (stage(fields.get("received_on", today())),)
    fields.setdefault("received_on", stages[0].started_on)
    fields.setdefault("status", "open")
    made = record("complaint", procedure=procedure, **fields)
    for number, each in enumerate(stages, start=1):
        each.number = number
        made.stages.append(each)
    refresh(made)
    db.session.commit()
    return made


def after_stage_2(stage_1: tuple[date, date], stage_2: tuple[date, date], **fields) -> Feedback:
    """A statutory complaint about a foster placement whose Stage 2 investigation has
    responded, upholding it (Stage 1 did not): where the Ombudsman, remedies and learning
    come in. ``stage_1`` and ``stage_2`` are each (started on, responded on)."""
    fields.setdefault("summary", "Our foster placement was ended without a meeting.")
    fields.setdefault("team", team("Fostering Team"))
    return complaint(
        stage(*stage_1, outcome="not_upheld", summary="No meeting"),
        stage(*stage_2, outcome="upheld", summary="No meeting",
              investigating_officer="Ira Investigator", independent_person="Pat Independent"),
        procedure="statutory", **fields)


# --- Staff ----------------------------------------------------------------------------


def team(name: str) -> Team:
    """One of the default teams, by name."""
    return db.session.scalars(select(Team).where(Team.name == name)).one()


def staff(role: str = "feedback_officer", name: str | None = None, *, email: str | None = None,
          team: Team | None = None, active: bool = True, password: str | None = None,
          enrolled: bool = False) -> StaffUser:
    """An account of this role. With ``password`` it can sign in with that password;
    ``enrolled`` gives it an authenticator key (its ``totp_secret``). A team manager
    manages the first team unless given one: the role has no meaning without a team."""
    n = db.session.scalar(select(func.count(StaffUser.id))) + 1
    if team is None and role == "team_manager":
        team = db.session.scalars(select(Team).order_by(Team.id)).first()
    user = StaffUser(
        email=email or f"{role.replace('_', '.')}{n}@example.org",
        name=name or f"{role.replace('_', ' ').title()} {n}",
        role=role, team_id=team.id if team else None, active=active,
        password_hash=passwords.hash_password(password) if password else None,
        totp_secret=pyotp.random_base32() if enrolled else None,
        totp_enrolled_at=datetime.now(timezone.utc) if enrolled else None,
    )
    db.session.add(user)
    db.session.commit()
    return user
