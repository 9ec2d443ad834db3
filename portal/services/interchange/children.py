"""The child a feedback record is about, and the advocacy offered to them, in version 2 of
the interchange format (issue 20; docs/interchange.md, "Version 2: the child and advocacy").

A version 2 feedback line is version 1's, plus two optional keys at its end: ``child`` and
``advocacy``. A child is one record across cases, so a line names them by a number of
the file's own (``child.id``: 1 for the first child the export meets, in order of
reference, 2 for the next...), and every line about that child gives the same details.
The portal's own ids are not written: they differ from one database to the next, and the
round trip (export, import into an empty database, export) must give the same bytes.

A version 1 file never has these keys: its import refuses them as unknown, as before.
Here: the keys' schema (``portal/data/child.schema.json``) and rules (``ChildRules``), the
parts an export writes (``ChildParts``), and the rows an import makes (``child_row``,
``advocacy_row``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from sqlalchemy import select

from portal.extensions import db
from portal.services.common.labels import ChildStatus
from portal.services.interchange.export import _compact, _date
from portal.services.interchange.rules import _storable
from portal.services.interchange.schema import field_path, format_checker
from portal.services.interchange.tables import ADVOCACY, CHILD

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "child.schema.json"
KEYS = ("child", "advocacy")  # in this order, after version 1's last key (actions)
CHILD_KEYS = ("id", "name", "date_of_birth", "record_number", "school", "statuses")
ADVOCACY_KEYS = ("offered_on", "offered_how", "answer", "answered_on", "referred_to", "referred_on",
                 "advocate_name", "in_place_on", "notes")


def take_keys(record: dict) -> dict:
    """Version 2's keys, taken out of a feedback line so that the rest is checked as a
    version 1 line is (and put back with ``record.update``)."""
    return {key: record.pop(key) for key in KEYS if key in record}


def _said(value) -> bool:
    return not (value is None or value is False or value == [] or value == "")


def details(child: dict) -> dict:
    """What a line says about a child, as the portal keeps it: statuses in the vocabulary's
    order, and nothing for what is missing, null or empty."""
    kept = {key: child.get(key) for key in CHILD_KEYS[1:] if _said(child.get(key))}
    if "statuses" in kept:
        kept["statuses"] = [code for code in ChildStatus.codes() if code in set(kept["statuses"])]
    return kept


# --- Import: checking ---------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")),
                                format_checker=format_checker())


class ChildRules:
    """The keys a version 2 feedback line adds, checked beyond version 1's rules: their
    structure, and one child's details the same on every line that names them. Holds each
    child's details as first given (one small dict a child, as the references are held)."""

    def __init__(self) -> None:
        self.children: dict[int, tuple[int, dict]] = {}  # file's id -> (first line, details)

    def problems(self, keys: dict, line: int) -> Iterator[tuple[str, str]]:
        found: dict[str, str] = {}
        for error in sorted(_validator().iter_errors(keys), key=lambda e: [str(p) for p in e.absolute_path]):
            found.setdefault(field_path(error.absolute_path), error.message)
        if found:
            yield from found.items()
            return
        nul = list(_storable(keys, []))
        if nul:
            yield from nul
            return
        child = keys.get("child")
        if not child:
            return
        said = details(child)
        if not any(str(said.get(key, "")).strip() for key in ("name", "date_of_birth", "record_number")):
            yield "child", "give the child's name, date of birth or record number"
            return
        first = self.children.setdefault(child["id"], (line, said))
        if first[1] != said:
            yield "child", (f"child {child['id']} is on line {first[0]} with other details: "
                            "every line about a child gives the same details")


# --- Import: rows -------------------------------------------------------------------------------


def child_row(child: dict, now) -> dict:
    kept = details(child)
    return {"name": kept.get("name"), "date_of_birth": kept.get("date_of_birth"),
            "record_number": kept.get("record_number"), "school": kept.get("school"),
            "statuses": kept.get("statuses", []), "created_at": now, "updated_at": now}


def advocacy_row(advocacy: dict, now) -> dict:
    return {**{key: advocacy.get(key) for key in ADVOCACY_KEYS}, "pause_id": None,
            "created_at": now, "updated_at": now}


# --- Export -------------------------------------------------------------------------------------


class ChildParts:
    """The ``child`` and ``advocacy`` of each feedback line, numbering the children in the
    order the export meets them (one number a child held in memory)."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}  # the portal's child id -> the file's

    def fetch(self, rows) -> tuple[dict[int, object], dict[int, object]]:
        """The children and advocacy of a chunk of feedback rows, each in one query."""
        child_ids = {row.child_id for row in rows if row.child_id is not None}
        children = {}
        if child_ids:
            children = {c.id: c for c in db.session.execute(select(CHILD).where(CHILD.c.id.in_(child_ids)))}
        advocacy = {a.feedback_id: a for a in db.session.execute(
            select(ADVOCACY).where(ADVOCACY.c.feedback_id.in_([row.id for row in rows])))}
        return children, advocacy

    def parts(self, row, fetched: tuple[dict, dict]) -> list[tuple[str, object]]:
        children, advocacy = fetched
        child = children.get(row.child_id)
        child_part = None
        if child is not None:
            number = self.numbers.setdefault(child.id, len(self.numbers) + 1)
            statuses = [code for code in ChildStatus.codes() if code in set(child.statuses or [])]
            child_part = _compact([
                ("id", number), ("name", child.name), ("date_of_birth", _date(child.date_of_birth)),
                ("record_number", child.record_number), ("school", child.school), ("statuses", statuses),
            ])
        held = advocacy.get(row.id)
        advocacy_part = None
        if held is not None:
            advocacy_part = _compact([
                ("offered_on", _date(held.offered_on)), ("offered_how", held.offered_how),
                ("answer", held.answer), ("answered_on", _date(held.answered_on)),
                ("referred_to", held.referred_to), ("referred_on", _date(held.referred_on)),
                ("advocate_name", held.advocate_name), ("in_place_on", _date(held.in_place_on)),
                ("notes", held.notes),
            ])
        return [("child", child_part), ("advocacy", advocacy_part)]
