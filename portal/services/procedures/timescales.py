"""The organisation's timescales: its first set, from the ``timescale_setting`` table,
and the sets that apply from a date, from ``timescale_set`` and the code
(clocks.BUILT_IN_SETS: the Complaint Handling Code's corporate clocks from 1 April 2026).

Why a table and not app config: the timescales are the organisation's to set (DOMAIN.md,
Procedures, stages and clocks: "Timescales are organisation settings"), so an
administrator changes them on a page, the change is audited like any other row, and every
open deadline is recomputed at once; config would need a redeploy and leave stored due
dates stale. Only the timescales that differ from DOMAIN.md's defaults have a row.

DOMAIN.md, "Timescales change on a date": a stage follows the set in force on its clock
start, so ``current_timescales()`` is a :class:`~clocks.TimescaleBook` and a clock asks it
``in_force(procedure, stage.started_on)``. A set added from a date never moves an open
stage: it must start after today and after every open stage of its procedure started
(``add_timescale_set``). Correcting the first set (``store_timescales``) is the
administrator's deliberate change to it and recomputes the stages that follow it.

This module only reads and writes the rows, so that ``deadlines``, which needs the
timescales in force, can sit above it; ``deadlines.set_timescales`` is the change an
administrator makes (stored here, then every open deadline recomputed).
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback, Stage, StaffUser, TimescaleSetRow, TimescaleSetting
from portal.services.common import audit
from portal.services.common.dates import spoken, today_or
from portal.services.common.labels import Procedure
from portal.services.procedures.clocks import (BUILT_IN_SETS, DEFAULT_TIMESCALES,
                                               PROCEDURE_TIMESCALES, TimescaleBook,
                                               Timescales, TimescaleSet)
from portal.services.common.errors import Refused
from portal.services.procedures import reckoning
from portal.services.procedures.common import required_text

# Labels for an administration page, in the order it shows them.
TIMESCALE_LABELS = {
    "statutory_stage1": "Statutory Stage 1 response (working days)",
    "statutory_stage1_maximum": "Statutory Stage 1 response with an extension, at most (working days)",
    "statutory_stage2": "Statutory Stage 2 response (working days)",
    "statutory_stage2_maximum": "Statutory Stage 2 response with an extension, at most (working days)",
    "stage3_panel": "Stage 3 panel meets after the request, within (working days)",
    "stage3_panel_report": "Stage 3 panel report after the meeting, within (working days)",
    "stage3_response": "Stage 3 response after the panel report, within (working days)",
    "corporate_acknowledgement": "Corporate acknowledgement (working days)",
    "corporate_stage1": "Corporate Stage 1 response (working days)",
    "corporate_stage1_maximum": "Corporate Stage 1 response with an extension, at most (working days)",
    "corporate_stage2": "Corporate Stage 2 response (working days)",
    "corporate_stage2_maximum": "Corporate Stage 2 response with an extension, at most (working days)",
    "escalation_window": "Next stage to be asked for within (working days of the response)",
    "complaint_time_limit_months": "Complaints normally made within (months of the events)",
}
# The one timescale that is not a number of days or months.
FROM_ACKNOWLEDGEMENT_LABEL = ("Corporate responses are due counted from the acknowledgement "
                              "(the Complaint Handling Code)")
assert set(TIMESCALE_LABELS) | {"corporate_response_from_acknowledgement"} == {
    f.name for f in fields(Timescales)}


def base_timescales() -> Timescales:
    """The organisation's first set: DOMAIN.md's defaults (the 2023 tables), with the
    organisation's changes. Read once within ``reckoning.one_reckoning``."""
    return reckoning.once("base timescales", _read_base_timescales)


def _read_base_timescales() -> Timescales:
    rows = db.session.scalars(select(TimescaleSetting)).all()
    known = {row.name: row.value for row in rows if row.name in TIMESCALE_LABELS}
    return replace(DEFAULT_TIMESCALES, **known) if known else DEFAULT_TIMESCALES


def current_timescales() -> TimescaleBook:
    """Every set of timescales with its date: the first set, the sets in the code, and the
    sets administrators added. A clock asks it for the set in force on a stage's start
    (``in_force(procedure, started_on)``). Read once within ``reckoning.one_reckoning``."""
    return reckoning.once("timescales", _read_timescales)


def _read_timescales() -> TimescaleBook:
    rows = db.session.scalars(select(TimescaleSetRow)).all()
    added = tuple(_as_set(row) for row in rows)
    replaced = {(s.procedure, s.effective_from) for s in added}
    built_in = tuple(s for s in BUILT_IN_SETS if (s.procedure, s.effective_from) not in replaced)
    return TimescaleBook(base_timescales(), built_in + added)


