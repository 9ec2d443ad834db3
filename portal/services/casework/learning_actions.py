"""The learning action plan: recommendations that became actions with an owner.

DOMAIN.md, "Learning and improvement": recommendations from Stage 2 investigations,
Stage 3 panels and the Ombudsman (and any stage) go on an action plan: recommendation,
source case and stage, owning manager, date raised, due date, status (open, in progress,
done), completion date and note. Owners get a monthly reminder of open actions; overdue
actions are flagged.

Rules kept here:
- an action raised in the portal is owned by an active staff account (``owner_id``; the
  owner's name is kept in ``owner`` too, as imported history has only names);
- an action is overdue when it is not done and its due date has passed (an action due
  today is not yet overdue), the same rule as the report's;
- done needs a completion note, and a completion date no later than today;
- a team manager sees the actions on their team's cases (the case's team, as for the
  cases themselves: ``permissions.visible_feedback``) and any action they own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    Feedback,
    LearningAction,
    OmbudsmanRecommendation,
    StaffUser,
)
from portal.services.common.labels import ActionSource, ActionStatus
from portal.services.casework import common
from portal.services.common.dates import today_or, not_after_today
from portal.services.procedures import working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.common.errors import Refused, check_version
from portal.services.accounts.permissions import has_permission, visible_feedback
from portal.services.procedures.working_days import Calendar

if TYPE_CHECKING:  # the reminder runner belongs to the procedures services
    from portal.services.procedures.reminders import Reminder

NOT_DONE = ("open", "in_progress")


# --- Raising and changing actions ------------------------------------------------------


def raise_action(
    record: Feedback,
    source: str,
    text: str,
    owner: StaffUser | None,
    due_on: date | None,
    actor: StaffUser,
    today: date | None = None,
    *,
    version: int | None = None,
) -> LearningAction:
    """A recommendation from stage ``source`` ("1", "2", "3") of ``record`` (or
    "ombudsman") onto the action plan, open, raised today (not committed here)."""
    check_version(record, version)
    today = today_or(today)
    if source not in ActionSource:
        raise Refused("Select where the recommendation came from", "source")
    text = common.text(text)
    if text is None:
        raise Refused("Enter the recommendation", "recommendation")
    _check_owner(owner)
    _check_due(due_on, today)
    action = LearningAction(
        feedback=record, recommendation=text, source=source, owner_id=owner.id, owner=owner.name,
        raised_on=today, due_on=due_on, status="open",
    )
    db.session.add(action)
    common.flush_as(actor)
    return action


def raise_action_from_recommendation(
    recommendation: OmbudsmanRecommendation,
    owner: StaffUser | None,
    due_on: date | None,
    actor: StaffUser,
    today: date | None = None,
    *,
    version: int | None = None,
) -> LearningAction:
    """An Ombudsman recommendation onto the action plan, linked to it; due when the
    Ombudsman said unless another date is given."""
    action = raise_action(
        recommendation.enquiry.feedback, "ombudsman", recommendation.text, owner,
        due_on if due_on is not None else recommendation.due_on, actor, today, version=version,
    )
    action.ombudsman_recommendation = recommendation
    common.flush_as(actor)
    return action


def reassign(
    action: LearningAction, owner: StaffUser | None, due_on: date | None, actor: StaffUser,
    today: date | None = None,
) -> LearningAction:
    """Give the action to another owner, or move its due date."""
    _check_owner(owner)
    if due_on != action.due_on:
        _check_due(due_on, min(action.raised_on, today_or(today)))
    action.owner_id, action.owner = owner.id, owner.name
    action.due_on = due_on
    common.flush_as(actor)
    return action


def update_status(
    action: LearningAction,
    status: str,
    actor: StaffUser,
    completion_note: str | None = None,
    completed_on: date | None = None,
    today: date | None = None,
) -> LearningAction:
    """Open, in progress, or done. Done needs a note saying what was done and takes
    today's date unless another is given; moving back from done clears the date (the
    note stays, for the next attempt to build on)."""
    today = today_or(today)
    if status not in ActionStatus:
        raise Refused("Select the status of the action", "status")
    if status == "done":
        note = common.text(completion_note)
        if note is None:
            raise Refused("Enter what was done to complete the action", "completion_note")
        completed_on = completed_on or today
        not_after_today(completed_on, today, "The date completed must be today or in the past",
                                 "completed_on")
        if completed_on < action.raised_on:
            raise Refused("The date completed must be on or after the date the action was raised",
                          "completed_on")
        action.completion_note = note
        action.completed_on = completed_on
    else:
        action.completed_on = None
    action.status = status
    common.flush_as(actor)
    return action


def complete(
    action: LearningAction, completion_note: str, actor: StaffUser,
    completed_on: date | None = None, today: date | None = None,
) -> LearningAction:
    """Close the action with a note: ``update_status(action, "done", ...)``."""
    return update_status(action, "done", actor, completion_note, completed_on, today)


def _check_owner(owner: StaffUser | None) -> None:
    if owner is None:
        raise Refused("Select who owns the action", "owner")
    if not owner.active:
        raise Refused("Select an owner whose account is active", "owner")


def _check_due(due_on: date | None, today: date) -> None:
    if due_on is None:
        raise Refused("Enter the date the action is due", "due_on")
    if due_on < today:
        raise Refused("The due date must be today or in the future", "due_on")


# --- The overdue rule and the lists ----------------------------------------------------


def is_overdue(action: LearningAction, today: date) -> bool:
    """Not done, and its due date has passed (an action due today is not yet overdue)."""
    return action.status != "done" and action.due_on is not None and action.due_on < today


def _overdue_clause(today: date):
    return LearningAction.status.in_(NOT_DONE) & LearningAction.due_on.is_not(None) & (
        LearningAction.due_on < today
    )


@dataclass(frozen=True)
class ActionRow:
    action: LearningAction
    overdue: bool

    @property
    def owner_name(self) -> str:
        if self.action.owner_user is not None:
            return self.action.owner_user.name
        return self.action.owner or "No owner recorded"


@dataclass(frozen=True)
class ActionFilters:
    """What the action plan page can filter by. ``status`` is "open", "in_progress",
    "done" or "not_done" (open or in progress); ``team_id`` is the case's team."""

    status: str | None = None
    owner_id: int | None = None
    team_id: int | None = None
    source: str | None = None
    overdue: bool = False
    raised_from: date | None = None
    raised_to: date | None = None


