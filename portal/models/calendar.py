"""Extra non-working days an administrator adds (a newly proclaimed bank holiday).

The working-days rules that use them live in ``portal.services.procedures.working_days``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class NonWorkingDay(db.Model):
    __tablename__ = "non_working_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    description: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<NonWorkingDay {self.day}>"
