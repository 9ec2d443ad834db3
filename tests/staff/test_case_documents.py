"""The case file on the case page (staff/files/): adding documents by a plain post and
by HTMX, downloading them (always as an attachment, only by someone who may see the
case), describing, removing (a feedback manager), the quarantine and the bundles."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Document
from tests import factories
from tests.clamd import eicar
from tests.files import samples
from tests.pdfs import is_tagged
from tests.staff.conftest import error_summary

HX = {"HX-Request": "true"}


def upload(client, record, *files, htmx=False, **fields):
    data = {"version": str(record.version), "document-attached_to": "case", **fields,
            "document-file": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/staff/cases/{record.reference}/documents", data=data,
                       content_type="multipart/form-data", headers=HX if htmx else {})


def stored(app) -> list[str]:
    from portal.services.files.storage import current_store

    return sorted(current_store().keys())


def test_an_officer_adds_two_files_by_a_plain_post_and_sees_them_on_the_case(app, signed_in, get_page):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    response = upload(officer, record, ("EHC plan.pdf", samples.pdf()), ("photo.jpg", samples.photo()),
                      **{"document-description": "From the parent", "document-received_on": ["16", "10", "2034"]})
    assert response.status_code == 302 and response.headers["Location"].endswith("#documents")
    page = get_page(officer, f"/staff/cases/{record.reference}")
    assert "Added 2 documents: EHC plan.pdf, photo.jpg" in page
    assert "EHC plan.pdf" in page and "photo.jpg" in page and "From the parent" in page
    assert "Received Monday 16 October 2034" in page
    assert "Document added" in page  # the timeline
    assert len(stored(app)) == 2


def test_htmx_answers_with_the_panel_and_the_timeline(app, signed_in):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    response = upload(officer, record, ("notes.txt", samples.text()), htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith('<section id="documents"') and "Added notes.txt" in body
    assert 'id="timeline"' in body and "hx-swap-oob" in body


@pytest.mark.parametrize("files, message", [
    ([("letter.pdf", samples.program())], "The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"),
    ([("empty.pdf", b"")], "The selected file is empty"),
    ([("Report.docx", samples.zip_bomb())],
     "The selected Word document could not be opened safely. Save it again, or save it as a PDF, and try again"),
    ([("../../x.pdf", samples.pdf())],
     "The selected file&#39;s name must not include a folder (a / or \\). Rename the file and try again"),
    ([("x\x01y.pdf", samples.pdf())],
     "The selected file&#39;s name must not include hidden characters. Rename the file and try again"),
    ([(f"{n}.txt", b"page\n") for n in range(6)], "You can send up to 5 files. Remove one or more files and try again"),
    ([], "Select a file"),
])
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_kept(app, signed_in, files, message):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    description = "What I typed stays"
    response = upload(officer, record, *files, **{"document-description": description})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error: " in page
    assert message in error_summary(page)
    assert description in page
    assert stored(app) == [] and db.session.scalars(select(Document)).all() == []
    response = upload(officer, record, *files, htmx=True)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_request_larger_than_a_submission_is_refused_before_it_is_read(app, signed_in):
    app.config["SUBMISSION_MAX_BYTES"] = 1024
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    # The body built in memory (the test client would spool one this large to a temporary
    # file that it never closes when the app refuses to read it).
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"version": str(record.version), "document-file": FileStorage(
        io.BytesIO(samples.pdf() + b"0" * (2 * 1024 * 1024)), "big.pdf")})
    response = officer.post(f"/staff/cases/{record.reference}/documents", input_stream=io.BytesIO(body),
                            content_type=f"multipart/form-data; boundary={boundary}", content_length=len(body))
    assert response.status_code == 413
    assert stored(app) == []


def test_text_sent_where_a_file_belongs_is_no_file(app, signed_in):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    response = officer.post(f"/staff/cases/{record.reference}/documents",
                            data={"version": str(record.version), "document-file": "not a file"})
    assert "Select a file" in error_summary(response.get_data(as_text=True))


def test_a_text_form_is_still_limited_to_a_small_request(app, signed_in):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    response = officer.post(f"/staff/cases/{record.reference}/notes",
                            data={"note": "x" * 200_000, "version": str(record.version)})
    assert response.status_code == 413


def _one_document(app, client, record, name="EHC plan.pdf", content=None):
    upload(client, record, (name, content if content is not None else samples.pdf()))
    return db.session.scalars(select(Document).order_by(Document.id.desc())).first()


def test_a_download_is_an_attachment_with_a_safe_name_and_is_audited(app, signed_in):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    document = _one_document(app, officer, record, "Clár <plan>.pdf")
    response = officer.get(f"/staff/cases/{record.reference}/documents/{document.public_id}")
    assert response.status_code == 200 and response.data == samples.pdf()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="Clar plan.pdf"' in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    # Nothing in it loads or runs, even if a browser shows it instead of saving it.
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    response.close()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "download")).one()
    assert entry.actor_id == officer.user.id and entry.entity_id == str(document.id)


def test_a_photo_downloads_without_its_location(app, signed_in):
    from PIL import Image

    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    document = _one_document(app, officer, record, "photo.jpg", samples.photo())
    response = officer.get(f"/staff/cases/{record.reference}/documents/{document.public_id}")
    data = response.data
    response.close()
    with Image.open(io.BytesIO(data)) as photo:
        assert not photo.getexif().get_ifd(samples.GPS_IFD) and photo.size == (64, 48)


def test_only_someone_who_may_see_the_case_downloads_and_only_by_its_own_case(app, signed_in, make_user):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    other = factories.initial_contact()
    document = _one_document(app, officer, record)
    url = f"/staff/cases/{record.reference}/documents/{document.public_id}"
    assert signed_in("investigating_officer").get(url).status_code == 404  # not their case
    assert signed_in("report_viewer").get(url).status_code == 403
    assert officer.get(f"/staff/cases/{other.reference}/documents/{document.public_id}").status_code == 404
    assert officer.get(f"/staff/cases/{record.reference}/documents/{document.id}").status_code == 404
    assert app.test_client().get(url).status_code in (302, 401)


def test_a_manager_removes_a_document_with_a_reason_and_an_officer_cannot(app, signed_in, get_page):
    officer = signed_in("feedback_officer")
    manager = signed_in("feedback_manager")
    record = factories.initial_contact()
    document = _one_document(app, officer, record)
    url = f"/staff/cases/{record.reference}/documents/{document.public_id}/remove"
    prefix = f"remove-{document.public_id}-"
    assert officer.post(url, data={prefix + "reason": "x", "version": str(record.version)}).status_code == 403
    response = manager.post(url, data={prefix + "reason": "", "version": str(record.version)})
    assert "Enter why the document is being removed" in error_summary(response.get_data(as_text=True))
    response = manager.post(url, data={prefix + "reason": "Sent to the wrong case", "version": str(record.version)})
    assert response.status_code == 302
    assert stored(app) == []
    page = get_page(officer, f"/staff/cases/{record.reference}")
    assert "No documents yet." in page and "Sent to the wrong case" in page  # on the timeline


def test_describing_a_document(app, signed_in):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    document = _one_document(app, officer, record)
    # An id that ends in "_" (one in 64 do): WTForms adds no "-" after such a prefix of its own.
    document.public_id = document.public_id[:-1] + "_"
    db.session.commit()
    prefix = f"describe-{document.public_id}-"
    response = officer.post(f"/staff/cases/{record.reference}/documents/{document.public_id}/describe", data={
        prefix + "description": "Posted letter", prefix + "received_on": ["2", "10", "2034"],
        "version": str(record.version)})
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.description == "Posted letter" and document.received_on.isoformat() == "2034-10-02"


@pytest.fixture
def scanned(app, clamd):
    app.config["CLAMD_SOCKET"] = clamd.socket


def test_the_eicar_file_goes_to_the_quarantine_that_only_a_manager_sees(app, scanned, signed_in, get_page):
    officer = signed_in("feedback_officer")
    manager = signed_in("feedback_manager")
    record = factories.initial_contact()
    response = upload(officer, record, ("eicar.txt", eicar()))
    assert response.status_code == 302
    page = get_page(officer, f"/staff/cases/{record.reference}")
    assert "A virus was found in eicar.txt: it is in the quarantine and cannot be downloaded" in page
    document = db.session.scalars(select(Document)).one()
    assert document.public_id not in page.replace("Added eicar.txt", "")
    assert officer.get(f"/staff/cases/{record.reference}/documents/{document.public_id}").status_code == 404
    assert officer.get("/staff/documents/quarantine").status_code == 403
    quarantine = get_page(manager, "/staff/documents/quarantine")
    assert "eicar.txt" in quarantine and "Portal-Test-EICAR" in quarantine
    # Had it come with a public form, the page would say so in the middle of its sentence.
    document.added_by_id, document.added_by_label = None, "The person who sent it"
    db.session.commit()
    assert " by the person who sent it" in get_page(manager, "/staff/documents/quarantine")
    page = get_page(manager, f"/staff/cases/{record.reference}")
    assert "Quarantine" in page and f"documents/{document.public_id}\"" not in page
    response = manager.get(f"/staff/cases/{record.reference}/documents/{document.public_id}")
    assert response.status_code == 302  # refused: nobody downloads it


def test_a_bundle_is_a_zip_of_the_chosen_documents_with_an_index_in_date_order(app, signed_in, get_page):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    later = _one_document(app, officer, record, "later.pdf")
    upload(officer, record, ("earlier.txt", samples.text()), **{"document-received_on": ["1", "9", "2034"]})
    earlier = db.session.scalars(select(Document).where(Document.safe_name == "earlier.txt")).one()
    skipped = _one_document(app, officer, record, "not chosen.txt", b"not chosen\n")
    page = get_page(officer, f"/staff/cases/{record.reference}/bundle")
    assert "not chosen.txt" in page
    response = officer.post(f"/staff/cases/{record.reference}/bundle",
                            data={"kind": "ombudsman", "chosen": [later.public_id, earlier.public_id]})
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(response.data)) as bundle:
        assert bundle.namelist() == ["00 index.pdf", "documents/01 earlier.txt", "documents/02 later.pdf"]
        assert bundle.read("documents/02 later.pdf") == samples.pdf()
        index = bundle.read("00 index.pdf")
    response.close()
    assert is_tagged(index)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=index, capture_output=True, check=True).stdout.decode()
    assert "Ombudsman bundle" in text and record.reference in text
    listed = text[:text.index("Timeline of the case")]
    assert listed.index("earlier.txt") < listed.index("later.pdf") and "not chosen" not in listed
    assert "Timeline of the case" in text and "Document added" in text
    assert skipped.public_id not in response.headers["Content-Disposition"]
    response = officer.post(f"/staff/cases/{record.reference}/bundle", data={"kind": "stage2"})
    assert "Select at least one document" in error_summary(response.get_data(as_text=True))


def test_the_panel_says_who_added_each_document_once(app, signed_in, get_page):
    """A file the person sent reads "Sent by the person.", not "Sent by the person (The
    person who sent it)."; a member of staff's file names them."""
    from portal.services.files import documents
    from portal.services.files.documents import FileSettings, Upload

    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    documents.add_documents(db.session(), record, [Upload(io.BytesIO(samples.pdf()), "EHC plan.pdf")],
                            FileSettings.from_app(app), by=None, source="public")
    db.session.commit()
    _one_document(app, officer, record, "notes.txt", samples.text())
    page = get_page(officer, f"/staff/cases/{record.reference}")
    assert "Sent by the person." in page and "The person who sent it)" not in page
    assert f"Added by staff ({officer.user.name})." in page


