"""The dashboard's counts, and one record per person with a way to merge."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, Person, Stage
from portal.services.triage import dashboard
from portal.services.intake import people

TODAY = date(2026, 11, 26)  # a Thursday: this week ends on Sunday 29 November


def test_the_dashboard_counts_what_needs_attention(officer, make_record):
    make_record(status="new", due_on=date(2026, 11, 27))
    make_record(status="open", due_on=date(2026, 11, 20), assigned_to=officer)
    make_record(status="closed", outcome="resolved")
    make_record(kind="complaint", procedure="corporate", status="open", due_on=date(2026, 12, 10),
                stages=[Stage(number=1, started_on=date(2026, 11, 25))])
    urgent = make_record(safeguarding_concern=True, status="new")
    board = dashboard.build(officer, TODAY)
    assert board.new_items == 2
    assert board.open_initial_contacts == 3
    assert board.open_stages == {("corporate", 1): 1}
    assert board.due_this_week == 1
    assert board.overdue == 1
    assert [r.reference for r in board.safeguarding] == [urgent.reference]
    assert len(board.mine) == 1


def test_people_are_matched_by_email_else_phone():
    # no app needed for normalising
    assert people.normalise_phone("+44 7700 900123") == "07700900123"
    assert people.normalise_email(" Alex@Example.ORG ") == "alex@example.org"


def test_merging_moves_cases_and_restrictions_and_fills_gaps(app, make_record):
    keep = Person(name="Sam Smith", email="sam@example.org")
    other = Person(name="Samantha Smith", phone="07700 900001", phone_key="07700900001")
    a = make_record(person=keep)
    b = make_record(person=other)
    db.session.add(ContactRestriction(person=other, letter_issued_on=date(2026, 1, 5), restrictions=[]))
    db.session.commit()
    assert people.possible_duplicates(keep) == []
    people.merge(keep, other)
    db.session.commit()
    assert {r.person_id for r in db.session.query(Feedback)} == {keep.id}
    assert db.session.query(ContactRestriction).one().person == keep
    assert keep.phone == "07700 900001"
    assert db.session.get(Person, other.id) is None
    assert {a.id, b.id} == {r.id for r in keep.feedback}


def test_the_dashboard_lists_the_acknowledgements_due(officer):
    """Issue 21: corporate stages waiting for their acknowledgement (within 5 WD), soonest
    first, the overdue ones marked. Dates by hand: Monday 16 November 2026 + 5 WD is
    Monday 23 November (overdue on Thursday 26th); Wednesday 25 November + 5 WD is
    Wednesday 2 December."""
    from portal.services.procedures import deadlines
    from tests import factories

    late = factories.complaint(factories.stage(date(2026, 11, 16)), procedure="corporate")
    soon = factories.complaint(factories.stage(date(2026, 11, 25)), procedure="corporate")
    done = factories.complaint(factories.stage(date(2026, 11, 25), acknowledged_on=date(2026, 11, 25)),
                               procedure="corporate")
    factories.complaint(factories.stage(date(2026, 11, 25)), procedure="statutory")  # no such clock
    for record in (late, soon, done):
        deadlines.refresh(record)
    db.session.commit()
    assert (late.acknowledge_by, soon.acknowledge_by, done.acknowledge_by) == (
        date(2026, 11, 23), date(2026, 12, 2), None)
    board = dashboard.build(officer, TODAY)
    assert (board.acknowledgements_due, board.acknowledgements_overdue) == (2, 1)
    assert [r.reference for r in board.acknowledgements] == [late.reference, soon.reference]
