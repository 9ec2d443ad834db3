"""The triage inbox: every feedback record a person may see, filtered, searched,
sorted, and paged by keyset (so page 500 costs what page 1 does).

Safeguarding concerns still waiting for a manager's follow-up are listed on their own
above the first page, whatever the filters, so they stand out until someone records
what was done. (Kept out of the main sort, so that sort can walk an index.)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import (Boolean, Date, Integer, and_, any_, bindparam, column, func, literal, literal_column, or_, select,
                        table, union_all)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import Child, Feedback, Person, StaffUser, Team
from portal.services.accounts.permissions import visible_feedback, visible_feedback_counted
from portal.services.common.dates import read_date
from portal.services.common.labels import RecordStatus, label
from portal.services.triage import search_fold

PAGE_SIZE = 50
SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "due": "Due soonest",
}


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
    stage: int | None = None  # the latest stage's number (1, 2 or 3), for complaints in a procedure
    due_this_week: bool = False  # open, due from today to the end of this week (Sunday)
    q: str = ""
    sort: str = "newest"


@dataclass
class InboxPage:
    rows: list[InboxRow]
    next_cursor: str | None
    filters: InboxFilters = field(default_factory=InboxFilters)
    urgent: list[InboxRow] = field(default_factory=list)
    urgent_total: int = 0  # of which ``urgent`` may show only the oldest URGENT_SHOWN


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
        conditions.append(NOT_CLOSED)
    elif filters.status in RecordStatus:
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
    if filters.stage:
        conditions += [Feedback.procedure.is_not(None), Feedback.stage_number == filters.stage]
    if filters.due_this_week:
        conditions += [Feedback.due_on >= today, Feedback.due_on <= end_of_week(today),
                       Feedback.status != "closed"]
    if filters.q.strip():
        conditions.append(_matches(filters.q.strip(), filters.sort))
    return conditions


def end_of_week(today: date) -> date:
    """The Sunday of ``today``'s week: "due this week" runs from today to then."""
    return today + timedelta(days=6 - today.weekday())


# The search finds any substring of the reference, the summary, the person's name or
# email, or the child's name or record number, ignoring case, through a trigram index
# (migrations 0008 and 0020): on SQLite an FTS5 table for each of feedback, person and
# child, on PostgreSQL pg_trgm GIN indexes on lower(column). Text that is a date as people
# type it (27/3/2012, 27 March 2012: dates.read_date) also finds the children born that
# day, through the index on child.date_of_birth.
#
# It then takes one of two ways to a page, by how many records match (read up to
# _DRIVEN_AT_MOST, which the index answers in a millisecond or so):
# - fewer (a reference, a name, an email, a rare word): the records read, looked up by id
#   and sorted;
# - more (a common word): walk the inbox in its order and keep the rows that match, which
#   finds a page of them long before the end. Sorting tens of thousands of matches would
#   cost more; walking every row for a rare word, as a plain LIKE did, cost 200 ms or more.
#   On SQLite each row walked is checked by a function of our own that folds case as the
#   FTS5 tables do (search_fold), not by looking its id up among the matches. On
#   PostgreSQL a text common in the list's first rows is walked without counting (_COMMON).
_DRIVEN_AT_MOST = 2000
_TRIGRAM = 3  # shorter text has no trigram to look up: every row is checked instead

_feedback_search = table("feedback_search", column("rowid"), column("feedback_search"))
# The records, people and children a search looks through beside the page's own query
# (which joins person itself): aliases made once, as making them for each search (every
# column of each table proxied again) cost several milliseconds a request.
_SEARCHED, _THEIRS, _ABOUT = (aliased(Feedback, name=name) for name in ("searched", "theirs", "about"))
_PERSON, _CHILD = aliased(Person, name="their_person"), aliased(Child, name="their_child")
_person_search = table("person_search", column("rowid"), column("person_search"))
_child_search = table("child_search", column("rowid"), column("child_search"))


