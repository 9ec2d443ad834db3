"""The audit trail: an append-only record of changes, sign-ins and downloads.

Rows are only ever inserted. The ORM refuses to update or delete one, and the
migration adds database triggers that refuse it too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Who: a member of staff, or None with a label ("member of the public", "command line").
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(254))
    # What: "create", "update", "delete", "sign_in", "sign_in_failed", "export", ...
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(60), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(60), index=True)
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    # Set once, when a purge replaced the personal data in ``old`` and ``new`` (the only
    # change the database allows; see portal.services.data_protection.purge).
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor = relationship("StaffUser")


class AuditTrailIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AuditTrailIsAppendOnly("audit entries are never changed or deleted")
