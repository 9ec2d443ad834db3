"""How a staff page saves a change: the transaction rule, in one place.

A service (portal/services) checks and changes, and never commits; the view that called
it commits. So every page that changes something does the same: validate the form, call
the service, commit. A refusal (``Refused``, portal/services/common/errors.py) rolls
back whatever the service had begun and is shown on the field it names, or, for a
button with nothing to fill in, flashed; an edit conflict rolls back and reloads the
record. Acting on a case (staff/case/acting.py) answers with its panel on top of this.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash

from portal.extensions import db
from portal.services.common.errors import EditConflict, Refused
from staff.fields import add_error


@dataclass(frozen=True)
class Outcome:
    done: bool
    result: object = None
    conflict: bool = False


def carry_out(form, perform, fields: dict | None = None) -> Outcome:
    """Validate the sent ``form``, run ``perform`` (a service call, which checks the
    form's version when it carries one) with it and commit. Not done: the form holds its
    errors, its own or the service's refusal on the field it names (``fields`` maps the
    service's names to the form's), or someone else changed the record (``conflict``,
    the record reloaded)."""
    if not form.validate_on_submit():
        return Outcome(False)
    try:
        result = perform(form)
    except EditConflict as conflict:
        db.session.rollback()
        db.session.refresh(conflict.record)
        return Outcome(False, conflict=True)
    except Refused as refused:
        db.session.rollback()
        add_error(form, (fields or {}).get(refused.field, refused.field), refused.message)
        return Outcome(False)
    db.session.commit()
    return Outcome(True, result)


def carry_out_and_flash(perform, message) -> bool:
    """For a button: run ``perform`` (a service call, no arguments) and commit, then
    flash ``message`` (a string, or a function of what ``perform`` returned). A refusal
    has no field to stand by, so it is flashed instead and nothing is kept."""
    try:
        result = perform()
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "info")
        return False
    db.session.commit()
    flash(message(result) if callable(message) else message, "success")
    return True
