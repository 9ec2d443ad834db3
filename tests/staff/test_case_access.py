"""Case-level pages walked with records that exist, for every role: a case this person may
see and one they may not, each with its own person, payment, Ombudsman enquiry and
recommendation, action and stages. A role without the permission gets 403; a case, or a
person, outside the role's cases (not assigned, another team) gets 404; an id that
belongs to another case, given in this case's address, gets 404 and changes nothing; and
what the role should reach answers 200 (or, for a form post, 200 or a redirect).

Who sees which case is docs/permissions.md's rule: feedback managers and officers every
case, Investigating Officers and Independent Persons the cases assigned to them, team
managers their team's cases, administrators and report viewers none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Feedback, LearningAction, OmbudsmanEnquiry, OmbudsmanRecommendation, Payment, Person, Team,
)
from portal.services.common.labels import StaffRole
from tests import factories
from tests.staff.conftest import sign_in

FEEDBACK_TEAM = {"feedback_manager", "feedback_officer"}
SEES_OWN_CASE = FEEDBACK_TEAM | {"investigating_officer", "independent_person", "team_manager"}
HAS_VIEW_CASES = SEES_OWN_CASE  # administrators, report viewers and elected members have no view_cases
HIDDEN_FROM = {"elected_member"}  # every case-level address answers 404
REACHED = "reached"  # 200 for a page; 200 (the form's errors) or a redirect for a post


@dataclass
class Case:
    record: Feedback
    person: Person
    payment: Payment
    enquiry: OmbudsmanEnquiry
    recommendation: OmbudsmanRecommendation
    action: LearningAction


def make_case(n: int, team: Team, stages: int, elements: int, assigned_to=None, owner=None) -> Case:
    person = Person(name=f"Person {n}", email=f"person{n}@example.org")
    record = factories.complaint(
        *(factories.stage(date(2026, number, 5), None if number == stages else date(2026, number, 20),
                          elements=elements, summary="Element") for number in range(1, stages + 1)),
        reference=f"CF-2026-0000{n}", summary=f"Complaint {n}", person=person, team_id=team.id,
        assigned_to=assigned_to)
    payment = Payment(feedback_id=record.id, kind="financial_remedy", amount_pence=25000, paid_on=date(2026, 2, 2),
                      description="Time and trouble")
    enquiry = OmbudsmanEnquiry(feedback_id=record.id, reference=f"LGO-{n}", notified_on=date(2026, 3, 2),
                               status="initial_enquiries")
    recommendation = OmbudsmanRecommendation(text="Apologise in writing", due_on=date(2026, 6, 1))
    enquiry.recommendations.append(recommendation)
    action = LearningAction(feedback_id=record.id, recommendation=f"Learning {n}", source="1",
                            owner_id=owner.id if owner else None, raised_on=date(2026, 2, 2),
                            due_on=date(2026, 9, 1))
    db.session.add_all([payment, enquiry, action])
    db.session.commit()
    return Case(record, person, payment, enquiry, recommendation, action)


@dataclass
class World:
    own: Case  # assigned to the person signed in, or on their team
    other: Case  # another team's, assigned to nobody


@pytest.fixture
def world(app, make_user):
    def make(user) -> World:
        first, second = db.session.scalars(select(Team).order_by(Team.id)).all()[:2]
        assigned = user if user.role in ("investigating_officer", "independent_person") else None
        # The own case has one stage of one element; the other has two of two, so that its
        # stage 2 and element 2 are numbers the own case does not have.
        own = make_case(1, first, stages=1, elements=1, assigned_to=assigned)
        other = make_case(2, second, stages=2, elements=2)
        return World(own, other)

    return make


def expected_for(role: str, world: World) -> list[tuple[str, str, str, dict | str]]:
    """(what, method, url, status by role or REACHED) for every case-level address."""
    own, other = world.own, world.other
    a, b = f"/staff/cases/{own.record.reference}", f"/staff/cases/{other.record.reference}"

    def by(reached: set, refused_code: int = 403, not_theirs: set = frozenset()):
        if role in HIDDEN_FROM:
            return 404  # an elected member never learns that a case or a person exists
        return REACHED if role in reached else 404 if role in not_theirs else refused_code

    sees_own = by(SEES_OWN_CASE)
    sees_other = by(FEEDBACK_TEAM, not_theirs=HAS_VIEW_CASES - FEEDBACK_TEAM)
    edits = by(FEEDBACK_TEAM)
    wrong_case = by(set(), not_theirs=FEEDBACK_TEAM)  # the feedback team: 404; the rest: 403
    manager_only = by({"feedback_manager"})
    return [
        ("own case page", "GET", a, sees_own),
        ("other case page", "GET", b, sees_other),
        ("own case's person", "GET", f"/staff/people/{own.person.id}", sees_own),
        ("other case's person", "GET", f"/staff/people/{other.person.id}", sees_other),
        ("note on own case", "POST", f"{a}/notes", edits),
        ("note on other case", "POST", f"{b}/notes", edits),
        ("assign other case", "POST", f"{b}/assign", edits),
        ("own payment, corrected", "POST", f"{a}/payments/{own.payment.id}", edits),
        ("other case's payment, corrected through own case", "POST", f"{a}/payments/{other.payment.id}", wrong_case),
        ("other case's payment, removed through own case", "POST",
         f"{a}/payments/{other.payment.id}/remove", wrong_case),
        ("own enquiry's status", "POST", f"{a}/ombudsman/{own.enquiry.id}/status", edits),
        ("other case's enquiry through own case", "POST", f"{a}/ombudsman/{other.enquiry.id}/status", wrong_case),
        ("other case's enquiry decision through own case", "POST",
         f"{a}/ombudsman/{other.enquiry.id}/decision", wrong_case),
        ("own recommendation's compliance", "POST", f"{a}/recommendations/{own.recommendation.id}/compliance", edits),
        ("other case's recommendation through own case", "POST",
         f"{a}/recommendations/{other.recommendation.id}/compliance", wrong_case),
        ("other case's recommendation made an action through own case", "POST",
         f"{a}/recommendations/{other.recommendation.id}/action", wrong_case),
        ("own stage 1 paused", "POST", f"{a}/stages/1/pause", edits),
        ("other case's stage 2, through own case", "POST", f"{a}/stages/2/pause", wrong_case),
        ("other case's stage 2 paused", "POST", f"{b}/stages/2/pause", edits),
        ("own element 1 changed", "POST", f"{a}/stages/1/elements/1", edits),
        ("other case's element 2, through own case", "POST", f"{a}/stages/1/elements/2/remove", wrong_case),
        ("other case's element 2 outcome, through own case", "POST", f"{a}/stages/1/elements/2/outcome",
         wrong_case),
        # The action plan: team managers update their team's actions only.
        ("own case's action status", "POST", f"/staff/actions/{own.action.id}/status",
         by(FEEDBACK_TEAM | {"team_manager"})),
        ("other case's action status", "POST", f"/staff/actions/{other.action.id}/status",
         by(FEEDBACK_TEAM, not_theirs={"team_manager"})),
        ("other case's action reassigned", "POST", f"/staff/actions/{other.action.id}/owner", edits),
        # Data protection, subject access, restrictions: the feedback manager; who viewed a
        # case: administrators too.
        ("who viewed the other case", "GET", f"{b}/viewers", by({"feedback_manager", "administrator"})),
        ("other case's legal holds", "GET", f"{b}/legal-holds", manager_only),
        ("other person's data protection page", "GET", f"/staff/data-protection/people/{other.person.id}",
         manager_only),
        ("subject access request for the other person", "GET", f"/staff/subject-access/new/{other.person.id}",
         manager_only),
        ("restriction letter for the other person", "GET", f"/staff/people/{other.person.id}/restrictions/new",
         manager_only),
    ]


def unchanged(world: World) -> dict:
    """What the refused cross-case posts must leave alone: the other case's records."""
    other = world.other
    db.session.expire_all()
    return {
        "payment": db.session.get(Payment, other.payment.id) is not None,
        "enquiry": db.session.get(OmbudsmanEnquiry, other.enquiry.id).decision,
        "actions on the other recommendation": db.session.scalar(select(db.func.count(LearningAction.id)).where(
            LearningAction.recommendation_id == other.recommendation.id)),
        "elements of other stage 1": [e.number for e in db.session.get(Feedback, other.record.id).stages[0].elements],
    }


@pytest.mark.parametrize("role", StaffRole.codes())
def test_each_role_reaches_only_its_cases_and_their_own_records(app, make_user, world, role):
    user = make_user(role)  # a team manager's team is the first team: the own case's
    made = world(user)
    before = unchanged(made)
    client = app.test_client()
    sign_in(client, user)
    wrong = []
    for what, method, url, expected in expected_for(role, made):
        response = client.open(url, method=method)
        if expected == REACHED:
            ok = response.status_code == 200 if method == "GET" else response.status_code in (200, 302)
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"{what}: {method} {url} gave {response.status_code}, expected {expected}")
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
    assert unchanged(made) == before


def test_a_team_manager_of_another_team_reaches_neither_case(app, make_user, world):
    teams = db.session.scalars(select(Team).order_by(Team.id)).all()
    made = world(make_user("feedback_officer"))
    manager = make_user("team_manager", team=teams[2])
    client = app.test_client()
    sign_in(client, manager)
    for case in (made.own, made.other):
        assert client.get(f"/staff/cases/{case.record.reference}").status_code == 404
        assert client.get(f"/staff/people/{case.person.id}").status_code == 404
        assert client.post(f"/staff/actions/{case.action.id}/status").status_code == 404
