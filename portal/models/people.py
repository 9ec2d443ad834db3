"""People who give feedback: one record per person across their cases."""

from datetime import datetime

from sqlalchemy import Boolean, Index, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class Person(db.Model):
    __tablename__ = "person"
    # The inbox's search by name or email (see Feedback's indexes; migration 0008).
    __table_args__ = (
        *(Index(f"ix_person_{column}_trgm", text(f"lower({column}) gin_trgm_ops"),
                postgresql_using="gin").ddl_if(dialect="postgresql")
          for column in ("name", "email")),
        # A person's possible duplicates by name, exactly but ignoring case
        # (intake.people._sharing; migration 0027): on SQLite the only index that answers
        # it, on PostgreSQL one quicker for equality than the trigrams.
        Index("ix_person_lower_name", text("lower(name)")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    # Lower-cased on the way in, so that matching by email is exact.
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    # The phone number's digits (a UK +44 as 0), so numbers written differently match.
    phone_key: Mapped[str | None] = mapped_column(String(20), index=True)
    address: Mapped[str | None] = mapped_column(Text)
    # False for a person made from a public form: details nobody has checked, which are
    # never matched to anyone else's record, nor joined to it, until staff merge the two
    # (portal.services.intake.people; docs/security.md). Staff-entered and imported people are
    # confirmed.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    feedback = relationship("Feedback", back_populates="person")

    def __repr__(self) -> str:
        return f"<Person {self.id}>"
