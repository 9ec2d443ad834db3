"""Loading checked lines into the database, a batch at a time (see ``importer``).

People: a record's submitter is matched to an existing person only when name, email and
phone are exactly the same (the email compared lower-cased, as the portal keeps it);
otherwise a new person is made. An imported record therefore always shows the submitter
its line gave, whatever other lines or the database hold for the same email, which keeps
export, import and export identical. The same person written two ways becomes two people.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, and_, bindparam, delete, func, insert, or_, select, update

from portal.extensions import db
from portal.models import Team, Theme
from portal.models._types import utcnow
from portal.models.money import to_pence
from portal.services.procedures import deadlines
from portal.services.procedures.calendars import current_calendar
from portal.services.interchange import children as child_lines
from portal.services.interchange.bulk import Writer, among
from portal.services.interchange.rules import restriction_identity
from portal.services.interchange.summary import Summary
from portal.services.interchange.tables import (ACTION, ADVOCACY, CHILD, ELEMENT, ENQUIRY, FEEDBACK, PAYMENT,
                                                 PERSON, RECOMMENDATION, RESTRICTION, STAGE)
from portal.services.intake.people import normalise_email, normalise_phone
from portal.services.procedures.timescales import current_timescales


_TABLES = (PERSON, CHILD, ADVOCACY, FEEDBACK, STAGE, ELEMENT, ENQUIRY, RECOMMENDATION, PAYMENT, ACTION,
           RESTRICTION)


# The tables whose indexes an import into them while they are empty builds once at its end
# (SQLite: ``Writer.indexes_aside``).
_SET_ASIDE = (FEEDBACK, STAGE, ELEMENT)


class _InForce:
    """The timescales (a ``TimescaleBook``), with the set in force looked up once per
    procedure and day a stage started: the lookup builds the set afresh each time, a
    fifth of a millisecond, for each of a stage's clocks."""

    def __init__(self, book) -> None:
        self.book = book
        self.found: dict[tuple, Any] = {}  # at most a set per procedure and day

    def in_force(self, procedure, on: date):
        key = (str(procedure) if procedure is not None else None, on)
        if key not in self.found:
            self.found[key] = self.book.in_force(procedure, on)
        return self.found[key]

    def __getattr__(self, name: str):
        return getattr(self.book, name)


# What of a stage its due date depends on (``_deadlines``), and how many reckonings to keep.
_STAGE_CLOCK = ("stage", "started_on", "extended_to", "paused_working_days", "panel_met_on", "panel_report_on",
                "responded_on")
_RECKONED = 20_000


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _integer(value: int | float | None) -> int | None:
    """JSON Schema counts 2.0 as an integer; the database wants 2."""
    return int(value) if value is not None else None


def _text(value: str | None) -> str | None:
    """A person's detail as the portal keeps it: trimmed, and nothing rather than blank."""
    return (value or "").strip() or None


def _action_source(stage: object) -> str | None:
    """An action's source as the portal keeps it: a stage's number as text, or "ombudsman"."""
    return stage if stage in (None, "ombudsman") else str(int(stage))


def _person_details(person: dict | None) -> tuple[str | None, str | None, str | None] | None:
    person = person or {}
    details = (_text(person.get("name")), normalise_email(person.get("email")), _text(person.get("phone")))
    return details if any(details) else None


@dataclass
class _Record:
    """A feedback line made ready to write: its rows, with the ids that join them left to fill."""

    line: dict | None  # kept only for --update, which may make it ready again
    row: dict  # the feedback's columns; person_id to fill
    submitter: tuple | None  # (name, email, phone) as the portal keeps them
    stages: list[tuple[dict, list[dict]]]  # each stage's row (feedback_id to fill) and its elements (stage_id)
    enquiries: list[tuple[dict, list[dict]]]  # each enquiry (feedback_id) and its recommendations (enquiry_id)
    payments: list[dict]  # feedback_id to fill
    actions: list[dict]  # feedback_id to fill
    child: dict | None = None  # version 2: the line's child (its file's id and details)
    advocacy: dict | None = None  # version 2: the advocacy row, feedback_id to fill


@dataclass
class _Resolved:
    """What the database said about a batch: the records it holds, and the people it knows."""

    new: list[_Record]
    replaced: list[tuple[int, str, _Record]]  # (the held record's id and status, the line)
    people: dict[tuple, int]  # (name, email, phone) -> person id, for the submitters' emails and phones


