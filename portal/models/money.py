"""Money: investigation costs and financial remedies, held exactly in pence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


def to_pence(amount: Decimal | str | None) -> int | None:
    """Pounds (a Decimal or a string like "1300.00") to whole pence, exactly."""
    if amount is None:
        return None
    value = Decimal(str(amount))
    pence = value * 100
    if pence != pence.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of pence")
    return int(pence)


def to_pounds(pence: int | None) -> Decimal | None:
    if pence is None:
        return None
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


class Payment(db.Model):
    """Money is never a float: SQLite has no exact decimal type, so pence are stored."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))

    feedback = relationship("Feedback", back_populates="payments")

    @property
    def amount(self) -> Decimal:
        return to_pounds(self.amount_pence)

    @amount.setter
    def amount(self, value: Decimal | str) -> None:
        self.amount_pence = to_pence(value)
