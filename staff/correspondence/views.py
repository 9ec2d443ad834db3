"""Letters (issue 18): write, check, preview and send one on a case (or about a contact
restriction); the letters to post, printed as one PDF; each letter's text, PDF and Word
version; and the feedback manager's pages for templates and the jargon list.

Nothing goes without a preview: "Check and preview" checks the text and shows it as the
person will get it, and "Send" sends only the text that was checked (``checked`` carries
its fingerprint; a change since asks for another check)."""

from __future__ import annotations

import hashlib

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db
from portal.models import ContactRestriction, Feedback, JargonTerm, Letter
from portal.services.accounts.permissions import can_view_feedback, has_permission
from portal.services.common.dates import today
from portal.services.common.errors import Refused
from portal.services.common.labels import LetterAudience, LetterChannel, LetterPurpose
from portal.services.correspondence import documents, jargon, letters, merge_fields, readability, templates
from staff import bp
from staff.case.acting import case_action
from staff.changes import carry_out
from staff.correspondence.forms import JargonForm, LetterForm, TemplateForm
from staff.fields import add_error

CASE_PURPOSES = [p for p in LetterPurpose.codes() if p not in ("persistent_contact", "restriction_review")]
RESTRICTION_PURPOSES = ["persistent_contact", "restriction_review"]


@bp.app_template_filter("letter_purpose")
def letter_purpose(code: str) -> str:
    return LetterPurpose.words_of(code, code)


def fingerprint(form: LetterForm) -> str:
    said = "\x00".join([form.purpose.data or "", form.channel.data or "", form.audience.data or "",
                        form.subject.data or "", (form.text.data or "").strip()])
    return hashlib.sha256(said.encode()).hexdigest()


def _pdf(data: bytes, name: str, attachment: bool = True):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _write(record: Feedback | None, restriction: ContactRestriction | None, purposes: list[str], action_url: str,
           back_url: str, version: int | None):
    """The write, check, preview and send page, for a case or a restriction."""
    form = LetterForm()
    form.purpose.choices = [(p, LetterPurpose(p).words) for p in purposes]
    day = today()
    check = None
    if request.method == "GET":
        purpose = request.args.get("purpose")
        form.purpose.data = purpose if purpose in purposes else purposes[0]
        form.channel.data = request.args.get("channel") if request.args.get("channel") in LetterChannel \
            else letters.default_channel(record)
        form.audience.data = letters.default_audience(record if record is not None else None)
        form.version.data = str(version) if version is not None else ""
        _fill(form, record, restriction, day)
        return _page(form, record, restriction, action_url, back_url, None)
    action = request.form.get("action", "check")
    if not form.validate_on_submit():
        return _page(form, record, restriction, action_url, back_url, None, 200)
    if action == "fill":
        _fill(form, record, restriction, day)
        return _page(form, record, restriction, action_url, back_url, None)
    if action == "pdf":
        return _pdf(letters.preview_pdf(record, form.subject.data or "", (form.text.data or "").strip(), day,
                                        restriction), "preview.pdf")
    if action == "send":
        if form.checked.data != fingerprint(form):
            add_error(form, "text", "Check and preview the letter before you send it: it has changed since")
            return _page(form, record, restriction, action_url, back_url, None, 200)
        outcome = carry_out(form, lambda f: letters.send(
            record, purpose=f.purpose.data, channel=f.channel.data, audience=f.audience.data,
            template_version=f.template_number, subject=f.subject.data, text=f.text.data, actor=current_user,
            today=day, version=f.expected_version if record is not None else None,
            override_reason=f.override_reason.data, restriction=restriction))
        if outcome.done:
            letter = outcome.result
            flash(f"{LetterPurpose(letter.purpose).words} "
                  f"{'emailed to ' + letter.to_address if letter.to_address else 'kept to post: print it from Letters to post'}",
                  "success")
            return redirect(back_url)
        if outcome.conflict:
            add_error(form, "text", "Someone else changed this case while you were writing: check the letter again")
        return _page(form, record, restriction, action_url, back_url, None, 200)
    # check and preview: first, what the case has gained since (a finding recorded in another tab)
    form.text.data, filled = letters.refill(record, form.purpose.data, form.channel.data, current_user, day,
                                            form.text.data or "", restriction)
    if filled:
        flash("Filled in from the case since you last checked: " + ", ".join(filled), "info")
    check = letters.check(record, form.purpose.data, (form.text.data or "").strip(), form.channel.data,
                          form.audience.data, day)
    for problem in check.problems:
        add_error(form, "text", problem.message)
    form.checked.data = fingerprint(form)
    return _page(form, record, restriction, action_url, back_url, check)


def _fill(form: LetterForm, record, restriction, day) -> None:
    drafted = letters.draft(record, form.purpose.data, form.channel.data, form.audience.data, current_user, day,
                            restriction)
    form.subject.data, form.text.data = drafted.subject, drafted.text
    form.template_version.data = str(drafted.template.version)
    form.checked.data = ""


def _page(form, record, restriction, action_url, back_url, check, status: int = 200):
    can_override = has_permission(current_user, letters.OVERRIDE)
    response = make_response(render_template(
        "staff/letters/write.html", form=form, record=record, restriction=restriction, action_url=action_url,
        back_url=back_url, check=check, can_override=can_override,
        longest=set(check.longest) if check else set(),
        sentences=readability.sentences((form.text.data or "")) if check else []), status)
    return response


@bp.route("/cases/<reference>/letters/new", methods=["GET", "POST"])
@case_action("edit_cases")
def letter_write(record: Feedback):
    return _write(record, None, CASE_PURPOSES, url_for(".letter_write", reference=record.reference),
                  url_for(".case", reference=record.reference) + "#letters", record.version)


