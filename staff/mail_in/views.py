"""Replying from a case, and the list of email that did not become a case."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db
from portal.models import Feedback
from portal.services.common.labels import MailInKind, MailInReview
from portal.services.mail_in import review, thread
from portal.services.mail_in.receive import InSettings
from staff import bp
from staff.case.acting import act, case_action
from staff.changes import carry_out_and_flash
from staff.mail_in.forms import ReplyForm, ReviewForm
from staff.mail_in.panel import CORRESPONDENCE, team_address


@bp.app_template_filter("mail_in_kind")
def mail_in_kind(code: str) -> str:
    return MailInKind.words_of(code, code)


@bp.app_template_filter("mail_in_review")
def mail_in_review(code: str) -> str:
    return MailInReview.words_of(code, code)


@bp.post("/cases/<reference>/correspondence/reply")
@case_action("edit_cases")
def case_reply(record: Feedback):
    return act(record, CORRESPONDENCE, "reply", ReplyForm(),
               lambda f: thread.reply(record, f.text.data, current_user, team_address(), version=f.expected_version),
               lambda message: f"Reply to {message.to_address} is on its way")


@bp.get("/mail-in")
@auth.permission_required("review_mail_in")
def mail_review():
    return render_template("staff/mail_in/review.html", waiting=review.waiting(), total=review.waiting_count(),
                           reviewed=review.recently_reviewed(), form=ReviewForm(), named_case=review.named_case)


@bp.post("/mail-in/<int:message_id>")
@auth.permission_required("review_mail_in")
def mail_review_act(message_id: int):
    row = review.find(message_id)
    if row is None:
        abort(404)
    form = ReviewForm()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("add_to_case", "new_record", "dismiss"):
        abort(400)
    if action == "add_to_case":
        carry_out_and_flash(lambda: review.add_to_case(row, current_user, InSettings.from_app()),
                            lambda record: f"Added to {record.reference}")
    elif action == "new_record":
        carry_out_and_flash(lambda: review.make_new_record(row, current_user, InSettings.from_app()),
                            lambda record: f"Made a new record, {record.reference}, to triage")
    else:
        carry_out_and_flash(lambda: review.dismiss(row, current_user), "Marked as nothing to do")
    return redirect(url_for("staff.mail_review"))


@bp.get("/mail-in/<int:message_id>/original")
@auth.permission_required("review_mail_in")
def mail_in_original(message_id: int):
    """The email as it came, always a download (never shown in the browser)."""
    from portal.services.common import audit
    from staff.files.views import _attachment

    row = review.find(message_id)
    if row is None:
        abort(404)
    content = InSettings.from_app().files.store.open(row.storage_key)
    audit.record(current_user, "download", "mail_in_message", row.id, new={"kind": row.kind})
    db.session.commit()
    return _attachment(send_file(content, mimetype="message/rfc822", as_attachment=True,
                                 download_name=f"email-{row.id}.eml", max_age=0, conditional=False))
