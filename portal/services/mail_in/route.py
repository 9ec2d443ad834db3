"""Which case a message is about (issue 19, 2).

A message names a case by any of: ``In-Reply-To``/``References`` naming a message we sent
on the case (or one we received on it), a plus-address (``feedback+CF-2026-00012@...``),
or the reference in its subject or its text. The first is a reply in the thread: the
Message-ID is random, so nobody outside the conversation can make one up, and the
message joins the case whoever sent it. A reference is easy to guess, so a message that
names a case only by its reference joins it only from an address the case knows (the
person's, one we have written to on the case, or one that wrote in on it before);
from anyone else it waits on the review list, where staff can add it to the case
(``MailInKind.UNKNOWN_SENDER``): nothing a stranger writes joins someone else's case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback, MailInMessage, OutboxMessage
from portal.services.intake.references import format_reference
from portal.services.mail_in.parse import Parsed

# CF-2026-00012 as we write it, and as people retype it (cf 2026 12, CF/2026/00012).
_REFERENCE = re.compile(r"\bCF[\s\-_./]{0,2}(\d{4})[\s\-_./]{1,2}(\d{1,7})\b", re.IGNORECASE)
_PLUS = re.compile(r"^[^@+]+\+(CF-?\d{4}-?\d{1,7})@", re.IGNORECASE)


@dataclass(frozen=True)
class Named:
    record: Feedback | None
    how: str | None = None  # "a reply to our email", "its address", "its subject", "its text"
    in_thread: bool = False
    reference: str | None = None  # the reference it names, even of no case we hold


def references_in(text: str | None) -> list[str]:
    found = []
    for match in _REFERENCE.finditer(text or ""):
        if int(match[2]):
            reference = format_reference(int(match[1]), int(match[2]))
            if reference not in found:
                found.append(reference)
    return found


def case_named(parsed: Parsed) -> Named:
    thread = in_thread(parsed.thread_ids)
    if thread is not None:
        return Named(thread, "a reply to our email", True, thread.reference)
    for how, candidates in (("its address", _plus_references(parsed.recipients)),
                            ("its subject", references_in(parsed.subject)),
                            ("its text", references_in(parsed.text) + references_in(parsed.quoted))):
        for reference in candidates:
            record = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).first()
            if record is not None and record.purged_at is None:
                return Named(record, how, False, reference)
    named = (_plus_references(parsed.recipients) + references_in(parsed.subject) + references_in(parsed.text))
    return Named(None, reference=named[0] if named else None)


def in_thread(message_ids: list[str]) -> Feedback | None:
    """The case of the newest message of ours, or received on a case, that these name."""
    if not message_ids:
        return None
    ids = message_ids[:50]
    sent = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.message_id.in_(ids), OutboxMessage.feedback_id.is_not(None))).all()
    received = db.session.scalars(select(MailInMessage).where(
        MailInMessage.message_id.in_(ids), MailInMessage.feedback_id.is_not(None))).all()
    by_id = {m.message_id: m.feedback for m in [*received, *sent]}
    for mid in ids:
        record = by_id.get(mid)
        if record is not None and record.purged_at is None:
            return record
    return None


def _plus_references(recipients: list[str]) -> list[str]:
    found = []
    for address in recipients:
        match = _PLUS.match(address)
        if match:
            found += references_in(match[1])
    return found


def knows(record: Feedback, address: str | None) -> bool:
    """Whether the case knows this address: its person's, one we wrote to on it, or one
    that wrote in on it before."""
    if not address:
        return False
    if record.person is not None and (record.person.email or "").lower() == address:
        return True
    wrote_to = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.feedback_id == record.id, func.lower(OutboxMessage.to_address) == address).limit(1))
    if wrote_to is not None:
        return True
    wrote_in = db.session.scalar(select(MailInMessage.id).where(
        MailInMessage.feedback_id == record.id, MailInMessage.from_address == address).limit(1))
    return wrote_in is not None
