"""Answers kept between the pages of a public form.

They live on the server, not in the cookie session (which holds 4 KB at most); the
session holds only the draft's random key.
"""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class Draft(db.Model):
    __tablename__ = "draft"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    form: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DraftUpload(db.Model):
    """A file chosen on a public form's page, checked and stored at once, waiting with the
    draft until the person sends it (then it becomes a document of the new record) or the
    draft is forgotten (then the row and its stored file go). Not a foreign key to the
    draft: a draft is taken (deleted) as the claim that sends it, in the same transaction
    that hands its files over, and an expired draft's files are found by its key."""

    __tablename__ = "draft_upload"
    # The audit trail keeps that a file was added or removed, not what it was called: a
    # name ("Sam's EHC plan.pdf") says things about people, and the draft may never be sent.
    __audit_redact__ = {"original_name", "safe_name"}

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_key: Mapped[str] = mapped_column(String(64), index=True)
    # As the case file's checks left it (portal.services.files): the document it becomes
    # takes these as they are.
    original_name: Mapped[str] = mapped_column(String(255))
    safe_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), index=True)
    metadata_removed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
