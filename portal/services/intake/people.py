"""Finding the one record of a person across their cases."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import Person


# What the portal accepts as an email address wherever one comes in (the forms check more
# with email_validator; the import and the outbox use this): one @, something on each side,
# a dot in the domain, and no spaces, line breaks, control characters or characters that
# would make it more than one address (a line break could add a "Bcc:" header).
_EMAIL = re.compile(r"[^@\s<>,;:\"()\[\]\\\x00-\x1f\x7f]+@[^@\s<>,;:\"()\[\]\\\x00-\x1f\x7f]+"
                    r"\.[^@\s<>,;:\"()\[\]\\\x00-\x1f\x7f.]+")


def is_email(address: str | None) -> bool:
    return bool(address) and len(address) <= 254 and _EMAIL.fullmatch(address) is not None


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip()
    return email.lower() or None


def normalise_phone(phone: str | None) -> str | None:
    """Digits only, with a UK +44 written as a leading 0, so numbers compare."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits or None


def _clean(name, email, phone, address):
    email = normalise_email(email)
    phone = (phone or "").strip() or None
    return ((name or "").strip() or None, email, phone, normalise_phone(phone),
            (address or "").strip() or None)


def from_public_form(
    name: str | None, email: str | None, phone: str | None, address: str | None = None
) -> Person | None:
    """A new, unconfirmed person for what a public form gave, never anyone already held.

    Anybody can type anybody's phone number or email into a form: joined to the person
    who has it, a stranger took over that person's case (issue 14). The staff see the
    people it may be on the case page (``suggested_matches``) and merge the two once they
    have checked. Returns None when nothing identifies the person (an anonymous
    compliment).
    """
    name, email, phone, phone_key, address = _clean(name, email, phone, address)
    if not (email or phone_key or name):
        return None
    person = Person(name=name, email=email, phone=phone, phone_key=phone_key, address=address,
                    confirmed=False)
    db.session.add(person)
    return person


def find_or_create(
    name: str | None, email: str | None, phone: str | None, address: str | None = None
) -> Person | None:
    """For details staff took down: the confirmed person with this email (else this phone
    number), made if new.

    Details fill gaps but never overwrite what staff hold: changing someone's details is
    a deliberate, audited act on the staff side. People made from a public form are
    never matched here: their details are unchecked, and a phone number a stranger typed
    would otherwise draw the real person's call onto the stranger's record.
    Returns None when nothing identifies the person (an anonymous compliment).
    """
    name, email, phone, phone_key, address = _clean(name, email, phone, address)
    if not (email or phone_key or name):
        return None

    confirmed = select(Person).where(Person.confirmed.is_(True)).order_by(Person.id)
    person = None
    if email:
        person = db.session.scalars(confirmed.where(Person.email == email)).first()
    if person is None and phone_key:
        person = db.session.scalars(confirmed.where(Person.phone_key == phone_key)).first()
    if person is None:
        person = Person(name=name, email=email, phone=phone, phone_key=phone_key, address=address)
        db.session.add(person)
        return person
    person.name = person.name or name
    person.email = person.email or email
    if not person.phone:
        person.phone, person.phone_key = phone, phone_key
    person.address = person.address or address
    return person


def suggested_matches(person: Person | None, limit: int = 5) -> list[tuple[Person, str]]:
    """For an unconfirmed person, the other people with their email or phone number,
    each with what they share, for staff to check and merge (or not). Nothing for a
    confirmed person: staff joined or entered those details themselves."""
    if person is None or person.confirmed or person.id is None:
        return []
    shared = _sharing(person)
    if shared is None:
        return []
    found = db.session.scalars(
        select(Person).where(Person.id != person.id, shared)
        .order_by(Person.confirmed.desc(), Person.id).limit(limit))
    return [(other, " and ".join(what for what, same in (
        ("email address", person.email and other.email == person.email),
        ("phone number", person.phone_key and other.phone_key == person.phone_key)) if same))
        for other in found]


def merge(keep: Person, absorb: Person) -> Person:
    """Make two records of one person into one: ``absorb``'s cases, restrictions and any
    details ``keep`` lacks move to ``keep``, then ``absorb`` is deleted (the audit trail
    keeps both as they were, and says which went into which: an erasure of ``keep`` must
    also redact what the trail holds about ``absorb``). Merging is how staff confirm a
    person made from a public form: ``keep`` is confirmed after it. Not committed here."""
    from portal.models import (  # models, not services: no cycle
        ContactRestriction,
        Feedback,
        LegalHold,
        SubjectAccessRequest,
    )
    from portal.services.common import audit

    if keep.id == absorb.id:
        raise ValueError("Choose two different people to merge")
    for record in db.session.scalars(select(Feedback).where(Feedback.person_id == absorb.id)):
        record.person = keep
    for restriction in db.session.scalars(
        select(ContactRestriction).where(ContactRestriction.person_id == absorb.id)
    ):
        restriction.person = keep
    # Their requests and holds are the kept person's now (and nothing points at a
    # deleted row).
    for model in (SubjectAccessRequest, LegalHold):
        for row in db.session.scalars(select(model).where(model.person_id == absorb.id)):
            row.person = keep
    keep.name = keep.name or absorb.name
    keep.email = keep.email or absorb.email
    if not keep.phone:
        keep.phone, keep.phone_key = absorb.phone, absorb.phone_key
    keep.address = keep.address or absorb.address
    keep.confirmed = True  # staff have now checked that these are one person's details
    db.session.flush()
    db.session.delete(absorb)
    audit.record(None, MERGED, "person", keep.id, new={"absorbed_person_id": absorb.id})
    return keep


MERGED = "person_merged"  # the audit trail's entry for a merge: ids only


def possible_duplicates(person: Person) -> list[Person]:
    """Other people who share this person's name, email or phone number."""
    shared = _sharing(person, name=True)
    if shared is None:
        return []
    return list(db.session.scalars(
        select(Person).where(Person.id != person.id, shared).order_by(Person.id).limit(20)
    ))


def _sharing(person: Person, name: bool = False):
    """The condition "has this person's email or phone number" (or name, with ``name``),
    or None when they have none of these."""
    conditions = []
    if name and person.name:
        # lower() on both sides, not ILIKE: PostgreSQL's trigram index on lower(name)
        # (migration 0008) answers it, where ILIKE read every person (188 ms at 1M
        # records); the same match on SQLite, whose ILIKE is lower() LIKE lower().
        conditions.append(func.lower(Person.name) == func.lower(person.name))
    if person.email:
        conditions.append(Person.email == person.email)
    if person.phone_key:
        conditions.append(Person.phone_key == person.phone_key)
    return or_(*conditions) if conditions else None
