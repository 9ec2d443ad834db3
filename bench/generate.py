"""Invented feedback records in bulk, for benchmarks (not demo data: fast, not pretty).

A million records go in within two minutes (issue 23; the multi-row INSERTs before took
6-8 minutes). Everything goes in one transaction with the search indexes out of the way
(and on SQLite without a journal, ``_written_once``):
- SQLite: one prepared INSERT run by executemany per batch, with the FTS5 tables' insert
  triggers and the tables' indexes dropped for the fill (each statement wrote a segment
  of every search index) and the search tables and indexes built once at the end.
- PostgreSQL: COPY, with the filled tables' secondary indexes (the trigram GIN indexes
  most of all) dropped for the fill and built again once at the end.
The rows and their values are the same as before, so the benches read the same shape.
"""

from __future__ import annotations

import gc
import random
import re
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from portal.extensions import db
from portal.models import Child, Element, Feedback, Person, Stage, Team, Theme
from portal.services.common.labels import ElementOutcome

WORDS = ("taxi late school transport social worker plan meeting review letter call back "
         "respite allowance contact EHC assessment placement carer visit report delay").split()
BATCH = 20_000
OUTCOMES = list(ElementOutcome.codes())
FILLED = (Person, Child, Feedback, Stage, Element)


def _insert(model, rows: list[dict]) -> None:
    """Rows straight to the driver: SQLAlchemy's per-row parameter handling was most of
    the time, so each column's bind processing is looked up once and applied here, with
    the Python-side defaults a Core insert would have added (worked out once a batch)."""
    table = model.__table__
    connection = db.session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    defaulted = [c for c in table.columns if c.key not in rows[0] and c.default is not None
                 and not c.primary_key]
    columns = [table.columns[key] for key in given] + defaulted
    processors = [c.type._cached_bind_processor(dialect) for c in columns]
    fixed = [p(v) if p else v for p, v in zip(processors[len(given):], map(_default, defaulted))]
    # A column with one value in every row (an empty list, a flag) is processed once.
    first = rows[0]
    same = {key for key in given if all(row[key] == first[key] for row in rows)}
    processed = [(i, p) for i, p in enumerate(processors[:len(given)]) if p and given[i] not in same]
    fixed_given = {i: p(first[key]) if p and first[key] is not None else first[key]
                   for i, (key, p) in enumerate(zip(given, processors)) if key in same}
    values = []
    for row in rows:
        value = [row[key] for key in given]
        for i, p in processed:
            if value[i] is not None:
                value[i] = p(value[i])
        for i, v in fixed_given.items():
            value[i] = v
        values.append(value + fixed)
    names = ", ".join(f'"{c.name}"' for c in columns)
    cursor = connection.connection.driver_connection.cursor()
    if dialect.name == "postgresql":
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for value in values:
                copy.write_row(value)
    else:  # one prepared statement for the batch
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})', values)


def _default(column):
    if column.default.is_callable:
        return column.default.arg(None)  # SQLAlchemy wraps a no-argument callable to take a context
    return column.default.arg


