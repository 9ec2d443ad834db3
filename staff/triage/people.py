"""A person's record: their details and every case of theirs, and merging two records
of one person."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import auth
from portal.extensions import db
from portal.models import Feedback, Person
from portal.services.data_protection import access_log
from portal.services.intake import people
from portal.services.common.labels import label
from portal.services.accounts.permissions import visible_feedback
from staff import bp
from staff.case.forms import MergeForm
from staff.fields import add_error


def _person_or_404(person_id: int) -> tuple[Person, list[Feedback]]:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    cases = _cases(person)
    if not cases and not auth.allowed("view_all_cases"):
        abort(404)  # nothing of theirs this person may see: say nothing about them
    return person, cases


def _cases(person: Person) -> list[Feedback]:
    return list(db.session.scalars(
        select(Feedback).where(Feedback.person_id == person.id, visible_feedback(current_user))
        .order_by(Feedback.received_on.desc())
        .options(selectinload(Feedback.stages))  # each complaint's tag names its stage
    ))


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@auth.permission_required("view_cases")
def person(person_id: int):
    record, cases = _person_or_404(person_id)
    access_log.record_view(current_user, "person", person_id=record.id)
    # The log's commit expired every case read above: read them again in one statement,
    # not one each as the page touches them (issue 23: a statement per case).
    cases = _cases(record)
    form = MergeForm()
    if form.validate_on_submit():
        if not auth.allowed("edit_cases"):
            abort(403)
        other = db.session.get(Person, form.other.data)
        if other is None or other.id == record.id:
            add_error(form, "other", "Enter the number of a different person")
        else:
            people.merge(record, other)
            db.session.commit()
            flash(f"Merged person {form.other.data} into this record", "success")
            return redirect(url_for(".person", person_id=record.id))
    return render_template("staff/person.html", person=record, cases=cases, label=label, form=form,
                           duplicates=people.possible_duplicates(record) if auth.allowed("edit_cases") else [])
