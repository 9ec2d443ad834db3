"""Enquiries from the Local Government and Social Care Ombudsman (LGSCO)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, false, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.money import to_pence, to_pounds


class OmbudsmanEnquiry(db.Model):
    __tablename__ = "ombudsman_enquiry"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60), index=True)
    notified_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(30))
    decision: Mapped[str | None] = mapped_column(String(40))
    decided_on: Mapped[date | None] = mapped_column(Date)
    # What the Ombudsman recommended; money actually paid is a Payment.
    remedy_pence: Mapped[int | None] = mapped_column(BigInteger)
    # Upheld, but the Ombudsman found we had put things right before they became involved.
    remedied_before: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    feedback = relationship("Feedback", back_populates="ombudsman_enquiries")
    recommendations = relationship(
        "OmbudsmanRecommendation", back_populates="enquiry", order_by="OmbudsmanRecommendation.id",
        cascade="all, delete-orphan",
    )

    @property
    def remedy_amount(self) -> Decimal | None:
        return to_pounds(self.remedy_pence)

    @remedy_amount.setter
    def remedy_amount(self, value: Decimal | str | None) -> None:
        self.remedy_pence = to_pence(value)


class OmbudsmanRecommendation(db.Model):
    __tablename__ = "ombudsman_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("ombudsman_enquiry.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    complied_on: Mapped[date | None] = mapped_column(Date)
    compliance: Mapped[str | None] = mapped_column(String(20))

    enquiry = relationship("OmbudsmanEnquiry", back_populates="recommendations")
