"""Outgoing mail, written in the same transaction as the change that causes it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    # The body never enters the audit trail: it may quote a case, and a message's link is
    # not in it anyway (``link_ref``). Who was written to, why and when is still recorded.
    __audit_exclude__ = {"body"}

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    # With ``link_ref``, the body holds ``portal.services.common.outbox.LINK`` where the link goes:
    # the link itself (a one-time set-up or reset link, a status link) is made when the
    # message is sent and is never stored.
    body: Mapped[str] = mapped_column(Text)
    # What the link is for: "invite:<staff id>", "reset:<staff id>", "status:<feedback id>".
    link_ref: Mapped[str | None] = mapped_column(String(60))
    # Why it was sent: "acknowledgement", "safeguarding_alert", ...
    purpose: Mapped[str] = mapped_column(String(40))
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), index=True)
    feedback = relationship("Feedback")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # A sender claims a message until this time, so two senders never send it twice.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Set when the message can never go (a bad address, refused by the mail server, no
    # longer needed): it is not tried again, and ``last_error`` says why.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Email in (issue 19): the Message-ID it went with (made when it is first sent), so
    # that a reply or a bounce naming it finds its case; the message it answers; and the
    # address it is sent from when not MAIL_FROM (a reply from the case: the team's).
    message_id: Mapped[str | None] = mapped_column(String(300), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(300))
    from_address: Mapped[str | None] = mapped_column(String(254))

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