@dataclass
class _Rows:
    """A batch's rows with their ids, table by table, in the order they must go in."""

    people: tuple[list[int], list[dict]]
    new_children: tuple[list[int], list[dict]]  # version 2: children first named in this batch
    feedback: tuple[list[int], list[dict]]
    replaced: tuple[list[int], list[dict]]
    children: list[tuple[Any, list[int], list[dict]]]  # (table, ids, rows)
    restrictions: list[dict]


class Loader:
    """Loads checked records a batch at a time, with bulk inserts.

    A batch goes through four steps: made ready without the database (rows, due dates;
    ``_prepare``), resolved against it (records held, team and theme names, the people
    known; ``_resolve``), given its people and new ids (``_rows``), and written: its new
    people first, then its records and everything under them (``_write_people``,
    ``_write_rest``).

    Everything that uses the database runs in a second thread, in the order it was asked
    for, so that the connection is hardly ever idle: the database's work on one batch's
    records (their indexes, foreign keys and search index: a third of an import's time on
    SQLite, most of it on PostgreSQL) goes on while this thread checks, makes ready and
    gives ids to the next. PostgreSQL's server is another process; SQLite works in this
    one, but lets go of Python's lock while it writes, so it runs on the other core. The
    order keeps what each step needs: a batch is resolved after the people of the batch
    before are in (a submitter may be one of them), and its records are written after its
    people. Memory holds about three batches: one being read, one being given ids, one
    being written.
    """

    def __init__(self, update: bool, summary: Summary, version: int = 1) -> None:
        self.update = update
        self.summary = summary
        # Version 2 carries the child and advocacy: a record without them has none (with
        # --update, a replaced record loses those it had). Version 1 does not carry them, so
        # its import leaves a replaced record's child and advocacy as they are.
        self.carries_children = version >= 2
        self.children: dict[int, int] = {}  # the file's child id -> the new child's id
        # The references held and not replaced, whose documents (version 2) are skipped too.
        self.skipped_references: set[str] = set()
        self.now = utcnow()
        self.writer = Writer()
        self.calendar = current_calendar()
        self.timescales = _InForce(current_timescales())
        self.reckoned: dict[tuple, tuple[dict, list[str | None]]] = {}  # see _deadlines
        self.teams: dict[str, int] = dict(db.session.execute(select(Team.name, Team.id)).all())
        self.themes: dict[str, int] = dict(db.session.execute(select(Theme.name, Theme.id)).all())
        # The main thread then uses the database for nothing: the ids after each table's
        # highest are read now (SQLite), and new teams and themes are made by ``_resolve``,
        # in the database's thread, before ``_rows`` names them here.
        self.writer.prime(_TABLES)
        self.writer.indexes_aside(_SET_ASIDE)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        self.asked: deque[Future] = deque()  # steps given to the database's thread, in order
        self.unwritten: _Rows | None = None  # the batch whose records are still to be written

    def load(self, batch: list[dict]) -> None:
        records = [self._prepare(r, "new") for r in batch if r["type"] == "feedback"]
        restrictions = [r for r in batch if r["type"] == "contact_restriction"]
        resolving = self._ask(self._resolve, records)
        if self.unwritten is not None:
            self._ask(self._write_rest, self.unwritten)
        rows = self._rows(self._wait_for(resolving), restrictions)
        self._ask(self._write_people, rows)
        self.unwritten = rows

    def finish(self) -> None:
        """Write what is left and wait for all of it; raise what went wrong, if anything did."""
        if self.unwritten is not None:
            self._ask(self._write_rest, self.unwritten)
            self.unwritten = None
        self._idle()
        self.writer.indexes_back()

    def close(self) -> None:
        """Stop: wait for the step running, drop those waiting."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.writer.close()
        self.asked.clear()
        self.unwritten = None

    def _ask(self, step: Callable, *args) -> Future:
        if self.pool is None:
            done: Future = Future()
            done.set_result(step(*args))
            return done
        # In a copy of this context, so that the thread has the app and its session.
        asked = self.pool.submit(contextvars.copy_context().run, step, *args)
        self.asked.append(asked)
        return asked

    def _idle(self) -> None:
        """Wait until every step asked is done (raising the first failure)."""
        while self.asked:
            self.asked.popleft().result()

    def _wait_for(self, asked: Future):
        """Its result, once every step asked before it is done (raising the first failure)."""
        if self.pool is None:
            return asked.result()
        while self.asked:
            earlier = self.asked.popleft()
            earlier.result()
            if earlier is asked:
                break
        return asked.result()

    # Reference data -------------------------------------------------------------

    def _team(self, name: str | None) -> int | None:
        return self._reference(Team, self.teams, self.summary.teams_created, name)

    def _theme(self, name: str | None) -> int | None:
        return self._reference(Theme, self.themes, self.summary.themes_created, name)

    @staticmethod
    def _reference(model, known: dict[str, int], created: list[str], name: str | None) -> int | None:
        """The id of the team or theme with this name, made (active) and listed if it is new."""
        if name is None:
            return None
        if name not in known:
            table = model.__table__
            known[name] = db.session.execute(
                insert(table).values(name=name, active=True).returning(table.c.id)
            ).scalar_one()
            created.append(name)
        return known[name]

    def _named(self, row: dict) -> dict:
        """The row with its team and theme names made ids (new ones created)."""
        if "team" in row:
            row["team_id"] = self._team(row.pop("team"))
        if "theme" in row:
            row["theme_id"] = self._theme(row.pop("theme"))
        return row

    # People ---------------------------------------------------------------------

    def _people_known(self, details: list[tuple | None]) -> dict[tuple, int]:
        """The people held with the submitters' emails or phone numbers, by their details."""
        emails = {d[1] for d in details if d and d[1]}
        # Only the same details make the same person, the email with them: someone with
        # the email a line gives is found by it, so the phone is looked up only for the
        # lines with no email, among the people with none either. (Many people share a
        # phone: every person held with a line's phone was read for it, whatever their
        # email, more of them with every batch: at 1,000,000 records a third of the
        # database's time.)
        phone_keys = {k for d in details if d and not d[1] and (k := normalise_phone(d[2]))}
        known: dict[tuple, int] = {}
        if emails or phone_keys:
            # Only the same details make the same person: those with another name are not
            # wanted (many people may share a family's email).
            names = {d[0] for d in details if d and d[0]}
            named = among(PERSON.c.name, names)
            # (No email, written so that SQLite looks the phone up in its index rather
            # than reading everyone without an email.)
            by_phone = and_(among(PERSON.c.phone_key, phone_keys), func.coalesce(PERSON.c.email, "") == "")
            rows = db.session.execute(
                select(PERSON.c.id, PERSON.c.name, PERSON.c.email, PERSON.c.phone)
                .where(or_(among(PERSON.c.email, emails), by_phone))
                .where(or_(PERSON.c.name.is_(None), named) if any(d and d[0] is None for d in details) else named)
                # Never someone made from a public form: their details are unchecked.
                .where(PERSON.c.confirmed.is_(True))
                .order_by(PERSON.c.id)
            )
            for row in rows:
                known.setdefault((row.name, row.email, row.phone), row.id)
        return known

    def _people(self, details: list[tuple | None], known: dict[tuple, int]
                ) -> tuple[list[int | None], list[dict], list[list[int]]]:
        """The person for each submitter: a known person with the same details, else a new one.

        Returns each submitter's person id (None where a new person is to be made), the new
        people's rows, and for each new person the positions of the submitters who are them.
        """
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
        return ids, new_rows, new_positions

    # Feedback -------------------------------------------------------------------

    def _prepare(self, line: dict, status: str) -> _Record:
        """Everything about one line that needs no lookup: its rows, due dates, reference data."""
        clock, stage_due = self._deadlines(line, status)
        row = self._feedback_row(line, clock)
        stages = [
            (self._stage_row(stage, due_on),
             [{"number": int(e["number"]), "summary": e["summary"], "theme": e.get("theme"),
               "outcome": e.get("outcome")} for e in stage.get("elements") or []])
            for stage, due_on in zip((line.get("complaint") or {}).get("stages") or [], stage_due)
        ]
        enquiries = [
            ({"reference": enquiry["reference"], "notified_on": enquiry["notified_on"], "status": enquiry["status"],
              "decision": enquiry.get("decision"), "decided_on": enquiry.get("decided_on"),
              "remedy_pence": to_pence(enquiry.get("remedy_amount"))},
             [{"text": r["text"], "due_on": r.get("due_on"), "complied_on": r.get("complied_on"),
               "compliance": r.get("compliance")} for r in enquiry.get("recommendations") or []])
            for enquiry in line.get("ombudsman") or []
        ]
        payments = [
            {"kind": payment["kind"], "amount_pence": to_pence(payment["amount"]), "paid_on": payment["paid_on"],
             "description": payment.get("description"), "decided_by": payment.get("decided_by")}
            for payment in line.get("payments") or []
        ]
        actions = [
            {"recommendation": action["recommendation"], "source": _action_source(action.get("stage")),
             "owner": action.get("owner"), "raised_on": action["raised_on"], "due_on": action.get("due_on"),
             "status": action["status"], "completed_on": action.get("completed_on"),
             "completion_note": action.get("completion_note")}
            for action in line.get("actions") or []
        ]
        record = _Record(line if self.update else None, row, _person_details(line.get("submitter")),
                         stages, enquiries, payments, actions)
        if self.carries_children:
            record.row["child_id"] = None
            record.child = line.get("child")
            if line.get("advocacy") is not None:
                record.advocacy = child_lines.advocacy_row(line["advocacy"], self.now)
        return record

    def _resolve(self, records: list[_Record]) -> _Resolved:
        """The records held (skipped, or replaced with --update), reference data, people known."""
        existing = {
            row.reference: (row.id, row.status)
            for row in db.session.execute(
                select(FEEDBACK.c.reference, FEEDBACK.c.id, FEEDBACK.c.status)
                .where(among(FEEDBACK.c.reference, [r.row["reference"] for r in records]))
            )
        }
        new: list[_Record] = []
        replaced: list[tuple[int, str, _Record]] = []
        for record in records:
            held = existing.get(record.row["reference"])
            if held is None:
                new.append(record)
            elif self.update:
                replaced.append((*held, record))
            else:
                self.summary.skipped += 1
                self.skipped_references.add(record.row["reference"])
        written = new + [r for _, _, r in replaced]
        self._reference_data(written)
        return _Resolved(new, replaced, self._people_known([r.submitter for r in written]))

    def _reference_data(self, records: list[_Record]) -> None:
        """Every team and theme the records name, created if new (in the order they come)."""
        for record in records:
            self._team(record.row["team"])
            self._theme(record.row["theme"])
        for record in records:
            for stage, _ in record.stages:
                self._team(stage["team"])
                self._theme(stage["theme"])
        for record in records:
            for _, elements in record.stages:
                for element in elements:
                    self._theme(element["theme"])

    def _rows(self, resolved: _Resolved, restrictions: list[dict]) -> _Rows:
        """The batch's rows with their new ids: people, records, and what is under them."""
        # Made ready again: what is due depends on the status the portal holds.
        replaced = [(fid, self._prepare(record.line, status)) for fid, status, record in resolved.replaced]
        written = resolved.new + [r for _, r in replaced]
        person_ids, people, positions = self._people([r.submitter for r in written], resolved.people)
        stages = [s for r in written for s in r.stages]
        enquiries = [e for r in written for e in r.enquiries]
        first_named = {}  # the file's id -> the child's row, for children not yet loaded
        for record in written:
            if record.child and record.child["id"] not in self.children:
                first_named.setdefault(record.child["id"], child_lines.child_row(record.child, self.now))
        ids = self.writer.take({
            CHILD: len(first_named), ADVOCACY: sum(r.advocacy is not None for r in written),
            PERSON: len(people), FEEDBACK: len(resolved.new), STAGE: len(stages),
            ELEMENT: sum(len(elements) for _, elements in stages),
            ENQUIRY: len(enquiries), RECOMMENDATION: sum(len(recs) for _, recs in enquiries),
            PAYMENT: sum(len(r.payments) for r in written), ACTION: sum(len(r.actions) for r in written),
        })
        for person_id, where in zip(ids.get(PERSON.name, []), positions):
            for i in where:
                person_ids[i] = person_id
        for record, person_id in zip(written, person_ids):
            self._named(record.row)["person_id"] = person_id
        self.children.update(zip(first_named, ids.get(CHILD.name, [])))
        self.summary.children_created += len(first_named)
        for record in written:
            if record.child:
                record.row["child_id"] = self.children[record.child["id"]]
        feedback = [r.row for r in resolved.new]
        for row in feedback:
            row.update(young_persons_form=False, contact_methods=[], created_at=self.now, version=1)
        self.summary.imported += len(resolved.new)
        self.summary.replaced += len(replaced)
        feedback_ids = ids.get(FEEDBACK.name, []) + [fid for fid, _ in replaced]
        return _Rows(
            people=(ids.get(PERSON.name, []), people),
            new_children=(ids.get(CHILD.name, []), list(first_named.values())),
            feedback=(ids.get(FEEDBACK.name, []), feedback),
            replaced=([fid for fid, _ in replaced], [r.row for _, r in replaced]),
            children=self._children(ids, feedback_ids, written),
            restrictions=restrictions,
        )

    def _write_people(self, rows: _Rows) -> None:
        self.writer.write(PERSON, *rows.people)
        self.writer.write(CHILD, *rows.new_children)

    def _write_rest(self, rows: _Rows) -> None:
        self.writer.write(FEEDBACK, *rows.feedback)
        if rows.replaced[0]:
            self._replace(*rows.replaced)
        for table, ids, table_rows in rows.children:
            self.writer.write(table, ids, table_rows)
        if rows.restrictions:
            self._restrictions(rows.restrictions)

    def _feedback_row(self, record: dict, clock: dict) -> dict:
        """The columns the format carries, with the status, due date and latest stage's
        number of ``clock``. Others
        (contact methods, ...) keep their defaults."""
        submitter = record["submitter"]
        compliment = record.get("compliment") or {}
        contact = record.get("initial_contact") or {}
        complaint = record.get("complaint") or {}
        return {
            "reference": record["reference"],
            "kind": record["kind"],
            "received_on": record["received_on"],
            "channel": record["channel"],
            "person_id": None,
            "submitter_role": submitter["role"],
            "submitter_age": _integer(submitter.get("age")),
            "team": record.get("team"),
            "theme": record.get("theme"),
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
            **clock,
        }

    def _deadlines(self, record: dict, status: str) -> tuple[dict, list[str | None]]:
        """Status and stored due dates as ``deadlines.refresh`` keeps them for every record:
        the record's (status, due_on, stage_number) and each stage's due date.

        History that is over is closed, what is still open gets its due dates. They depend
        on nothing but the dates and kinds of the key below (the calendar and timescales
        are read once for the import), and many records share them (a day's closed
        compliments): each is reckoned once, in a memo kept to a bounded size.
        """
        compliment = record.get("compliment") or {}
        complaint = record.get("complaint") or {}
        key = (record["kind"], complaint.get("procedure"), compliment.get("shared_on"),
               (record.get("initial_contact") or {}).get("outcome"), record["received_on"], status,
               *(tuple(s.get(k) for k in _STAGE_CLOCK) for s in complaint.get("stages") or []))
        reckoned = self.reckoned.get(key)
        if reckoned is None:
            if len(self.reckoned) >= _RECKONED:
                self.reckoned.clear()
            reckoned = self.reckoned[key] = self._reckon(record, status)
        clock, stage_due = reckoned
        return dict(clock), list(stage_due)

    def _reckon(self, record: dict, status: str) -> tuple[dict, list[str | None]]:
        compliment = record.get("compliment") or {}
        stages = [
            SimpleNamespace(
                number=int(s["stage"]), started_on=date.fromisoformat(s["started_on"]),
                extended_to=_day(s.get("extended_to")), paused_working_days=int(s.get("paused_working_days") or 0),
                panel_met_on=_day(s.get("panel_met_on")), panel_report_on=_day(s.get("panel_report_on")),
                responded_on=s.get("responded_on"), due_on=None,
                # The format carries no acknowledgement: a stage under the Code's clocks
                # counts its response from the acknowledgement's due date.
                acknowledged_on=None,
            )
            for s in (record.get("complaint") or {}).get("stages") or []
        ]
        clock = SimpleNamespace(
            kind=record["kind"], procedure=(record.get("complaint") or {}).get("procedure"), stages=stages,
            shared_on=compliment.get("shared_on"), outcome=(record.get("initial_contact") or {}).get("outcome"),
            received_on=date.fromisoformat(record["received_on"]), status=status, due_on=None,
        )
        deadlines.refresh(clock, self.calendar, self.timescales)
        return ({"status": clock.status, "due_on": _iso(clock.due_on), "stage_number": clock.stage_number},
                [_iso(s.due_on) for s in stages])

    def _replace(self, ids: list[int], rows: list[dict]) -> None:
        """Replace what the format carries; the portal's own fields and timeline stay."""
        columns = list(rows[0])
        previous = set()
        if self.carries_children:  # the children the records named, before they are replaced
            previous = set(db.session.scalars(select(FEEDBACK.c.child_id).where(
                FEEDBACK.c.id.in_(ids), FEEDBACK.c.child_id.is_not(None))))
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
        if self.carries_children:
            self._forget_children(ids, before=previous)
        stages = select(STAGE.c.id).where(STAGE.c.feedback_id.in_(ids))
        enquiries = select(ENQUIRY.c.id).where(ENQUIRY.c.feedback_id.in_(ids))
        db.session.execute(delete(ELEMENT).where(ELEMENT.c.stage_id.in_(stages)))
        db.session.execute(delete(STAGE).where(STAGE.c.feedback_id.in_(ids)))
        db.session.execute(delete(RECOMMENDATION).where(RECOMMENDATION.c.enquiry_id.in_(enquiries)))
        for table in (ENQUIRY, PAYMENT, ACTION):
            db.session.execute(delete(table).where(table.c.feedback_id.in_(ids)))

    def _forget_children(self, ids: list[int], before: set[int]) -> None:
        """--update of version 2: the replaced records' advocacy goes (the file's comes in
        its place), and so does a child they named whom no case names any more, as when
        staff unlink a child (``intake.children.unlink_child``)."""
        db.session.execute(delete(ADVOCACY).where(ADVOCACY.c.feedback_id.in_(ids)))
        if not before:
            return
        still_named = set(db.session.scalars(select(FEEDBACK.c.child_id).where(among(FEEDBACK.c.child_id, before))))
        if before - still_named:
            db.session.execute(delete(CHILD).where(CHILD.c.id.in_(before - still_named)))

    def _children(self, ids: dict[str, list[int]], feedback_ids: list[int], records: list[_Record]) -> list:
        """The records' stages, elements, enquiries, recommendations, payments and actions."""
        stage_ids = iter(ids.get(STAGE.name, []))
        enquiry_ids = iter(ids.get(ENQUIRY.name, []))
        stages, elements, enquiries, recommendations, payments, actions, advocacy = [], [], [], [], [], [], []
        for feedback_id, record in zip(feedback_ids, records):
            for stage, its_elements in record.stages:
                stages.append({"feedback_id": feedback_id, **stage})
                stage_id = next(stage_ids)
                elements += [{"stage_id": stage_id, **element} for element in its_elements]
            for enquiry, its_recommendations in record.enquiries:
                enquiries.append({"feedback_id": feedback_id, **enquiry})
                enquiry_id = next(enquiry_ids)
                recommendations += [{"enquiry_id": enquiry_id, **r} for r in its_recommendations]
            payments += [{"feedback_id": feedback_id, **payment} for payment in record.payments]
            actions += [{"feedback_id": feedback_id, **action} for action in record.actions]
            if record.advocacy is not None:
                advocacy.append({"feedback_id": feedback_id, **record.advocacy})
        for row in (*stages, *elements):
            self._named(row)
        return [(table, ids.get(table.name, []), rows)
                for table, rows in ((STAGE, stages), (ELEMENT, elements), (ENQUIRY, enquiries),
                                    (RECOMMENDATION, recommendations), (PAYMENT, payments), (ACTION, actions),
                                    (ADVOCACY, advocacy))]

    def _stage_row(self, stage: dict, due_on: str | None) -> dict:
        return {
            "number": int(stage["stage"]),
            "started_on": stage["started_on"],
            "team": stage.get("team"),
            "theme": stage.get("theme"),
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

    def _insert(self, table, rows: list[dict]) -> None:
        self.writer.write(table, self.writer.take({table: len(rows)}).get(table.name, []), rows)

    # Contact restrictions -------------------------------------------------------

    def _restrictions(self, records: list[dict]) -> None:
        letter_dates = {date.fromisoformat(r["letter_issued_on"]) for r in records}
        held: dict[tuple, list[int]] = {}
        rows = db.session.execute(
            select(RESTRICTION.c.id, RESTRICTION.c.person_name, RESTRICTION.c.person_email,
                   RESTRICTION.c.letter_issued_on)
            .where(among(RESTRICTION.c.letter_issued_on, letter_dates))
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
                .where(or_(among(PERSON.c.email, emails), among(PERSON.c.phone_key, phone_keys)),
                       PERSON.c.confirmed.is_(True))  # never unchecked details from a form
                .order_by(PERSON.c.id)
            )
            for row in rows:
                if row.email:
                    links.setdefault(("email", row.email), row.id)
                if row.phone_key:
                    links.setdefault(("phone", row.phone_key), row.id)
        return links
