"""Stage 2 people (DOMAIN.md, Children's social care Stage 2; Corporate: "A Stage 2 must
be handled by someone other than the Stage 1 officer"; issue 5, 4)."""

from datetime import date

import pytest

from portal.extensions import db
from portal.services.common.errors import Refused
from portal.services.procedures.stage2 import (
    appoint_independent_person,
    appoint_investigating_officer,
    appoint_officer,
    record_statement_agreed,
)

from .conftest import TODAY

TWO_STAGES = ((date(2023, 12, 1), date(2023, 12, 14)), (date(2024, 1, 2), None))


def test_corporate_stage2_officer_must_differ_from_stage1s(make_complaint, make_user, officer):
    record = make_complaint("corporate", stages=TWO_STAGES)
    record.stages[0].officer, record.stages[0].officer_user = officer.name, officer  # Stage 1 was Olu's
    stage = record.stages[1]
    with pytest.raises(Refused) as refusal:
        appoint_officer(stage, officer, officer)
    assert refusal.value.field == "officer"
    assert "Olu Officer was the Stage 1 officer" in str(refusal.value)
    with pytest.raises(Refused):  # the same person by name
        appoint_officer(stage, "  olu   officer ", officer)
    with pytest.raises(Refused) as refusal:
        appoint_investigating_officer(stage, officer, officer)
    assert refusal.value.field == "investigating_officer"
    other = make_user("feedback_manager", "Ade Manager")
    appoint_officer(stage, other, officer)
    assert (stage.officer, stage.officer_id) == ("Ade Manager", other.id)


def test_statutory_stage2_may_be_handled_by_the_stage1_officer(make_complaint, officer):
    record = make_complaint("statutory", stages=TWO_STAGES)
    record.stages[0].officer, record.stages[0].officer_user = officer.name, officer
    appoint_officer(record.stages[1], officer, officer)
    assert record.stages[1].officer == "Olu Officer"


def test_statutory_stage2_appoints_an_investigating_officer_and_an_independent_person(
        make_complaint, make_user, officer):
    record = make_complaint("statutory", stages=TWO_STAGES)
    stage = record.stages[1]
    io = make_user("investigating_officer", "Ivy Investigator")
    ip = make_user("independent_person", "Ian Independent")
    appoint_investigating_officer(stage, io, officer)
    appoint_independent_person(stage, ip, officer)
    db.session.commit()
    assert (stage.investigating_officer, stage.investigating_officer_id) == ("Ivy Investigator", io.id)
    assert (stage.independent_person, stage.independent_person_id) == ("Ian Independent", ip.id)
    appoint_independent_person(stage, "Pat External", officer)  # a named external person
    assert (stage.independent_person, stage.independent_person_id) == ("Pat External", None)


def test_the_independent_person_may_not_be_an_officer_of_the_organisation(
        make_complaint, make_user, officer):
    record = make_complaint("statutory", stages=TWO_STAGES)
    stage = record.stages[1]
    with pytest.raises(Refused) as refusal:
        appoint_independent_person(stage, officer, officer)
    assert refusal.value.field == "independent_person"
    assert "officer of the organisation" in str(refusal.value)
    with pytest.raises(Refused, match="name of an officer"):
        appoint_independent_person(stage, "OLU OFFICER", officer)
    io = make_user("investigating_officer", "Ivy Investigator")
    appoint_investigating_officer(stage, io, officer)
    ip = make_user("independent_person", "Ian Independent")
    appoint_independent_person(stage, ip, officer)
    with pytest.raises(Refused, match="must be different people"):
        appoint_investigating_officer(stage, "Ian Independent", officer)


def test_only_statutory_stage2_has_an_independent_person(make_complaint, officer):
    record = make_complaint("corporate", stages=TWO_STAGES)
    with pytest.raises(Refused, match="Only the statutory procedure"):
        appoint_independent_person(record.stages[1], "Pat External", officer)
    with pytest.raises(Refused, match="only appoint an Investigating Officer at Stage 2"):
        appoint_investigating_officer(record.stages[0], "Ivy", officer)


def test_the_date_the_statement_of_complaint_was_agreed_is_recorded(make_complaint, officer):
    record = make_complaint("statutory", stages=TWO_STAGES)
    stage = record.stages[1]
    with pytest.raises(Refused) as refusal:
        record_statement_agreed(stage, date(2024, 1, 1), officer, today=TODAY)
    assert refusal.value.field == "agreed_on"
    record_statement_agreed(stage, date(2024, 1, 10), officer, today=TODAY)
    assert stage.statement_agreed_on == date(2024, 1, 10)


# The Complaint Handling Code (issue 21): Stage 2 by a different person from Stage 1,
# refused otherwise; a feedback manager may allow it with a reason, kept and audited.

def _corporate_stage2(make_complaint, officer):
    record = make_complaint("corporate", stages=((date(2024, 1, 2), date(2024, 1, 10)),
                                                 (date(2024, 1, 15), None)))
    record.stages[0].officer, record.stages[0].officer_user = officer.name, officer
    return record


def test_the_stage_1_officer_handles_stage_2_only_with_a_managers_reason(make_complaint, officer, make_user):
    from portal.models import AuditEntry, TimelineEvent
    from portal.extensions import db

    record = _corporate_stage2(make_complaint, officer)
    second = record.stages[1]
    manager = make_user("feedback_manager", "Mo Manager")
    with pytest.raises(Refused, match="a feedback manager can allow it") as refusal:
        appoint_officer(second, officer, manager)
    assert refusal.value.field == "officer"
    with pytest.raises(Refused, match="Only a feedback manager") as refusal:
        appoint_officer(second, officer, officer, override_reason="Nobody else knows the case")
    assert refusal.value.field == "override_reason" and second.officer is None
    appoint_officer(second, officer, manager, override_reason="The only SEND officer")
    db.session.commit()
    assert (second.officer_user, second.same_handler_reason) == (officer, "The only SEND officer")
    said = [e.text for e in db.session.query(TimelineEvent).filter_by(feedback_id=record.id)]
    assert "Mo Manager allowed Olu Officer, the Stage 1 officer, to handle Stage 2: The only SEND officer" in said
    audited = [a for a in db.session.query(AuditEntry)
               if (a.new or {}).get("same_handler_reason") == "The only SEND officer"]
    assert len(audited) == 1 and audited[0].action == "update"


def test_someone_else_needs_no_reason(make_complaint, officer, make_user):
    record = _corporate_stage2(make_complaint, officer)
    other = make_user("feedback_officer", "Ola Other")
    appoint_investigating_officer(record.stages[1], other, officer)
    assert record.stages[1].investigating_officer_user == other
    assert record.stages[1].same_handler_reason is None
