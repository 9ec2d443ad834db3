"""What the annual reports keep beyond the case records: the Member Responsible for
Complaints' response to a year's report, the self-assessment against the Ombudsman's
Complaint Handling Code, and the Ombudsman's own case spreadsheets as imported.

None of these hold personal data: an imported Ombudsman row keeps its references, dates,
decision and remedy only, never the complainant's name.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class MemberResponse(db.Model):
    """The Member Responsible for Complaints' response to one financial year's annual
    complaints performance and service improvement report, as staff entered it."""

    __tablename__ = "member_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)  # the year the April starts in
    text: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    updated_by = relationship("StaffUser")


class SelfAssessmentAnswer(db.Model):
    """How the organisation meets one requirement of the Code in one financial year."""

    __tablename__ = "self_assessment_answer"
    __table_args__ = (UniqueConstraint("year", "requirement", name="uq_self_assessment_answer_year_requirement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    requirement: Mapped[str] = mapped_column(String(20))  # a code of self_assessment.REQUIREMENTS
    complies: Mapped[str | None] = mapped_column(String(10))  # labels.Complies
    how: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OmbudsmanColumn(db.Model):
    """Which column of the Ombudsman's spreadsheet holds each field: mapped once, then
    offered again for the next import."""

    __tablename__ = "ombudsman_column"

    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    heading: Mapped[str] = mapped_column(String(200))


class OmbudsmanImport(db.Model):
    """One spreadsheet of the Ombudsman's cases, as imported."""

    __tablename__ = "ombudsman_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    cases = relationship("OmbudsmanCase", back_populates="source", order_by="OmbudsmanCase.id",
                         cascade="all, delete-orphan")


class OmbudsmanCase(db.Model):
    """One row of the Ombudsman's spreadsheet: a case they received or decided."""

    __tablename__ = "ombudsman_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("ombudsman_import.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60), index=True)
    received_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(40))  # labels.OmbudsmanDecision, when read
    decision_text: Mapped[str | None] = mapped_column(String(200))  # as the spreadsheet says it
    remedy_complied: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # the mapped cells as read, for the page

    source = relationship("OmbudsmanImport", back_populates="cases")
