"""The case file's pages: adding documents to a case, describing and removing one,
downloading one, the quarantine, and the bundles (docs/case-file.md)."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from portal import auth
from portal.extensions import db
from portal.models import Document, Feedback
from portal.services.common.errors import Refused
from portal.services.files import bundles, documents
from portal.services.files.documents import FileSettings, Upload
from portal.uploads import accepts_files
from staff import bp
from staff.case.acting import act, case_action
from staff.changes import carry_out
from staff.files import panel
from staff.files.panel import DOCUMENTS, read_attachment


def _document(record: Feedback, public_id: str) -> Document:
    """The document of this case that this person may see, or a plain 404."""
    document = documents.find(public_id)
    if document is None or document.feedback is not record or document.removed_at is not None:
        abort(404)
    if document.quarantined and not auth.allowed("manage_documents"):
        abort(404)
    return document


def _added(added: list[Document]) -> str:
    names = ", ".join(d.safe_name for d in added)
    message = f"Added {names}" if len(added) == 1 else f"Added {len(added)} documents: {names}"
    waiting = [d for d in added if d.quarantined]
    if any(d.scan_status == "infected" for d in waiting):
        message += ". A virus was found in " + ", ".join(d.safe_name for d in waiting if d.scan_status == "infected") \
            + ": it is in the quarantine and cannot be downloaded"
    elif waiting:
        message += ". The virus scanner could not be reached: the files wait in the quarantine until they are scanned"
    return message


def _uploads(data) -> list[Upload]:
    """The files sent (a text value sent in their place is no file)."""
    return [Upload(s.stream, s.filename) for s in (data or []) if isinstance(s, FileStorage)]


@bp.post("/cases/<reference>/documents")
@accepts_files
@case_action("edit_cases")
def case_documents_add(record: Feedback):
    form = panel.add_form(record)

    def perform(f):
        kind, item_id = read_attachment(f.attached_to.data)
        return documents.add_documents(
            db.session(), record, _uploads(f.file.data),
            FileSettings.from_app(), by=current_user, version=f.expected_version,
            description=f.description.data, received_on=f.received_on.data,
            attached_to=documents.attachment_of(record, kind, item_id))

    return act(record, DOCUMENTS, "document", form, perform, _added)


@bp.post("/cases/<reference>/documents/<public_id>/describe")
@case_action("edit_cases")
def case_document_describe(record: Feedback, public_id: str):
    document = _document(record, public_id)
    return act(record, DOCUMENTS, f"describe-{public_id}", panel.describe_form(document),
               lambda f: documents.describe_document(
                   db.session(), document, by=current_user, description=f.description.data,
                   received_on=f.received_on.data, version=f.expected_version),
               f"Description of {document.safe_name} saved")


@bp.post("/cases/<reference>/documents/<public_id>/remove")
@case_action("manage_documents")
def case_document_remove(record: Feedback, public_id: str):
    document = _document(record, public_id)
    return act(record, DOCUMENTS, f"remove-{public_id}", panel.remove_form(document),
               lambda f: documents.remove_document(db.session(), document, by=current_user,
                                                   reason=f.reason.data, version=f.expected_version),
               f"Removed {document.safe_name} from the case file")


@bp.get("/cases/<reference>/documents/<public_id>")
@case_action("view_cases")
def case_document_download(record: Feedback, public_id: str):
    """Always a download (never shown in the browser), under its safe name; each one is
    in the audit trail."""
    document = _document(record, public_id)
    try:
        content = documents.open_for_download(db.session(), document, current_user)
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "info")
        return redirect(url_for("staff.case", reference=record.reference) + "#documents")
    db.session.commit()
    return _attachment(send_file(content, mimetype=document.content_type, as_attachment=True,
                                 download_name=document.safe_name, max_age=0, conditional=False))


def _attachment(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/documents/quarantine")
@auth.permission_required("manage_documents")
def quarantine():
    return render_template("staff/files/quarantine.html", waiting=documents.quarantine(db.session()))


@bp.route("/cases/<reference>/bundle", methods=["GET", "POST"])
@case_action("view_cases")
def case_bundle(record: Feedback):
    """Choose documents and download them as a zip with an index (the Ombudsman bundle,
    or the Stage 2 investigation pack)."""
    form = panel.bundle_form(record)
    if request.method == "GET":
        form = panel.bundle_form(record, formdata=None,
                                 data={"kind": request.args.get("kind") if request.args.get("kind") in
                                       ("ombudsman", "stage2") else "ombudsman"})
        return render_template("staff/files/bundle.html", record=record, form=form)

    def perform(f):
        chosen = [d for d in documents.documents_of(record, current_user) if d.public_id in set(f.chosen.data)]
        return bundles.make_bundle(db.session(), record, chosen, f.kind.data, current_user)

    outcome = carry_out(form, perform)
    if not outcome.done:
        return make_response(render_template("staff/files/bundle.html", record=record, form=form), 200)
    bundle = outcome.result
    return _attachment(send_file(bundle.file, mimetype="application/zip", as_attachment=True,
                                 download_name=bundle.name, max_age=0, conditional=False))
