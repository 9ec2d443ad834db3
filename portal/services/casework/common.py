"""What the Ombudsman, money, action plan and restriction services share: the error
they raise, how a change is put down to the member of staff who made it, and how
their reminders are made.

The services never commit: the view (or command) that calls them commits, so that a
change, its audit entries and its mail are one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask import current_app, render_template
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, StaffUser
from portal.services.common import audit
from portal.services.common.dates import not_after_today
from portal.services.common.errors import Refused

if TYPE_CHECKING:
    from portal.services.procedures.reminders import Reminder


def flush_as(actor: StaffUser | None) -> None:
    """Flush now, so that the audit hook puts the rows changed down to ``actor``
    (inside a request the signed-in user is the actor anyway; this also holds for
    commands and tests, where no request says who is acting)."""
    if actor is None:
        db.session.flush()
        return
    with db.session.no_autoflush:  # reading an expired actor must not flush the change early
        label = actor.name
    with audit.acting_as(label, actor):
        db.session.flush()


def text(value: str | None) -> str | None:
    """Text as typed, trimmed; None when empty."""
    value = (value or "").strip()
    return value or None


def past_date(day: date | None, today: date, what: str, field: str, *,
              earliest: date | None = None, earliest_what: str = "") -> date:
    """The date something happened: it must be given, be today or earlier and, where
    ``earliest`` is given, be on or after it. ``what`` names the date as the messages say
    it ("the date of the review"), ``earliest_what`` names ``earliest``."""
    if day is None:
        raise Refused(f"Enter {what}", field)
    said = what[0].upper() + what[1:]
    not_after_today(day, today, f"{said} must be today or in the past", field)
    if earliest is not None and day < earliest:
        raise Refused(f"{said} must be on or after {earliest_what}", field)
    return day


# --- Who gets reminders ----------------------------------------------------------------


def feedback_managers() -> list[StaffUser]:
    """Active feedback managers: they get the Ombudsman, overdue-action and review
    reminders (DOMAIN.md: the Customer Feedback Manager)."""
    return list(db.session.scalars(
        select(StaffUser)
        .where(StaffUser.role == "feedback_manager", StaffUser.active.is_(True))
        .order_by(StaffUser.id)
    ))


# --- Reminders --------------------------------------------------------------------------


def reminder(to: str, subject: str, template: str, purpose: str, period: str, **context) -> Reminder:
    """One email for ``flask send-reminders`` (``portal/cli_reminders.py``), which queues
    it unless the same purpose, period and address is already in the outbox."""
    from portal.services.procedures.reminders import Reminder

    return Reminder(to, subject, render_template(template, **context), purpose, period)


def recipients_or_mailbox(people: list[StaffUser]) -> list[tuple[str, StaffUser | None]]:
    """Where a reminder goes: these people, else the team mailbox (ORG_EMAIL), so that a
    portal with no feedback manager yet still hears about it."""
    if people:
        return [(person.email, person) for person in people]
    return [(current_app.config["ORG_EMAIL"], None)]


def month_already_reminded(purposes: tuple[str, ...], month: str) -> bool:
    """Whether any monthly reminder of these purposes went out for ``month``
    ("2024-05")."""
    keys = [f"{purpose}:{month}" for purpose in purposes]
    return db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.purpose.in_(keys)).limit(1)
    ) is not None
