"""Import a file of the interchange format (FORMAT.md): check all of it, then load it.

Two passes over the file, each streaming line by line:

1. ``check_file`` validates every line against the schema (with a format checker, so
   impossible dates are refused) and the rules of ``rules.py``, and yields every problem
   with its line number and field. Only the references and restriction identities seen so
   far are kept.
2. ``load_file`` (only when the check found nothing) loads the records in batches of
   ``BATCH`` lines with Core bulk inserts, in one transaction: all of the file or none of
   it. A record whose reference exists is skipped, or with ``update=True`` replaced; a
   restriction likewise by its identity. A dry run does all of it and rolls back, so its
   summary is exactly what the import would do.

People: a record's submitter is matched to an existing person only when name, email and
phone are exactly the same (the email compared lower-cased, as the portal keeps it);
otherwise a new person is made. An imported record therefore always shows the submitter
its line gave, whatever other lines or the database hold for the same email, which keeps
export, import and export identical. The same person written two ways becomes two people.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ARRAY, Boolean, ColumnElement, Date, any_, bindparam, delete, func, insert, or_, select, text, update

from portal.extensions import db
from portal.models import (
    ContactRestriction,
    Element,
    Feedback,
    LearningAction,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    Payment,
    Person,
    Stage,
    Team,
    Theme,
)
from portal.models._types import utcnow
from portal.models.money import to_pence
from portal.services import audit, deadlines
from portal.services.calendars import current_calendar
from portal.services.interchange import schema
from portal.services.interchange.rules import Rules, restriction_identity
from portal.services.people import normalise_email, normalise_phone
from portal.services.procedures.settings import current_timescales

BATCH = 1000

Progress = Callable[[int], Any]  # told how many bytes of the file have been read


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"line {self.line}: {self.field}: {self.message}"
        return f"line {self.line}: {self.message}"


@dataclass
class Summary:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool = False
    update: bool = False
    lines: int = 0
    imported: int = 0
    skipped: int = 0
    replaced: int = 0
    restrictions_imported: int = 0
    restrictions_skipped: int = 0
    restrictions_replaced: int = 0
    teams_created: list[str] = field(default_factory=list)
    themes_created: list[str] = field(default_factory=list)
    error_count: int = 0
    # The problems found, when no ``on_error`` was given to ``import_file``.
    errors: list[LineError] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "lines": self.lines, "imported": self.imported, "skipped": self.skipped, "replaced": self.replaced,
            "restrictions_imported": self.restrictions_imported,
            "restrictions_skipped": self.restrictions_skipped,
            "restrictions_replaced": self.restrictions_replaced,
            "teams_created": self.teams_created, "themes_created": self.themes_created,
        }

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def report(self) -> list[str]:
        if not self.ok:
            return [f"{self.error_count} problem{'s' if self.error_count != 1 else ''} found: nothing was imported"]
        would = "would be " if self.dry_run else ""
        lines = ["Dry run: nothing was imported." if self.dry_run else "Import finished."]
        lines.append(f"Feedback records {would}imported: {self.imported}")
        lines.append(f"Feedback records skipped (reference exists): {self.skipped}")
        if self.update:
            lines.append(f"Feedback records {would}replaced (--update): {self.replaced}")
        lines.append(f"Contact restrictions {would}imported: {self.restrictions_imported}")
        lines.append(f"Contact restrictions skipped (already held): {self.restrictions_skipped}")
        if self.update:
            lines.append(f"Contact restrictions {would}replaced (--update): {self.restrictions_replaced}")
        for label, names in (("Teams", self.teams_created), ("Themes", self.themes_created)):
            listed = ": " + ", ".join(names) if names else ""
            lines.append(f"{label} {would}created: {len(names)}{listed}")
        return lines


def import_file(
    path: str | os.PathLike,
    *,
    update: bool = False,
    dry_run: bool = False,
    on_error: Callable[[LineError], Any] | None = None,
) -> Summary:
    """Check the whole file; load it only if nothing is wrong."""
    summary = Summary(dry_run=dry_run, update=update)
    for error in check_file(path):
        summary.error_count += 1
        if on_error is None:
            summary.errors.append(error)
        else:
            on_error(error)
    if summary.ok:
        load_file(path, update=update, dry_run=dry_run, summary=summary)
    return summary


# --- Pass 1: check ------------------------------------------------------------------


def check_file(path: str | os.PathLike, progress: Progress | None = None) -> Iterator[LineError]:
    """Every problem of the file, line by line, with its field."""
    rules = Rules()
    for number, text, size in _lines(path):
        if progress:
            progress(size)
        if text is None:
            yield LineError(number, "", "is not UTF-8 text")
            continue
        try:
            record = _parse(text)
        except ValueError as error:
            yield LineError(number, "", f"is not a JSON object: {error}")
            continue
        problems = list(schema.problems(record))
        if not problems:
            problems = list(rules.problems(record, number, nul="\\u0000" in text))
        for where, message in problems:
            yield LineError(number, where, message)


# --- Pass 2: load -------------------------------------------------------------------


def load_file(
    path: str | os.PathLike,
    *,
    update: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    summary: Summary | None = None,
) -> Summary:
    """Load a file that ``check_file`` found nothing wrong with, in one transaction."""
    summary = summary or Summary(dry_run=dry_run, update=update)
    loader = _Loader(update, summary)
    batch: list[dict] = []
    try:
        for _number, text, size in _lines(path):
            batch.append(_parse(text))
            summary.lines += 1
            if len(batch) >= BATCH:
                loader.load(batch)
                batch = []
            if progress:
                progress(size)
        if batch:
            loader.load(batch)
    except BaseException:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        # The rows went in through the driver, not the session's audited flush: one entry
        # for the import, in its transaction, says what it did.
        audit.record(None, "data_imported", new={"file": os.path.basename(path), **summary.counts()})
        db.session.commit()
    return summary


def _lines(path: str | os.PathLike) -> Iterator[tuple[int, str | None, int]]:
    """(line number, text or None if not UTF-8, bytes) for each line that is not blank."""
    skipped = 0  # bytes of blank lines, counted with the next line for the progress bar
    with open(path, "rb") as file:
        for number, raw in enumerate(file, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None, len(raw) + skipped
                skipped = 0
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")
            if text.strip():
                yield number, text, len(raw) + skipped
                skipped = 0
            else:
                skipped += len(raw)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def _parse(text: str) -> object:
    return json.loads(text, parse_constant=_refuse_constant)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _among(column, values) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL as ``= ANY(array)``, one parameter rather than a
    thousand for psycopg to parse into the query."""
    values = list(values)
    if db.engine.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def _integer(value: int | float | None) -> int | None:
    """JSON Schema counts 2.0 as an integer; the database wants 2."""
    return int(value) if value is not None else None


