"""Investigation costs and financial remedies, by the date paid.

DOMAIN.md, "The reporting period": costs and remedies count by their date (incurred, paid)
within the period. REPORT.md: ``financial_remedies`` is the sum of payments of kind
``financial_remedy`` paid in the period; an Ombudsman enquiry's ``remedy_amount`` (what it
recommended) is never added. Sums are taken in pence, exactly, and written with two decimals.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Payment
from portal.services.reports.counting import money
from portal.services.reports.period import Period


def paid(period: Period) -> dict[str, int]:
    """Pence paid in the period, by payment kind."""
    rows = db.session.execute(
        select(Payment.kind, func.sum(Payment.amount_pence))
        .where(Payment.paid_on.between(period.start, period.end))
        .group_by(Payment.kind)
    ).tuples()
    return {kind: int(total or 0) for kind, total in rows}


def costs(period: Period) -> dict:
    """The report's ``costs``: this period and the same dates a year earlier."""
    current, previous = paid(period), paid(period.previous())
    return {
        "investigation": {
            "current": money(current.get("investigation_cost")),
            "previous": money(previous.get("investigation_cost")),
        },
        "financial_remedies": {
            "current": money(current.get("financial_remedy")),
            "previous": money(previous.get("financial_remedy")),
        },
    }