def _matches(text: str, sort: str):
    postgres = db.engine.dialect.name == "postgresql"
    if len(text) < _TRIGRAM:
        return _each_row_matches(text, postgres)
    born = read_date(text)
    if postgres:
        # lower(column) LIKE the lower-cased text: what ILIKE does, in the form the
        # indexes (on lower(column)) answer.
        # The text goes into the SQL itself, not as a parameter: psycopg prepares a
        # statement it has run five times, and PostgreSQL then settles on a generic plan,
        # made without knowing the text, that gave up the trigram indexes (2 to 20 ms).
        pattern = literal(_like_pattern(text), literal_execute=True)
        searched = _SEARCHED

        def contains(column):
            return func.lower(column).like(pattern, escape="\\")

        feedback_ids = select(searched.id).where(or_(contains(searched.reference), contains(searched.summary)))
        person_ids = select(Person.id).where(or_(contains(Person.name), contains(Person.email)))
        numbered = Child.id.in_(exact) if (exact := _numbered_exactly(text)) else contains(Child.record_number)
        child_ids = _and_born(select(Child.id).where(or_(contains(Child.name), numbered)), born)
        if sort != "due" and _common_in_the_first_rows(
                sort, lambda row: or_(contains(row.reference), contains(row.summary))):
            return _walking(contains, Feedback, person_ids, child_ids)
    else:
        # An FTS5 phrase: the text as it is (no wildcards), in double quotes; on the name
        # alone ("name : ...") when the text is a record number exactly.
        phrase = '"' + text.replace('"', '""') + '"'
        feedback_ids = select(_feedback_search.c.rowid).where(_feedback_search.c.feedback_search.match(phrase))
        person_ids = select(_person_search.c.rowid).where(_person_search.c.person_search.match(phrase))
        exact = _numbered_exactly(text)
        child_ids = select(_child_search.c.rowid).where(
            _child_search.c.child_search.match(f"name : {phrase}" if exact else phrase))
        if exact:
            child_ids = union_all(child_ids, select(Child.id).where(Child.id.in_(exact)))
        child_ids = _and_born(child_ids, born)
    theirs, about = _THEIRS, _ABOUT
    matching = union_all(feedback_ids, select(theirs.id).where(_among(theirs.person_id, person_ids, postgres)),
                         select(about.id).where(_among(about.child_id, child_ids, postgres)))
    # The matches themselves, up to the cap, rather than their count: fewer than the cap
    # and the page is those records, looked up by id, without asking the search indexes
    # again (on PostgreSQL the trigram look-up of a name, "person 1234" among 333,000
    # people named "Person ...", was most of the page's SQL, and it ran twice).
    found = list(db.session.scalars(matching.limit(_DRIVEN_AT_MOST)))
    if len(found) < _DRIVEN_AT_MOST:
        return _one_of(Feedback.id, sorted(set(found)), postgres)
    if sort == "due":  # no index walks the due order
        return Feedback.id.in_(matching)
    if postgres:
        return _walking(contains, Feedback, person_ids, child_ids)
    return _walked_row_matches(text, exact, born)


# PostgreSQL: before counting, the reference and summary of the list's first rows in its
# order (whatever the filters) are looked at; a text in one of ten of them is common, and
# the list is walked without counting. The count, capped as it is, first builds the
# trigram index's bitmap of every match (85,589 for "late" at 200,000 records: 63 ms),
# while a page of a word that common is found within some 500 rows. (Looking at 300 rows,
# and their people and children too, cost a rarer text's search 5 to 8 ms more.)
_SAMPLED = 100
_COMMON = 10


def _common_in_the_first_rows(sort: str, matches) -> bool:
    first = (select(Feedback.reference, Feedback.summary).order_by(*_order(sort)).limit(_SAMPLED).subquery())
    return db.session.scalar(select(func.count()).select_from(first).where(matches(first.c))) >= _COMMON


def _walking(contains, row, person_ids, child_ids):
    """PostgreSQL: the row's own text, and its person and child among those matching
    (few enough to look up through their indexes)."""
    return or_(contains(row.reference), contains(row.summary), row.person_id.in_(person_ids),
               row.child_id.in_(child_ids))


