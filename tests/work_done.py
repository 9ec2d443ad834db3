"""What a piece of code does to the database and which templates it renders: for tests
that two paths (a match and no match) do the same work, so that their timing cannot tell
them apart. Nothing is measured in time; the real database and Flask signals are watched."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import template_rendered
from sqlalchemy import event

from portal.extensions import db

_STATEMENT = re.compile(r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b(?:.*?\bFROM\b)?\s+\"?(\w+)",
                        re.IGNORECASE | re.DOTALL)


@dataclass
class Work:
    statements: Counter = field(default_factory=Counter)  # ("INSERT INTO", "audit_entry"): 1
    commits: int = 0
    templates: list[str] = field(default_factory=list)

    def without(self, *tables: str) -> Counter:
        return Counter({key: n for key, n in self.statements.items() if key[1] not in tables})


@contextmanager
def watching(app):
    work = Work()
    engine = db.engine

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        match = _STATEMENT.match(statement)
        if match:
            verb = match.group(1).upper()
            table = match.group(2).lower()
            work.statements[(verb, table)] += 1

    def on_commit(conn):
        work.commits += 1

    def on_render(sender, template, context, **extra):
        work.templates.append(template.name)

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    template_rendered.connect(on_render, app)
    try:
        yield work
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)
        template_rendered.disconnect(on_render, app)


def statements_sent(run) -> list[tuple[str, object]]:
    """The statements (and their parameters) that ``run()`` sends, as the driver gets them."""
    sent = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return sent
