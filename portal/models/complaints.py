"""Complaint stages and their elements.

A feedback record enters a formal procedure (statutory: three stages; corporate:
two) when it is registered as a complaint or an initial contact is progressed.
Each stage has its own clock, team, theme, people and response; each stage is
broken into numbered elements, each with one outcome (DOMAIN.md).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class Stage(db.Model):
    __tablename__ = "stage"
    __table_args__ = (
        UniqueConstraint("feedback_id", "number", name="uq_stage_feedback_number"),
        # The stages answered in a period with their start and their case's officer and
        # team (the workload's average days to respond), and those not answered with their
        # record and number (the dashboard's open stages), each read from the index alone
        # (migration 0028).
        Index("ix_stage_responded_on_feedback", "responded_on", "feedback_id", "started_on", "number",
              "case_assigned_to_id", "case_team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2 or 3
    # The clock start: registration (Stage 1) or the request's receipt (Stages 2 and 3).
    started_on: Mapped[date] = mapped_column(Date, index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    # People, by name as text (imported history names people who have no account).
    officer: Mapped[str | None] = mapped_column(String(200))
    investigating_officer: Mapped[str | None] = mapped_column(String(200))
    independent_person: Mapped[str | None] = mapped_column(String(200))
    # The same people's accounts, when appointed in the portal from an account (an
    # Independent Person may instead be a named external person, with no account).
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    investigating_officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    independent_person_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # Corporate stages: when the complaint was acknowledged (due within 5 WD).
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    # Stage 1: the latest date of the events complained about, and why a complaint made
    # more than a year after them was accepted (DOMAIN.md, Both procedures).
    events_on: Mapped[date | None] = mapped_column(Date)
    late_complaint_reason: Mapped[str | None] = mapped_column(Text)
    statement_agreed_on: Mapped[date | None] = mapped_column(Date)
    extended_to: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    paused_working_days: Mapped[int] = mapped_column(Integer, default=0)
    late_request_reason: Mapped[str | None] = mapped_column(Text)
    # Corporate Stage 2 handled by the Stage 1 officer: the feedback manager's reason for
    # allowing it (the Complaint Handling Code wants a different person).
    same_handler_reason: Mapped[str | None] = mapped_column(Text)
    panel_members: Mapped[list] = mapped_column(JSON, default=list)  # the chair first
    panel_met_on: Mapped[date | None] = mapped_column(Date)
    panel_report_on: Mapped[date | None] = mapped_column(Date)
    responded_on: Mapped[date | None] = mapped_column(Date)  # indexed with its record
    # The response's due date from the clock rules, kept for lists and reminders;
    # recomputed when the stage's clock or the calendar changes.
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Copies of the case's assignee and team (Feedback.assigned_to_id, team_id), kept by
    # the database itself (triggers, migration 0028) whenever a stage is written or the
    # case is reassigned, so that the workload counts each officer's responses of a
    # quarter from the stages alone rather than looking up each one's case. Read only
    # there; the case's own columns are the ones to set.
    case_assigned_to_id: Mapped[int | None] = mapped_column(Integer)
    case_team_id: Mapped[int | None] = mapped_column(Integer)

    feedback = relationship("Feedback", back_populates="stages")
    team = relationship("Team")
    theme = relationship("Theme")
    officer_user = relationship("StaffUser", foreign_keys=[officer_id])
    investigating_officer_user = relationship("StaffUser", foreign_keys=[investigating_officer_id])
    independent_person_user = relationship("StaffUser", foreign_keys=[independent_person_id])
    elements = relationship(
        "Element", back_populates="stage", order_by="Element.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Stage {self.number} of feedback {self.feedback_id}>"


class Element(db.Model):
    __tablename__ = "element"
    __table_args__ = (UniqueConstraint("stage_id", "number", name="uq_element_stage_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))

    stage = relationship("Stage", back_populates="elements")
    # Shown wherever an element is: loaded with it, not one look-up per element.
    theme = relationship("Theme", lazy="joined")