def test_after_a_purge_the_panel_says_where_the_documents_went(app, signed_in, get_page):
    """Not "No documents yet." on a case whose files the purge deleted."""
    from datetime import date

    from portal.services.data_protection import purge

    officer = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2024, 1, 8), outcome="resolved",
                                       outcome_on=date(2024, 1, 10), status="closed")
    _one_document(app, officer, record)
    purge.run(date(2031, 1, 1), actor="test")
    db.session.commit()
    page = get_page(officer, f"/staff/cases/{record.reference}")
    assert "No documents yet." not in page
    assert "No documents. Any documents the case had were deleted when its personal data was removed on" in page
    # Nor does it take new ones: no purge would remove them (a purge never runs twice).
    assert "Add documents" not in page
    db.session.refresh(record)
    refused = upload(officer, record, ("late.txt", b"late\n"))
    assert refused.status_code == 200
    assert "This case&#39;s personal data was removed, so it takes no new documents" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Document).where(Document.feedback_id == record.id)).all() == []


def test_the_case_page_has_the_documents_panel_with_unique_ids(app, signed_in, get_page):
    officer = signed_in("feedback_officer")
    record = factories.complaint()
    _one_document(app, officer, record)
    _one_document(app, officer, record, "second.txt", b"second\n")
    page = get_page(officer, f"/staff/cases/{record.reference}")  # get_page checks every id is unique
    assert 'id="documents"' in page and "Stage 1, element 1" in page


def test_files_sent_in_every_field_are_refused_and_never_a_server_error(app, signed_in):
    officer = signed_in("feedback_officer")
    record = factories.initial_contact()
    fields = ("version", "document-description", "document-received_on", "document-attached_to", "document-file")
    response = officer.post(f"/staff/cases/{record.reference}/documents", content_type="multipart/form-data",
                            data={name: (io.BytesIO(b"\x00\xff a file"), "evil.txt") for name in fields})
    assert response.status_code == 200
    summary = error_summary(response.get_data(as_text=True))
    assert "The description must be typed in, not sent as a file" in summary
    assert stored(app) == []
