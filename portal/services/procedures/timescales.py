"""The organisation's timescales, from the ``timescale_setting`` table.

Why a table and not app config: the timescales are the organisation's to set (DOMAIN.md,
Procedures, stages and clocks: "Timescales are organisation settings"), so an
administrator changes them on a page, the change is audited like any other row, and every
open deadline is recomputed at once; config would need a redeploy and leave stored due
dates stale. Only the timescales that differ from DOMAIN.md's defaults have a row.

This module only reads and writes the rows, so that ``deadlines``, which needs the
timescales in force, can sit above it; ``deadlines.set_timescales`` is the change an
administrator makes (stored here, then every open deadline recomputed).
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace

from sqlalchemy import select

from portal.extensions import db
from portal.models import StaffUser, TimescaleSetting
from portal.services.common import audit
from portal.services.procedures.clocks import DEFAULT_TIMESCALES, Timescales
from portal.services.common.errors import Refused

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
assert set(TIMESCALE_LABELS) == {f.name for f in fields(Timescales)}


def current_timescales() -> Timescales:
    """The timescales in force: DOMAIN.md's defaults, with the organisation's changes."""
    rows = db.session.scalars(select(TimescaleSetting)).all()
    known = {row.name: row.value for row in rows if row.name in TIMESCALE_LABELS}
    return replace(DEFAULT_TIMESCALES, **known) if known else DEFAULT_TIMESCALES


def store_timescales(changes: dict[str, int], actor: StaffUser) -> Timescales:
    """Store some changed timescales and return the timescales now in force (the due
    dates are not recomputed here: see ``deadlines.set_timescales``).

    A value equal to the default removes the organisation's row. Refused with a
    Refused naming the field: an unknown name, a value under 1, or a maximum under
    its timescale.
    """
    values = asdict(current_timescales())
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
