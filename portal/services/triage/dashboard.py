"""The dashboard: what needs attention now, for the person signed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal_column, select

from portal.extensions import db
from portal.models import Feedback, OpenRecordCount, Stage, StaffUser
from portal.services.triage import inbox
from portal.services.accounts.permissions import has_permission, visible_by_team, visible_feedback_counted


@dataclass
class Dashboard:
    safeguarding: list = field(default_factory=list)  # the oldest few InboxRows
    safeguarding_total: int = 0
    new_items: int = 0
    open_initial_contacts: int = 0
    open_stages: dict[tuple[str, int], int] = field(default_factory=dict)
    due_this_week: int = 0
    overdue: int = 0
    mine: list[Feedback] = field(default_factory=list)
    # Corporate stages waiting for their acknowledgement (the Complaint Handling Code: within
    # 5 WD), soonest due first: how many, how many overdue, and the first few records.
    acknowledgements_due: int = 0
    acknowledgements_overdue: int = 0
    acknowledgements: list[Feedback] = field(default_factory=list)
    # Casework (staff/casework/views.py): Ombudsman recommendations due soon or overdue, the
    # signed-in owner's actions, a team manager's team actions, restriction reviews due.
    ombudsman_due: list = field(default_factory=list)
    my_actions: list = field(default_factory=list)
    team_actions: list = field(default_factory=list)
    reviews_due: list = field(default_factory=list)


ACKNOWLEDGEMENTS_SHOWN = 10


def _counted(user, *conditions):
    """How many records this person may see meet ``conditions``, as a scalar subquery:
    ``count(*)``, which names no column, so that PostgreSQL can answer from the index
    alone."""
    return (select(func.count()).select_from(Feedback).where(visible_feedback_counted(user), *conditions)
            .scalar_subquery())


# The conditions as the partial indexes write theirs (the new records', migration 0010; the
# open records', 0027): constants, not parameters, as the inbox's NOT_CLOSED, so that a plan
# PostgreSQL makes once for a prepared statement still uses them (a parameter might be
# 'closed' next time, and a plan for any value cannot use an index of the others).
NOT_CLOSED = inbox.NOT_CLOSED
IS_NEW = Feedback.status == literal_column("'new'")
INITIAL_CONTACT = Feedback.kind == literal_column("'initial_contact'")


def build(user: StaffUser, today: date) -> Dashboard:
    """Counts over the records this person may see; "this week" ends on Sunday. The
    counts are one statement (``_counts``); the lists each their own."""
    end_of_week = today + timedelta(days=6 - today.weekday())
    urgent, urgent_total = inbox.unactioned_safeguarding(user, inbox.URGENT_SHOWN)
    board = Dashboard(safeguarding=urgent, safeguarding_total=urgent_total)
    (board.new_items, board.open_initial_contacts, board.due_this_week, board.overdue,
     board.acknowledgements_due, board.acknowledgements_overdue) = _counts(user, today, end_of_week)
    board.mine = list(db.session.scalars(
        select(Feedback).where(Feedback.assigned_to_id == user.id, NOT_CLOSED)
        .order_by(Feedback.due_on.is_(None), Feedback.due_on, Feedback.id).limit(50)
    ))
    board.open_stages = _open_stages(user)
    waiting = (NOT_CLOSED, Feedback.acknowledge_by.is_not(None))
    board.acknowledgements = list(db.session.scalars(
        select(Feedback).where(visible_feedback_counted(user), *waiting)
        .order_by(Feedback.acknowledge_by, Feedback.id).limit(ACKNOWLEDGEMENTS_SHOWN)))
    _casework(board, user, today)
    return board


def _counts(user: StaffUser, today: date, end_of_week: date) -> tuple[int, ...]:
    """(new, open initial contacts, due this week, overdue, acknowledgements due and
    overdue) in one statement. Each count of records is a subquery of its own, answered
    from one index (the new records', the open records' acknowledgement dates;
    migrations 0010 and 0027), computed once: one count of several filters would read the
    union of their rows. The open records' counts (open initial contacts, due this week,
    overdue) are sums of the counts the database keeps by team and due date
    (OpenRecordCount, migration 0030: a row for each team and due date some open record
    has, a few thousand at most) for someone whose view of the records depends on the team
    alone (``permissions.visible_by_team``); anyone else (the records assigned to them, or
    with a stage they are appointed to, which are few) has them counted from the open
    records' indexes as the others are."""
    waiting = (NOT_CLOSED, Feedback.acknowledge_by.is_not(None))
    others = (_counted(user, IS_NEW), _counted(user, *waiting), _counted(user, *waiting, Feedback.acknowledge_by < today))
    visible = visible_by_team(user, OpenRecordCount.team_key)
    if visible is None:
        row = db.session.execute(select(
            others[0],
            _counted(user, NOT_CLOSED, INITIAL_CONTACT, Feedback.procedure.is_(None)),
            _counted(user, NOT_CLOSED, Feedback.due_on >= today, Feedback.due_on <= end_of_week),
            _counted(user, NOT_CLOSED, Feedback.due_on < today),
            *others[1:])).one()
        return tuple(int(n or 0) for n in row)
    due = OpenRecordCount.due_key

    def total(column, *when):
        return func.coalesce(func.sum(case((and_(*when), column), else_=0) if when else column), 0)

    row = db.session.execute(select(
        others[0],
        total(OpenRecordCount.initial_contacts),
        total(OpenRecordCount.records, due >= today, due <= end_of_week),
        total(OpenRecordCount.records, due < today),
        *others[1:],
    ).select_from(OpenRecordCount).where(visible)).one()
    return tuple(int(n or 0) for n in row)


def _open_stages(user: StaffUser) -> dict[tuple[str, int], int]:
    """The stages not yet answered of the records this person may see, by procedure and
    number: found through the index on responded_on (its nulls), each record then by id."""
    rows = db.session.execute(
        select(Feedback.procedure, Stage.number, func.count())
        .join(Stage, Stage.feedback_id == Feedback.id)
        .where(Stage.responded_on.is_(None), visible_feedback_counted(user))
        .group_by(Feedback.procedure, Stage.number)
    )
    return {(procedure, number): count for procedure, number, count in rows}


def _casework(board: Dashboard, user: StaffUser, today: date) -> None:
    from portal.services.casework import learning_actions, ombudsman, restrictions
    from portal.services.procedures.calendars import current_calendar

    if has_permission(user, "edit_cases"):
        board.ombudsman_due = ombudsman.recommendations_needing_attention(today, current_calendar(), viewer=user)
    board.my_actions = learning_actions.actions_for_owner(user, today)
    if user.role == "team_manager" and user.team_id is not None:
        board.team_actions = [row for row in learning_actions.team_actions(user, today)
                              if row.action.owner_id != user.id]
    if has_permission(user, "manage_restrictions"):
        board.reviews_due = restrictions.reviews_due(today)