def _walked_row_matches(text: str, exact: list[int], born: date | None):
    """SQLite, walking the inbox: the row's own columns, its person's and its child's
    (each by primary key) checked as the FTS5 tables would answer for them
    (``search_fold``). ``feedback.id IN (SELECT rowid FROM feedback_search ...)`` read and
    kept every match before the walk began (all 427,782 of "late" at 1,000,000 records:
    most of a 90 ms page), and an FTS5 lookup for each row walked costs some 0.2 ms."""
    folded = literal(search_fold.fold(text))

    def contains(column):
        return func.search_contains(column, folded, type_=Boolean)

    person, child = _PERSON, _CHILD  # the page's query joins person itself
    theirs = or_(contains(child.name), child.id.in_(exact) if exact else contains(child.record_number))
    if born is not None:
        theirs = or_(theirs, child.date_of_birth == born)
    return or_(contains(Feedback.reference), contains(Feedback.summary),
               select(person.id).where(person.id == Feedback.person_id,
                                       or_(contains(person.name), contains(person.email)))
               .correlate(Feedback).exists(),
               select(child.id).where(child.id == Feedback.child_id, theirs).correlate(Feedback).exists())


def _among(column, ids, postgres: bool):
    """``column IN (ids)``; on PostgreSQL ``column = ANY (ARRAY(ids))``, an array worked out
    first and looked up through the column's index. With IN the planner guessed how many
    people a text matches from its statistics' sample, which a new ANALYZE changes (673 for
    "person 1234", which 11 people match), and then hashed a scan of every record instead
    (230 ms at 200,000 records, where the index takes 1 ms)."""
    if postgres:
        return column == any_(func.array(ids.scalar_subquery()))
    return column.in_(ids)


