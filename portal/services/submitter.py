"""What the person who sent feedback can do afterwards, from their status page:
add information, and ask for a fresh link to that page."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback, TimelineEvent
from portal.services import outbox, status_links
from portal.services.dates import now_utc
from portal.services.people import normalise_email


def add_information(record: Feedback, text: str, now: datetime | None = None) -> TimelineEvent:
    """The person's words join the case's timeline, and whoever handles it is told."""
    now = now or now_utc()
    who = record.person.name if record.person and record.person.name else "The person who sent it"
    event = TimelineEvent(occurred_at=now, kind="information_added", text=text, actor_label=who)
    record.timeline.append(event)
    officer = record.assigned_to
    to = officer.email if officer is not None else current_app.config["ORG_EMAIL"]
    outbox.queue(
        to,
        f"New information added to {record.reference}",
        render_template("email/information_added.txt", record=record, officer=officer),
        purpose="information_added",
        feedback=record,
    )
    db.session.commit()
    return event


def send_status_link(reference: str, email: str) -> Feedback | None:
    """Email a fresh link when the reference and email match a record, revoking the
    record's older links. The address must be the one on the case (given on it, or one
    staff confirmed: portal.services.people), never one typed in here alone.

    The caller shows the same page either way, so nobody can learn from it whether a
    reference exists or whose it is. Returns the record, or None.
    """
    email = normalise_email(email)
    record = db.session.scalars(
        select(Feedback).where(func.upper(Feedback.reference) == reference.strip().upper())
    ).first()
    if record is None or record.person is None or record.person.email != email:
        return None
    # Only the newest link works: one forwarded, left in a shared inbox or seen over
    # someone's shoulder stops working once the person asks for a fresh one.
    status_links.new_generation(record)
    outbox.queue(
        email,
        f"Your link to follow {record.reference}",
        render_template("email/status_link.txt", record=record, link=outbox.LINK),
        purpose="status_link",
        feedback=record,
        link_ref=outbox.status_link_ref(record),  # the link is made as it is sent
    )
    db.session.commit()
    return record
