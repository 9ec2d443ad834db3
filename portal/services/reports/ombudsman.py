"""Ombudsman (LGSCO) enquiries, by the date the organisation was notified.

DOMAIN.md, "The reporting period": Ombudsman enquiries count by their date notified within the
period; an enquiry counts under its decision when it was decided on or before the period's
end, otherwise as in progress. An enquiry with a decision but no decision date cannot be shown
to have been decided by then, so it is in progress too.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.models import OmbudsmanEnquiry
from portal.services.common.labels import OmbudsmanDecision
from portal.services.reports.counting import ByQuarter, by_name, quarter_index
from portal.services.reports.period import Period

IN_PROGRESS = "in_progress"


def ombudsman(period: Period) -> dict:
    """``byq`` (the ``feedback_received`` line) and ``section`` (the report's ``ombudsman``)."""
    quarters = period.quarters()
    bucket = quarter_index(OmbudsmanEnquiry.notified_on, quarters)
    decided = OmbudsmanEnquiry.decision.is_not(None) & (OmbudsmanEnquiry.decided_on <= period.end)
    outcome = case((decided, OmbudsmanEnquiry.decision), else_=IN_PROGRESS)
    rows = db.session.execute(
        select(bucket, outcome, func.count())
        .where(OmbudsmanEnquiry.notified_on.between(period.start, period.end))
        .group_by(bucket, outcome)
    ).tuples()
    received = ByQuarter(len(quarters))
    outcomes: Counter = Counter()
    for index, name, count in rows:
        received.add(index, count)
        outcomes[name] += count
    return {
        "byq": received.as_json(),
        "section": {
            "received": received.total,
            "by_outcome": by_name(outcomes, order=(*OmbudsmanDecision.codes(), IN_PROGRESS)),
        },
    }
