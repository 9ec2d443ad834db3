"""What the person who sent feedback can do afterwards, from their status page:
add information, and ask for a fresh link to that page."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Feedback, TimelineEvent
from portal.services.common import audit, outbox, timeline
from portal.services.intake import status_links
from portal.services.common.dates import now_utc
from portal.services.common.labels import DocumentSource
from portal.services.files import documents
from portal.services.files.documents import FileSettings, Upload
from portal.services.intake.people import normalise_email


def add_information(record: Feedback, text: str, now: datetime | None = None, *,
                    files: list[Upload] | None = None, settings: FileSettings | None = None) -> TimelineEvent:
    """The person's words join the case's timeline, and whoever handles it is told. Files
    sent with them (issue 17) join the case file as documents sent by the person: all
    checked first, so that a refused file (``Refused``) leaves nothing added."""
    now = now or now_utc()
    if files:
        documents.add_documents(db.session, record, files, settings or FileSettings.from_app(), by=None,
                                source=DocumentSource.PUBLIC)
    who = record.person.name if record.person and record.person.name else "The person who sent it"
    event = timeline.add(record, "information_added", text, actor_label=who, when=now)
    officer = record.assigned_to
    to = officer.email if officer is not None else current_app.config["ORG_EMAIL"]
    outbox.queue(
        to,
        f"New information added to {record.reference}",
        render_template("email/information_added.txt", record=record, officer=officer),
        purpose="information_added",
        feedback=record,
    )
    return event


def _as_if_moving_a_generation_on() -> None:
    """The statements ``status_links.new_generation`` runs (an UPDATE of the case's row
    and a read of it back), for no row: so that no match costs what a match does."""
    table = Feedback.__table__
    db.session.execute(table.update().where(table.c.id == 0).values(
        status_link_generation=table.c.status_link_generation + 1, updated_at=table.c.updated_at))
    db.session.execute(select(table.c.status_link_generation).where(table.c.id == 0))


def send_status_link(reference: str, email: str) -> Feedback | None:
    """Email a fresh link when the reference and email match a record, revoking the
    record's older links. The address must be the one on the case (given on it, or one
    staff confirmed: portal.services.intake.people), never one typed in here alone.

    The caller shows the same page either way, and this does the same work either way,
    so that nobody can learn from the page, or from how long it takes, whether a
    reference exists or whose it is: the case's link generation is moved on (for no row
    when nothing matches), the message is written (for a stand-in record; its link is
    made only as it is sent), and the request is audited; the caller then commits either way.
    Only a match queues the message. Returns the record, or None.
    """
    email = normalise_email(email)
    record = db.session.scalars(
        select(Feedback).options(joinedload(Feedback.person))  # one statement, found or not
        .where(func.upper(Feedback.reference) == reference.strip().upper())
    ).first()
    matched = record is not None and record.person is not None and record.person.email == email
    if matched:
        # Only the newest link works: one forwarded, left in a shared inbox or seen over
        # someone's shoulder stops working once the person asks for a fresh one.
        status_links.new_generation(record)
        about = record
    else:
        _as_if_moving_a_generation_on()
        about = SimpleNamespace(id=0, reference=reference.strip().upper()[:40], status_link_generation=1)
    subject = f"Your link to follow {about.reference}"
    body = render_template("email/status_link.txt", record=about, link=outbox.LINK)
    if matched:
        outbox.queue(email, subject, body, purpose="status_link", feedback=record,
                     link_ref=outbox.status_link_ref(record))  # the link is made as it is sent
    else:
        audit.record(audit.PUBLIC, "status_link_requested", new={"sent": False})
    return record if matched else None
