"""Compliments and initial contacts, counted by the date they were received.

DOMAIN.md, "The reporting period": compliments and initial contacts count by their date
received within the period; an initial contact is counted under its current outcome
(resolved, progressed, withdrawn, referred elsewhere, or still open).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback
from portal.services.common.labels import SubmitterRole
from portal.services.reports.counting import (
    ByQuarter, by_name, name_of, quarter_index,
)
from portal.services.reports.period import Period

INITIAL_CONTACT_OUTCOMES = ("resolved", "progressed", "withdrawn", "referred", "open")


def _received_in(period: Period, kind: str):
    # Both columns of the index on (kind, received_on) (migration 0009): a half year of one
    # kind is read from the index alone. (Before it, SQLite was kept off the index on kind
    # alone, which its planner preferred without statistics: ten times slower.)
    return (Feedback.kind == kind) & Feedback.received_on.between(period.start, period.end)


def compliments(period: Period, teams: dict[int, str]) -> dict:
    """Compliments received in the period: by quarter, by submitter role and by team
    (``Feedback.team``; "Not recorded" where there is none, so that each map sums to the
    total). Returns ``{"byq": {...}, "section": {...}}``: the ``feedback_received`` line
    and the ``compliments`` section."""
    quarters = period.quarters()
    bucket = quarter_index(Feedback.received_on, quarters)
    rows = db.session.execute(
        select(bucket, Feedback.submitter_role, Feedback.team_id, func.count())
        .where(_received_in(period, "compliment"))
        .group_by(bucket, Feedback.submitter_role, Feedback.team_id)
    ).tuples()
    received = ByQuarter(len(quarters))
    roles: Counter = Counter()
    by_team: Counter = Counter()
    for index, role, team_id, count in rows:
        received.add(index, count)
        roles[role] += count
        by_team[name_of(teams, team_id)] += count
    return {
        "byq": received.as_json(),
        "section": {
            "total": received.total,
            "by_submitter_role": by_name(roles, order=SubmitterRole.codes()),
            "by_team": by_name(by_team),
        },
    }


def initial_contacts(period: Period) -> dict:
    """Initial contacts received in the period, and the same contacts by their current
    outcome (``Feedback.outcome``; none recorded counts as open)."""
    quarters = period.quarters()
    bucket = quarter_index(Feedback.received_on, quarters)
    outcome = func.coalesce(Feedback.outcome, "open")
    rows = db.session.execute(
        select(bucket, outcome, func.count())
        .where(_received_in(period, "initial_contact"))
        .group_by(bucket, outcome)
    ).tuples()
    received = ByQuarter(len(quarters))
    by_outcome = {name: ByQuarter(len(quarters)) for name in INITIAL_CONTACT_OUTCOMES}
    for index, name, count in rows:
        received.add(index, count)
        # An outcome the procedure does not know is not an ending: still open.
        by_outcome.get(name, by_outcome["open"]).add(index, count)
    section = {"received": received.as_json()}
    section.update({name: by_outcome[name].as_json() for name in INITIAL_CONTACT_OUTCOMES})
    return section
