"""Data protection: how long records are kept, legal holds that keep them, subject access
requests, and the log of who looked at what.

The rules that use them live in ``portal.services.data_protection``: ``retention_rules``,
``holds``, ``purge``, ``subject_access`` and ``access_log``;
docs/data-protection.md explains every decision.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow

# The kinds of record a retention rule covers, and the defaults of issue 8 and DOMAIN.md:
# compliments two years after they were shared, initial contacts and complaints six years
# after closure, letters about persistent contact six years after the letter (or its last
# review).
RETENTION_KINDS = ("compliment", "initial_contact", "complaint", "contact_restriction")
DEFAULT_RETENTION_MONTHS = {
    "compliment": 24,
    "initial_contact": 72,
    "complaint": 72,
    "contact_restriction": 72,
}
SUBJECT_ACCESS_STATUSES = ("open", "released", "withdrawn")


class RetentionRule(db.Model):
    """How many months after its closure date a kind of record keeps its personal data.
    A kind with no row takes ``DEFAULT_RETENTION_MONTHS``."""

    __tablename__ = "retention_rule"

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    updated_by = relationship("StaffUser")


class LegalHold(db.Model):
    """Keeps a feedback record, or everything about a person, from any removal until it
    is lifted. Exactly one of ``feedback_id`` and ``person_id`` is set."""

    __tablename__ = "legal_hold"
    __table_args__ = (
        CheckConstraint(
            "(feedback_id IS NULL) <> (person_id IS NULL)", name="one_subject"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)

    feedback = relationship("Feedback")
    person = relationship("Person")
    placed_by = relationship("StaffUser", foreign_keys=[placed_by_id])
    lifted_by = relationship("StaffUser", foreign_keys=[lifted_by_id])

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class SubjectAccessRequest(db.Model):
    """A person's request for their data: its dates, and the release prepared for them.

    ``release`` is the redacted copy as it was (or will be) sent; it holds personal data,
    so the audit trail records only that it changed. ``person_id`` is cleared if the
    person is later erased; the request's dates stay as evidence it was answered.
    """

    __tablename__ = "subject_access_request"
    __audit_redact__ = {"release", "redactions"}

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    # One calendar month after receipt (see ``subject_access.due_date``).
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    # Paths of the copy's fields that are redacted ("records/0/summary").
    redactions: Mapped[list] = mapped_column(JSON, default=list)
    release: Mapped[dict | None] = mapped_column(JSON)
    prepared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_on: Mapped[date | None] = mapped_column(Date)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("Person")
    released_by = relationship("StaffUser", foreign_keys=[released_by_id])
    created_by = relationship("StaffUser", foreign_keys=[created_by_id])


class AccessLogEntry(db.Model):
    """One view of a case page, a person's record or an export, by a member of staff.

    Kept apart from the audit trail: views are many and change nothing, and "who viewed
    this case" is one indexed query here. ``person_id`` has no foreign key so that the
    log outlives an erased person. Entries are only ever added.
    """

    __tablename__ = "access_log_entry"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # The viewer as they were then ("Name <email>"), or "command line".
    staff_label: Mapped[str] = mapped_column(String(254))
    # "case", "person", "export" or "subject_access_release"
    what: Mapped[str] = mapped_column(String(40), index=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str | None] = mapped_column(String(300))

    staff_user = relationship("StaffUser")