@contextmanager
def _indexes_aside():
    """Search indexes out of the way of the fill, and made once from the table at its end."""
    connection = db.session.connection()
    tables = [m.__table__.name for m in FILLED]
    if connection.dialect.name == "postgresql":
        indexes = connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() "
            "AND tablename = ANY(:tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname)"), {"tables": tables}).all()
        for name, _ in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))
        yield
        connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for _, definition in indexes:
            connection.execute(text(definition))
        return
    connection.execute(text("PRAGMA cache_size = -200000"))  # 200 MB for the index builds
    # The index builds sort in memory, and on both cores (SQLite's sorter's helper threads).
    connection.execute(text("PRAGMA temp_store = MEMORY"))
    connection.execute(text("PRAGMA threads = 2"))
    triggers = connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_insert' ESCAPE '\\' "
        "AND tbl_name IN (" + ", ".join(f"'{t}'" for t in tables) + ")")).all()
    indexes = connection.execute(text(  # sql is null for a unique constraint's own index
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN (" + ", ".join(f"'{t}'" for t in tables) + ")")).all()
    for name, _ in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    for name, _ in indexes:
        connection.execute(text(f'DROP INDEX "{name}"'))
    yield
    for _, sql in indexes:  # built once from the table, sorted, not grown row by row
        connection.execute(text(sql))
    for name, sql in triggers:
        index = re.sub(r"_insert$", "", name)
        connection.execute(text(f"INSERT INTO {index}({index}) VALUES ('rebuild')"))
        connection.execute(text(sql))


def fill(records: int, end: date, years: int = 1, seed: int = 7) -> None:
    """Add ``records`` feedback records received over ``years`` years up to ``end``."""
    with _written_once(), _few_collections():
        with _indexes_aside(), _counts_aside():
            _fill(records, end, years, seed)
        db.session.commit()


@contextmanager
def _counts_aside():
    """The counts the database keeps of the open records (open_record_count, migration
    0030) made once from the table at the fill's end: their triggers, an upsert for each
    record written, are set aside for the fill (on SQLite dropped and made again)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE feedback DISABLE TRIGGER feedback_open_count_added"))
        yield
        connection.execute(text("ALTER TABLE feedback ENABLE TRIGGER feedback_open_count_added"))
    else:
        triggers = connection.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'feedback_open_count%'")).all()
        for name, _ in triggers:
            connection.execute(text(f'DROP TRIGGER "{name}"'))
        yield
        for _, sql in triggers:
            connection.execute(text(sql))
    connection.execute(text("DELETE FROM open_record_count"))
    connection.execute(text(RECOUNT))


# As migration 0030 fills open_record_count.
RECOUNT = ("INSERT INTO open_record_count (team_key, due_key, records, initial_contacts) "
           "SELECT coalesce(team_id, 0), coalesce(due_on, '9999-12-31'), count(*), "
           "sum(CASE WHEN kind = 'initial_contact' AND procedure IS NULL THEN 1 ELSE 0 END) "
           "FROM feedback WHERE status != 'closed' GROUP BY coalesce(team_id, 0), coalesce(due_on, '9999-12-31')")


@contextmanager
def _few_collections():
    """Python's cycle collector held back during the fill: it ran thousands of times over
    the batches of rows held (and, at each full collection, every object of the app), a
    fifth of the fill's time. The fill makes no cycles to speak of."""
    enabled = gc.isenabled()
    frozen = enabled and gc.get_freeze_count() == 0
    if frozen:
        gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()


@contextmanager
def _written_once():
    """On SQLite, the fill without a journal and without waiting for the disk: a bench file
    that a crash would only make again. In WAL mode (portal/extensions.py sets it on every
    connection) each page went to the log and then again to the file at the checkpoint;
    now it is written once. The portal's settings come back afterwards."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    db.session.commit()  # the journal mode changes only outside a transaction
    driver = db.session.connection().connection.driver_connection
    driver.execute("PRAGMA journal_mode = OFF")
    driver.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        db.session.rollback()  # nothing is left after the fill's commit; after a failure, all of it
        driver.execute("PRAGMA journal_mode = WAL")
        driver.execute("PRAGMA synchronous = NORMAL")


def _fill(records: int, end: date, years: int, seed: int) -> None:
    rng = random.Random(seed)
    team_ids = list(db.session.scalars(select(Team.id)))
    theme_ids = list(db.session.scalars(select(Theme.id)))
    span = years * 365
    people = max(records // 3, 1)
    for start in range(0, people, BATCH):
        _insert(Person, [
            {"name": f"Person {i}", "email": f"person{i}@example.org", "phone": f"0770090{i % 10000:04d}",
             "phone_key": f"0770090{i % 10000:04d}"}
            for i in range(start, min(start + BATCH, people))
        ])
    person_ids = list(db.session.scalars(select(Person.id)))
    # Half the records name a child, each child about two cases (issue 20).
    children = max(records // 4, 1)
    for start in range(0, children, BATCH):
        _insert(Child, [
            {"name": f"Child {i}", "record_number": f"LL-{i:06d}", "statuses": [],
             "date_of_birth": date(2006, 1, 1) + timedelta(days=rng.randrange(18 * 365))}
            for i in range(start, min(start + BATCH, children))
        ])
    child_ids = list(db.session.scalars(select(Child.id)))
    for start in range(0, records, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, records)):
            received = end - timedelta(days=rng.randrange(span))
            kind = rng.choices(("compliment", "initial_contact", "complaint"), (3, 5, 2))[0]
            open_ = rng.random() < 0.2
            rows.append({
                "reference": f"CF-{received.year}-{i + 1:06d}",
                "kind": kind, "status": "open" if open_ else "closed", "received_on": received,
                "channel": rng.choice(("web", "email", "phone", "letter")),
                "person_id": rng.choice(person_ids), "submitter_role": "parent_or_carer",
                "child_id": rng.choice(child_ids) if rng.random() < 0.5 else None,
                "team_id": rng.choice(team_ids), "theme_id": rng.choice(theme_ids),
                "summary": " ".join(rng.choices(WORDS, k=12)),
                "outcome": ("open" if open_ else "resolved") if kind == "initial_contact" else None,
                "procedure": rng.choice(("statutory", "corporate")) if kind == "complaint" else None,
                "due_on": received + timedelta(days=14) if open_ else None,
                "stage_number": 1 if kind == "complaint" else None,  # each complaint's one stage, below
                "contact_methods": [], "named_staff": [], "version": 1,
                "formal_complaint_requested": rng.random() < 0.1,
                "safeguarding_concern": rng.random() < 0.002,
            })
        _insert(Feedback, rows)
    complaints = db.session.execute(
        select(Feedback.id, Feedback.received_on).where(Feedback.kind == "complaint")).all()
    for start in range(0, len(complaints), BATCH):
        _insert(Stage, [
            {"feedback_id": fid, "number": 1, "started_on": received, "paused_working_days": 0,
             "panel_members": [], "responded_on": received + timedelta(days=rng.randint(5, 30)),
             "team_id": rng.choice(team_ids), "theme_id": rng.choice(theme_ids)}
            for fid, received in complaints[start:start + BATCH]
        ])
    stages = db.session.execute(select(Stage.id)).scalars().all()
    for start in range(0, len(stages), BATCH):
        _insert(Element, [
            {"stage_id": sid, "number": n, "summary": "An element", "theme_id": rng.choice(theme_ids + [None]),
             "outcome": rng.choice(OUTCOMES)}
            for sid in stages[start:start + BATCH] for n in (1, 2)
        ])
