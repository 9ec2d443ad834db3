"""The workload page's figures (portal/services/triage/workload.py), worked out by hand."""

from __future__ import annotations

from datetime import date, datetime

import time_machine

from portal.extensions import db
from portal.services.common.dates import LONDON
from portal.services.triage import workload
from tests import factories

# Wednesday 14 May 2031: this week ends Sunday 18 May; the quarter began 1 April.
DAY = date(2031, 5, 14)


def test_each_officers_open_cases_due_overdue_and_average_days_to_respond(app):
    with time_machine.travel(datetime(2031, 5, 14, 10, tzinfo=LONDON)):
        manager = factories.staff("feedback_manager")
        olu, ada = factories.staff("feedback_officer", name="Olu"), factories.staff("feedback_officer", name="Ada")
        factories.initial_contact(assigned_to=olu, due_on=date(2031, 5, 16), status="open")  # due this week
        factories.initial_contact(assigned_to=olu, due_on=date(2031, 5, 13), status="open")  # overdue
        factories.initial_contact(assigned_to=olu, status="closed", due_on=date(2031, 5, 1))  # closed: not counted
        factories.complaint(factories.stage(date(2031, 5, 12)), assigned_to=olu)  # Stage 1, open
        # Ada: a Stage 2 open, and two responses this quarter: 10 and 4 working days.
        factories.complaint(factories.stage(date(2031, 3, 3), date(2031, 3, 14)),
                            factories.stage(date(2031, 4, 1)), assigned_to=ada)
        factories.complaint(factories.stage(date(2031, 4, 1), date(2031, 4, 15)), assigned_to=ada, status="closed")
        factories.complaint(factories.stage(date(2031, 5, 6), date(2031, 5, 12)), assigned_to=ada, status="closed")
        factories.initial_contact(status="open")  # nobody's

        loads = {load.name: load for load in workload.workload(manager, DAY)}
    olu_load, ada_load, nobody = loads["Olu"], loads["Ada"], loads["Not assigned"]
    assert olu_load.by_stage == {"initial_contact": 2, "stage_1": 1, "stage_2": 0, "stage_3": 0, "compliment": 0}
    assert (olu_load.due_this_week, olu_load.overdue) == (1, 1)
    assert olu_load.average_days_to_respond is None
    assert ada_load.by_stage["stage_2"] == 1 and ada_load.open_cases == 1
    # 1 April (Tue) to 15 April (Tue) 2031: 2-4 and 7-10 April and the 15th, as Good Friday
    # (11th) and Easter Monday (14th) are bank holidays: 8. 6 May (Tue) to 12 May (Mon):
    # 7, 8, 9 and 12 May: 4. The response of 14 March is last quarter's.
    assert ada_load.responses == 2
    assert ada_load.average_days_to_respond == (8 + 4) / 2
    assert nobody.open_cases == 1 and list(loads)[-1] == "Not assigned"


def test_a_team_manager_sees_only_their_teams_cases(app):
    send, fostering = factories.team("SEND Team"), factories.team("Fostering Team")
    team_manager = factories.staff("team_manager", team=send)
    olu = factories.staff("feedback_officer", name="Olu")
    factories.initial_contact(assigned_to=olu, team_id=send.id, status="open")
    factories.initial_contact(assigned_to=olu, team_id=fostering.id, status="open")
    loads = workload.workload(team_manager, DAY)
    assert [(load.name, load.open_cases) for load in loads] == [("Olu", 1)]


def test_a_response_this_quarter_counts_for_whoever_the_case_is_assigned_to_now(app):
    """The responses are read from the stages' copies of their case's officer (migration
    0028's triggers): reassigning the case moves them, as it moves its open cases."""
    from portal.services.triage import decisions

    manager = factories.staff("feedback_manager")
    olu, ada = factories.staff("feedback_officer", name="Olu"), factories.staff("feedback_officer", name="Ada")
    record = factories.complaint(factories.stage(date(2031, 5, 6), date(2031, 5, 12)), assigned_to=olu,
                                 status="closed")
    before = {load.name: load.responses for load in workload.workload(manager, DAY)}
    decisions.assign(record, ada, manager, record.version)
    db.session.commit()
    after = {load.name: (load.responses, load.average_days_to_respond) for load in workload.workload(manager, DAY)}
    assert before == {"Olu": 1}
    assert after == {"Ada": (1, 4)}