def _as_set(row: TimescaleSetRow) -> TimescaleSet:
    allowed = PROCEDURE_TIMESCALES[row.procedure]
    values = {name: value for name, value in (row.timescale_values or {}).items() if name in allowed}
    return TimescaleSet(row.procedure, row.effective_from, values, row.reason)


def add_timescale_set(procedure: str, effective_from: date, values: dict, reason: str,
                      actor: StaffUser, *, today: date | None = None) -> TimescaleSet:
    """Add a set of the procedure's timescales for stages whose clock starts on or after
    ``effective_from`` (not committed here). ``values`` gives every timescale of the
    procedure (PROCEDURE_TIMESCALES).

    Open cases are never moved onto it: refused for a date that is not after today, or
    on or before the start of an open stage of the procedure (an imported or forward-dated
    one), and for a date that already has a set. Refused, naming the field, for a missing
    reason, a value under 1 or a maximum under its timescale.
    """
    if procedure not in PROCEDURE_TIMESCALES:
        raise Refused("Select a procedure", "procedure")
    today = today_or(today)
    if effective_from is None:
        raise Refused("Enter the date the new timescales apply from", "effective_from")
    if effective_from <= today:
        raise Refused(
            f"The date the new timescales apply from must be after today, {spoken(today)}, "
            "so that no open complaint is moved onto them", "effective_from")
    latest_open = db.session.scalar(
        select(func.max(Stage.started_on)).join(Feedback, Stage.feedback_id == Feedback.id)
        .where(Feedback.procedure == procedure, Stage.responded_on.is_(None)))
    if latest_open is not None and effective_from <= latest_open:
        raise Refused(
            f"An open {Procedure(procedure).choice.lower()} stage started on "
            f"{spoken(latest_open)}: the new timescales must apply from a later date, so "
            "that no open complaint is moved onto them", "effective_from")
    book = current_timescales()
    if any(s.procedure == procedure and s.effective_from == effective_from for s in book.sets):
        raise Refused(f"There is already a set of timescales from {spoken(effective_from)}",
                      "effective_from")
    chosen = {}
    for name in PROCEDURE_TIMESCALES[procedure]:
        value = values.get(name)
        if name == "corporate_response_from_acknowledgement":
            chosen[name] = bool(value)
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise Refused(f"{TIMESCALE_LABELS[name]} must be a whole number, 1 or more", name)
        chosen[name] = value
    for name, value in chosen.items():
        base = chosen.get(name.removesuffix("_maximum"))
        if name.endswith("_maximum") and value < base:
            raise Refused(f"{TIMESCALE_LABELS[name]} cannot be under "
                          f"{TIMESCALE_LABELS[name.removesuffix('_maximum')].lower()} ({base})", name)
    reason = required_text(reason, "Enter why the timescales change", "reason")
    with audit.acting_as(actor.name, actor):
        db.session.add(TimescaleSetRow(procedure=procedure, effective_from=effective_from,
                                       timescale_values=chosen, reason=reason,
                                       created_by=actor))
        db.session.flush()
    reckoning.forget()
    return TimescaleSet(procedure, effective_from, chosen, reason)


def store_timescales(changes: dict[str, int], actor: StaffUser) -> Timescales:
    """Store some changed timescales of the first set and return it (the due dates are
    not recomputed here: see ``deadlines.set_timescales``).

    A value equal to the default removes the organisation's row. Refused with a
    Refused naming the field: an unknown name, a value under 1, or a maximum under
    its timescale.
    """
    values = asdict(base_timescales())
    for name, value in changes.items():
        if name not in TIMESCALE_LABELS:
            raise Refused(f"There is no timescale called {name}", name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise Refused(f"{TIMESCALE_LABELS[name]} must be a whole number, 1 or more", name)
        values[name] = value
    try:
        settings = Timescales(**values)
    except ValueError as refusal:
        raise Refused(str(refusal).capitalize(), next(iter(changes), None)) from refusal
    defaults = asdict(DEFAULT_TIMESCALES)
    with audit.acting_as(actor.name, actor):
        _store(changes, values, defaults)
    return settings


def _store(changes: dict[str, int], values: dict, defaults: dict) -> None:
    for name in changes:
        row = db.session.get(TimescaleSetting, name)
        if values[name] == defaults[name]:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(TimescaleSetting(name=name, value=values[name]))
        else:
            row.value = values[name]
    db.session.flush()
    reckoning.forget()
