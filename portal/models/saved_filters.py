"""A list of the inbox a member of staff saved under a name of their own."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class SavedFilter(db.Model):
    """The inbox's filters as its query string (``kind=complaint&stage=1``), kept for the
    person who saved it; each person's names are unique. ``assigned=me`` means whoever
    opens it, so a filter reads the same for its owner on any day."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_saved_filter_owner_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
