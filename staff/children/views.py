"""The child a case is about: naming them, linking the case to a child already held,
the child's page with their cases and history, and merging two records of one child
(feedback managers only); and recording advocacy for them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import auth
from portal.extensions import db
from portal.models import Child, Feedback
from portal.services.accounts.permissions import visible_feedback
from portal.services.casework import advocacy
from portal.services.common.dates import today
from portal.services.common.errors import Refused
from portal.services.common.labels import ChildStatus, label
from portal.services.data_protection import access_log
from portal.services.intake import children
from staff import bp
from staff.case.acting import act, case_action
from staff.children.forms import AdvocacyForm, ChildForm, LinkChildForm, MergeChildForm, UnlinkChildForm
from staff.children.panel import ADVOCACY, CHILD
from staff.fields import add_error

CHILD_FIELDS = {"name": "child_name"}


@bp.post("/cases/<reference>/child")
@case_action("edit_cases")
def case_child(record: Feedback):
    return act(record, CHILD, "child", ChildForm(), lambda f: children.name_child(
        record, current_user, name=f.child_name.data, date_of_birth=f.date_of_birth.data,
        record_number=f.record_number.data, school=f.school.data, statuses=f.statuses.data or [],
        today=today(), version=f.expected_version), "Child's details saved", fields=CHILD_FIELDS)


@bp.post("/cases/<reference>/child/link")
@case_action("edit_cases")
def case_child_link(record: Feedback):
    def link(f):
        other = db.session.get(Child, f.child_number.data)
        if other is None:
            raise Refused(f"There is no child {f.child_number.data}", "child_number")
        return children.link_child(record, other, current_user, version=f.expected_version)
    return act(record, CHILD, "link-child", LinkChildForm(), link,
               lambda child: f"The case is now about child {child.id}", fields={"child": "child_number"})


@bp.post("/cases/<reference>/child/unlink")
@case_action("edit_cases")
def case_child_unlink(record: Feedback):
    return act(record, CHILD, "unlink-child", UnlinkChildForm(), lambda f: children.unlink_child(
        record, current_user, version=f.expected_version), "The case no longer names a child")


@bp.post("/cases/<reference>/advocacy")
@case_action("edit_cases")
def case_advocacy(record: Feedback):
    return act(record, ADVOCACY, "advocacy", AdvocacyForm(), lambda f: advocacy.record_advocacy(
        record, current_user, offered_on=f.offered_on.data, offered_how=f.offered_how.data or None,
        answer=f.advocacy_answer.data or None, answered_on=f.answered_on.data,
        referred_to=f.advocacy_service.data, referred_on=f.referred_on.data,
        advocate_name=f.advocate_name.data, in_place_on=f.in_place_on.data,
        pause_while_waiting=bool(f.pause_while_waiting.data), today=today(), version=f.expected_version),
        "Advocacy recorded", fields=AdvocacyForm.FIELDS)


def _child_or_404(child_id: int) -> tuple[Child, list[Feedback]]:
    child = db.session.get(Child, child_id)
    if child is None:
        abort(404)
    cases = list(db.session.scalars(
        select(Feedback).where(Feedback.child_id == child.id, visible_feedback(current_user))
        .order_by(Feedback.received_on.desc(), Feedback.id.desc())))
    if not cases and not auth.allowed("view_all_cases"):
        abort(404)  # none of their cases is this person's to see: say nothing about them
    return child, cases


def _child_page(child: Child, cases: list[Feedback], form: MergeChildForm, status: int = 200):
    editing = auth.allowed("edit_cases")
    return render_template(
        "staff/child.html", child=child, cases=cases, form=form, label=label,
        status_words=[ChildStatus.words_of(code, code) for code in child.statuses or ()],
        history=children.history(child) if auth.allowed("view_audit") or editing else [],
        suggested=children.suggested_matches(child) if editing else []), status


@bp.get("/children/<int:child_id>")
@auth.permission_required("view_cases")
def child(child_id: int):
    record, cases = _child_or_404(child_id)
    access_log.record_view(current_user, "child", detail=f"Child {record.id}")
    return _child_page(record, cases, MergeChildForm(formdata=None))


@bp.post("/children/<int:child_id>/merge")
@auth.permission_required("merge_children")
def child_merge(child_id: int):
    record, cases = _child_or_404(child_id)
    form = MergeChildForm()
    if form.validate_on_submit():
        other = db.session.get(Child, form.other.data)
        if other is None:
            add_error(form, "other", f"There is no child {form.other.data}")
        else:
            try:
                children.merge(record, other, current_user)
            except Refused as refused:
                db.session.rollback()
                add_error(form, "other", refused.message)
            else:
                db.session.commit()
                flash(f"Merged child {form.other.data} into this record", "success")
                return redirect(url_for(".child", child_id=record.id))
    return _child_page(record, cases, form, 200)
