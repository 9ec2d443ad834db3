"""Stage 3, the review panel (DOMAIN.md, Children's social care Stage 3: "panel of three
independent people, one chairs; the Stage 2 IP may not sit"; panel meets within 30 WD,
report within 5 WD of the meeting, response within 15 WD of the report)."""

from datetime import date

import pytest

from portal.services.common.errors import Refused
from portal.services.procedures.display import stage_clocks
from portal.services.procedures.stage3 import (
    appoint_panel,
    record_panel_meeting,
    record_panel_report,
)

from .conftest import TODAY

STAGES = ((date(2023, 12, 1), date(2023, 12, 14)), (date(2024, 1, 2), date(2024, 3, 12)),
          (date(2024, 3, 14), None))


@pytest.fixture
def complaint(make_complaint):
    record = make_complaint("statutory", stages=STAGES)
    record.stages[1].independent_person = "Ian Independent"
    return record


def test_stage3_panel_of_three_independent_people_with_a_chair(complaint, make_user, officer):
    stage = complaint.stages[2]
    chair = make_user("independent_person", "Chris Chair")
    appoint_panel(stage, ["Pat External", chair, "Rae Reviewer"], chair, officer)
    assert stage.panel_members == ["Chris Chair", "Pat External", "Rae Reviewer"]  # chair first
    assert "Chris Chair (chair)" in complaint.timeline[-1].text


def test_stage3_panel_needs_exactly_three_different_people_and_a_chair_among_them(complaint, officer):
    stage = complaint.stages[2]
    with pytest.raises(Refused) as refusal:
        appoint_panel(stage, ["Pat External", "Rae Reviewer", ""], "Pat External", officer)
    assert (refusal.value.field, str(refusal.value)) == ("panel_members", "Enter three panel members")
    with pytest.raises(Refused, match="named twice"):
        appoint_panel(stage, ["Pat External", "pat external", "Rae"], "Rae", officer)
    with pytest.raises(Refused) as refusal:
        appoint_panel(stage, ["Pat External", "Rae Reviewer", "Lee Lay"], "Kim Other", officer)
    assert refusal.value.field == "chair"


def test_stage3_panel_never_includes_the_stage2_independent_person(complaint, officer):
    with pytest.raises(Refused, match="Ian Independent was the Stage 2 Independent Person"):
        appoint_panel(complaint.stages[2], ["Pat External", "Rae Reviewer", "ian independent"],
                      "Pat External", officer)
    assert complaint.stages[2].panel_members == []


def test_stage3_panel_members_are_not_officers_of_the_organisation(complaint, officer):
    with pytest.raises(Refused, match="officer of the organisation"):
        appoint_panel(complaint.stages[2], ["Pat External", "Rae Reviewer", officer],
                      "Pat External", officer)


def test_stage3_clocks_panel_30_wd_report_5_wd_response_15_wd_each_shown(complaint, officer):
    stage = complaint.stages[2]
    clocks = stage_clocks(stage, date(2024, 4, 26))
    assert [(c.label, c.due_on) for c in clocks] == [
        ("Panel meeting due", date(2024, 4, 29)),  # 30 WD after 14 March (Easter in between)
        ("Panel report due", None), ("Response due", None)]
    assert clocks[0].status == "1 working day left" and clocks[1].status == "Not started"
    assert stage.due_on == date(2024, 4, 29)
    with pytest.raises(Refused, match="Appoint the panel"):
        record_panel_meeting(stage, date(2024, 4, 25), officer, today=TODAY)
    appoint_panel(stage, ["Pat External", "Rae Reviewer", "Lee Lay"], "Lee Lay", officer)
    with pytest.raises(Refused, match="Record the panel meeting"):
        record_panel_report(stage, date(2024, 5, 1), officer, today=TODAY)
    record_panel_meeting(stage, date(2024, 4, 25), officer, today=TODAY)
    assert stage.due_on == date(2024, 5, 2)  # report 5 WD after the meeting
    with pytest.raises(Refused) as refusal:
        record_panel_report(stage, date(2024, 4, 24), officer, today=TODAY)
    assert refusal.value.field == "panel_report_on"
    record_panel_report(stage, date(2024, 5, 1), officer, today=TODAY)
    assert stage.due_on == complaint.due_on == date(2024, 5, 23)  # response 15 WD after the report
    clocks = stage_clocks(stage, date(2024, 5, 24))
    assert [c.status for c in clocks] == [
        "Done 25 April 2024 (in time)", "Done 1 May 2024 (in time)",
        "Overdue: was due 23 May 2024, 1 working day ago"]


def test_stage3_panel_people_only_at_statutory_stage3(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    with pytest.raises(Refused, match="only appoint the panel at Stage 3"):
        appoint_panel(record.stages[0], ["A", "B", "C"], "A", officer)
