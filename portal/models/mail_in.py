"""Email in (issue 19): each message the portal read from the team's mailbox (or a file),
where it went and why. The original message is kept in the file store (``storage_key``,
its sha256) and, for a message on a case, in the case file as its ``.eml``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class MailInMessage(db.Model):
    __tablename__ = "mail_in_message"
    # The words of an email stay out of the audit trail (they are here, and in the case
    # file); who wrote, when and where it went is still recorded.
    __audit_exclude__ = {"text", "quoted"}

    id: Mapped[int] = mapped_column(primary_key=True)
    # The raw message's sha256, unique: a message read twice (the mailbox could not be told
    # it was taken) is recognised and taken once.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Its Message-ID, as written (with its angle brackets), lower-cased; replies name it.
    message_id: Mapped[str | None] = mapped_column(String(300), index=True)
    from_address: Mapped[str | None] = mapped_column(String(254))
    from_name: Mapped[str | None] = mapped_column(String(200))
    to_addresses: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(300))
    # The Date it says it was written, if it says one that can be read.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Where it was read from: "IMAP INBOX" or "file old-mailbox.mbox".
    source: Mapped[str] = mapped_column(String(300))
    # labels.MailInKind: where it went (a case, a new record, or a list staff review).
    kind: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # why, in words
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), index=True)
    # The case it names, when it names one (kept for staff even when it did not join it).
    named_reference: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")  # its own words, as text
    quoted: Mapped[str | None] = mapped_column(Text)  # earlier messages it quotes, folded away
    storage_key: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    # The case file's documents it brought, by public_id (the .eml first), and the attachments refused
    # by the case file's checks ([{"name": ..., "reason": ...}]).
    document_ids: Mapped[list] = mapped_column(JSON, default=list)
    attachments_refused: Mapped[list] = mapped_column(JSON, default=list)
    # A bounce: the message of ours that could not be delivered.
    bounced_outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    # The review list: when a member of staff dealt with it, and what they did.
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    review_action: Mapped[str | None] = mapped_column(String(20))

    feedback = relationship("Feedback")
    bounced_outbox = relationship("OutboxMessage")
    reviewed_by = relationship("StaffUser")

    def __repr__(self) -> str:
        return f"<MailInMessage {self.id} {self.kind}>"
