"""The child a case is about: one record across cases, with its history; matching only
suggested (the same record number, or the same name and date of birth); merging by
staff, refused for two different record numbers (issue 20)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Child, Feedback
from portal.services.common.errors import Refused
from portal.services.intake import children
from tests import factories

TODAY = date(2026, 11, 26)


@pytest.fixture
def officer(app):
    return factories.staff("feedback_officer", "Olu Officer")


@pytest.fixture
def manager(app):
    return factories.staff("feedback_manager", "Mina Manager")


def name(record, actor, **details):
    details.setdefault("today", TODAY)
    child = children.name_child(record, actor, version=record.version, **details)
    db.session.commit()
    return child


def test_a_case_names_its_child_and_a_correction_shows_on_every_case_about_them(officer):
    first, second = factories.initial_contact(), factories.initial_contact()
    child = name(first, officer, name="  Jayden   Whitmore ", date_of_birth=date(2012, 3, 27),
                 record_number="LL-204817", statuses=["ehc_plan", "in_care"])
    assert (child.name, child.record_number) == ("Jayden Whitmore", "LL-204817")
    assert child.statuses == ["in_care", "ehc_plan"]  # kept in the vocabulary's order
    children.link_child(second, child, officer, version=second.version)
    db.session.commit()
    name(second, officer, name="Jayden Whitmore", date_of_birth=date(2012, 3, 27), record_number="LL-204817",
         school="Hillside Academy", statuses=["in_care"])
    assert first.child.school == "Hillside Academy" and first.child is second.child
    assert "The case is about Jayden Whitmore, born 27 March 2012, record LL-204817" in [
        e.text for e in first.timeline]


@pytest.mark.parametrize("details, field, message", [
    ({}, "name", "Enter the child's name, date of birth or record number"),
    ({"name": "A", "date_of_birth": date(2026, 11, 27)}, "date_of_birth",
     "The date of birth must be today or in the past"),
    ({"name": "A", "statuses": ["in_care", "famous"]}, "statuses", "Choose the child's circumstances from the list"),
    ({"record_number": "x" * 41}, "record_number", "The record number must be 40 characters or fewer"),
])
def test_details_that_cannot_be_kept_are_refused_before_anything_changes(officer, details, field, message):
    record = factories.initial_contact()
    with pytest.raises(Refused) as refused:
        children.name_child(record, officer, today=TODAY, **details)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert db.session.scalars(select(Child)).all() == []


def test_matches_are_suggested_by_record_number_or_name_and_date_of_birth_never_made(officer):
    held = name(factories.initial_contact(), officer, name="Jayden Whitmore", date_of_birth=date(2012, 3, 27),
                record_number="LL-204817")
    same_number = name(factories.initial_contact(), officer, name="J Whitmore", record_number="ll-204817")
    same_name_and_birthday = name(factories.initial_contact(), officer, name="jayden whitmore",
                                  date_of_birth=date(2012, 3, 27))
    name(factories.initial_contact(), officer, name="Jayden Whitmore", date_of_birth=date(2013, 3, 27))  # not him
    assert children.suggested_matches(held) == [(same_number, "record number"),
                                                (same_name_and_birthday, "name and date of birth")]
    assert children.suggested_matches(same_number) == [(held, "record number")]
    assert len(db.session.scalars(select(Child)).all()) == 4  # nothing joined by itself


def test_a_child_from_the_young_persons_form_is_a_new_record_whoever_else_has_the_name(officer):
    held = name(factories.initial_contact(), officer, name="Jayden Whitmore", date_of_birth=date(2012, 3, 27))
    made = children.from_public_form("Jayden Whitmore", date(2012, 3, 27))
    db.session.commit()
    assert made.id != held.id
    assert children.from_public_form("  ", None) is None


def test_merging_moves_the_cases_fills_the_gaps_and_is_in_the_history(officer, manager):
    a, b = factories.initial_contact(), factories.initial_contact()
    keep = name(a, officer, name="Jayden Whitmore", date_of_birth=date(2012, 3, 27), statuses=["in_care"])
    absorb = name(b, officer, name="Jayden W", record_number="LL-204817", school="Hillside Academy",
                  statuses=["ehc_plan"])
    absorbed_id = absorb.id
    children.merge(keep, absorb, manager)
    db.session.commit()
    assert b.child is keep and db.session.get(Child, absorbed_id) is None
    assert (keep.name, keep.record_number, keep.school) == ("Jayden Whitmore", "LL-204817", "Hillside Academy")
    assert keep.statuses == ["in_care", "ehc_plan"]
    actions = [entry.action for entry in children.history(keep)]
    assert actions[0] == "create" and "child_merge" in actions and "update" in actions
    merge_entry = next(e for e in children.history(keep) if e.action == "child_merge")
    assert merge_entry.old == {"merged": absorbed_id} and merge_entry.new["cases"] == [b.reference]
    assert merge_entry.actor_id == manager.id


def test_two_records_with_different_record_numbers_are_never_merged(officer, manager):
    keep = name(factories.initial_contact(), officer, name="Jayden Whitmore", record_number="LL-1")
    other = name(factories.initial_contact(), officer, name="Jayden Whitmore", record_number="LL-2")
    with pytest.raises(Refused, match="different record number"):
        children.merge(keep, other, manager)
    assert other.feedback[0].child is other


def test_unlinking_the_only_case_removes_the_childs_record(officer):
    record = factories.initial_contact()
    child_id = name(record, officer, name="Jayden Whitmore").id
    children.unlink_child(record, officer, version=record.version)
    db.session.commit()
    assert record.child is None and db.session.get(Child, child_id) is None
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "child",
                                                       AuditEntry.action == "delete")).one()
