"""Learning actions raised in the period and where they stood at its end.

REPORT.md: actions whose ``raised_on`` is in the period; of those, ``completed`` were done on
or before the period's end (status done with a completion date on or before it), ``open``
were not (a done action without a completion date included), and ``overdue`` are the open
ones whose due date is before the period's end.
"""

from __future__ import annotations

from sqlalchemy import Integer, case, func, literal_column, select

from portal.extensions import db
from portal.models import LearningAction
from portal.services.reports.period import Period


def learning_actions(period: Period) -> dict:
    """The report's ``learning_actions``."""
    one, zero = literal_column("1", Integer), literal_column("0", Integer)
    # Written so that no part is NULL: NOT (NULL) would hide a done action without a date
    # from the overdue count.
    completed = (
        (LearningAction.status == "done")
        & LearningAction.completed_on.is_not(None)
        & (LearningAction.completed_on <= period.end)
    )
    overdue = ~completed & (LearningAction.due_on < period.end)
    raised, done, late = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((completed, one), else_=zero)), 0),
            func.coalesce(func.sum(case((overdue, one), else_=zero)), 0),
        ).where(LearningAction.raised_on.between(period.start, period.end))
    ).one()
    return {"raised": raised, "completed": int(done), "open": raised - int(done),
            "overdue": int(late)}
