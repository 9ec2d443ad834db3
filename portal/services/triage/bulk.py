"""Acting on many records of the inbox at once: assign, classify, or close initial contacts.

Each record chosen is changed by the same service a case page uses (``decisions``), with
the version its row showed, so a record someone else changed since is refused, not
overwritten; each change joins that record's timeline and the audit trail as a change on
its case page does. A record refused (changed since, not an open initial contact, no
longer visible to the person) is reported with the reason and left as it was; the others
are changed. The caller commits once, for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import noload, selectinload

from portal.extensions import db
from portal.models import Feedback, StaffUser
from portal.services.accounts.permissions import visible_feedback
from portal.services.common.errors import EditConflict, Refused
from portal.services.procedures import reckoning
from portal.services.triage import decisions

# What one action may change: a page of the inbox is 50 rows; a few pages at most.
MOST_AT_ONCE = 500
CHANGED_SINCE = "Someone else changed it since the list was shown"
NOT_FOUND = "It is not in the list you may see"


@dataclass(frozen=True)
class Chosen:
    """A row ticked in the inbox: the record's id and the version the row showed."""

    id: int
    version: int


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)  # references changed
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference or id, why)


def read_chosen(values) -> list[Chosen]:
    """The ticked boxes as the inbox sends them, ``id:version`` each; anything else is
    ignored (a box can only say what its row put there), a box without a version too, so
    that no change is made without knowing what the person saw."""
    chosen, seen = [], set()
    for value in values:
        number, _, version = str(value).partition(":")
        if not number.isdigit() or not version.isdigit() or number in seen:
            continue
        seen.add(number)
        chosen.append(Chosen(int(number), int(version)))
    return chosen


def _each(user: StaffUser, chosen: list[Chosen], change) -> BulkOutcome:
    if not chosen:
        raise Refused("Select at least one record", "selected")
    if len(chosen) > MOST_AT_ONCE:
        raise Refused(f"Select {MOST_AT_ONCE:,} records or fewer", "selected")
    # The records are loaded to be changed, not shown: their timelines are not read
    # (noload: an event added joins an empty list, and is inserted; the earlier events
    # stay in the database, unread; the caller commits, which expires the list), which
    # spares a query a record, as adding the event to a timeline not loaded read it whole.
    records = {r.id: r for r in db.session.scalars(
        select(Feedback).options(selectinload(Feedback.stages), noload(Feedback.timeline))
        .where(Feedback.id.in_([c.id for c in chosen]), visible_feedback(user)))}
    outcome = BulkOutcome()
    # Each service refuses before it changes anything (the transaction rule), so a record
    # refused is left as it was without a savepoint; and nothing is written until the
    # caller commits, all of them in one flush (a flush a record, through the services'
    # own small queries, made 200 records take seconds). The due dates of all of them are
    # reckoned with one reading of the calendar and the timescales.
    with db.session.no_autoflush, reckoning.one_reckoning():
        for choice in chosen:
            record = records.get(choice.id)
            if record is None:
                outcome.refused.append((str(choice.id), NOT_FOUND))
                continue
            try:
                change(record, choice.version)
            except EditConflict:
                outcome.refused.append((record.reference, CHANGED_SINCE))
            except Refused as refused:
                outcome.refused.append((record.reference, refused.message))
            else:
                outcome.done.append(record.reference)
    return outcome


def assign_all(user: StaffUser, chosen: list[Chosen], assignee: StaffUser | None) -> BulkOutcome:
    """Assign every chosen record to ``assignee`` (None: to nobody)."""
    return _each(user, chosen, lambda record, version: decisions.assign(record, assignee, user, version))


def classify_all(user: StaffUser, chosen: list[Chosen], *, category: str | None = None,
                 team_id: int | None = None) -> BulkOutcome:
    """Give every chosen record the category (initial contacts only) and team chosen;
    what was not chosen stays as each record has it."""
    if category is None and team_id is None:
        raise Refused("Select a category or a team", "category")

    def classify(record: Feedback, version):
        if category is not None and (record.kind != "initial_contact" or record.procedure):
            raise Refused("Only an initial contact has a category")
        decisions.classify(record, user, version, category=category or record.category,
                           team_id=team_id or record.team_id, theme_id=record.theme_id)

    return _each(user, chosen, classify)


def close_all(user: StaffUser, chosen: list[Chosen], *, outcome: str, what_was_done: str | None,
              today: date) -> BulkOutcome:
    """Close every chosen initial contact today: resolved informally (what was done is
    needed) or withdrawn (a reason may be given)."""
    text = (what_was_done or "").strip()
    if outcome == "resolved":
        if not text:
            raise Refused("Enter what was done to resolve them", "resolution")

        def close(record, version):
            decisions.resolve(record, user, version, what_was_done=text, resolved_on=today, today=today)
    elif outcome == "withdrawn":
        def close(record, version):
            decisions.withdraw(record, user, version, withdrawn_on=today, today=today, reason=text or None)
    else:
        raise Refused("Select how they were closed", "outcome")
    return _each(user, chosen, close)
