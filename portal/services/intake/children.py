"""The child or young person a case is about: one record across their cases.

DOMAIN.md, "The child and advocacy": feedback is often written by one person (a parent,
an advocate, a professional) about a child, who is recorded in their own right: name,
date of birth, social care record number, school, and status flags (``ChildStatus``).

One child, one record: a case names a new child, or is linked to a child already held.
Matching is only suggested (the same record number, or the same name and date of
birth); two records become one only when a feedback manager merges them, never by
themselves, as for people (``portal.services.intake.people``). Every change to a child is
a row change, so the audit trail holds the child's history (``history``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import AuditEntry, Child, Feedback, StaffUser
from portal.services.common import audit, timeline
from portal.services.common.dates import not_after_today, spoken
from portal.services.common.errors import Refused, check_version
from portal.services.common.labels import ChildStatus

NAME_LIMIT = 200
RECORD_NUMBER_LIMIT = 40
SCHOOL_LIMIT = 200


def _text(value: str | None, limit: int, what: str, field: str) -> str | None:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise Refused(f"{what} must be {limit:,} characters or fewer", field)
    return value or None


def _details(name, date_of_birth, record_number, school, statuses, today) -> dict:
    """The details as they are kept, refused before anything changes if one is wrong."""
    details = {
        "name": _text(name, NAME_LIMIT, "The child's name", "name"),
        "record_number": _text(record_number, RECORD_NUMBER_LIMIT, "The record number", "record_number"),
        "school": _text(school, SCHOOL_LIMIT, "The school", "school"),
        "date_of_birth": date_of_birth,
    }
    if date_of_birth is not None:
        not_after_today(date_of_birth, today, "The date of birth must be today or in the past", "date_of_birth")
    unknown = [code for code in statuses or () if code not in ChildStatus]
    if unknown:
        raise Refused("Choose the child's circumstances from the list", "statuses")
    details["statuses"] = [code for code in ChildStatus.codes() if code in set(statuses or ())]
    if not (details["name"] or details["record_number"] or details["date_of_birth"]):
        raise Refused("Enter the child's name, date of birth or record number", "name")
    return details


def describe(child: Child) -> str:
    """The child in a line, for the timeline and lists."""
    parts = [child.name or "Name not given"]
    if child.date_of_birth:
        parts.append(f"born {spoken(child.date_of_birth)}")
    if child.record_number:
        parts.append(f"record {child.record_number}")
    return ", ".join(parts)


def name_child(record: Feedback, actor: StaffUser, *, name: str | None = None, date_of_birth: date | None = None,
               record_number: str | None = None, school: str | None = None, statuses=(),
               today: date | None = None, version: int | None = None) -> Child:
    """Say who the case is about, or correct what is held about them. The child's record
    is shared by every case linked to it, so a correction shows on each of them."""
    check_version(record, version)
    details = _details(name, date_of_birth, record_number, school, statuses, today)
    child = record.child
    if child is None:
        child = Child(**details)
        db.session.add(child)
        record.child = child
        timeline.add(record, "status_change", f"The case is about {describe(child)}", actor)
    else:
        for key, value in details.items():
            setattr(child, key, value)
        timeline.add(record, "status_change", f"The child's details changed: {describe(child)}", actor)
    db.session.flush()
    return child


def link_child(record: Feedback, child: Child, actor: StaffUser, *, version: int | None = None) -> Child:
    """Link the case to a child already held (one staff have checked is the same child).
    A child the case named before keeps their record, and their other cases."""
    check_version(record, version)
    if record.child_id == child.id:
        raise Refused(f"This case is already about child {child.id}", "child")
    previous = record.child
    record.child = child
    timeline.add(record, "status_change", f"The case is now about child {child.id}: {describe(child)}", actor)
    db.session.flush()
    if previous is not None and not previous.feedback:
        db.session.delete(previous)  # named on this case only: nothing else holds it
    return child


def unlink_child(record: Feedback, actor: StaffUser, *, version: int | None = None) -> None:
    """The case is not about that child after all (the child's record stays if other
    cases are about them)."""
    check_version(record, version)
    child = record.child
    if child is None:
        raise Refused("This case does not name a child", "child")
    record.child = None
    timeline.add(record, "status_change", f"The case no longer names child {child.id}", actor)
    db.session.flush()
    if not child.feedback:
        db.session.delete(child)


def from_public_form(name: str | None, date_of_birth: date | None) -> Child | None:
    """A new child record for what the young person's form gave, never one already held
    (anybody can type any name): staff see the likely matches and link or merge."""
    name = " ".join((name or "").split())[:NAME_LIMIT] or None
    if not (name or date_of_birth):
        return None
    child = Child(name=name, date_of_birth=date_of_birth, statuses=[])
    db.session.add(child)
    return child


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def suggested_matches(child: Child | None, limit: int = 5) -> list[tuple[Child, str]]:
    """Other children who may be this one, each with what they share: the same record
    number (as held, or all in capitals or in small letters), or the same name (ignoring case) and
    date of birth. Only suggested: staff check, then link or merge."""
    if child is None or child.id is None:
        return []
    alike = []
    if child.record_number:
        # Through the index on record_number (a child's page and case page ask this each
        # time): the number as held, and in capitals or small letters, as systems differ.
        number = child.record_number.strip()
        alike.append(Child.record_number.in_({number, number.upper(), number.lower()}))
    if child.name and child.date_of_birth:
        alike.append((func.lower(Child.name) == child.name.lower()) & (Child.date_of_birth == child.date_of_birth))
    if not alike:
        return []
    found = db.session.scalars(select(Child).where(Child.id != child.id, or_(*alike)).order_by(Child.id).limit(limit))
    result = []
    for other in found:
        same_number = bool(child.record_number) and _key(other.record_number) == _key(child.record_number)
        result.append((other, "record number" if same_number else "name and date of birth"))
    return result


def merge(keep: Child, absorb: Child, actor: StaffUser) -> Child:
    """Make two records of one child into one: ``absorb``'s cases and any details ``keep``
    lacks move to ``keep``, their circumstances are put together, and ``absorb`` is
    deleted (the audit trail keeps both as they were, and says which went into which).
    Refused when both hold a record number and they differ: those are two children as
    far as the social care system knows. Only a feedback manager merges (the view asks
    ``merge_children``). Not committed here."""
    if keep.id == absorb.id:
        raise Refused("Choose two different children to merge", "other")
    if keep.record_number and absorb.record_number and _key(keep.record_number) != _key(absorb.record_number):
        raise Refused(f"Child {absorb.id} has a different record number ({absorb.record_number}): "
                      "check the social care record before merging", "other")
    moved = list(absorb.feedback)
    for record in moved:
        record.child = keep
        timeline.add(record, "status_change", f"Child {absorb.id} merged into child {keep.id}", actor)
    for key in ("name", "date_of_birth", "record_number", "school"):
        if getattr(keep, key) in (None, ""):
            setattr(keep, key, getattr(absorb, key))
    together = set(keep.statuses or ()) | set(absorb.statuses or ())
    keep.statuses = [code for code in ChildStatus.codes() if code in together]
    audit.record(actor, "child_merge", "child", keep.id, old={"merged": absorb.id},
                 new={"into": keep.id, "cases": [r.reference for r in moved]})
    db.session.flush()
    db.session.delete(absorb)
    db.session.flush()
    return keep


def history(child: Child) -> list[AuditEntry]:
    """What changed on the child's record, oldest first: the audit trail's row changes
    of it, and the merges into it."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "child", AuditEntry.entity_id == str(child.id))
        .order_by(AuditEntry.at, AuditEntry.id)))
