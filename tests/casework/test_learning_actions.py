"""The learning action plan: actions raised from a stage or the Ombudsman, owned by staff,
listed with filters and overdue markers, reminded monthly, closed with a note."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, LearningAction
from portal.services.casework import learning_actions as actions
from portal.services.casework import ombudsman
from portal.services.casework.learning_actions import ActionFilters
from portal.services.common.errors import Refused
from portal.services.procedures.reminders import queue_reminders
from portal.services.procedures.working_days import Calendar
from tests.casework.conftest import body_of, deliver, team

CALENDAR = Calendar()
RAISED = date(2023, 12, 4)


def monthly(today):
    return actions.monthly_reminders(today, CALENDAR)


def test_an_action_raised_at_stage_2_reaches_its_owner_and_the_monthly_reminder_and_is_closed_with_a_note(
        app, mail_to, officer, manager, make_staff, make_complaint):
    record = make_complaint()
    owner = make_staff("team_manager", name="Fran Fostering", team=team("Fostering Team"))
    action = actions.raise_action(record, "2", "Hold a meeting before any placement is ended", owner,
                                  date(2024, 2, 29), officer, today=RAISED)
    db.session.commit()
    assert (action.source, action.owner_id, action.owner, action.status) == ("2", owner.id, "Fran Fostering", "open")
    assert record.learning_actions == [action]

    [row] = actions.actions_for_owner(owner, date(2024, 1, 2))
    assert row.action == action and not row.overdue
    assert actions.actions_for_owner(officer, date(2024, 1, 2)) == []

    # 1 January 2024 is a bank holiday: the first working day is Tuesday 2 January.
    assert monthly(date(2024, 1, 1)) == []
    run = queue_reminders(date(2024, 1, 2), [monthly])
    assert run.queued == 1  # the owner; nothing is overdue, so no list for the managers
    deliver(app)
    [message] = mail_to.wait_for(1)
    assert message["To"] == owner.email and message["Subject"] == "Your open actions: 1"
    body = body_of(message)
    assert "CF-2024-00001: due Thursday 29 February 2024 (Open)" in body
    assert "Hold a meeting before any placement is ended" in body
    assert queue_reminders(date(2024, 1, 2), [monthly]).queued == 0  # twice the same day
    assert monthly(date(2024, 1, 3)) == []  # and not again that month

    actions.update_status(action, "in_progress", owner, today=date(2024, 1, 10))
    actions.complete(action, "Procedure changed; managers briefed on 20 February", owner,
                     today=date(2024, 2, 21))
    db.session.commit()
    assert (action.status, action.completed_on) == ("done", date(2024, 2, 21))
    assert action.completion_note.startswith("Procedure changed")
    assert actions.actions_for_owner(owner, date(2024, 3, 1)) == []
    assert monthly(date(2024, 3, 1)) == []  # nothing left to remind anyone of

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "learning_action")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("create", officer.id), ("update", owner.id), ("update", owner.id)]
    assert entries[-1].new["status"] == "done"


def test_an_ombudsman_recommendation_becomes_an_action_due_when_the_ombudsman_said(app, officer, make_complaint):
    enquiry = ombudsman.record_enquiry(make_complaint(), "23 012 345", date(2024, 4, 2), officer,
                                       today=date(2024, 6, 1))
    recommendation = ombudsman.add_recommendation(enquiry, "Train staff on ending placements",
                                                  date(2024, 9, 30), officer)
    action = actions.raise_action_from_recommendation(recommendation, officer, None, officer,
                                                      today=date(2024, 6, 1))
    db.session.commit()
    assert (action.source, action.due_on, action.recommendation) == (
        "ombudsman", date(2024, 9, 30), "Train staff on ending placements")
    assert action.ombudsman_recommendation == recommendation
    assert action.feedback == enquiry.feedback


def test_an_action_is_overdue_the_day_after_its_due_date_until_done():
    action = LearningAction(status="open", due_on=date(2024, 3, 1))
    assert not actions.is_overdue(action, date(2024, 3, 1))
    assert actions.is_overdue(action, date(2024, 3, 2))
    action.status = "in_progress"
    assert actions.is_overdue(action, date(2024, 3, 2))
    action.status = "done"
    assert not actions.is_overdue(action, date(2024, 3, 2))
    assert not actions.is_overdue(LearningAction(status="open", due_on=None), date(2024, 3, 2))


@pytest.fixture
def plan(app, officer, make_staff, make_complaint):
    """Three actions on two teams' cases, and an imported one with an owner named only."""
    fostering_case = make_complaint(team_name="Fostering Team")
    send_case = make_complaint(team_name="SEND Team")
    fran = make_staff("team_manager", name="Fran", team=team("Fostering Team"))
    sam = make_staff("team_manager", name="Sam", team=team("SEND Team"))
    late = actions.raise_action(fostering_case, "2", "Late one", fran, date(2024, 1, 31), officer, today=RAISED)
    soon = actions.raise_action(send_case, "3", "Owned by Fran on a SEND case", fran, date(2024, 6, 30), officer,
                                today=date(2024, 1, 15))
    sams = actions.raise_action(send_case, "1", "Sam's", sam, date(2024, 5, 1), officer, today=RAISED)
    imported = LearningAction(feedback=send_case, recommendation="Imported", source="2", owner="A. Former Manager",
                              raised_on=date(2023, 1, 5), due_on=date(2023, 6, 1), status="in_progress")
    db.session.add(imported)
    actions.complete(sams, "Done early", sam, today=date(2024, 2, 1))
    db.session.commit()
    return {"fran": fran, "sam": sam, "late": late, "soon": soon, "sams": sams, "imported": imported,
            "fostering": fostering_case}


