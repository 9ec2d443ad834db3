"""Reminders: the daily email to each officer about stages due soon or overdue, and the
small machinery ``flask send-reminders`` runs every source through.

Issue 5, 8: each officer gets one email listing their stages due within 3 working days
or overdue (the officer is the member of staff the case is assigned to, else the team
mailbox ORG_EMAIL). Running it twice on a day sends nothing the second time: each
message goes into the outbox with its purpose and period (``stage_reminder:2024-01-09``),
and a reminder whose purpose, period and address are already there is skipped.

A reminder source is a function ``(today: date) -> list[Reminder]``; see
``portal/cli_reminders.py`` for the list of sources and how to add one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Feedback, OutboxMessage, Stage, StaffUser
from portal.services.procedures import clocks, working_days
from portal.services.common import outbox
from portal.services.procedures.calendars import current_calendar
from portal.services.procedures.deadlines import current_step
from portal.services.procedures.pauses import is_paused
from portal.services.procedures.rules import stage_name
from portal.services.procedures.timescales import current_timescales

DUE_WITHIN_WORKING_DAYS = 3


@dataclass(frozen=True)
class Reminder:
    """One email a reminder source wants sent.

    ``purpose`` names the kind of reminder ("stage_reminder"); ``period`` the occasion
    it is for ("2024-01-09" for a daily one, "2024-05" for a monthly one). The same
    purpose, period and address are never queued twice. Together they must fit the
    outbox's purpose column (40 characters).
    """

    to: str
    subject: str
    body: str
    purpose: str
    period: str
    feedback: Feedback | None = None

    @property
    def key(self) -> str:
        return f"{self.purpose}:{self.period}"


@dataclass
class ReminderRun:
    queued: int = 0
    already_sent: int = 0


def queue_reminders(today: date, sources) -> ReminderRun:
    """Queue what every source returns, skipping what was already queued."""
    run = ReminderRun()
    for source in sources:
        for reminder in source(today):
            if len(reminder.key) > 40:
                raise ValueError(f"reminder purpose and period too long: {reminder.key!r}")
            if _already_queued(reminder):
                run.already_sent += 1
                continue
            outbox.queue(reminder.to, reminder.subject, reminder.body, purpose=reminder.key,
                         feedback=reminder.feedback)
            run.queued += 1
        db.session.flush()
    return run


def _already_queued(reminder: Reminder) -> bool:
    return db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.purpose == reminder.key,
                                       OutboxMessage.to_address == reminder.to).limit(1)
    ) is not None


@dataclass(frozen=True)
class DueItem:
    reference: str
    stage_name: str
    what: str  # "response", "panel meeting", "panel report"
    due_on: date
    working_days: int
    overdue: bool


def stage_reminders(today: date) -> list[Reminder]:
    """The reminder source for complaint stages: one email per officer listing their
    open stages due within 3 working days or overdue. Paused stages wait: their clock
    is stopped. Nothing on a day that is not a working day: nobody is there to act, and
    the next working day's email lists the same stages."""
    calendar = current_calendar()
    if not calendar.is_working_day(today):
        return []
    settings = current_timescales()
    horizon = working_days.add(today, DUE_WITHIN_WORKING_DAYS, calendar)
    stages = db.session.scalars(
        select(Stage).join(Stage.feedback)
        .where(Stage.responded_on.is_(None), Stage.due_on.is_not(None), Stage.due_on <= horizon,
               Feedback.procedure.is_not(None))
        .options(selectinload(Stage.feedback).selectinload(Feedback.assigned_to))
        .order_by(Stage.due_on, Stage.id)
    ).all()
    by_recipient: dict[str, tuple[StaffUser | None, list[DueItem]]] = {}
    for stage in stages:
        if is_paused(stage):
            continue
        record = stage.feedback
        officer = record.assigned_to if record.assigned_to and record.assigned_to.active else None
        to = officer.email if officer else current_app.config["ORG_EMAIL"]
        left = clocks.working_days_left(stage.due_on, today, calendar)
        by_recipient.setdefault(to, (officer, []))[1].append(
            DueItem(record.reference, stage_name(record.procedure, stage.number),
                    current_step(record.procedure, stage, calendar, settings).what,
                    stage.due_on, left.working_days, left.overdue))
    reminders = []
    for to, (officer, items) in by_recipient.items():
        overdue = sum(1 for item in items if item.overdue)
        subject = f"Complaint stages due: {len(items)}" + (f", {overdue} overdue" if overdue else "")
        body = render_template("email/stage_reminder.txt", officer=officer, items=items,
                               today=today, within=DUE_WITHIN_WORKING_DAYS)
        reminders.append(Reminder(to, subject, body, "stage_reminder", today.isoformat()))
    return reminders

