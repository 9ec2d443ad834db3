"""The learning action plan: recommendations that became actions with an owner."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class LearningAction(db.Model):
    __tablename__ = "learning_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    recommendation: Mapped[str] = mapped_column(Text)
    # Where it came from: stage "1", "2", "3" or "ombudsman"; None when not recorded.
    source: Mapped[str | None] = mapped_column(String(20))
    # The owner's name as text (imported history names owners who have no account);
    # actions raised in the portal also link the owner's staff account.
    owner: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # The Ombudsman recommendation it came from, when it did.
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("ombudsman_recommendation.id"), index=True
    )
    raised_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    completion_note: Mapped[str | None] = mapped_column(Text)

    feedback = relationship("Feedback", back_populates="learning_actions")
    owner_user = relationship("StaffUser")
    ombudsman_recommendation = relationship("OmbudsmanRecommendation")
