"""The dashboard's counts, each worked out by hand from a set of records, as a feedback
manager (every record) and as a team manager (their team's) sees them: counted from the
indexes of migration 0027 now, they must still count what they counted before."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import Stage, Team
from portal.services.common.dates import today
from portal.services.triage import dashboard
from tests import factories

# Thursday 26 November 2026: this week ends on Sunday 29 November.
THURSDAY = datetime(2026, 11, 26, 10, tzinfo=UTC)


@pytest.fixture
def teams(app):
    first, second = db.session.scalars(select(Team).order_by(Team.id).limit(2))
    return first, second


@pytest.fixture
def records(teams):
    """Eleven records, numbered as in the expectations below."""
    a, b = teams
    record = factories.record
    with time_machine.travel(THURSDAY, tick=False):
        # Initial contacts:
        record(status="new", team=a, due_on=date(2026, 11, 26))         # 1 new, due today
        record(status="open", team=a, due_on=date(2026, 11, 29))        # 2 due on Sunday
        record(status="open", team=b, due_on=date(2026, 11, 30))        # 3 due next Monday
        record(status="open", team=a, due_on=date(2026, 11, 25))        # 4 overdue
        record(status="closed", team=a, due_on=date(2026, 11, 20))      # 5 closed, a date left
        record(status="closed", team=b)                                 # 6 closed
        # 7: progressed to a corporate complaint, its acknowledgement overdue
        record(status="open", team=a, procedure="corporate", due_on=date(2026, 12, 1),
               acknowledge_by=date(2026, 11, 24), stages=[Stage(number=1, started_on=date(2026, 11, 17))])
        # Complaints:
        # 8: corporate, its acknowledgement due next week
        record("complaint", status="open", team=b, procedure="corporate", due_on=date(2026, 12, 10),
               acknowledge_by=date(2026, 12, 2), stages=[Stage(number=1, started_on=date(2026, 11, 25))])
        # 9: statutory, overdue at Stage 2 (Stage 1 answered)
        record("complaint", status="open", team=a, procedure="statutory", due_on=date(2026, 11, 20),
               stages=[Stage(number=1, started_on=date(2026, 9, 1), responded_on=date(2026, 9, 20)),
                       Stage(number=2, started_on=date(2026, 10, 1))])
        # 10: closed, an acknowledgement date left on it
        record("complaint", status="closed", team=a, procedure="corporate", acknowledge_by=date(2026, 11, 20),
               stages=[Stage(number=1, started_on=date(2026, 11, 2), responded_on=date(2026, 11, 16))])
        # 11: a compliment not yet triaged, no team
        record("compliment", status="new")


def _counts(user) -> dict:
    with time_machine.travel(THURSDAY, tick=False):
        board = dashboard.build(user, today())
    return dict(new=board.new_items, initial_contacts=board.open_initial_contacts,
                this_week=board.due_this_week, overdue=board.overdue,
                acknowledgements=(board.acknowledgements_due, board.acknowledgements_overdue),
                stages=board.open_stages)


def test_a_feedback_manager_counts_every_record(records):
    manager = factories.staff("feedback_manager")
    assert _counts(manager) == dict(
        new=2,                    # 1 and 11
        initial_contacts=4,       # 1, 2, 3, 4 (7 is a complaint now; 5 and 6 closed)
        this_week=2,              # 1 (today) and 2 (Sunday); not 3 (Monday)
        overdue=2,                # 4 and 9; not 5, closed
        acknowledgements=(2, 1),  # 7 and 8 due, 7 overdue; not 10, closed
        stages={("corporate", 1): 2, ("statutory", 2): 1},  # 7, 8; 9's second
    )


def test_a_team_manager_counts_their_teams_records(records, teams):
    first, _ = teams
    manager = factories.staff("team_manager", team=first)
    assert _counts(manager) == dict(
        new=1,                    # 1 (11 has no team)
        initial_contacts=3,       # 1, 2, 4 (3 is the other team's)
        this_week=2,              # 1 and 2
        overdue=2,                # 4 and 9
        acknowledgements=(1, 1),  # 7 (8 is the other team's)
        stages={("corporate", 1): 1, ("statutory", 2): 1},  # 7; 9's second
    )
