"""One way to act on a case.

A case action view is a few lines: ``@case_action(permission)`` loads the case and
checks the permission, and ``act`` does the rest, the same way for every panel:

1. validate the form (its own checks);
2. call the service, given the version the form was drawn from when it carries one;
   the service checks it and raises ``Refused`` or ``EditConflict``
   (portal/services/common/errors.py), and never commits;
3. commit (steps 1 to 3 are ``carry_out``, staff/changes.py, as on every staff page);
4. answer: the panel and out of band what else it changed (an HTMX post from a
   panel), or a redirect to the case page at the panel (a plain post, which flashes
   what was done). A refusal answers 422 (200 without HTMX, the whole page) with the
   form, what was typed and the error on its field; a conflict answers 409 with the
   record as it now is and what the person entered beside it.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import abort, flash, make_response, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField

from portal import auth
from portal.extensions import db, htmx
from portal.models import Feedback
from portal.services.accounts.permissions import can_view_feedback
from portal.templating import long_date
from staff.case.page import render_case
from staff.case.panel import Panel, Sent
from staff.changes import carry_out
from staff.views import is_panel_request

CONFLICT = ("Someone else changed this record while you had it open. "
            "You are now looking at their version: check it, then make your change again.")


def load_case(reference: str) -> Feedback:
    """The record, if this person may see it; otherwise a plain 404, which says nothing
    about whether the reference exists."""
    record = db.session.scalars(select(Feedback).where(Feedback.reference == reference)
                                .options(joinedload(Feedback.person), joinedload(Feedback.child))).first()
    if record is None or not can_view_feedback(current_user, record):
        abort(404)
    return record


def case_action(permission: str):
    """A view of one case at ``/cases/<reference>/...``: refused (403) without
    ``permission``, then given the case in place of its reference (404 if this person
    may not see it)."""
    def decorate(view):
        @auth.permission_required(permission)
        @wraps(view)
        def with_case(reference: str, **values):
            return view(load_case(reference), **values)
        return with_case
    return decorate


def act(record: Feedback, panel: Panel, key: str, form, perform, message, *, fields: dict | None = None,
        then=None):
    """Carry out ``perform`` with the sent ``form`` (slot ``key`` of ``panel``) and answer.
    ``message`` says what was done: a string, or a function of what ``perform`` returned;
    ``then``, if given, makes the answer from that instead (a page to confirm it)."""
    outcome = carry_out(form, perform, fields)
    if outcome.conflict:
        return render_case(record, panel, 409, notice=CONFLICT,
                           conflict={"panel": panel.id, "entered": entered(form)})
    if not outcome.done:
        return render_case(record, panel, 422 if htmx else 200, sent=Sent(key, form))
    if then is not None:
        return then(outcome.result)
    return done(record, panel, message(outcome.result) if callable(message) else message)


def done(record: Feedback, panel: Panel, message: str):
    """The answer to a change saved: the panel in place, or back to it on the page."""
    if is_panel_request():
        return render_case(record, panel, notice=message)
    flash(message, "success")
    return redirect(url_for("staff.case", reference=record.reference) + f"#{panel.id}")


def send_browser_to(url: str):
    """For HTMX: have it load ``url`` as a whole page."""
    response = make_response("", 200)
    response.headers["HX-Redirect"] = url
    return response


def entered(form) -> list[tuple[str, str]]:
    """What the person entered in a form, as (question, answer in words): shown beside
    the newer version after a conflict, so that nothing they typed is lost."""
    answers = []
    for field in form:
        if isinstance(field, HiddenField) or field.data in (None, "", False, []):  # the CSRF token, the version
            continue
        value = field.data
        if getattr(field, "choices", None):
            value = {str(choice[0]): choice[1] for choice in field.choices}.get(str(value), value)
        elif value is True:
            value = "Yes"
        elif isinstance(value, date):
            value = long_date(value)
        answers.append((field.label.text, str(value)))
    return answers
