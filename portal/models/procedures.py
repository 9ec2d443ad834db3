"""What running a complaint procedure records beyond the stage itself: the
organisation's timescales, pauses, extensions as they were granted, and responses as
they were sent.

The rules that use them live in ``portal.services.procedures``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class TimescaleSetting(db.Model):
    """One organisation timescale that differs from DOMAIN.md's default, by the name of
    its field in ``clocks.Timescales`` (``statutory_stage1``, ``escalation_window``...).
    A name with no row takes the default."""

    __tablename__ = "timescale_setting"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TimescaleSetRow(db.Model):
    """A set of a procedure's timescales that an administrator added, applying to stages
    whose clock starts on or after ``effective_from`` (clocks.TimescaleSet; DOMAIN.md,
    "Timescales change on a date"). ``timescale_values`` holds the set's timescales by
    their names in ``clocks.Timescales``. Sets written in the code (the Complaint Handling
    Code's, from 1 April 2026) have no row."""

    __tablename__ = "timescale_set"
    __table_args__ = (UniqueConstraint("procedure", "effective_from",
                                       name="uq_timescale_set_procedure_effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date] = mapped_column(Date)
    timescale_values: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("StaffUser")


class Pause(db.Model):
    """A stage's clock stopped for court, police or disciplinary proceedings.

    While ``ended_on`` is empty the stage shows as paused. When the pause ends, its
    working days are added to ``Stage.paused_working_days``, which stays the one number
    the clock uses; ``working_days`` keeps this pause's share of it.
    """

    __tablename__ = "stage_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    working_days: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stage = relationship(
        "Stage",
        backref=backref("pauses", order_by="Pause.started_on", cascade="all, delete-orphan"),
    )
    created_by = relationship("StaffUser")


class StageExtension(db.Model):
    """An extension as it was granted, and how the complainant was told (or, for a
    corporate Stage 2, that they agreed). ``Stage.extended_to`` holds the one in force."""

    __tablename__ = "stage_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    extended_to: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    # How and when the complainant was told: the extension notice, sent from the letters
    # page (None until it goes).
    told_by: Mapped[str | None] = mapped_column(String(10))  # "email" or "letter"
    told_on: Mapped[date | None] = mapped_column(Date)
    agreed_with_complainant: Mapped[bool] = mapped_column(default=False)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stage = relationship(
        "Stage",
        backref=backref("extensions", order_by="StageExtension.id", cascade="all, delete-orphan"),
    )
    outbox_message = relationship("OutboxMessage")
    created_by = relationship("StaffUser")


class StageResponse(db.Model):
    """The response a stage ended with, word for word as it went, kept on the case."""

    __tablename__ = "stage_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(10))  # "email" or "post"
    sent_on: Mapped[date] = mapped_column(Date)
    to_address: Mapped[str | None] = mapped_column(String(254))
    # What the response tells the person they can do next, and by when (None for the
    # Ombudsman, who sets their own limits).
    next_step: Mapped[str] = mapped_column(Text)
    next_step_deadline: Mapped[date | None] = mapped_column(Date)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stage = relationship(
        "Stage", backref=backref("response", uselist=False, cascade="all, delete-orphan")
    )
    outbox_message = relationship("OutboxMessage")
    created_by = relationship("StaffUser")
