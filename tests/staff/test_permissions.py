"""The role table, the rules for cases, and the documentation that describes them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Stage, Team
from portal.services.common.labels import StaffRole
from portal.services.accounts.permissions import (
    PERMISSIONS,
    ROLE_PERMISSIONS,
    can_view_feedback,
    has_permission,
    visible_feedback,
    visible_stages_counted,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_every_role_has_a_label_and_known_permissions():
    assert set(ROLE_PERMISSIONS) == set(StaffRole)
    assert all(role.words for role in StaffRole)
    for granted in ROLE_PERMISSIONS.values():
        assert granted <= set(PERMISSIONS)


def test_the_documented_matrix_is_the_table_in_code():
    lines = [line for line in DOC.read_text().splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[1:] == [r.words if r in ("investigating_officer", "independent_person")
                          else r.words.lower() for r in StaffRole]
    documented = {role: set() for role in StaffRole}
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] not in PERMISSIONS:
            continue
        for role, cell in zip(StaffRole, cells[1:]):
            if cell.startswith("yes"):
                documented[role].add(cells[0])
    assert documented == {role: set(granted) for role, granted in ROLE_PERMISSIONS.items()}


def test_an_unknown_permission_is_a_mistake_not_a_refusal(make_user):
    with pytest.raises(KeyError):
        has_permission(make_user(), "view_everything")


@pytest.fixture
def cases(app, make_user):
    teams = db.session.scalars(select(Team).order_by(Team.id)).all()[:2]
    io = make_user("investigating_officer")
    records = []
    for n, (team, assigned) in enumerate([(teams[0], io), (teams[1], None), (teams[0], None)]):
        record = Feedback(reference=f"CF-2026-0000{n}", kind="complaint", received_on=db.func.current_date(),
                          channel="web", submitter_role="parent_or_carer", summary="About the service",
                          team_id=team.id, assigned_to=assigned)
        records.append(record)
    db.session.add_all(records)
    db.session.commit()
    return {"io": io, "teams": teams, "records": records}


def visible_ids(user):
    return set(db.session.scalars(select(Feedback.id).where(visible_feedback(user))))


def test_investigating_officers_and_independent_persons_see_only_their_assigned_cases(cases, make_user):
    io = cases["io"]
    first, second, third = cases["records"]
    assert [can_view_feedback(io, r) for r in cases["records"]] == [True, False, False]
    assert visible_ids(io) == {first.id}
    ip = make_user("independent_person")
    assert not any(can_view_feedback(ip, r) for r in cases["records"])
    assert visible_ids(ip) == set()


def test_team_managers_see_their_teams_cases(cases, make_user):
    manager = make_user("team_manager", team=cases["teams"][0])
    first, second, third = cases["records"]
    assert [can_view_feedback(manager, r) for r in cases["records"]] == [True, False, True]
    assert visible_ids(manager) == {first.id, third.id}


@pytest.mark.parametrize("role", ["feedback_manager", "feedback_officer"])
def test_the_feedback_team_sees_every_case(cases, make_user, role):
    user = make_user(role)
    assert all(can_view_feedback(user, r) for r in cases["records"])
    assert visible_ids(user) == {r.id for r in cases["records"]}


@pytest.mark.parametrize("role", ["administrator", "report_viewer"])
def test_administrators_and_report_viewers_see_no_case(cases, make_user, role):
    user = make_user(role)
    assert not any(can_view_feedback(user, r) for r in cases["records"])
    assert visible_ids(user) == set()


def test_a_deactivated_account_has_no_permission(make_user):
    assert not has_permission(make_user("feedback_manager", active=False), "view_cases")


def test_links_in_mail_lead_to_the_pages_that_use_them(app):
    from portal.services.accounts.staff_accounts import LINK_PATHS

    adapter = app.url_map.bind("localhost")
    assert adapter.match(LINK_PATHS["invite"] + "abc")[0] == "staff.set_up"
    assert adapter.match(LINK_PATHS["reset"] + "abc")[0] == "staff.reset_password"
    assert re.match(r"^/staff/", LINK_PATHS["invite"])


@pytest.mark.parametrize("role", ["investigating_officer", "independent_person", "team_manager",
                                  "feedback_manager", "feedback_officer", "administrator"])
def test_the_stages_counted_from_their_copies_are_those_of_the_cases_each_role_sees(cases, make_user, role):
    """visible_stages_counted reads a stage's copies of its case's assignee and team
    (kept by the database, migration 0028): the same stages as visible_feedback's cases,
    after the cases are reassigned and moved as well as when their stages were written."""
    first, second, third = cases["records"]
    user = cases["io"] if role == "investigating_officer" else make_user(role, team=cases["teams"][0])
    for record in cases["records"]:
        record.stages.append(Stage(number=1, started_on=date(2026, 11, 2), paused_working_days=0,
                                   panel_members=[], independent_person_id=user.id if record is second else None))
    db.session.commit()
    second.assigned_to, third.team_id = first.assigned_to, cases["teams"][1].id
    first.assigned_to = None
    db.session.commit()

    def stages_of_visible_cases():
        return set(db.session.scalars(select(Stage.id).join(Feedback).where(visible_feedback(user))))

    counted = set(db.session.scalars(select(Stage.id).where(visible_stages_counted(user))))
    assert counted == stages_of_visible_cases()
    assert (counted != set()) == (role != "administrator")
