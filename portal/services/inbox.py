"""The triage inbox: every feedback record a person may see, filtered, searched,
sorted, and paged by keyset (so page 500 costs what page 1 does).

Safeguarding concerns still waiting for a manager's follow-up are listed on their own
above the first page, whatever the filters, so they stand out until someone records
what was done. (Kept out of the main sort, so that sort can walk an index.)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Feedback, Person
from portal.services.permissions import visible_feedback

PAGE_SIZE = 50
SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "due": "Due soonest",
}
KINDS = ("compliment", "initial_contact", "complaint")
STATUSES = ("new", "open", "closed")


@dataclass(frozen=True)
class InboxFilters:
    kind: str | None = None  # compliment, initial_contact, complaint (in a procedure)
    status: str | None = None  # new, open (new or being worked on), closed
    team_id: int | None = None
    theme_id: int | None = None
    assigned_to_id: int | None = None  # 0 means "not assigned"
    channel: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    formal_requested: bool = False
    overdue: bool = False
    safeguarding: bool = False
    q: str = ""
    sort: str = "newest"


@dataclass
class InboxPage:
    rows: list[Feedback]
    next_cursor: str | None
    filters: InboxFilters = field(default_factory=InboxFilters)
    urgent: list[Feedback] = field(default_factory=list)


def _conditions(filters: InboxFilters, today: date) -> list:
    # Unactioned safeguarding concerns have their own list above the first page.
    conditions = [or_(Feedback.safeguarding_concern.is_(False), Feedback.safeguarding_actioned_at.is_not(None))]
    if filters.kind == "complaint":
        conditions.append(Feedback.procedure.is_not(None))
    elif filters.kind == "initial_contact":
        conditions += [Feedback.kind == "initial_contact", Feedback.procedure.is_(None)]
    elif filters.kind == "compliment":
        conditions.append(Feedback.kind == "compliment")
    if filters.status == "open":
        conditions.append(Feedback.status != "closed")
    elif filters.status in STATUSES:
        conditions.append(Feedback.status == filters.status)
    if filters.team_id:
        conditions.append(Feedback.team_id == filters.team_id)
    if filters.theme_id:
        conditions.append(Feedback.theme_id == filters.theme_id)
    if filters.assigned_to_id == 0:
        conditions.append(Feedback.assigned_to_id.is_(None))
    elif filters.assigned_to_id:
        conditions.append(Feedback.assigned_to_id == filters.assigned_to_id)
    if filters.channel:
        conditions.append(Feedback.channel == filters.channel)
    if filters.received_from:
        conditions.append(Feedback.received_on >= filters.received_from)
    if filters.received_to:
        conditions.append(Feedback.received_on <= filters.received_to)
    if filters.formal_requested:
        conditions.append(Feedback.formal_complaint_requested.is_(True))
    if filters.overdue:
        conditions += [Feedback.due_on < today, Feedback.status != "closed"]
    if filters.safeguarding:
        conditions.append(Feedback.safeguarding_concern.is_(True))
    if filters.q.strip():
        conditions.append(_matches(filters.q.strip()))
    return conditions


def _matches(text: str):
    """Free text over reference, the person's name and email, and the summary, ignoring case.

    SQLite's LIKE already ignores ASCII case, and lower() on every row would cost a
    string per row; PostgreSQL needs ILIKE.
    """
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"

    def contains(column):
        if db.engine.dialect.name == "postgresql":
            return column.ilike(pattern, escape="\\")
        return column.like(pattern, escape="\\")

    people = select(Person.id).where(or_(contains(Person.name), contains(Person.email)))
    return or_(contains(Feedback.reference), Feedback.person_id.in_(people), contains(Feedback.summary))


# Records with no due date go last when sorting by due date.
_FAR_FUTURE = date(9999, 12, 31)
_DUE = func.coalesce(Feedback.due_on, _FAR_FUTURE)


def _order(sort: str):
    if sort == "oldest":
        return [Feedback.received_on, Feedback.id]
    if sort == "due":
        return [_DUE, Feedback.id]
    return [Feedback.received_on.desc(), Feedback.id.desc()]


def _sort_value(record: Feedback, sort: str):
    if sort == "due":
        return record.due_on or _FAR_FUTURE
    return record.received_on


def encode_cursor(record: Feedback, sort: str) -> str:
    return f"{_sort_value(record, sort).isoformat()}.{record.id}"


def decode_cursor(cursor: str | None):
    if not cursor:
        return None
    try:
        day, record_id = cursor.split(".")
        return date.fromisoformat(day), int(record_id)
    except ValueError:
        return None  # a mangled cursor starts again at the top, never errors


def _after(cursor, sort: str):
    """Rows strictly after the cursor in the sort's order (a keyset condition)."""
    day, record_id = cursor
    if sort == "newest":
        return or_(Feedback.received_on < day, and_(Feedback.received_on == day, Feedback.id < record_id))
    if sort == "oldest":
        return or_(Feedback.received_on > day, and_(Feedback.received_on == day, Feedback.id > record_id))
    return or_(_DUE > day, and_(_DUE == day, Feedback.id > record_id))


def unactioned_safeguarding(user) -> list[Feedback]:
    """Oldest first. There are few of these at any time, so they are sorted here rather
    than in SQL: an ORDER BY tempts SQLite to walk the whole date index instead of the
    index on the flag."""
    rows = db.session.scalars(
        select(Feedback)
        .where(visible_feedback(user), Feedback.safeguarding_concern.is_(True),
               Feedback.safeguarding_actioned_at.is_(None))
        .options(selectinload(Feedback.person), selectinload(Feedback.team), selectinload(Feedback.stages))
    )
    return sorted(rows, key=lambda r: (r.received_on, r.id))


def search(user, filters: InboxFilters, today: date, cursor: str | None = None,
           page_size: int = PAGE_SIZE) -> InboxPage:
    """One page of the inbox as ``user`` may see it."""
    if filters.sort not in SORTS:
        filters = replace(filters, sort="newest")
    rows = list(db.session.scalars(build_query(user, filters, today, cursor, page_size)))
    more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = encode_cursor(rows[-1], filters.sort) if more and rows else None
    urgent = unactioned_safeguarding(user) if cursor is None else []
    return InboxPage(rows, next_cursor, filters, urgent)


def build_query(user, filters: InboxFilters, today: date, cursor: str | None, page_size: int):
    """The page's query (one row more than a page, to know whether another follows)."""
    query = (
        select(Feedback)
        .where(visible_feedback(user), *_conditions(filters, today))
        .options(selectinload(Feedback.person), selectinload(Feedback.team), selectinload(Feedback.stages),
                 selectinload(Feedback.assigned_to))
        .order_by(*_order(filters.sort))
        .limit(page_size + 1)
    )
    position = decode_cursor(cursor)
    if position is not None:
        query = query.where(_after(position, filters.sort))
    return query
