"""The inbox's search finds every case about a child: by name, by date of birth typed as
a date, and by social care record number (issue 20), through the child's search index on
both databases, and both ways the search takes to a page agree."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Child, Person
from portal.services.triage import inbox
from portal.services.triage.inbox import InboxFilters

TODAY = date(2026, 11, 26)


def found(user, text, **filters):
    return sorted(r.reference for r in inbox.search(user, InboxFilters(q=text, **filters), TODAY).rows)


@pytest.fixture
def jayden(make_record):
    """Two cases about Jayden Whitmore, written by his mother and by his social worker,
    and one about another child born the same day."""
    child = Child(name="Jayden Whitmore", date_of_birth=date(2012, 3, 27), record_number="LL-204817", statuses=[])
    by_mother = make_record(child=child, person=Person(name="Karen Whitmore"), summary="No reply about respite")
    by_worker = make_record(child=child, person=Person(name="Tom Ellis"), summary="Transport form lost")
    other = make_record(child=Child(name="Amira Khan", date_of_birth=date(2012, 3, 27), statuses=[]),
                        summary="School place")
    make_record(summary="Nothing about a child")
    return by_mother, by_worker, other


def test_a_child_is_found_by_name_record_number_and_date_of_birth(officer, jayden):
    by_mother, by_worker, other = jayden
    both = sorted([by_mother.reference, by_worker.reference])
    assert found(officer, "jayden") == both  # neither person who wrote is called Jayden
    assert found(officer, "Whitmore") == both  # his mother's name finds hers; his finds both
    assert found(officer, "ll-204817") == both
    assert found(officer, "204817") == both  # part of the number, as the system shows it
    assert found(officer, "27/3/2012") == sorted(both + [other.reference])
    assert found(officer, "27 March 2012") == sorted(both + [other.reference])
    assert found(officer, "28/3/2012") == []


def test_short_text_is_checked_on_each_row_and_finds_the_child_too(officer, make_record):
    record = make_record(child=Child(name="Bo", record_number="Q7", statuses=[]))
    make_record()
    assert found(officer, "bo") == [record.reference]
    assert found(officer, "q7") == [record.reference]


def test_a_renamed_child_is_found_by_the_new_name_only(officer, jayden):
    by_mother, by_worker, _ = jayden
    by_mother.child.name = "Jayden Moss"
    db.session.commit()
    assert found(officer, "moss") == sorted([by_mother.reference, by_worker.reference])
    assert found(officer, "jayden whit") == []


def test_the_search_shows_only_the_cases_the_person_may_see(make_record, make_user, jayden):
    by_mother, _, _ = jayden
    investigator = make_user("investigating_officer", "Ivy Investigator")
    by_mother.assigned_to = investigator
    db.session.commit()
    assert found(investigator, "jayden") == [by_mother.reference]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_walking_the_inbox_finds_the_same_cases_about_a_child(officer, make_record, monkeypatch, sort):
    child = Child(name="Jayden Whitmore", record_number="LL-1", statuses=[])
    expected = [make_record(child=child, received_on=date(2026, 11, day)).reference for day in (2, 3, 4, 5)]
    make_record(summary="Jayden's friend", received_on=date(2026, 11, 6))
    expected.append(db.session.scalars(db.select(inbox.Feedback.reference).order_by(inbox.Feedback.id.desc())).first())
    through_matches = found(officer, "jayden", sort=sort)
    monkeypatch.setattr(inbox, "_DRIVEN_AT_MOST", 2)  # as if "jayden" were in thousands of records
    assert found(officer, "jayden", sort=sort) == through_matches == sorted(expected)


def test_a_whole_record_number_finds_that_child_not_longer_numbers_that_contain_it(officer, make_record):
    # LL448812 is Jayden's; LL4488125, another child's, contains it. Typed whole (in any
    # case), the number finds Jayden's cases only; part of a number still finds both.
    jayden = make_record(child=Child(name="Jayden Whitmore", record_number="LL448812", statuses=[]))
    noah = make_record(child=Child(name="Noah Price", record_number="LL4488125", statuses=[]))
    assert found(officer, "LL448812") == found(officer, "ll448812") == [jayden.reference]
    assert found(officer, " LL4488125 ") == [noah.reference]
    assert found(officer, "LL44881") == sorted([jayden.reference, noah.reference])
    assert found(officer, "jayden") == [jayden.reference]  # the name is still searched as before
