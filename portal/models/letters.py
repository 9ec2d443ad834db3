"""Letters and emails written from templates (issue 18): the templates staff edit, each
saved version kept; the letters sent, with the exact text, the PDF and the version they
came from; and the jargon list the check before sending reads."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class LetterTemplate(db.Model):
    """One saved version of a template: a purpose (``LetterPurpose``), a channel (email or
    letter) and an audience (adults, or young people in plainer words). The newest version
    is the one used; older versions stay, because each letter names the one it came from."""

    __tablename__ = "letter_template"
    __table_args__ = (UniqueConstraint("purpose", "channel", "audience", "version",
                                       name="uq_letter_template_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))
    audience: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    created_by = relationship("StaffUser")


class Letter(db.Model):
    """A letter posted or an email sent, as it went."""

    __tablename__ = "letter"
    # The PDF is kept here, not copied into the audit trail (the text is, as for any record).
    __audit_exclude__ = {"pdf"}

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), index=True)
    restriction_id: Mapped[int | None] = mapped_column(ForeignKey("contact_restriction.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))
    audience: Mapped[str] = mapped_column(String(10))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("letter_template.id"))
    template_version: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    to_address: Mapped[str | None] = mapped_column(String(254))
    sent_on: Mapped[date] = mapped_column(Date)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    # A manager sent it although a required part was missing: why, and who.
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # A letter to post, once printed in a batch.
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    feedback = relationship("Feedback")
    restriction = relationship("ContactRestriction")
    template = relationship("LetterTemplate")
    outbox_message = relationship("OutboxMessage")
    created_by = relationship("StaffUser", foreign_keys=[created_by_id])
    overridden_by = relationship("StaffUser", foreign_keys=[overridden_by_id])


class JargonTerm(db.Model):
    """A word or abbreviation the public may not know, and plainer words for it."""

    __tablename__ = "jargon_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(80), unique=True)
    plainer: Mapped[str] = mapped_column(Text)
