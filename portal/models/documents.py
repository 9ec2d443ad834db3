"""The case file: each document on a case, its metadata only (the content is in the
file store, ``portal.services.files.storage``, under ``storage_key``, its sha256)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class Document(db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id in every URL that names the document: random, so that one cannot be guessed
    # from another (the route checks the case permission as well).
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    # What in the case it belongs to, if not the case as a whole (at most one of these).
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stage.id"), index=True)
    element_id: Mapped[int | None] = mapped_column(ForeignKey("element.id"), index=True)
    ombudsman_enquiry_id: Mapped[int | None] = mapped_column(ForeignKey("ombudsman_enquiry.id"), index=True)

    original_name: Mapped[str] = mapped_column(String(255))  # as sent, for the record
    safe_name: Mapped[str] = mapped_column(String(255))  # what a download is called
    kind: Mapped[str] = mapped_column(String(10))  # labels.DocumentKind, found from the content
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(200), index=True)
    metadata_removed: Mapped[bool] = mapped_column(default=False)

    source: Mapped[str] = mapped_column(String(10))  # labels.DocumentSource
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    added_by_label: Mapped[str] = mapped_column(String(200))
    received_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)

    # labels.ScanStatus: clean, infected, waiting (could not be scanned yet), not_scanned.
    scan_status: Mapped[str] = mapped_column(String(20))
    scan_result: Mapped[str | None] = mapped_column(String(300))
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scan_attempts: Mapped[int] = mapped_column(Integer, default=0)

    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    removed_reason: Mapped[str | None] = mapped_column(Text)

    feedback = relationship("Feedback", back_populates="documents")
    stage = relationship("Stage")
    element = relationship("Element")
    ombudsman_enquiry = relationship("OmbudsmanEnquiry")
    added_by = relationship("StaffUser", foreign_keys=[added_by_id])
    removed_by = relationship("StaffUser", foreign_keys=[removed_by_id])

    @property
    def quarantined(self) -> bool:
        """Infected, or waiting for a scanner that could not scan it: nobody downloads it."""
        return self.scan_status in ("infected", "waiting")

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def __repr__(self) -> str:
        return f"<Document {self.public_id} {self.safe_name}>"
