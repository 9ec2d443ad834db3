"""Reference numbers: unique, readable, one sequence a year (``CF-2026-00042``)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.extensions import db
from portal.models import Feedback, ReferenceCounter

PREFIX = "CF"


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:05d}"


# "CF-2026-00064" as people type it: any case, spaces, dots, slashes or no separators,
# the number with or without its leading zeros, and the "CF" left off.
_TYPED = re.compile(r"(?:C\s*F)?[\s\-_./]*(\d{4})[\s\-_./]*(\d{1,7})", re.IGNORECASE)


def read_reference(text: str | None) -> str | None:
    """The reference someone typed (``cf-2026-64``, ``CF 2026 00064``, ``CF202600064``),
    written as the portal writes it (``CF-2026-00064``); None when it cannot be one."""
    match = _TYPED.fullmatch((text or "").strip())
    if not match or int(match[2]) == 0:
        return None
    return format_reference(int(match[1]), int(match[2]))


def next_reference(year: int) -> str:
    """Take the next number for ``year``, safely under concurrent submissions.

    The counter is bumped by one statement, an INSERT ... ON CONFLICT DO UPDATE ...
    RETURNING: the row made with 1 if the year has none, else its number raised by one,
    which PostgreSQL serialises by row lock and SQLite by its database lock. Numbers that
    imported records already use are skipped.
    """
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    made = insert(ReferenceCounter).values(year=year, last_number=1)
    bump = made.on_conflict_do_update(
        index_elements=[ReferenceCounter.year],
        set_={"last_number": ReferenceCounter.last_number + 1},
    ).returning(ReferenceCounter.last_number)
    while True:
        number = db.session.execute(bump).scalar_one()
        reference = format_reference(year, number)
        taken = db.session.execute(
            select(Feedback.id).where(Feedback.reference == reference)
        ).first()
        if not taken:
            return reference
