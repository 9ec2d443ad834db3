"""The child or young person a case is about, and the advocacy offered to them.

A case is often written by one person (a parent, an advocate, a professional) about a
child: the child is recorded in their own right, one record across their cases
(DOMAIN.md, "The child and advocacy"). Matching is only ever suggested; staff merge.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class Child(db.Model):
    __tablename__ = "child"
    __table_args__ = (
        # The inbox's search by the child's name or record number (migration 0020; on
        # SQLite an FTS5 trigram table kept in step by triggers, as for feedback and person).
        *(Index(f"ix_child_{column}_trgm", text(f"lower({column}) gin_trgm_ops"),
                postgresql_using="gin").ddl_if(dialect="postgresql")
          for column in ("name", "record_number")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    # The inbox finds a child by a date typed as a date; matching uses it with the name.
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    # The social care record number (Liquidlogic, Mosaic), as the system writes it.
    record_number: Mapped[str | None] = mapped_column(String(40), index=True)
    school: Mapped[str | None] = mapped_column(String(200))
    # Codes of labels.ChildStatus (in care, care leaver, child in need, ...).
    statuses: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    feedback = relationship("Feedback", back_populates="child")

    def __repr__(self) -> str:
        return f"<Child {self.id}>"


class Advocacy(db.Model):
    """Advocacy for the child on one case: the offer (when, how), the answer, the
    referral (to which service, when), and the advocate once in place. ``pause`` is the
    stage clock's pause while waiting for the advocate, if staff paused it."""

    __tablename__ = "advocacy"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), unique=True)
    offered_on: Mapped[date | None] = mapped_column(Date)
    offered_how: Mapped[str | None] = mapped_column(String(20))  # labels.AdvocacyOfferMethod
    answer: Mapped[str | None] = mapped_column(String(20))  # labels.AdvocacyAnswer
    answered_on: Mapped[date | None] = mapped_column(Date)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    referred_on: Mapped[date | None] = mapped_column(Date)
    advocate_name: Mapped[str | None] = mapped_column(String(200))
    in_place_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    pause_id: Mapped[int | None] = mapped_column(ForeignKey("stage_pause.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    feedback = relationship("Feedback", backref=backref("advocacy", uselist=False,
                                                        cascade="all, delete-orphan"))
    pause = relationship("Pause")
