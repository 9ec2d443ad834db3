"""Letters about unreasonably persistent contact, and the restrictions they set.

A restriction is shown to staff; it never blocks a submission (DOMAIN.md).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime


class ContactRestriction(db.Model):
    __tablename__ = "contact_restriction"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The person as the letter names them (kept even if the person record changes).
    person_name: Mapped[str | None] = mapped_column(String(200))
    person_email: Mapped[str | None] = mapped_column(String(254), index=True)
    person_phone: Mapped[str | None] = mapped_column(String(40))
    letter_issued_on: Mapped[date] = mapped_column(Date, index=True)
    restrictions: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    review_on: Mapped[date | None] = mapped_column(Date)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    review_result: Mapped[str | None] = mapped_column(Text)
    # The last review's result as a code: "renewed", "changed" or "lifted" (the words
    # are in review_result). A lifted restriction no longer applies.
    review_outcome: Mapped[str | None] = mapped_column(String(20))
    # When its personal data was removed (portal.services.data_protection.purge); the letter's date and
    # restriction codes stay for the report.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person = relationship("Person")