def visible_actions(viewer: StaffUser):
    """A WHERE clause (over LearningAction joined to Feedback) for the actions this
    person may see: with ``view_actions``, the actions on cases they may see (a team
    manager: their team's cases), and always the actions they own."""
    own = LearningAction.owner_id == viewer.id
    if not has_permission(viewer, "view_actions"):
        return own
    return or_(visible_feedback(viewer), own)


def action_plan(filters: ActionFilters, today: date, viewer: StaffUser | None = None) -> list[ActionRow]:
    """The action plan, filtered: overdue first, then by due date (none last), then by
    date raised. With ``viewer``, only the actions that person may see."""
    query = (
        select(LearningAction)
        .join(Feedback, LearningAction.feedback_id == Feedback.id)
        .options(joinedload(LearningAction.feedback), joinedload(LearningAction.owner_user))
    )
    if viewer is not None:
        query = query.where(visible_actions(viewer))
    if filters.status == "not_done":
        query = query.where(LearningAction.status.in_(NOT_DONE))
    elif filters.status:
        if filters.status not in ActionStatus:
            raise Refused("Select a status from the list", "status")
        query = query.where(LearningAction.status == filters.status)
    if filters.owner_id is not None:
        query = query.where(LearningAction.owner_id == filters.owner_id)
    if filters.team_id is not None:
        query = query.where(Feedback.team_id == filters.team_id)
    if filters.source:
        query = query.where(LearningAction.source == filters.source)
    if filters.overdue:
        query = query.where(_overdue_clause(today))
    if filters.raised_from is not None:
        query = query.where(LearningAction.raised_on >= filters.raised_from)
    if filters.raised_to is not None:
        query = query.where(LearningAction.raised_on <= filters.raised_to)
    query = query.order_by(
        (~_overdue_clause(today)),  # overdue (false sorts first) before the rest
        LearningAction.due_on.is_(None), LearningAction.due_on, LearningAction.raised_on, LearningAction.id,
    )
    return [ActionRow(action, is_overdue(action, today)) for action in db.session.scalars(query).unique()]


