"""Every procedure action checks the version of the case its form was drawn from, and
none commits: the caller does (portal.services; issue 15, "one transaction rule")."""

from datetime import date

import pytest

from portal.extensions import db
from portal.services.common.errors import EditConflict
from portal.services.procedures import elements, extensions, pauses, registration, stage2

from .conftest import TODAY

# A statutory Stage 1 started on Thursday 21 December 2023: due 9 January 2024, and
# extendable to at most 20 working days, Tuesday 23 January 2024 (DOMAIN.md's worked example).
ACTIONS = {
    "acknowledge": lambda stage, actor, **version: registration.record_acknowledgement(
        stage, date(2023, 12, 22), actor, today=TODAY, **version),
    "extend": lambda stage, actor, **version: extensions.extend_stage(
        stage, date(2024, 1, 23), "The team manager is away", actor, today=TODAY, **version),
    "pause": lambda stage, actor, **version: pauses.pause_stage(
        stage, "Care proceedings in the family court", date(2023, 12, 22), actor, today=TODAY, **version),
    "add an element": lambda stage, actor, **version: elements.add_element(
        stage, "Nobody rang back", actor, **version),
    "appoint the officer": lambda stage, actor, **version: stage2.appoint_officer(
        stage, actor, actor, **version),
}


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_a_change_from_an_out_of_date_page_is_a_conflict_and_changes_nothing(action, make_complaint, officer):
    record = make_complaint("statutory")
    stage, events = record.stages[0], len(record.timeline)
    with pytest.raises(EditConflict):
        action(stage, officer, version=record.version - 1)
    assert len(record.timeline) == events


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_caller_commits_so_a_rollback_undoes_the_change(action, make_complaint, officer):
    record = make_complaint("statutory")
    events = len(record.timeline)
    action(record.stages[0], officer, version=record.version)
    assert len(record.timeline) == events + 1
    db.session.rollback()
    assert len(record.timeline) == events
