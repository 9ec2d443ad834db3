"""The timeline of a case: what happened, who did it and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class TimelineEvent(db.Model):
    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str | None] = mapped_column(Text)
    # Who: a member of staff, or the label of someone without an account
    # ("the person who sent it", "the portal").
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200))

    feedback = relationship("Feedback", back_populates="timeline")
    staff_user = relationship("StaffUser")