def actions_for_owner(owner: StaffUser, today: date) -> list[ActionRow]:
    """The owner's actions not yet done, overdue first: their dashboard's list."""
    return action_plan(ActionFilters(status="not_done", owner_id=owner.id), today)


def team_actions(manager: StaffUser, today: date, status: str | None = "not_done") -> list[ActionRow]:
    """A team manager's view: the actions on their team's cases (see ``visible_actions``)."""
    if manager.team_id is None:
        return actions_for_owner(manager, today)
    return action_plan(ActionFilters(status=status, team_id=manager.team_id), today, viewer=manager)


# --- Reminders -------------------------------------------------------------------------


def first_working_day_of_month(day: date, calendar: Calendar) -> date:
    return working_days.add(day.replace(day=1) - timedelta(days=1), 1, calendar)


def previous_working_day(day: date, calendar: Calendar) -> date:
    day -= timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


MONTHLY_PURPOSES = ("action_summary", "actions_overdue")


def monthly_reminders(today: date, calendar: Calendar | None = None) -> list[Reminder]:
    """A ``send-reminders`` source for the first working day of the month: each owner
    with actions not yet done gets a summary of them, overdue ones marked, and each
    feedback manager gets the list of overdue actions, if any (the team mailbox when
    there is no feedback manager). Actions whose owner has no active account (imported
    history names owners only as text) appear in the managers' list when overdue.

    A run missed on the first working day is made up by the next run that month; once
    the month's reminders have gone, later runs send nothing (an owner whose first action
    is raised mid-month waits for next month's summary)."""
    calendar = calendar or current_calendar()
    first = first_working_day_of_month(today, calendar)
    month = f"{today:%Y-%m}"
    if today < first or (today > first and common.month_already_reminded(MONTHLY_PURPOSES, month)):
        return []
    rows = action_plan(ActionFilters(status="not_done"), today)
    by_owner: dict[int, list[ActionRow]] = {}
    for row in rows:
        if row.action.owner_user is not None and row.action.owner_user.active:
            by_owner.setdefault(row.action.owner_id, []).append(row)
    reminders = []
    for items in by_owner.values():
        owner = items[0].action.owner_user
        overdue = sum(1 for item in items if item.overdue)
        subject = f"Your open actions: {len(items)}" + (f", {overdue} overdue" if overdue else "")
        reminders.append(common.reminder(
            owner.email, subject, "email/actions_monthly.txt", "action_summary", month,
            person=owner, items=items, today=today,
        ))
    overdue_rows = [row for row in rows if row.overdue]
    if overdue_rows:
        for to, manager in common.recipients_or_mailbox(common.feedback_managers()):
            reminders.append(common.reminder(
                to, f"Overdue actions on the action plan: {len(overdue_rows)}", "email/actions_overdue.txt",
                "actions_overdue", month, person=manager, items=overdue_rows, today=today, newly=False,
            ))
    return reminders


def overdue_reminders(today: date, calendar: Calendar | None = None) -> list[Reminder]:
    """A ``send-reminders`` source for each working day: flag to each feedback manager
    the actions that have become overdue since the previous working day (due on or after
    it, before today), so each is flagged once when run every working day. Those missed
    are still in the monthly list and on the action plan."""
    calendar = calendar or current_calendar()
    if not calendar.is_working_day(today):
        return []
    since = previous_working_day(today, calendar)
    rows = [row for row in action_plan(ActionFilters(overdue=True), today) if row.action.due_on >= since]
    if not rows:
        return []
    return [
        common.reminder(
            to, f"Actions now overdue on the action plan: {len(rows)}", "email/actions_overdue.txt",
            "action_overdue", today.isoformat(), person=manager, items=rows, today=today, newly=True,
        )
        for to, manager in common.recipients_or_mailbox(common.feedback_managers())
    ]