@bp.route("/restrictions/<int:restriction_id>/letter", methods=["GET", "POST"])
@auth.permission_required("manage_restrictions")
def restriction_letter(restriction_id: int):
    restriction = db.session.get(ContactRestriction, restriction_id)
    if restriction is None:
        abort(404)
    back = url_for(".person", person_id=restriction.person_id) if restriction.person_id else url_for(".restriction_list")
    return _write(None, restriction, RESTRICTION_PURPOSES,
                  url_for(".restriction_letter", restriction_id=restriction.id), back, None)


def _letter(letter_id: int) -> Letter:
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        abort(404)
    if letter.feedback is not None:
        if not can_view_feedback(current_user, letter.feedback):
            abort(404)
    elif not has_permission(current_user, "manage_restrictions"):
        abort(404)
    return letter


@bp.get("/letters/<int:letter_id>")
@auth.permission_required("view_cases")
def letter_view(letter_id: int):
    return render_template("staff/letters/letter.html", letter=_letter(letter_id))


@bp.get("/letters/<int:letter_id>/letter.pdf")
@auth.permission_required("view_cases")
def letter_pdf(letter_id: int):
    letter = _letter(letter_id)
    if letter.pdf is None:
        abort(404)
    return _pdf(letter.pdf, f"letter-{letter.id}.pdf", attachment=False)


@bp.get("/letters/<int:letter_id>/letter.docx")
@auth.permission_required("view_cases")
def letter_word(letter_id: int):
    letter = _letter(letter_id)
    response = make_response(documents.word(letters.page(letter.feedback, letter.subject, letter.text,
                                                         letter.sent_on, letter.restriction)))
    response.headers["Content-Type"] = ("application/vnd.openxmlformats-officedocument."
                                        "wordprocessingml.document")
    response.headers["Content-Disposition"] = f'attachment; filename="letter-{letter.id}.docx"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/letters/to-post", methods=["GET", "POST"])
@auth.permission_required("edit_cases")
def letters_to_post():
    waiting = [l for l in letters.to_post() if l.feedback is None and has_permission(current_user, "manage_restrictions")
               or l.feedback is not None and can_view_feedback(current_user, l.feedback)]
    if request.method == "POST":
        ids = {int(i) for i in request.form.getlist("letter") if i.isdigit()}
        chosen = [l for l in waiting if l.id in ids]
        if not chosen:
            flash("Choose the letters you have printed", "info")
        else:
            letters.mark_printed(chosen)
            db.session.commit()
            flash(f"{len(chosen)} letter{'s' if len(chosen) != 1 else ''} marked as printed", "success")
        return redirect(url_for(".letters_to_post"))
    return render_template("staff/letters/to_post.html", letters=waiting)


@bp.get("/letters/to-post.pdf")
@auth.permission_required("edit_cases")
def letters_to_post_pdf():
    waiting = [l for l in letters.to_post() if l.feedback is None and has_permission(current_user, "manage_restrictions")
               or l.feedback is not None and can_view_feedback(current_user, l.feedback)]
    if not waiting:
        flash("There are no letters to post", "info")
        return redirect(url_for(".letters_to_post"))
    return _pdf(letters.batch_pdf(waiting), "letters-to-post.pdf")


# --- Templates and the jargon list (feedback managers) --------------------------------


@bp.get("/letters/templates")
@auth.permission_required("manage_letter_templates")
def letter_templates():
    rows = [(purpose, channel, audience, templates.current(purpose, channel, audience))
            for purpose in LetterPurpose for channel in LetterChannel for audience in LetterAudience]
    return render_template("staff/letters/templates.html", rows=rows)


@bp.route("/letters/templates/<purpose>/<channel>/<audience>", methods=["GET", "POST"])
@auth.permission_required("manage_letter_templates")
def letter_template_edit(purpose: str, channel: str, audience: str):
    if purpose not in LetterPurpose or channel not in LetterChannel or audience not in LetterAudience:
        abort(404)
    template = templates.current(purpose, channel, audience)
    form = TemplateForm(data={"subject": template.subject, "body": template.body})
    if carry_out(form, lambda f: templates.save(purpose, channel, audience, f.subject.data, f.body.data,
                                                current_user)).done:
        saved = templates.current(purpose, channel, audience)
        flash(f"Template saved as version {saved.version}. The next letter from it uses it.", "success")
        return redirect(url_for(".letter_template_edit", purpose=purpose, channel=channel, audience=audience))
    return render_template("staff/letters/template_edit.html", form=form, template=template,
                           purpose=LetterPurpose(purpose), channel=LetterChannel(channel),
                           audience=LetterAudience(audience), fields=merge_fields.FIELDS,
                           versions=templates.versions(purpose, channel, audience))


@bp.route("/letters/jargon", methods=["GET", "POST"])
@auth.permission_required("manage_letter_templates")
def jargon_list():
    form = JargonForm()
    if carry_out(form, lambda f: jargon.add_term(f.term.data, f.plainer.data, current_user)).done:
        flash(f"\u2018{form.term.data}\u2019 added to the jargon list", "success")
        return redirect(url_for(".jargon_list"))
    return render_template("staff/letters/jargon.html", form=form, terms=readability.jargon_list())


@bp.post("/letters/jargon/<int:term_id>/remove")
@auth.permission_required("manage_letter_templates")
def jargon_remove(term_id: int):
    row = db.session.get(JargonTerm, term_id)
    if row is None:
        abort(404)
    term = row.term
    jargon.remove_term(row, current_user)
    db.session.commit()
    flash(f"\u2018{term}\u2019 taken off the jargon list", "success")
    return redirect(url_for(".jargon_list"))