def _text(value: str | None) -> str | None:
    """A person's detail as the portal keeps it: trimmed, and nothing rather than blank."""
    return (value or "").strip() or None


def _person_details(person: dict | None) -> tuple[str | None, str | None, str | None] | None:
    person = person or {}
    details = (_text(person.get("name")), normalise_email(person.get("email")), _text(person.get("phone")))
    return details if any(details) else None


FEEDBACK = Feedback.__table__
STAGE = Stage.__table__
ELEMENT = Element.__table__
ENQUIRY = OmbudsmanEnquiry.__table__
RECOMMENDATION = OmbudsmanRecommendation.__table__
PAYMENT = Payment.__table__
ACTION = LearningAction.__table__
RESTRICTION = ContactRestriction.__table__
PERSON = Person.__table__


class _Writer:
    """Bulk inserts at the speed of the database driver, with new ids taken beforehand.

    Ids are taken before inserting so that children can name their parents without reading
    anything back. PostgreSQL hands them out from the table's sequence, many in one query.
    On SQLite the writer first takes the database's write lock, which it keeps to the end of
    the transaction: from then on no one else can insert, so the ids after the highest in
    each table are the writer's to use.

    Rows go to the driver directly (PostgreSQL: COPY; SQLite: executemany) after
    SQLAlchemy's own conversion of each column's values, so they are stored exactly as the
    models would store them. SQLAlchemy's executemany costs about as much again per row,
    and with psycopg sends one statement a row. Columns a row leaves out get the model's
    default, as an ORM insert would give them.
    """

    def __init__(self) -> None:
        self.dialect = db.engine.dialect
        self.postgresql = self.dialect.name == "postgresql"
        self.next: dict[str, int] = {}
        self.defaults: dict[tuple, dict] = {}
        if self.postgresql:
            # Plan each batch's lookups (people by email, records by reference) afresh.
            # psycopg prepares a statement run five times, and PostgreSQL may then keep one
            # generic plan, made while the tables were small or empty (a sequential scan,
            # or the search's trigram index): as the import grows the tables, a batch's
            # lookup took seconds instead of milliseconds.
            db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        else:
            # Changes nothing, but takes SQLite's write lock for the rest of the transaction.
            db.session.execute(text("DELETE FROM feedback WHERE 0 = 1"))

    def take(self, table, count: int) -> list[int]:
        if count == 0:
            return []
        if self.postgresql:
            return db.session.execute(
                text("SELECT array_agg(nextval(pg_get_serial_sequence(:table, 'id'))) "
                     "FROM generate_series(1, :count)"),
                {"table": table.name, "count": count},
            ).scalar_one()
        if table.name not in self.next:
            self.next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        first = self.next[table.name]
        self.next[table.name] = first + count
        return list(range(first, first + count))

    def insert(self, table, rows: list[dict]) -> list[int]:
        """Insert the rows with new ids, in order; return the ids."""
        if not rows:
            return []
        ids = self.take(table, len(rows))
        given = ("id", *rows[0])
        defaults = self._defaults(table, given)
        names = [*given, *defaults]
        columns = [ids, *([row[name] for row in rows] for name in given[1:]),
                   *([value] * len(rows) for value in defaults.values())]
        for i, name in enumerate(names):
            convert = self._converter(table.c[name])
            if convert is None:
                continue
            column = columns[i]
            if column.count(column[0]) == len(column):  # one value throughout (a default, the time)
                columns[i] = [convert(column[0])] * len(column)
            else:
                columns[i] = list(map(convert, column))
        values = list(zip(*columns))
        quote = self.dialect.identifier_preparer.quote
        columns = ", ".join(quote(name) for name in names)
        connection = db.session.connection().connection.driver_connection
        if self.postgresql:
            with connection.cursor() as cursor:
                with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
        else:
            # Many rows to a statement, not one (executemany): SQLite opens a savepoint for
            # each statement, and at each savepoint the search index's FTS5 tables
            # (migration 0008, filled by triggers) write what they hold as a new segment,
            # which then has to be merged. A row at a time that more than doubled the time
            # of an import; a few hundred rows at a time it costs little.
            row_marks = "(" + ", ".join("?" for _ in names) + ")"
            limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # 32,766 since 3.32
            per_statement = max(1, min(limit, 32_766) // len(names))
            statement = None
            for start in range(0, len(values), per_statement):
                chunk = values[start:start + per_statement]
                if statement is None or len(chunk) != per_statement:
                    statement = (f"INSERT INTO {quote(table.name)} ({columns}) VALUES "
                                 + ", ".join([row_marks] * len(chunk)))
                connection.execute(statement, [value for row in chunk for value in row])
        return ids

    def _converter(self, column):
        if isinstance(column.type, Date):
            # Dates stay the file's checked "YYYY-MM-DD": the text SQLite stores (as
            # SQLAlchemy writes it) and the text COPY reads.
            return None
        if isinstance(column.type, Boolean):
            return None  # both drivers store True and False as SQLAlchemy would
        return column.type.dialect_impl(self.dialect).bind_processor(self.dialect)

    def _defaults(self, table, given: tuple) -> dict:
        """The model's default for each column the rows leave out (None where it has none)."""
        key = (table.name, given)
        if key not in self.defaults:
            defaults = {}
            for column in table.columns:
                if column.name in given or column.server_default is not None:
                    continue
                default = column.default
                if default is None or not (default.is_scalar or default.is_callable):
                    continue
                defaults[column.name] = default.arg(None) if default.is_callable else default.arg
            self.defaults[key] = defaults
        return self.defaults[key]


class _Loader:
    """Loads checked records a batch at a time, with Core bulk inserts."""

    def __init__(self, update: bool, summary: Summary) -> None:
        self.update = update
        self.summary = summary
        self.now = utcnow()
        self.writer = _Writer()
        self.calendar = current_calendar()
        self.timescales = current_timescales()
        self.teams: dict[str, int] = dict(db.session.execute(select(Team.name, Team.id)).all())
        self.themes: dict[str, int] = dict(db.session.execute(select(Theme.name, Theme.id)).all())

    def load(self, batch: list[dict]) -> None:
        feedback = [r for r in batch if r["type"] == "feedback"]
        restrictions = [r for r in batch if r["type"] == "contact_restriction"]
        if feedback:
            self._feedback(feedback)
        if restrictions:
            self._restrictions(restrictions)

    # Reference data -------------------------------------------------------------

    def _team(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self.teams:
            self.teams[name] = db.session.execute(
                insert(Team.__table__).values(name=name, active=True).returning(Team.__table__.c.id)
            ).scalar_one()
            self.summary.teams_created.append(name)
        return self.teams[name]

    def _theme(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self.themes:
            self.themes[name] = db.session.execute(
                insert(Theme.__table__).values(name=name, active=True).returning(Theme.__table__.c.id)
            ).scalar_one()
            self.summary.themes_created.append(name)
        return self.themes[name]

    # People ---------------------------------------------------------------------

    def _people(self, people: list[dict | None]) -> list[int | None]:
        """The person id for each submitter: the same details reuse a person, else a new one."""
        details = [_person_details(p) for p in people]
        emails = {d[1] for d in details if d and d[1]}
        phone_keys = {k for d in details if d and (k := normalise_phone(d[2]))}
        known: dict[tuple, int] = {}
        if emails or phone_keys:
            rows = db.session.execute(
                select(PERSON.c.id, PERSON.c.name, PERSON.c.email, PERSON.c.phone)
                .where(or_(_among(PERSON.c.email, emails), _among(PERSON.c.phone_key, phone_keys)))
                .order_by(PERSON.c.id)
            )
            for row in rows:
                known.setdefault((row.name, row.email, row.phone), row.id)
        ids: list[int | None] = [None] * len(details)
        new_rows: list[dict] = []
        new_positions: list[list[int]] = []
        pending: dict[tuple, int] = {}  # details -> index into new_rows
        for i, d in enumerate(details):
            if d is None:
                continue
            if d in known:
                ids[i] = known[d]
                continue
            identifiable = bool(d[1] or normalise_phone(d[2]))
            if identifiable and d in pending:
                new_positions[pending[d]].append(i)
                continue
            if identifiable:
                pending[d] = len(new_rows)
            new_rows.append({"name": d[0], "email": d[1], "phone": d[2], "phone_key": normalise_phone(d[2]),
                             "address": None, "created_at": self.now})
            new_positions.append([i])
        if new_rows:
            new_ids = self._insert(PERSON, new_rows)
            for person_id, positions in zip(new_ids, new_positions):
                for i in positions:
                    ids[i] = person_id
        return ids

    # Feedback -------------------------------------------------------------------

    def _feedback(self, records: list[dict]) -> None:
        references = [r["reference"] for r in records]
        existing = {
            row.reference: (row.id, row.status)
            for row in db.session.execute(
                select(FEEDBACK.c.reference, FEEDBACK.c.id, FEEDBACK.c.status)
                .where(_among(FEEDBACK.c.reference, references))
            )
        }
        new: list[dict] = []
        replaced: list[tuple[int, dict]] = []
        statuses: list[str] = []
        for record in records:
            held = existing.get(record["reference"])
            if held is None:
                new.append(record)
            elif self.update:
                replaced.append((held[0], record))
                statuses.append(held[1])
            else:
                self.summary.skipped += 1
        if not new and not replaced:
            return
        person_ids = self._people([r.get("submitter") for r in new] + [r.get("submitter") for _, r in replaced])
        rows = [self._feedback_row(r, p, "new") for r, p in zip(new, person_ids)]
        ids: list[int] = []
        if rows:
            for row in rows:
                row.update(young_persons_form=False, contact_methods=[], created_at=self.now, version=1)
            ids = self._insert(FEEDBACK, rows)
        if replaced:
            self._replace([fid for fid, _ in replaced],
                          [self._feedback_row(r, p, status)
                           for (_, r), p, status in zip(replaced, person_ids[len(new):], statuses)])
        self._children(ids + [fid for fid, _ in replaced], new + [r for _, r in replaced])
        self.summary.imported += len(new)
        self.summary.replaced += len(replaced)

    def _feedback_row(self, record: dict, person_id: int | None, status: str) -> dict:
        """The columns the format carries. Others (status, contact methods, ...) keep their defaults."""
        submitter = record["submitter"]
        compliment = record.get("compliment") or {}
        contact = record.get("initial_contact") or {}
        complaint = record.get("complaint") or {}
        return {
            "reference": record["reference"],
            "kind": record["kind"],
            "received_on": record["received_on"],
            "channel": record["channel"],
            "person_id": person_id,
            "submitter_role": submitter["role"],
            "submitter_age": _integer(submitter.get("age")),
            "team_id": self._team(record.get("team")),
            "theme_id": self._theme(record.get("theme")),
            "summary": record["summary"],
            "desired_outcome": record.get("desired_outcome"),
            "formal_complaint_requested": bool(record.get("formal_complaint_requested")),
            "on_behalf_of_child": bool(record.get("on_behalf_of_child")),
            "advocate_requested": bool(record.get("advocate_requested")),
            "safeguarding_concern": bool(record.get("safeguarding_concern")),
            "named_staff": list(compliment.get("named_staff") or []),
            "shared_on": compliment.get("shared_on"),
            "publish_consent": bool(compliment.get("publish_consent")),
            "anonymised_text": compliment.get("anonymised_text"),
            "category": contact.get("category"),
            "outcome": contact.get("outcome"),
            "outcome_on": contact.get("outcome_on"),
            "resolution": contact.get("resolution"),
            "procedure": complaint.get("procedure"),
            "updated_at": self.now,
            **self._deadlines(record, status),
        }

    def _deadlines(self, record: dict, status: str) -> dict:
        """Status and stored due dates as ``deadlines.refresh`` keeps them for every record.

        History that is over is closed, what is still open gets its due dates; the stages'
        due dates are kept with the record for ``_stage_row``.
        """
        compliment = record.get("compliment") or {}
        stages = [
            SimpleNamespace(
                number=int(s["stage"]), started_on=date.fromisoformat(s["started_on"]),
                extended_to=_day(s.get("extended_to")), paused_working_days=int(s.get("paused_working_days") or 0),
                panel_met_on=_day(s.get("panel_met_on")), panel_report_on=_day(s.get("panel_report_on")),
                responded_on=s.get("responded_on"), due_on=None,
            )
            for s in (record.get("complaint") or {}).get("stages") or []
        ]
        clock = SimpleNamespace(
            kind=record["kind"], procedure=(record.get("complaint") or {}).get("procedure"), stages=stages,
            shared_on=compliment.get("shared_on"), outcome=(record.get("initial_contact") or {}).get("outcome"),
            received_on=date.fromisoformat(record["received_on"]), status=status, due_on=None,
        )
        deadlines.refresh(clock, self.calendar, self.timescales)
        record["_stage_due"] = [_iso(s.due_on) for s in stages]
        return {"status": clock.status, "due_on": _iso(clock.due_on)}

    def _replace(self, ids: list[int], rows: list[dict]) -> None:
        """Replace what the format carries; the portal's own fields and timeline stay."""
        columns = list(rows[0])
        statement = (
            update(FEEDBACK)
            .where(FEEDBACK.c.id == bindparam("b_id"))
            .values({**{name: bindparam(f"b_{name}") for name in columns}, "version": FEEDBACK.c.version + 1})
        )
        dates = {name for name in columns if isinstance(FEEDBACK.c[name].type, Date)}
        db.session.execute(statement, [
            {"b_id": i, **{f"b_{k}": date.fromisoformat(v) if k in dates and v else v for k, v in row.items()}}
            for i, row in zip(ids, rows)
        ])
        stages = select(STAGE.c.id).where(STAGE.c.feedback_id.in_(ids))
        enquiries = select(ENQUIRY.c.id).where(ENQUIRY.c.feedback_id.in_(ids))
        db.session.execute(delete(ELEMENT).where(ELEMENT.c.stage_id.in_(stages)))
        db.session.execute(delete(STAGE).where(STAGE.c.feedback_id.in_(ids)))
        db.session.execute(delete(RECOMMENDATION).where(RECOMMENDATION.c.enquiry_id.in_(enquiries)))
        for table in (ENQUIRY, PAYMENT, ACTION):
            db.session.execute(delete(table).where(table.c.feedback_id.in_(ids)))

    def _children(self, ids: list[int], records: list[dict]) -> None:
        stage_rows, stage_elements = [], []
        enquiry_rows, enquiry_recommendations = [], []
        payment_rows, action_rows = [], []
        for feedback_id, record in zip(ids, records):
            for stage, due_on in zip((record.get("complaint") or {}).get("stages") or [], record["_stage_due"]):
                stage_rows.append(self._stage_row(feedback_id, stage, due_on))
                stage_elements.append(stage.get("elements") or [])
            for enquiry in record.get("ombudsman") or []:
                enquiry_rows.append({
                    "feedback_id": feedback_id,
                    "reference": enquiry["reference"],
                    "notified_on": enquiry["notified_on"],
                    "status": enquiry["status"],
                    "decision": enquiry.get("decision"),
                    "decided_on": enquiry.get("decided_on"),
                    "remedy_pence": to_pence(enquiry.get("remedy_amount")),
                })
                enquiry_recommendations.append(enquiry.get("recommendations") or [])
            for payment in record.get("payments") or []:
                payment_rows.append({
                    "feedback_id": feedback_id,
                    "kind": payment["kind"],
                    "amount_pence": to_pence(payment["amount"]),
                    "paid_on": payment["paid_on"],
                    "description": payment.get("description"),
                    "decided_by": payment.get("decided_by"),
                })
            for action in record.get("actions") or []:
                source = action.get("stage")
                action_rows.append({
                    "feedback_id": feedback_id,
                    "recommendation": action["recommendation"],
                    "source": source if source in (None, "ombudsman") else str(int(source)),
                    "owner": action.get("owner"),
                    "raised_on": action["raised_on"],
                    "due_on": action.get("due_on"),
                    "status": action["status"],
                    "completed_on": action.get("completed_on"),
                    "completion_note": action.get("completion_note"),
                })
        stage_ids = self._insert(STAGE, stage_rows)
        self._insert(ELEMENT, [
            {"stage_id": stage_id, "number": int(e["number"]), "summary": e["summary"],
             "theme_id": self._theme(e.get("theme")), "outcome": e.get("outcome")}
            for stage_id, elements in zip(stage_ids, stage_elements)
            for e in elements
        ])
        enquiry_ids = self._insert(ENQUIRY, enquiry_rows)
        self._insert(RECOMMENDATION, [
            {"enquiry_id": enquiry_id, "text": r["text"], "due_on": r.get("due_on"),
             "complied_on": r.get("complied_on"), "compliance": r.get("compliance")}
            for enquiry_id, recommendations in zip(enquiry_ids, enquiry_recommendations)
            for r in recommendations
        ])
        self._insert(PAYMENT, payment_rows)
        self._insert(ACTION, action_rows)

    def _stage_row(self, feedback_id: int, stage: dict, due_on: str | None) -> dict:
        return {
            "feedback_id": feedback_id,
            "number": int(stage["stage"]),
            "started_on": stage["started_on"],
            "team_id": self._team(stage.get("team")),
            "theme_id": self._theme(stage.get("theme")),
            "officer": stage.get("officer"),
            "investigating_officer": stage.get("investigating_officer"),
            "independent_person": stage.get("independent_person"),
            "statement_agreed_on": stage.get("statement_agreed_on"),
            "extended_to": stage.get("extended_to"),
            "extension_reason": stage.get("extension_reason"),
            "paused_working_days": int(stage.get("paused_working_days") or 0),
            "late_request_reason": stage.get("late_request_reason"),
            "panel_members": list(stage.get("panel_members") or []),
            "panel_met_on": stage.get("panel_met_on"),
            "panel_report_on": stage.get("panel_report_on"),
            "responded_on": stage.get("responded_on"),
            "due_on": due_on,
        }

    def _insert(self, table, rows: list[dict]) -> list[int]:
        return self.writer.insert(table, rows)

    # Contact restrictions -------------------------------------------------------

    def _restrictions(self, records: list[dict]) -> None:
        letter_dates = {date.fromisoformat(r["letter_issued_on"]) for r in records}
        held: dict[tuple, list[int]] = {}
        rows = db.session.execute(
            select(RESTRICTION.c.id, RESTRICTION.c.person_name, RESTRICTION.c.person_email,
                   RESTRICTION.c.letter_issued_on)
            .where(_among(RESTRICTION.c.letter_issued_on, letter_dates))
        )
        for row in rows:
            identity = restriction_identity({
                "person": {"name": row.person_name, "email": row.person_email},
                "letter_issued_on": row.letter_issued_on.isoformat(),
            })
            held.setdefault(identity, []).append(row.id)
        to_load, to_remove = [], []
        for record in records:
            ids = held.get(restriction_identity(record))
            if not ids:
                to_load.append(record)
                self.summary.restrictions_imported += 1
            elif self.update:
                to_load.append(record)
                to_remove.extend(ids)
                self.summary.restrictions_replaced += 1
            else:
                self.summary.restrictions_skipped += 1
        if to_remove:
            db.session.execute(delete(RESTRICTION).where(RESTRICTION.c.id.in_(to_remove)))
        people = [_person_details(r["person"]) or (None, None, None) for r in to_load]
        links = self._person_links(people)
        self._insert(RESTRICTION, [
            {
                "person_id": links.get(("email", email)) or links.get(("phone", normalise_phone(phone))),
                "person_name": name,
                "person_email": email,
                "person_phone": phone,
                "letter_issued_on": record["letter_issued_on"],
                "restrictions": list(record.get("restrictions") or []),
                "reason": record.get("reason"),
                "decided_by": record.get("decided_by"),
                "review_on": record.get("review_on"),
                "reviewed_on": record.get("reviewed_on"),
                "review_result": record.get("review_result"),
            }
            for record, (name, email, phone) in zip(to_load, people)
        ])

    def _person_links(self, people: list[tuple]) -> dict[tuple, int]:
        """The person a restriction is about: the first with its email, else its phone number."""
        emails = {email for _, email, _ in people if email}
        phone_keys = {k for _, _, phone in people if (k := normalise_phone(phone))}
        links: dict[tuple, int] = {}
        if emails or phone_keys:
            rows = db.session.execute(
                select(PERSON.c.id, PERSON.c.email, PERSON.c.phone_key)
                .where(or_(_among(PERSON.c.email, emails), _among(PERSON.c.phone_key, phone_keys)))
                .order_by(PERSON.c.id)
            )
            for row in rows:
                if row.email:
                    links.setdefault(("email", row.email), row.id)
                if row.phone_key:
                    links.setdefault(("phone", row.phone_key), row.id)
        return links