def _one_of(column, ids: list[int], postgres: bool):
    """``column`` among ``ids``; on PostgreSQL as one array parameter (``= ANY``), so that
    the statement is the same whatever their number, and its plan an index look-up."""
    if postgres:
        return column == any_(bindparam("found_ids", ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def _and_born(child_ids, born: date | None):
    """The children found by the text, and those born on the day it names, if any."""
    if born is None:
        return child_ids
    return union_all(child_ids, select(Child.id).where(Child.date_of_birth == born))


def _numbered_exactly(text: str) -> list[int]:
    """The children whose record number is the text, as typed or in capitals (through the
    index on the number). A record number typed whole finds that child, not also those
    whose longer numbers contain it (LL448812 is not LL4488125); part of a number, which
    is no child's whole number, still finds every number it is part of."""
    typed = text.strip()
    return list(db.session.scalars(
        select(Child.id).where(Child.record_number.in_({typed, typed.upper(), typed.lower()}))))


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _each_row_matches(text: str, postgres: bool):
    """The same search as a condition checked on each row (LIKE ignores ASCII case on
    SQLite; PostgreSQL needs ILIKE)."""
    pattern = _like_pattern(text)

    def contains(column):
        if postgres:
            return column.ilike(pattern, escape="\\")
        return column.like(pattern, escape="\\")

    people = select(Person.id).where(or_(contains(Person.name), contains(Person.email)))
    children = select(Child.id).where(or_(contains(Child.name), contains(Child.record_number)))
    return or_(contains(Feedback.reference), Feedback.person_id.in_(people), contains(Feedback.summary),
               Feedback.child_id.in_(children))


# Records with no due date go last when sorting by due date.
_FAR_FUTURE = date(9999, 12, 31)
# The records not closed, and their order by due date, written as the partial index
# ix_feedback_due_order (migration 0026) writes them: constants, not parameters, so that
# the database can tell the index holds the rows and gives the order.
NOT_CLOSED = Feedback.status != literal_column("'closed'")
# Written as the index ix_feedback_due_order writes it (migration 0026), a constant rather
# than a parameter, so that the database sees the index gives this order.
_DUE = func.coalesce(Feedback.due_on, literal_column("'9999-12-31'", Date), type_=Date)


def _order(sort: str):
    if sort == "oldest":
        return [Feedback.received_on, Feedback.id]
    if sort == "due":
        return [_DUE, Feedback.id]
    return [Feedback.received_on.desc(), Feedback.id.desc()]


def _sort_value(record, sort: str):
    if sort == "due":
        return record.due_on or _FAR_FUTURE
    return record.received_on


def encode_cursor(record, sort: str) -> str:
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


class _Named(NamedTuple):
    name: str | None


class _StageNumber(NamedTuple):
    number: int


@dataclass(frozen=True, slots=True)
class InboxRow:
    """What an inbox row shows (templates/staff/_inbox_row.html) and nothing more, read
    as plain rows in one query. Building a Feedback object, with its person, team,
    stages and assignee, for each of a page's rows cost more than the queries did.

    ``person``, ``team``, ``assigned_to`` and ``stages`` have the shape the shared
    macros (``kind_tags``) read on a Feedback record."""

    id: int
    reference: str
    kind: str
    status: str
    received_on: date
    category: str | None
    formal_complaint_requested: bool
    safeguarding_concern: bool
    safeguarding_actioned_at: datetime | None
    due_on: date | None
    procedure: str | None
    version: int
    person_id: int | None
    team_id: int | None
    assigned_to_id: int | None
    person_name: str | None
    team_name: str | None
    assigned_to_name: str | None
    stage_number: int | None  # the latest stage's number, if any
    acknowledge_by: date | None = None  # the open stage's acknowledgement, while not done

    @property
    def person(self) -> _Named | None:
        return _Named(self.person_name) if self.person_id is not None else None

    @property
    def team(self) -> _Named | None:
        return _Named(self.team_name) if self.team_id is not None else None

    @property
    def assigned_to(self) -> _Named | None:
        return _Named(self.assigned_to_name) if self.assigned_to_id is not None else None

    @property
    def stages(self) -> tuple[_StageNumber, ...]:
        return (_StageNumber(self.stage_number),) if self.stage_number is not None else ()

    def what(self) -> str:
        """What the record is, as its badge in the list says it (and its CSV)."""
        if self.procedure:
            stage = f", stage {self.stage_number}" if self.stage_number is not None else ""
            return f"{self.procedure.capitalize()} complaint{stage}"
        if self.kind == "compliment":
            return "Compliment"
        return label(self.category) if self.category else "Initial contact"

    def flags(self, today: date) -> list[str]:
        """Its status and what needs noticing, as the list's badges say it, in order."""
        flags = []
        if self.safeguarding_concern and not self.safeguarding_actioned_at:
            flags.append("Safeguarding")
        if self.formal_complaint_requested and not self.procedure:
            flags.append("Formal complaint requested")
        if self.status != "closed" and self.due_on is not None and self.due_on < today:
            flags.append("Overdue")
        flags.append(label(self.status))
        return flags


_ROW_COLUMNS = (
    Feedback.id, Feedback.reference, Feedback.kind, Feedback.status, Feedback.received_on, Feedback.category,
    Feedback.formal_complaint_requested, Feedback.safeguarding_concern, Feedback.safeguarding_actioned_at,
    Feedback.due_on, Feedback.procedure, Feedback.version, Feedback.person_id, Feedback.team_id,
    Feedback.assigned_to_id,
)


# The inbox rows' select, built once: the person's, team's and assignee's names joined in,
# and the latest stage's number as the record keeps it (Feedback.stage_number, kept by
# deadlines.refresh: migration 0028), where a look-up of each row's stages was. Building
# the select and its alias afresh for each request cost more than running it.
_ASSIGNEE = aliased(StaffUser, name="assignee")
_ROWS = (
    select(*_ROW_COLUMNS, Person.name.label("person_name"), Team.name.label("team_name"),
           _ASSIGNEE.name.label("assigned_to_name"), Feedback.stage_number, Feedback.acknowledge_by)
    .select_from(Feedback)
    .outerjoin(Person, Person.id == Feedback.person_id)
    .outerjoin(Team, Team.id == Feedback.team_id)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Feedback.assigned_to_id)
)


def _rows_query(*conditions):
    """Inbox rows meeting ``conditions``, in one query."""
    return _ROWS.where(*conditions)


def _fetch(query) -> list[InboxRow]:
    return [InboxRow(*row) for row in db.session.execute(query)]


URGENT_SHOWN = 10


def unactioned_safeguarding(user, limit: int | None = None) -> tuple[list[InboxRow], int]:
    """The oldest ``limit`` (or all), and how many there are. How many is counted through
    the index of the unactioned flags; only the rows shown are read, by the ids of the
    oldest found in date order, so that PostgreSQL looks their people up rather than
    hashing the whole person table. With 1,000,000 records (2,000 concerns waiting in the
    benchmark's data) reading every one waiting with its date and sorting them here took
    most of each inbox page's time."""
    waiting = (visible_feedback(user), Feedback.safeguarding_concern.is_(True),
               Feedback.safeguarding_actioned_at.is_(None))
    # Counted without naming the id for someone who sees every record, so that
    # PostgreSQL counts from the index alone (it read each waiting record's page: 1 ms).
    total = (select(func.count()).select_from(Feedback)
             .where(visible_feedback_counted(user), *waiting[1:]).scalar_subquery())
    oldest = select(Feedback.id).where(*waiting).order_by(Feedback.received_on, Feedback.id)
    if limit is not None:
        # The few shown and how many there are in one statement (the oldest as a
        # subquery, the count as a column), where there were three round trips: none
        # shown means none waiting.
        found = db.session.execute(_rows_query(Feedback.id.in_(oldest.limit(limit).scalar_subquery()))
                                   .add_columns(total.label("waiting"))).all()
        rows = [InboxRow(*row[:-1]) for row in found]
        return sorted(rows, key=lambda r: (r.received_on, r.id)), (found[0][-1] if found else 0)
    # All of them (the inbox filtered on safeguarding): the ids first, then their rows
    # (as a subquery of the rows' statement, SQLite took twice as long over 2,000).
    count = db.session.scalar(select(total))
    wanted = list(db.session.scalars(oldest)) if count else []
    rows = _fetch(_rows_query(Feedback.id.in_(wanted))) if wanted else []
    return sorted(rows, key=lambda r: (r.received_on, r.id)), count


def search(user, filters: InboxFilters, today: date, cursor: str | None = None,
           page_size: int = PAGE_SIZE) -> InboxPage:
    """One page of the inbox as ``user`` may see it."""
    if filters.sort not in SORTS:
        filters = replace(filters, sort="newest")
    rows = _fetch(build_query(user, filters, today, cursor, page_size))
    more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = encode_cursor(rows[-1], filters.sort) if more and rows else None
    # A long list would push the inbox off the page (and take most of its time): the
    # oldest few stand out above the first page, and filtering on safeguarding shows all.
    urgent, total = (unactioned_safeguarding(user, None if filters.safeguarding else URGENT_SHOWN)
                     if cursor is None else ([], 0))
    return InboxPage(rows, next_cursor, filters, urgent, total)


def build_query(user, filters: InboxFilters, today: date, cursor: str | None, page_size: int):
    """The page's query (one row more than a page, to know whether another follows)."""
    query = (
        _rows_query(visible_feedback(user), *_conditions(filters, today))
        .order_by(*_order(filters.sort))
        .limit(page_size + 1)
    )
    position = decode_cursor(cursor)
    if position is not None:
        query = query.where(_after(position, filters.sort))
    return query


def every_row(user, filters: InboxFilters, today: date, batch: int = 1000):
    """Every row of the list the filters make, in its order, as the pages show them one
    after another (the safeguarding concerns listed apart above the first page are not
    part of it): fetched a batch at a time by the same keyset the pages use, so a list of
    any length is never held in memory at once."""
    if filters.sort not in SORTS:
        filters = replace(filters, sort="newest")
    cursor = None
    while True:
        rows = _fetch(build_query(user, filters, today, cursor, batch - 1))
        yield from rows
        if len(rows) < batch:
            return
        cursor = encode_cursor(rows[-1], filters.sort)
