"""The case's one correspondence thread, and replying from the case (issue 19, 4).

The thread is what we sent (letters and emails from templates, replies written on the
case) and what came in (emails joined to the case), oldest first, each with its
attachments and, for ours, whether it went. A reply from the case goes from the team's
address (``MAIL_IN_ADDRESS``) with the case's reference in its subject and, when it
answers an email, ``In-Reply-To`` naming it; the outbox keeps the Message-ID it went
with, so the answer to it comes back to the case (``route.in_thread``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.models import Document, Feedback, Letter, MailInMessage, OutboxMessage, StaffUser
from portal.services.accounts.permissions import has_permission
from portal.services.common import held, outbox, timeline
from portal.services.common.dates import LONDON
from portal.services.common.errors import Refused, check_version
from portal.services.common.labels import MailInKind, TimelineKind
from portal.services.correspondence import letters
from portal.services.intake.people import is_email

REPLY = "case_reply"  # the outbox purpose of a reply written on the case
TEXT_MAX = 10_000
_RE = re.compile(r"^\s*((re|fw|fwd|aw)\s*:\s*)+", re.IGNORECASE)


@dataclass
class Entry:
    when: datetime
    incoming: bool
    what: str  # "Email received", "Email sent", "Letter posted"
    who: str  # from (incoming) or to (ours)
    subject: str
    text: str
    quoted: str | None = None
    documents: list[Document] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    letter: Letter | None = None
    status: str | None = None  # for ours: "Sent", "Waiting to be sent", "Could not be delivered: ..."
    id: str = ""


def thread(record: Feedback, viewer) -> list[Entry]:
    # Every message of the case at once: the replies are among them, and so are the emailed
    # letters' own messages, which each letter then finds without a query of its own.
    sent = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.feedback_id == record.id)))
    entries = [_letter(letter) for letter in letters.for_case(record)]
    entries += [_reply(message) for message in sent if message.purpose == REPLY]
    visible = {d.public_id: d for d in _documents_seen_by(record, viewer)}
    entries += [_received(row, visible) for row in _received_on_case(record)]
    return sorted(entries, key=lambda e: (e.when, e.id))


def _received_on_case(record: Feedback) -> list[MailInMessage]:
    """The emails joined to the case, oldest first (read once within a ``held.holding``:
    the thread shows them and a reply answers the last)."""
    return held.once(("mail in", record.id), lambda: list(db.session.scalars(select(MailInMessage).where(
        MailInMessage.feedback_id == record.id,
        MailInMessage.kind.in_((MailInKind.CASE.value, MailInKind.NEW_RECORD.value)))
        .order_by(MailInMessage.received_at, MailInMessage.id))))


def _documents_seen_by(record: Feedback, viewer) -> list[Document]:
    from portal.services.files.documents import documents_of

    return documents_of(record, viewer)


def _status(message: OutboxMessage | None) -> str | None:
    if message is None:
        return None
    if message.failed_at is not None:
        return f"Could not be delivered: {message.last_error}" if message.last_error else "Could not be delivered"
    return "Sent" if message.sent_at is not None else "Waiting to be sent"


def _letter(letter: Letter) -> Entry:
    when = letter.created_at or datetime.combine(letter.sent_on, time(12), LONDON).astimezone(timezone.utc)
    emailed = letter.channel == "email"
    return Entry(when, False, "Email sent" if emailed else "Letter to post",
                 letter.to_address or "by post", letter.subject, letter.text, letter=letter,
                 status=_status(letter.outbox_message) if emailed else None, id=f"letter-{letter.id}")


def _reply(message: OutboxMessage) -> Entry:
    return Entry(message.created_at, False, "Email sent", message.to_address, message.subject, message.body,
                 status=_status(message), id=f"reply-{message.id}")


def _received(row: MailInMessage, visible: dict[str, Document]) -> Entry:
    from portal.services.mail_in.receive import sender_label

    return Entry(row.received_at, True, "Email received", sender_label(row), row.subject or "(no subject)",
                 row.text, row.quoted, [visible[i] for i in row.document_ids or [] if i in visible],
                 list(row.attachments_refused or []), id=f"received-{row.id}")


# --- Replying from the case -------------------------------------------------------------


def last_received(record: Feedback) -> MailInMessage | None:
    received = _received_on_case(record)
    return received[-1] if received else None


def reply_to_address(record: Feedback, last: MailInMessage | None) -> str | None:
    """Who a reply goes to: whoever wrote ``last`` on the case (``last_received``), else
    the person's address."""
    if last is not None and last.from_address:
        return last.from_address
    return record.person.email if record.person and record.person.email else None


def reply_subject(record: Feedback, last: MailInMessage | None) -> str:
    """"Re: " and the subject of the last email (``last_received``), with the reference in
    it (added if it is not)."""
    subject = _RE.sub("", (last.subject if last else None) or "").strip() or f"Your {_what(record)}"
    if record.reference not in subject:
        subject = f"{subject} - reference {record.reference}"
    return f"Re: {subject}"[:300]


def _what(record: Feedback) -> str:
    return {"compliment": "compliment", "complaint": "complaint"}.get(record.kind, "message")


def reply(record: Feedback, text: str, actor: StaffUser, team_address: str, *, version: int | None = None) -> OutboxMessage:
    """Send a reply from the case: from the team's address, the reference in the subject,
    answering the last email received (sent by the worker after the commit)."""
    check_version(record, version)
    if not has_permission(actor, "edit_cases"):
        raise Refused("You cannot reply on this case", None)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Refused("Enter your reply", "text")
    if len(text) > TEXT_MAX:
        raise Refused(f"Your reply must be {TEXT_MAX:,} characters or fewer", "text")
    last = last_received(record)
    to = reply_to_address(record, last)
    if not to or not is_email(to):
        raise Refused("There is no email address to reply to on this case: write a letter instead", "text")
    message = outbox.queue(to, reply_subject(record, last), text + "\n", purpose=REPLY, feedback=record)
    message.from_address = team_address
    message.in_reply_to = last.message_id if last is not None else None
    timeline.add(record, TimelineKind.EMAIL_SENT, f"Reply emailed to {to}: {message.subject}", actor)
    return message
