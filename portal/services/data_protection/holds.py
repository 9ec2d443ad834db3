"""Legal holds: a record, or everything about a person, kept past its retention date.

docs/data-protection.md, "Legal holds": a feedback manager places a hold on a case or on a
person, with a reason. While it is in force a purge lists the record (or every record and
letter of the person) as kept and leaves it alone, and erasure of the person is refused.
Lifting it records who, when and why; the hold stays as history.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import Feedback, LegalHold, Person, StaffUser
from portal.services.common.dates import now_utc
from portal.services.common.errors import Refused


def place(reason: str, user: StaffUser | None, feedback: Feedback | None = None,
          person: Person | None = None) -> LegalHold:
    """Stop the removal of a record, or of everything about a person, until lifted."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Enter why the record must be kept")
    if (feedback is None) == (person is None):
        raise Refused("A legal hold is on one record or one person")
    hold = LegalHold(feedback=feedback, person=person, reason=reason,
                     placed_by_id=user.id if user else None, placed_at=now_utc())
    db.session.add(hold)
    return hold


def lift(hold: LegalHold, user: StaffUser | None, reason: str | None = None) -> None:
    """End a hold, recording who lifted it, when and (optionally) why; it stays as history."""
    if hold.lifted_at is not None:
        raise Refused("This legal hold has already been lifted")
    hold.lifted_at = now_utc()
    hold.lifted_by_id = user.id if user else None
    hold.lift_reason = (reason or "").strip() or None


def in_force(feedback: Feedback | None = None, person: Person | None = None) -> list[LegalHold]:
    """Holds in force on this record (or on its person), or on this person (or any of
    their records)."""
    conditions = []
    if feedback is not None:
        conditions.append(LegalHold.feedback_id == feedback.id)
        if feedback.person_id is not None:
            conditions.append(LegalHold.person_id == feedback.person_id)
    if person is not None:
        conditions.append(LegalHold.person_id == person.id)
        conditions.append(LegalHold.feedback_id.in_(
            select(Feedback.id).where(Feedback.person_id == person.id)))
    if not conditions:
        return []
    return list(db.session.scalars(
        select(LegalHold).where(LegalHold.lifted_at.is_(None), or_(*conditions))
        .order_by(LegalHold.placed_at)))


def placed_on(feedback: Feedback | None = None, person: Person | None = None) -> list[LegalHold]:
    """Every hold placed on exactly this record or this person, in force or lifted."""
    query = select(LegalHold)
    if feedback is not None:
        query = query.where(LegalHold.feedback_id == feedback.id)
    else:
        query = query.where(LegalHold.person_id == person.id)
    return list(db.session.scalars(query.order_by(LegalHold.placed_at.desc())))


def held_ids() -> tuple[set[int], set[int]]:
    """The records and the people on which a hold is in force, as two sets of ids."""
    rows = db.session.execute(
        select(LegalHold.feedback_id, LegalHold.person_id).where(LegalHold.lifted_at.is_(None))
    ).all()
    return ({f for f, _ in rows if f is not None}, {p for _, p in rows if p is not None})
