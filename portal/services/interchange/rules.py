"""The rules of the interchange format beyond the structure the schema checks.

From ``FORMAT.md``:

- one line per reference within a file;
- stages in order 1, 2, 3 without gaps or repeats, and Stage 3 only in the statutory
  procedure;
- element numbers unique within a stage;
- money well-formed (the schema refuses floats and badly shaped strings; here, amounts too
  large to hold);
- a contact restriction names its person by a name or an email, and is identified by that
  email (else name) and the letter date, so one line per restriction within a file;
- each kind carries its own object: ``compliment`` only on a compliment, ``initial_contact``
  only on an initial contact, ``complaint`` only on a complaint or an initial contact
  progressed to one.

And what the portal's database can hold, so that an import never fails half way: strings
no longer than their columns, integers within the column's range, no NUL characters. And
an email address (a submitter's, a restricted person's) is one the portal could write to,
as its forms require (``portal.services.intake.people.is_email``): an address with a line break
could add headers to the mail sent to it.

Rules run on lines the schema accepts; ``Rules`` keeps what it has seen across the file
(references and restriction identities, with their line numbers) and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from portal.models import ContactRestriction, Feedback, OmbudsmanEnquiry, Person, Stage
from portal.models import LearningAction, Payment, Team, Theme
from portal.services.interchange.schema import field_path
from portal.services.intake.people import is_email, normalise_email

MAX_PENCE = 2**63 - 1  # BIGINT
MAX_INTEGER = 2**31 - 1  # INTEGER on PostgreSQL


def _length(column) -> int:
    return column.type.length


# The strings the portal keeps in columns of limited length: (where in a line, longest).
TEAM_NAME = _length(Team.__table__.c.name)
THEME_NAME = _length(Theme.__table__.c.name)
PERSON_LENGTHS = {
    "name": _length(Person.__table__.c.name),
    "email": _length(Person.__table__.c.email),
    "phone": _length(Person.__table__.c.phone),
}
FEEDBACK_LENGTHS = {"reference": _length(Feedback.__table__.c.reference)}
STAGE_LENGTHS = {
    name: _length(Stage.__table__.c[name]) for name in ("officer", "investigating_officer", "independent_person")
}
OMBUDSMAN_LENGTHS = {"reference": _length(OmbudsmanEnquiry.__table__.c.reference)}
PAYMENT_LENGTHS = {"decided_by": _length(Payment.__table__.c.decided_by)}
ACTION_LENGTHS = {"owner": _length(LearningAction.__table__.c.owner)}
RESTRICTION_LENGTHS = {"decided_by": _length(ContactRestriction.__table__.c.decided_by)}

OBJECT_OF_KIND = {"compliment": "compliment", "initial_contact": "initial_contact", "complaint": "complaint"}


def restriction_identity(record: dict) -> tuple:
    """What identifies a restriction: the person's email (else name) and the letter date."""
    person = record.get("person") or {}
    email = normalise_email(person.get("email"))
    if email:
        return ("email", email, record["letter_issued_on"])
    return ("name", (person.get("name") or "").strip(), record["letter_issued_on"])


@dataclass
class Rules:
    references: dict[str, int] = field(default_factory=dict)
    restrictions: dict[tuple, int] = field(default_factory=dict)

    def problems(self, record: dict, line: int, nul: bool = True) -> Iterator[tuple[str, str]]:
        """Every rule a schema-valid line breaks, as (field path, message).

        ``nul=False`` says the line's text has no ``\\u0000``, which spares a walk over it.
        """
        if record["type"] == "feedback":
            yield from self._feedback(record, line)
        else:
            yield from self._restriction(record, line)
        if nul:
            yield from _storable(record, [])

    def _feedback(self, record: dict, line: int) -> Iterator[tuple[str, str]]:
        reference = record["reference"]
        first = self.references.setdefault(reference, line)
        if first != line:
            yield "reference", f"{reference!r} is already on line {first}: one line per reference"
        yield from _lengths(record, [], FEEDBACK_LENGTHS)
        yield from _lengths(record.get("submitter") or {}, ["submitter"], PERSON_LENGTHS)
        yield from _email(record.get("submitter") or {}, ["submitter"])
        yield from _age(record)
        yield from _reference_data(record, [])
        yield from _objects_of_kind(record)
        complaint = record.get("complaint")
        if complaint:
            yield from _stages(complaint)
        for i, enquiry in enumerate(record.get("ombudsman") or []):
            at = ["ombudsman", i]
            yield from _lengths(enquiry, at, OMBUDSMAN_LENGTHS)
            yield from _money(enquiry.get("remedy_amount"), [*at, "remedy_amount"])
        for i, payment in enumerate(record.get("payments") or []):
            yield from _lengths(payment, ["payments", i], PAYMENT_LENGTHS)
            yield from _money(payment["amount"], ["payments", i, "amount"])
        for i, action in enumerate(record.get("actions") or []):
            yield from _lengths(action, ["actions", i], ACTION_LENGTHS)

    def _restriction(self, record: dict, line: int) -> Iterator[tuple[str, str]]:
        person = record["person"]
        if not (normalise_email(person.get("email")) or (person.get("name") or "").strip()):
            yield "person", "give a name or an email"
            return
        yield from _lengths(person, ["person"], PERSON_LENGTHS)
        yield from _email(person, ["person"])
        yield from _lengths(record, [], RESTRICTION_LENGTHS)
        identity = restriction_identity(record)
        first = self.restrictions.setdefault(identity, line)
        if first != line:
            yield "person", (
                f"a restriction for this person with this letter date is already on line {first}: "
                "one line per restriction"
            )


