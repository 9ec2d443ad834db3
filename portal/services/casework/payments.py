"""Money on a case: investigation costs and financial remedies.

DOMAIN.md, "Money": investigation costs (external Investigating Officers, Independent
Persons, panel fees) with amount, date and case; financial remedies (compensation) with
amount, date paid, case, who decided (Investigating Officer, adjudicating manager, LGSCO
recommendation) and why.

Money is exact: amounts are ``Decimal`` pounds on the way in and out and whole pence in
the database (``Payment.amount_pence``), and totals are SQL sums of pence. A float is
refused wherever an amount is accepted, since 0.1 + 0.2 is not 0.3 in binary.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback, Payment, StaffUser
from portal.services.common.labels import PaymentKind
from portal.models.money import to_pounds
from portal.services.casework import common
from portal.services.common.dates import today_or
from portal.services.common.errors import Refused, check_version

# Who may decide a financial remedy (DOMAIN.md); the form offers these, and "Other".
REMEDY_DECIDERS = ("Investigating Officer", "Adjudicating manager", "LGSCO recommendation")
# A ceiling that catches a slipped finger (an extra 0 or two) without limiting real cases.
MAXIMUM = Decimal("1000000.00")

_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
PENNY = Decimal("0.01")


def parse_amount(value: str | Decimal | int | None, field: str = "amount") -> Decimal:
    """What staff type ("£1,300", "1300.5", "  £12.05 ") as exact pounds: ``Decimal("1300.50")``.

    Refused: nothing, words, negative amounts and £0, more than two decimal places,
    commas out of place ("1,30"), more than £1,000,000, and floats (a float has already
    lost the exact value; pass the text or a Decimal).
    """
    if isinstance(value, float):
        raise TypeError("money is never a float: pass the text typed or a Decimal")
    if isinstance(value, bool):
        raise TypeError("an amount cannot be true or false")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refused("Enter the amount", field)
    if isinstance(value, (Decimal, int)):
        amount = Decimal(value)
        if not amount.is_finite():
            raise Refused("Enter the amount in pounds and pence, like £1,300 or 1300.50", field)
    else:
        typed = value.strip().replace(" ", "")
        if typed.startswith("-") or typed.startswith("£-"):
            raise Refused("Amount must be more than £0", field)
        typed = typed.removeprefix("£")
        if not _AMOUNT.match(typed):
            raise Refused("Enter the amount in pounds and pence, like £1,300 or 1300.50", field)
        try:
            amount = Decimal(typed.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise Refused("Enter the amount in pounds and pence, like £1,300 or 1300.50", field)
    if amount <= 0:
        raise Refused("Amount must be more than £0", field)
    if amount != amount.quantize(PENNY):
        raise Refused("Amount must be in pounds and pence, with no more than 2 decimal places", field)
    if amount > MAXIMUM:
        raise Refused("Amount must be £1,000,000 or less", field)
    return amount.quantize(PENNY)


def format_amount(amount: Decimal | None) -> str:
    """``Decimal("1300")`` as "£1,300.00" (empty for None)."""
    if amount is None:
        return ""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    amount = Decimal(amount).quantize(PENNY)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def format_pence(pence: int | None) -> str:
    return format_amount(to_pounds(pence))


# --- Recording -------------------------------------------------------------------------


def record_payment(
    feedback: Feedback,
    kind: str,
    amount: str | Decimal,
    paid_on: date | None,
    actor: StaffUser,
    decided_by: str | None = None,
    reason: str | None = None,
    today: date | None = None,
    *,
    version: int | None = None,
) -> Payment:
    """Add an investigation cost or a financial remedy to a case (not committed here).

    ``reason`` is what the cost was for (an Independent Person's fee for Stage 2) or why
    the remedy was paid; a remedy needs who decided it and why.
    """
    check_version(feedback, version)
    payment = Payment(feedback=feedback)
    _apply(payment, kind, amount, paid_on, decided_by, reason, today_or(today))
    db.session.add(payment)
    common.flush_as(actor)
    return payment


def correct_payment(
    payment: Payment,
    kind: str,
    amount: str | Decimal,
    paid_on: date | None,
    actor: StaffUser,
    decided_by: str | None = None,
    reason: str | None = None,
    today: date | None = None,
    seen: str | None = None,
    *,
    version: int | None = None,
) -> Payment:
    """Correct a payment recorded wrongly; the audit trail keeps what it said before.

    ``seen`` is ``payment_state`` as the person correcting it saw it: if someone else has
    corrected it since, this is refused rather than overwriting their correction.
    """
    check_version(payment.feedback, version)
    if seen is not None and seen != payment_state(payment):
        raise Refused("Someone else changed this payment while you had it open. "
                      "Check what it says now and correct it again", "amount")
    _apply(payment, kind, amount, paid_on, decided_by, reason, today_or(today))
    common.flush_as(actor)
    return payment


def payment_state(payment: Payment) -> str:
    """What a payment says, in 16 characters, for a form to carry back (see ``correct_payment``)."""
    said = "\x1f".join(str(value) for value in (payment.kind, payment.amount_pence, payment.paid_on,
                                                 payment.decided_by, payment.description))
    return hashlib.sha256(said.encode()).hexdigest()[:16]


def remove_payment(payment: Payment, actor: StaffUser, *, version: int | None = None) -> None:
    """Remove a payment recorded by mistake; the audit trail keeps a copy."""
    check_version(payment.feedback, version)
    db.session.delete(payment)
    common.flush_as(actor)


def _apply(payment: Payment, kind: str, amount, paid_on, decided_by, reason, today: date) -> None:
    if kind not in PaymentKind:
        raise Refused("Select whether this is an investigation cost or a financial remedy", "kind")
    pounds = parse_amount(amount)
    what = "the remedy was paid" if kind == "financial_remedy" else "the cost was incurred"
    common.past_date(paid_on, today, f"the date {what}", "paid_on")
    decided_by, reason = common.text(decided_by), common.text(reason)
    if kind == "financial_remedy":
        if decided_by is None:
            raise Refused("Enter who decided the remedy", "decided_by")
        if reason is None:
            raise Refused("Enter why the remedy was paid", "reason")
    elif reason is None:
        raise Refused("Enter what the cost was for, like an Independent Person's fee", "reason")
    payment.kind = kind
    payment.amount = pounds
    payment.paid_on = paid_on
    payment.decided_by = decided_by
    payment.description = reason


# --- Totals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """Exact pounds: investigation costs, financial remedies, and both together."""

    investigation_costs: Decimal
    financial_remedies: Decimal

    @property
    def total(self) -> Decimal:
        return self.investigation_costs + self.financial_remedies


def _totals(*conditions) -> Totals:
    rows = db.session.execute(
        select(Payment.kind, func.coalesce(func.sum(Payment.amount_pence), 0))
        .where(*conditions)
        .group_by(Payment.kind)
    ).tuples()
    pence = {kind: int(total) for kind, total in rows}
    return Totals(
        investigation_costs=to_pounds(pence.get("investigation_cost", 0)),
        financial_remedies=to_pounds(pence.get("financial_remedy", 0)),
    )


def case_totals(feedback: Feedback) -> Totals:
    """What has been spent on one case, by kind: from its payments as loaded, which the
    case page lists beside the totals."""
    pence = {"investigation_cost": 0, "financial_remedy": 0}
    for payment in feedback.payments:
        pence[payment.kind] += payment.amount_pence
    return Totals(investigation_costs=to_pounds(pence["investigation_cost"]),
                  financial_remedies=to_pounds(pence["financial_remedy"]))


def period_totals(start: date, end: date) -> Totals:
    """What was paid from ``start`` to ``end`` inclusive, by the date paid or incurred
    (DOMAIN.md, "The reporting period")."""
    if end < start:
        raise Refused("The end date must be the same as or after the start date", "end")
    return _totals(Payment.paid_on >= start, Payment.paid_on <= end)