def test_the_action_plan_filters_and_puts_overdue_first(plan):
    today = date(2024, 2, 15)
    everything = actions.action_plan(ActionFilters(), today)
    assert [r.action.recommendation for r in everything] == [
        "Imported", "Late one", "Sam's", "Owned by Fran on a SEND case"]
    assert [r.overdue for r in everything] == [True, True, False, False]
    assert everything[0].owner_name == "A. Former Manager" and everything[1].owner_name == "Fran"

    def found(**filters):
        return [r.action for r in actions.action_plan(ActionFilters(**filters), today)]

    assert found(status="done") == [plan["sams"]]
    assert found(status="not_done") == [plan["imported"], plan["late"], plan["soon"]]
    assert found(status="in_progress") == [plan["imported"]]
    assert found(owner_id=plan["fran"].id) == [plan["late"], plan["soon"]]
    assert found(team_id=team("Fostering Team").id) == [plan["late"]]
    assert found(source="3") == [plan["soon"]]
    assert found(overdue=True) == [plan["imported"], plan["late"]]
    assert found(raised_from=date(2024, 1, 1), raised_to=date(2024, 1, 31)) == [plan["soon"]]
    with pytest.raises(Refused):
        found(status="finished")


def test_a_team_manager_sees_their_teams_cases_actions_and_their_own(plan, make_staff):
    today = date(2024, 2, 15)
    fran_sees = {r.action.recommendation for r in actions.action_plan(ActionFilters(), today, viewer=plan["fran"])}
    assert fran_sees == {"Late one", "Owned by Fran on a SEND case"}  # own team's case, and owned
    sam_sees = {r.action.recommendation for r in actions.action_plan(ActionFilters(), today, viewer=plan["sam"])}
    assert sam_sees == {"Owned by Fran on a SEND case", "Sam's", "Imported"}
    assert [r.action.recommendation for r in actions.team_actions(plan["sam"], today)] == [
        "Imported", "Owned by Fran on a SEND case"]
    investigator = make_staff("investigating_officer")
    assert actions.action_plan(ActionFilters(), today, viewer=investigator) == []
    manager = make_staff("feedback_manager")
    assert len(actions.action_plan(ActionFilters(), today, viewer=manager)) == 4


