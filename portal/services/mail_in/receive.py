"""Carrying one message to where it goes (issue 19, 2 and 3), in the caller's transaction.

``take(raw, source, settings)`` reads the message, keeps the original in the file store,
and then, by ``rules`` and ``route``:

- a message for a case joins it: its words on the timeline as correspondence received,
  the original ``.eml`` and each attachment in the case file (attachments through the
  case file's own checks and the virus scanner, as uploads are; one refused is named on
  the timeline and stays inside the ``.eml``), and the officer told, without the words;
- any other message that is not one of the "not a case" kinds becomes a new initial
  contact to triage, channel email, the sender a new unconfirmed person (never matched
  to anyone already held: staff see the suggested matches on the case and merge);
- a bounce of ours marks our message failed and tells the officer;
- the rest wait on the review list (``review``).

Nothing here replies to the sender: the portal never auto-replies. Words that may mean a
child is at risk of harm (``intake.risk_of_harm``) mark the record as a possible
safeguarding concern, which the duty address is told about at once.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, MailInMessage, OutboxMessage, StaffUser
from portal.services.common import outbox, timeline
from portal.services.common.dates import london_date, now_utc, spoken
from portal.services.common.errors import Refused
from portal.services.common.labels import DocumentKind, DocumentSource, MailInKind, MailInReview, TimelineKind
from portal.services.files import documents, storage
from portal.services.files.checks import Checked, safe_name
from portal.services.files.documents import FileSettings, Upload
from portal.services.intake import people, references
from portal.services.intake.risk_of_harm import words_of_harm
from portal.services.mail_in import parse as parsing
from portal.services.mail_in import route, rules
from portal.services.procedures import deadlines
from portal.services.procedures.calendars import current_calendar

SUMMARY_MAX = 5000
SOURCE_MAX = 300


@dataclass(frozen=True)
class InSettings:
    """What reading mail needs from the settings."""

    team_address: str
    portal_addresses: frozenset[str]
    org_email: str
    safeguarding_email: str
    files: FileSettings
    # The working-day calendar, found once a read (a new record's due dates need it).
    calendar: object = None

    @classmethod
    def from_app(cls, app=None) -> "InSettings":
        app = app or current_app
        config = app.config
        team = (config.get("MAIL_IN_ADDRESS") or config["ORG_EMAIL"]).lower()
        ours = {config["MAIL_FROM"].lower(), *(a.strip().lower() for a in config.get("MAIL_IN_OWN_ADDRESSES") or [])}
        return cls(team, frozenset(a for a in ours if a), config["ORG_EMAIL"], config["SAFEGUARDING_EMAIL"],
                   FileSettings.from_app(app), current_calendar())


@dataclass(frozen=True)
class Taken:
    message: MailInMessage
    duplicate: bool = False  # the same message was taken before: nothing done again


def take(raw: bytes, source: str, settings: InSettings, now: datetime | None = None,
         dated_by_sender: bool = False) -> Taken:
    """Read one message and carry it where it goes (not committed here). Received now, or
    with ``dated_by_sender`` (an old mailbox brought in from a file) when its Date says it
    was sent, unless that is missing or later than now."""
    now = now or now_utc()
    import hashlib

    sha = hashlib.sha256(raw).hexdigest()
    existing = db.session.scalars(select(MailInMessage).where(MailInMessage.sha256 == sha)).first()
    if existing is not None:
        return Taken(existing, duplicate=True)
    parsed = parsing.parse(raw)
    if dated_by_sender and parsed.sent_at is not None and parsed.sent_at < now:
        now = parsed.sent_at
    row = _row(parsed, source, settings, now)
    verdict = rules.not_a_case(parsed, set(settings.portal_addresses))
    named = route.case_named(parsed)
    row.named_reference = named.reference
    if verdict is not None:
        row.kind, row.reason = verdict.kind.value, verdict.reason
        if verdict.kind is MailInKind.BOUNCE:
            _bounced(parsed, row, settings)
        elif verdict.kind is MailInKind.LOOP and _sent_by_us(parsed):
            # Our own mail come back (a notice to the team's address, which is the mailbox
            # read): kept, and dealt with, rather than left for staff to dismiss each time.
            row.reason = "The portal's own email, come back to the team's mailbox: nothing to do"
            row.reviewed_at, row.review_action = now, MailInReview.DISMISSED.value
        elif named.record is not None:
            row.reason += f". It names {named.record.reference}, which it did not join"
    elif named.record is not None and (named.in_thread or route.knows(named.record, parsed.from_address)):
        join(parsed, row, named.record, settings, how=named.how)
    elif named.record is not None:
        row.kind = MailInKind.UNKNOWN_SENDER.value
        row.reason = (f"It names {named.record.reference} by {named.how}, but comes from an address that case "
                      "does not know. Check who sent it before adding it to the case")
    else:
        new_record(parsed, row, settings, now)
    db.session.add(row)
    return Taken(row)


def _sent_by_us(parsed: parsing.Parsed) -> bool:
    """The marker names a message the outbox sent: not a header anyone could add to get
    their mail past the review list."""
    marker = parsed.header(rules.MARKER).strip().lower()
    return bool(marker) and db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.message_id == marker).limit(1)) is not None


def already_taken(raw: bytes) -> bool:
    import hashlib

    sha = hashlib.sha256(raw).hexdigest()
    return db.session.scalar(select(MailInMessage.id).where(MailInMessage.sha256 == sha)) is not None


def keep_unreadable(raw: bytes, source: str, settings: InSettings, problem: str,
                    now: datetime | None = None) -> MailInMessage:
    """A message the portal failed to read at all (``take`` raised): kept as it came, on
    the review list, so that it is never lost."""
    import hashlib

    now = now or now_utc()
    sha = hashlib.sha256(raw).hexdigest()
    existing = db.session.scalars(select(MailInMessage).where(MailInMessage.sha256 == sha)).first()
    if existing is not None:
        return existing
    key = storage.put_for(db.session, settings.files.store, io.BytesIO(raw), sha)
    row = MailInMessage(sha256=sha, storage_key=key, size_bytes=len(raw), source=source[:SOURCE_MAX],
                        received_at=now, kind=MailInKind.UNREADABLE.value,
                        reason=f"The portal could not read it ({problem[:300]}). The original is kept as it came",
                        text=raw[:parsing.TEXT_MAX].decode("utf-8", errors="replace"), document_ids=[],
                        attachments_refused=[])
    db.session.add(row)
    return row


def _row(parsed: parsing.Parsed, source: str, settings: InSettings, now: datetime) -> MailInMessage:
    key = storage.put_for(db.session, settings.files.store, io.BytesIO(parsed.raw), parsed.sha256)
    return MailInMessage(
        sha256=parsed.sha256, message_id=parsed.message_id, from_address=parsed.from_address,
        from_name=parsed.from_name, to_addresses=", ".join(parsed.recipients)[:2000] or None,
        subject=parsed.subject or None, sent_at=parsed.sent_at, received_at=now, source=source[:SOURCE_MAX],
        text=parsed.text, quoted=parsed.quoted, storage_key=key, size_bytes=len(parsed.raw),
        document_ids=[], attachments_refused=[])


def sender_label(row: MailInMessage) -> str:
    if row.from_name and row.from_address:
        return f"{row.from_name} ({row.from_address})"[:200]
    return (row.from_address or row.from_name or "Someone who gave no address")[:200]


# --- Joining a case -----------------------------------------------------------------------


def join(parsed: parsing.Parsed, row: MailInMessage, record: Feedback, settings: InSettings, *,
         how: str | None, by: StaffUser | None = None) -> None:
    """The message joins the case: timeline, case file, the officer told."""
    row.kind, row.feedback = MailInKind.CASE.value, record
    row.reason = f"It names {record.reference} by {how}" if how else f"Added to {record.reference}"
    when = row.received_at
    words = f"From {sender_label(row)}: {row.subject or '(no subject)'}"
    timeline.add(record, TimelineKind.EMAIL_RECEIVED, words, by, actor_label=None if by else sender_label(row),
                 when=when)
    _into_case_file(parsed, row, record, settings, by)
    _tell_the_officer(record, row, settings)
    _check_for_harm(record, row, settings, new=False)


def _into_case_file(parsed: parsing.Parsed, row: MailInMessage, record: Feedback, settings: InSettings,
                    by: StaffUser | None) -> None:
    received_on = london_date(row.received_at)
    label = sender_label(row)
    day = spoken(received_on)
    eml = _add_original(parsed.raw, parsed.sha256, row, record, settings, by, label, received_on,
                        f"The email from {label} on {day}, as it came: {row.subject or '(no subject)'}")
    ids = [eml.public_id]
    refused = []
    for number, attachment in enumerate(parsed.attachments, start=1):
        name = attachment.filename or f"attachment {number}"
        try:
            checked = documents.check_uploads([Upload(io.BytesIO(attachment.data), name)], settings.files)[0]
        except Refused as refusal:
            refused.append({"name": name[:200], "reason": refusal.message})
            timeline.add(record, TimelineKind.DOCUMENT_ADDED,
                         f"{name[:200]} from the email from {label} was not added: {refusal.message}. "
                         "It is still inside the email as it came, in the case file", by,
                         actor_label=None if by else label)
            continue
        try:
            document = documents.add_checked(db.session, record, checked, settings.files, by=by,
                                             source=DocumentSource.EMAIL, received_on=received_on,
                                             description=f"Sent with the email from {label} on {day}",
                                             actor_label=None if by else label)
        finally:
            checked.discard()
        ids.append(document.public_id)
    row.document_ids, row.attachments_refused = ids, refused


def _add_original(raw: bytes, sha: str, row: MailInMessage, record: Feedback, settings: InSettings,
                  by: StaffUser | None, label: str, received_on, description: str):
    """The .eml into the case file: not an upload (no upload check knows an email), but
    scanned like one, and downloaded, never shown."""
    handle, temp = tempfile.mkstemp(prefix="mail-", suffix=".eml", dir=settings.files.workdir)
    path = Path(temp)
    with os.fdopen(handle, "wb") as out:
        out.write(raw)
    stem = f"email {received_on.isoformat()} {(row.subject or 'no subject')[:80]}"
    checked = Checked(path, f"{stem}.eml", safe_name(stem, DocumentKind.EML), DocumentKind.EML, len(raw), sha,
                      False)
    try:
        document = documents.add_checked(db.session, record, checked, settings.files, by=by,
                                         source=DocumentSource.EMAIL, received_on=received_on,
                                         description=description[:2000], actor_label=None if by else label)
    finally:
        checked.discard()
    return document


def _tell_the_officer(record: Feedback, row: MailInMessage, settings: InSettings) -> None:
    officer = record.assigned_to
    to = officer.email if officer is not None else settings.org_email
    outbox.queue(to, f"New email on {record.reference}",
                 render_template("email/mail_in_received.txt", record=record, officer=officer, message=row),
                 purpose="mail_in_received", feedback=record)


def _check_for_harm(record: Feedback, row: MailInMessage, settings: InSettings, *, new: bool) -> None:
    found = words_of_harm(f"{row.subject or ''}\n{row.text}")
    if not found:
        return
    if record.safeguarding_concern and record.safeguarding_actioned_at is None:
        return  # already waiting for a manager: the duty team was told
    record.safeguarding_concern = True
    record.safeguarding_actioned_at = record.safeguarding_actioned_by = record.safeguarding_action = None
    quoted = ", ".join(f"‘{w}’" for w in found[:5])
    timeline.add(record, TimelineKind.STATUS_CHANGE,
                 f"Marked as a possible safeguarding concern: the email from {sender_label(row)} says {quoted}")
    outbox.queue(settings.safeguarding_email, f"URGENT: possible risk of harm - {record.reference}",
                 render_template("email/mail_in_safeguarding.txt", record=record, message=row, words=found, new=new),
                 purpose=outbox.SAFEGUARDING_ALERT, feedback=record)


# --- A new record -----------------------------------------------------------------------


def new_record(parsed: parsing.Parsed, row: MailInMessage, settings: InSettings, now: datetime,
               by: StaffUser | None = None) -> Feedback:
    """A new initial contact to triage, channel email (never acknowledged: the portal
    does not write to an address it cannot vouch for)."""
    received_on = london_date(row.received_at)
    person = people.from_public_form(row.from_name, row.from_address, None)
    summary = "\n\n".join(part for part in (row.subject, row.text) if part) or "(The email had no words)"
    record = Feedback(
        reference=references.next_reference(received_on.year), kind="initial_contact", status="new",
        received_on=received_on, channel="email", person=person, submitter_role="other",
        contact_methods=["email"] if row.from_address else [], summary=summary[:SUMMARY_MAX],
        outcome="open", created_at=now,
    )
    db.session.add(record)
    timeline.add(record, TimelineKind.RECEIVED, f"Came by email from {sender_label(row)}", by,
                 actor_label=None if by else sender_label(row), when=row.received_at)
    deadlines.refresh(record, settings.calendar or current_calendar())
    row.kind, row.feedback = MailInKind.NEW_RECORD.value, record
    row.reason = "It names no case: a new record to triage"
    _into_case_file(parsed, row, record, settings, by)
    _check_for_harm(record, row, settings, new=True)
    return record


# --- A bounce of ours ----------------------------------------------------------------------


def _bounced(parsed: parsing.Parsed, row: MailInMessage, settings: InSettings) -> None:
    ids = (parsed.bounce.message_ids if parsed.bounce else []) + parsed.thread_ids
    ours = db.session.scalars(select(OutboxMessage).where(OutboxMessage.message_id.in_(ids[:50]))
                              .order_by(OutboxMessage.id.desc())).first() if ids else None
    if ours is None:
        row.reason = "A report that an email could not be delivered, about no email the portal sent"
        return
    said = (parsed.bounce.diagnostic if parsed.bounce else "") or "no reason given"
    row.bounced_outbox, row.feedback = ours, ours.feedback
    row.reason = f"Our email to {ours.to_address} ({ours.subject}) could not be delivered: {said}"
    if ours.failed_at is None:
        ours.failed_at = now_utc()
        ours.last_error = f"The receiving mail server could not deliver it: {said}"[:2000]
    if ours.feedback is not None:
        record = ours.feedback
        timeline.add(record, TimelineKind.EMAIL_SENT,
                     f"Our email to {ours.to_address} ({ours.subject}) could not be delivered: {said}")
        officer = record.assigned_to
        to = officer.email if officer is not None else settings.org_email
        outbox.queue(to, f"An email on {record.reference} could not be delivered",
                     render_template("email/mail_in_bounce.txt", record=record, officer=officer, message=ours,
                                     said=said),
                     purpose="mail_in_bounce", feedback=record)
