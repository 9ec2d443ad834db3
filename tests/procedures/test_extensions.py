"""Extensions (DOMAIN.md, Procedures, stages and clocks; Both procedures)."""

from datetime import date

import pytest

from portal.models import OutboxMessage
from portal.services.common.errors import Refused
from portal.services.procedures.extensions import (
    extend_stage,
    latest_extension_date,
    record_notice,
    tells_ombudsman,
    untold,
)

from .conftest import TODAY


def test_statutory_stage1_extended_to_the_maximum_worked_example_23_january_2024(
        make_complaint, officer):
    """Statutory Stage 1 extends to at most 20 WD: registered 21 December 2023, the
    latest is 23 January 2024; the reason is recorded, and the complainant is not yet told:
    the extension notice tells them (letters)."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    assert latest_extension_date(stage) == date(2024, 1, 23)
    extension = extend_stage(stage, date(2024, 1, 23), "The team manager is on leave", officer, today=TODAY)
    assert stage.due_on == record.due_on == date(2024, 1, 23)
    assert (stage.extended_to, stage.extension_reason) == (date(2024, 1, 23),
                                                           "The team manager is on leave")
    assert (extension.told_by, extension.told_on, extension.outbox_message) == (None, None, None)
    assert untold(stage) == [extension]
    assert OutboxMessage.query.count() == 0  # nothing goes without the letters' check and preview
    assert "extended to 23 January 2024" in record.timeline[-1].text


def test_extension_beyond_the_maximum_is_refused(make_complaint, officer):
    """DOMAIN.md, Both procedures: "The portal refuses to record an extension beyond the
    maximum"."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    with pytest.raises(Refused) as refusal:
        extend_stage(record.stages[0], date(2024, 1, 24), "More time", officer,
                     today=TODAY)
    assert refusal.value.field == "extended_to"
    assert "on or before 23 January 2024" in str(refusal.value)
    assert record.stages[0].extended_to is None


def test_extension_needs_a_reason(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    with pytest.raises(Refused) as refusal:
        extend_stage(record.stages[0], date(2024, 1, 16), "  ", officer, today=TODAY)
    assert refusal.value.field == "extension_reason"
    assert record.stages[0].extensions == []


def test_the_notice_tells_every_extension_not_yet_told_and_only_those(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    first = extend_stage(stage, date(2024, 1, 12), "Waiting for records", officer, today=TODAY)
    assert record_notice(stage, "letter", date(2024, 1, 5)) == [first]
    second = extend_stage(stage, date(2024, 1, 16), "The records came late", officer, today=TODAY)
    assert record_notice(stage, "email", date(2024, 1, 10)) == [second]
    assert [(e.told_by, e.told_on) for e in stage.extensions] == [("letter", date(2024, 1, 5)),
                                                                   ("email", date(2024, 1, 10))]
    with pytest.raises(Refused):
        record_notice(stage, "pigeon", date(2024, 1, 10))


def test_corporate_stage2_extension_up_to_20_more_wd_agreed_with_the_complainant(
        make_complaint, officer):
    """DOMAIN.md, Corporate Stage 2: "up to 20 WD more, reason recorded, agreed with the
    complainant"."""
    record = make_complaint("corporate", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), None)))
    stage = record.stages[1]
    assert stage.due_on == date(2024, 2, 6)  # 25 WD
    with pytest.raises(Refused) as refusal:
        extend_stage(stage, date(2024, 3, 5), "Reason", officer, today=TODAY)
    assert refusal.value.field == "agreed_with_complainant"
    with pytest.raises(Refused, match="on or before 5 March 2024"):
        extend_stage(stage, date(2024, 3, 6), "Reason", officer,
                     agreed_with_complainant=True, today=TODAY)
    extend_stage(stage, date(2024, 3, 5), "An interview has moved", officer,
                 agreed_with_complainant=True, today=TODAY)
    assert stage.due_on == date(2024, 3, 5)  # 45 WD


def test_stage3_cannot_be_extended(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), date(2024, 2, 1)),
                                                 (date(2024, 2, 5), None)))
    with pytest.raises(Refused, match="Stage 3 timescales cannot be extended"):
        extend_stage(record.stages[2], date(2024, 4, 1), "Reason", officer, today=TODAY)


def test_a_responded_stage_cannot_be_extended(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), date(2024, 1, 8)),))
    with pytest.raises(Refused, match="responded to on 8 January 2024"):
        extend_stage(record.stages[0], date(2024, 1, 16), "Reason", officer, today=TODAY)


def test_a_code_stage_1_extends_10_wd_from_its_acknowledgement_and_its_notice_names_the_ombudsman(
        make_complaint, officer):
    """The Complaint Handling Code (issue 21): a corporate Stage 1 registered on Thursday 2
    April 2026 and acknowledged on Tuesday 7 April is due 10 WD later, Tuesday 21 April; an
    extension adds at most 10 WD, to Wednesday 6 May (the bank holiday Monday 4 May does
    not count). The reason is told together with the Ombudsman's details."""
    record = make_complaint("corporate", stages=((date(2026, 4, 2), None),))
    stage = record.stages[0]
    stage.acknowledged_on = date(2026, 4, 7)
    assert latest_extension_date(stage) == date(2026, 5, 6)
    with pytest.raises(Refused, match="on or before 6 May 2026"):
        extend_stage(stage, date(2026, 5, 7), "Waiting for the school", officer, today=date(2026, 4, 20))
    extend_stage(stage, date(2026, 5, 6), "Waiting for the school", officer, today=date(2026, 4, 20))
    assert stage.due_on == date(2026, 5, 6)
    assert tells_ombudsman(stage)


@pytest.mark.parametrize(("procedure", "started_on", "tells"), [
    ("corporate", date(2026, 3, 31), False),  # the day before the Code
    ("corporate", date(2026, 4, 1), True),  # the Code's first day
    ("statutory", date(2026, 4, 1), False),  # the Code is not for the statutory procedure
])
def test_only_a_corporate_stage_under_the_code_tells_the_ombudsman_of_an_extension(
        make_complaint, procedure, started_on, tells):
    record = make_complaint(procedure, stages=((started_on, None),))
    assert tells_ombudsman(record.stages[0]) is tells