def test_the_monthly_reminder_lists_overdue_actions_for_the_feedback_managers(app, plan, manager):
    # 1 March 2024 is a Friday, the first working day of March.
    reminders = monthly(date(2024, 3, 1))
    by_to = {r.to: r for r in reminders}
    assert set(by_to) == {plan["fran"].email, manager.email}  # Sam's only action is done
    assert by_to[plan["fran"].email].subject == "Your open actions: 2, 1 overdue"
    assert "CF-2024-00001 - OVERDUE: due Wednesday 31 January 2024 (Open)" in by_to[plan["fran"].email].body
    to_manager = by_to[manager.email]
    assert to_manager.subject == "Overdue actions on the action plan: 2"
    assert "owner A. Former Manager (In progress)" in to_manager.body
    assert "owner Fran (Open)" in to_manager.body
    assert {(r.purpose, r.period) for r in reminders} == {("action_summary", "2024-03"),
                                                         ("actions_overdue", "2024-03")}


def test_a_month_whose_first_working_day_was_missed_is_made_up_once(app, plan, manager):
    assert monthly(date(2024, 2, 1)) != []
    assert monthly(date(2024, 2, 5)) != []  # nothing was queued on the 1st: made up
    assert queue_reminders(date(2024, 2, 5), [monthly]).queued == 2
    assert monthly(date(2024, 2, 6)) == []


def test_actions_that_become_overdue_are_flagged_once_to_the_feedback_managers(app, plan, manager):
    def overdue(today):
        return actions.overdue_reminders(today, CALENDAR)

    # "Late one" was due Wednesday 31 January: flagged on Thursday 1 February, not after.
    assert overdue(date(2024, 1, 31)) == []
    [flag] = overdue(date(2024, 2, 1))
    assert flag.to == manager.email and flag.subject == "Actions now overdue on the action plan: 1"
    assert "have become overdue" in flag.body and "Late one" in flag.body
    assert overdue(date(2024, 2, 2)) == []
    # Due on a Friday: flagged on the Monday (weekend runs send nothing).
    plan["soon"].due_on = date(2024, 6, 28)
    db.session.commit()
    assert overdue(date(2024, 6, 29)) == [] and overdue(date(2024, 6, 30)) == []
    assert "Owned by Fran" in overdue(date(2024, 7, 1))[0].body


@pytest.mark.parametrize("source, text, due_on, field", [
    ("4", "x", date(2024, 2, 1), "source"),
    ("2", "  ", date(2024, 2, 1), "recommendation"),
    ("2", "x", None, "due_on"),
    ("2", "x", date(2023, 12, 1), "due_on"),
])
def test_an_action_that_cannot_be_raised_names_its_field(app, officer, make_complaint, source, text, due_on,
                                                         field):
    with pytest.raises(Refused) as refused:
        actions.raise_action(make_complaint(), source, text, officer, due_on, officer, today=RAISED)
    assert refused.value.field == field


def test_an_owner_must_be_an_active_account_and_done_needs_a_note(app, officer, make_staff, make_complaint):
    record = make_complaint()
    with pytest.raises(Refused, match="Select who owns the action"):
        actions.raise_action(record, "2", "x", None, date(2024, 2, 1), officer, today=RAISED)
    with pytest.raises(Refused, match="active"):
        actions.raise_action(record, "2", "x", make_staff(active=False), date(2024, 2, 1), officer, today=RAISED)
    action = actions.raise_action(record, "2", "x", officer, date(2024, 2, 1), officer, today=RAISED)
    with pytest.raises(Refused, match="Enter what was done") as refused:
        actions.complete(action, " ", officer, today=RAISED)
    assert refused.value.field == "completion_note"
    with pytest.raises(Refused) as refused:
        actions.complete(action, "Done", officer, completed_on=date(2024, 1, 2), today=RAISED)
    assert refused.value.field == "completed_on"
    actions.complete(action, "Done", officer, today=RAISED)
    actions.update_status(action, "open", officer, today=RAISED)  # reopened: the date goes, the note stays
    assert (action.completed_on, action.completion_note) == (None, "Done")
    other = make_staff("team_manager", team=team("SEND Team"))
    actions.reassign(action, other, date(2024, 3, 1), officer, today=RAISED)
    assert (action.owner_id, action.owner, action.due_on) == (other.id, other.name, date(2024, 3, 1))