def _objects_of_kind(record: dict) -> Iterator[tuple[str, str]]:
    kind = record["kind"]
    for key in ("compliment", "initial_contact"):
        if key in record and kind != key:
            yield key, f"only a record of kind {key!r} has this object, not one of kind {kind!r}"
    if "complaint" in record and kind == "compliment":
        yield "complaint", "a compliment has no complaint"
    if "complaint" in record and kind == "initial_contact":
        outcome = (record.get("initial_contact") or {}).get("outcome")
        if outcome != "progressed":
            yield "complaint", f"only an initial contact progressed to a complaint has one (outcome is {outcome!r})"


def _stages(complaint: dict) -> Iterator[tuple[str, str]]:
    statutory = complaint["procedure"] == "statutory"
    for i, stage in enumerate(complaint["stages"]):
        at = ["complaint", "stages", i]
        number = stage["stage"]
        if number != i + 1:
            yield field_path([*at, "stage"]), (
                f"expected Stage {i + 1}, not {number}: stages are listed in order 1, 2, 3 without gaps or repeats"
            )
        if number == 3 and not statutory:
            yield field_path([*at, "stage"]), "Stage 3 is only in the statutory procedure"
        yield from _lengths(stage, at, STAGE_LENGTHS)
        if (stage.get("paused_working_days") or 0) > MAX_INTEGER:
            yield field_path([*at, "paused_working_days"]), "is too large"
        yield from _reference_data(stage, at)
        seen: set[int] = set()
        for j, element in enumerate(stage.get("elements") or []):
            number = element["number"]
            if number in seen:
                yield field_path([*at, "elements", j, "number"]), f"element {number} is already in this stage"
            elif number > MAX_INTEGER:
                yield field_path([*at, "elements", j, "number"]), "is too large"
            seen.add(number)
            yield from _reference_data(element, [*at, "elements", j])


def _reference_data(obj: dict, at: list) -> Iterator[tuple[str, str]]:
    for key, longest in (("team", TEAM_NAME), ("theme", THEME_NAME)):
        name = obj.get(key)
        if name is None:
            continue
        if not name.strip():
            yield field_path([*at, key]), "is blank: leave it out, or name a " + key
        elif len(name) > longest:
            yield field_path([*at, key]), f"is longer than the portal keeps ({longest} characters)"


def _age(record: dict) -> Iterator[tuple[str, str]]:
    age = (record.get("submitter") or {}).get("age")
    if age is not None and age > MAX_INTEGER:
        yield "submitter.age", "is too large"


def _money(amount: str | None, at: list) -> Iterator[tuple[str, str]]:
    if amount is not None and int(amount.replace(".", "")) > MAX_PENCE:
        yield field_path(at), "is too large"


def _lengths(obj: dict, at: list, lengths: dict[str, int]) -> Iterator[tuple[str, str]]:
    for key, longest in lengths.items():
        value = obj.get(key)
        if isinstance(value, str) and len(value) > longest:
            yield field_path([*at, key]), f"is longer than the portal keeps ({longest} characters)"


def _email(person: dict, at: list) -> Iterator[tuple[str, str]]:
    """An email address the portal could write to: one address, no line breaks (a line
    break in an address could add headers, such as a Bcc, to the mail sent to it)."""
    email = person.get("email")
    if isinstance(email, str) and email.strip() and not is_email(email.strip()):
        yield field_path([*at, "email"]), "is not an email address, like name@example.com"


def _storable(value: object, at: list) -> Iterator[tuple[str, str]]:
    """No NUL characters: PostgreSQL cannot store them in text."""
    if isinstance(value, str):
        if "\x00" in value:
            yield field_path(at), "contains a NUL character (\\u0000), which cannot be stored"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _storable(item, [*at, key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _storable(item, [*at, i])
