"""Bulk inserts for the import: rows straight to the database driver, ids taken beforehand."""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date

from sqlalchemy import (ARRAY, JSON, Boolean, ColumnElement, Date, String, any_, bindparam, cast, func,
                        literal_column, select, text)

from portal.extensions import db

# SQLite's page cache while an import writes, in KiB (see ``Writer.__init__``).
IMPORT_CACHE_KIB = 64 * 1024


def among(column, values) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL ``= ANY`` of an array written into the query as
    a constant. An array parameter costs psycopg 3 ms of Python for a thousand strings (a
    thousand parameters, as many to parse); an array cast from a text parameter is not
    folded into a constant, so the planner can neither see the values nor use the
    column's index, and it is cast again for every row it scans (minutes a batch). The
    constant is quoted by SQLAlchemy as any literal; ``_array_literal`` escapes inside it."""
    values = list(values)
    if db.engine.dialect.name == "postgresql":
        literal = bindparam(None, _array_literal(values), type_=String, literal_execute=True)
        return column == any_(cast(literal, ARRAY(column.type)))
    # SQLite: ``IN (SELECT value FROM json_each(:values))``, the values as one JSON array.
    # A list of a thousand values was a thousand parameters, written into the statement
    # by SQLAlchemy and compiled again by SQLite for every batch; one parameter keeps the
    # statement the same, and SQLite still looks each value up in the column's index.
    listed = json.dumps([v.isoformat() if isinstance(v, date) else v for v in values])
    return column.in_(select(literal_column("value")).select_from(func.json_each(bindparam(None, listed, type_=String))))


def _array_literal(values: list) -> str:
    """A PostgreSQL array literal: every element quoted, its backslashes and quotes escaped."""
    quoted = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"


class Writer:
    """Bulk inserts at the speed of the database driver, with new ids taken beforehand.

    Ids are taken before inserting so that children can name their parents without reading
    anything back. PostgreSQL hands them out from the tables' sequences, a batch's worth of
    every table in one query. On SQLite the writer first takes the database's write lock,
    which it keeps to the end of the transaction: from then on no one else can insert, so
    the ids after the highest in each table are the writer's to use.

    Rows go to the driver directly (PostgreSQL: COPY; SQLite: INSERTs of many rows) after
    SQLAlchemy's own conversion of each column's values, so they are stored exactly as the
    models would store them. SQLAlchemy's executemany costs about as much again per row,
    and with psycopg sends one statement a row. Columns a row leaves out get the model's
    default, as an ORM insert would give them.
    """

    def __init__(self) -> None:
        self.dialect = db.engine.dialect
        self.postgresql = self.dialect.name == "postgresql"
        self.connection = db.session.connection().connection.driver_connection
        self.next: dict[str, int] = {}
        self.defaults: dict[tuple, dict] = {}
        self.ids_connection = None
        self.ids_lock = threading.Lock()
        self.cache_size = None
        self.prepare_threshold = None
        self.aside: list[str] = []  # the indexes to build again (SQLite: ``indexes_aside``)
        if self.postgresql:
            # Plan each batch's lookups (people by email, records by reference) afresh.
            # psycopg prepares a statement run five times, and PostgreSQL may then keep one
            # generic plan, made while the tables were small or empty (a sequential scan,
            # or the search's trigram index): as the import grows the tables, a batch's
            # lookup took seconds instead of milliseconds. So psycopg prepares nothing
            # while the import runs (given back in ``close``). This was
            # ``plan_cache_mode = force_custom_plan`` for the transaction, which also made
            # the server plan again, for every row, each foreign key's check and the
            # triggers' queries: nearly half of the server's time in an import (17.1 s of
            # the server's CPU for 100,000 records before, 9.1 s after).
            self.prepare_threshold = (self.connection.prepare_threshold,)
            self.connection.prepare_threshold = None
        else:
            # Changes nothing, but takes SQLite's write lock for the rest of the transaction.
            db.session.execute(text("DELETE FROM feedback WHERE 0 = 1"))
            # A page cache big enough for the indexes that the batches' rows go into (the
            # portal's connections keep SQLite's 2 MB): with the small one, pages were
            # written out to the log before the transaction was done and read back for the
            # next batch, again and again (two fifths of the time of the records' inserts
            # in an import of 100,000). Bounded, and given back when the import is done
            # (``close``).
            self.cache_size = self.connection.execute("PRAGMA cache_size").fetchone()[0]
            self.connection.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")

    def prime(self, tables) -> None:
        """On SQLite, read now the highest id of each table that ``take`` will give ids for,
        so that taking them later asks nothing of the database."""
        if not self.postgresql:
            for table in tables:
                self._highest(table)

    def indexes_aside(self, tables) -> None:
        """On SQLite, into a table that is empty, the rows go in without its indexes, each
        built once from the table at the end (``indexes_back``), sorted, instead of grown
        row by row. A record goes into 20 indexes of ``feedback``, each at a place of its
        own (by team and date, by kind and date ...): once they outgrow the page cache, at
        a few hundred thousand records, nearly every row read pages back and wrote others
        out (1,000,000 records: 3,200 a second). Only an empty table's: building an index
        again reads every row the table already holds. The unique indexes stay (they are
        the checks of the constraints), and so do the search tables' triggers.

        Nothing is seen outside the transaction: SQLite's other connections read what was
        committed before it, indexes and all, until it commits, indexes built again; if it
        is rolled back, so are the indexes' drops. Not on PostgreSQL, where dropping an
        index would lock the table against reading until the import commits."""
        if self.postgresql:
            return
        for table in tables:
            if db.session.execute(select(table.c.id).limit(1)).first() is not None:
                continue
            indexes = db.session.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL "
                "AND upper(sql) NOT LIKE 'CREATE UNIQUE%'"), {"t": table.name}).all()
            for name, _ in indexes:
                self.connection.execute(f"DROP INDEX {self.dialect.identifier_preparer.quote(name)}")
            self.aside.extend(sql for _, sql in indexes)

    def indexes_back(self) -> None:
        """Build again the indexes ``indexes_aside`` dropped (in the import's transaction)."""
        while self.aside:
            self.connection.execute(self.aside.pop(0))

    def take(self, counts: dict) -> dict[str, list[int]]:
        """New ids for each table, as many as ``counts`` (table -> number) asks.

        On PostgreSQL from a connection of their own: a sequence hands out numbers outside
        any transaction (those of an import rolled back are skipped, as they would be
        anyway), and the import's connection may be busy writing the batch before.
        """
        counts = {table: count for table, count in counts.items() if count}
        if self.postgresql:
            if not counts:
                return {}
            names = [table.name for table in counts]
            columns = ", ".join(
                f"(SELECT array_agg(nextval(pg_get_serial_sequence(:t{i}, 'id'))) FROM generate_series(1, :n{i}))"
                for i in range(len(names))
            )
            parameters = {**{f"t{i}": name for i, name in enumerate(names)},
                          **{f"n{i}": count for i, count in enumerate(counts.values())}}
            with self.ids_lock:
                if self.ids_connection is None:
                    self.ids_connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                return dict(zip(names, self.ids_connection.execute(text(f"SELECT {columns}"), parameters).one()))
        taken = {}
        for table, count in counts.items():
            self._highest(table)
            first = self.next[table.name]
            self.next[table.name] = first + count
            taken[table.name] = list(range(first, first + count))
        return taken

    def _highest(self, table) -> None:
        if table.name not in self.next:
            self.next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1

    def close(self) -> None:
        if self.ids_connection is not None:
            self.ids_connection.close()
            self.ids_connection = None
        if not self.postgresql and self.cache_size is not None:
            self.connection.execute(f"PRAGMA cache_size = {int(self.cache_size)}")
            self.cache_size = None
        if self.prepare_threshold is not None:
            self.connection.prepare_threshold = self.prepare_threshold[0]
            self.prepare_threshold = None

    def write(self, table, ids: list[int], rows: list[dict]) -> None:
        """Insert the rows with the given ids."""
        if not rows:
            return
        if self.postgresql:
            self._copy(table, ids, rows)
        else:
            self._insert_many(table, ids, rows)

    def _copy(self, table, ids: list[int], rows: list[dict]) -> None:
        names, values = self._values(table, ids, rows)
        quote = self.dialect.identifier_preparer.quote
        columns = ", ".join(quote(name) for name in names)
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)

    def _insert_many(self, table, ids: list[int], rows: list[dict]) -> None:
        # A column with one value in every row of the batch (a default, the time of the
        # import, a column the file leaves empty: most of a record's 49) is written into
        # the statement as a constant rather than bound for each row: a third of the
        # values to bind.
        names, columns = self._columns(table, ids, rows)
        quote = self.dialect.identifier_preparer.quote
        marks, bound = [], []
        for column in columns:
            constant = _sqlite_literal(column[0]) if _same_throughout(column) else None
            if constant is None:
                marks.append("?")
                bound.append(column)
            else:
                marks.append(constant)
        row_marks = "(" + ", ".join(marks) + ")"
        head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) VALUES "
        # Many rows to a statement, not one: SQLite opens a savepoint for each statement,
        # and at each savepoint the search index's FTS5 tables (migration 0008, filled by
        # triggers) write what they hold as a new segment, which then has to be merged. A
        # row at a time that more than doubled the time of an import; a batch at a time
        # (as many rows as the statement may bind) it costs little.
        limit = self.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # 32,766 since 3.32
        per_statement = max(1, min(limit, 32_766) // max(1, len(bound)))
        statement = None
        for start in range(0, len(rows), per_statement):
            count = min(per_statement, len(rows) - start)
            if statement is None or count != per_statement:
                statement = head + ", ".join([row_marks] * count)
            chunk = [column[start:start + count] for column in bound]
            self.connection.execute(statement, list(itertools.chain.from_iterable(zip(*chunk))))

    def _values(self, table, ids: list[int], rows: list[dict]) -> tuple[list[str], Iterator[tuple]]:
        """The column names and each row's values, converted as SQLAlchemy would store them."""
        names, columns = self._columns(table, ids, rows)
        return names, zip(*columns)

    def _columns(self, table, ids: list[int], rows: list[dict]) -> tuple[list[str], list[list]]:
        """The column names and each column's values, converted as SQLAlchemy would store them."""
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
            if _same_throughout(column):  # one value throughout (a default, the time)
                columns[i] = [convert(column[0])] * len(column)
            else:
                columns[i] = list(map(convert, column))
        return names, columns

    def _converter(self, column):
        if isinstance(column.type, Date):
            # Dates stay the file's checked "YYYY-MM-DD": the text SQLite stores (as
            # SQLAlchemy writes it) and the text COPY reads.
            return None
        if isinstance(column.type, Boolean):
            return None  # both drivers store True and False as SQLAlchemy would
        if self.postgresql and isinstance(column.type, JSON) and not column.type.none_as_null:
            # COPY reads JSON as text: serialised here as SQLAlchemy does (None as JSON
            # null), without psycopg's wrapper object and its second pass per value.
            return json.dumps
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


def _same_throughout(column: list) -> bool:
    return column.count(column[0]) == len(column)


# The longest text written into a statement as a constant; a longer one is bound.
_LITERAL_TEXT = 200


def _sqlite_literal(value) -> str | None:
    """The value as an SQLite constant that stores exactly what binding it would (None,
    True and False, integers, short text), or None where it is to be bound instead."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if type(value) is int and -(2**63) <= value < 2**63:
        return str(value)
    if type(value) is str and len(value) <= _LITERAL_TEXT and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None
