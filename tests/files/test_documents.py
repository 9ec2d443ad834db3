"""The documents on a case (portal/services/files/documents.py): added whole or not at
all, scanned, in the quarantine when they must be, described, removed by a feedback
manager with a reason, downloaded with an entry in the audit trail."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Document
from portal.services.common.dates import today
from portal.services.common.errors import EditConflict, Refused
from portal.services.common.labels import ScanStatus
from portal.services.files import documents
from portal.services.files.documents import FileSettings, Upload
from portal.services.files.scanning import Scanner
from tests import factories
from tests.clamd import eicar
from tests.files import samples


@pytest.fixture
def settings(app):
    return FileSettings.from_app(app)


@pytest.fixture
def officer(app):
    return factories.staff("feedback_officer")


@pytest.fixture
def manager(app):
    return factories.staff("feedback_manager")


def stored(settings) -> list[str]:
    return sorted(settings.store.keys())


def leftovers(settings) -> list:
    return list(settings.workdir.iterdir()) if settings.workdir.exists() else []


def add(record, settings, officer, *files, **kw):
    uploads = [Upload(io.BytesIO(content), name) for name, content in files]
    documents_added = documents.add_documents(db.session(), record, uploads, settings, by=officer, **kw)
    db.session.commit()
    return documents_added


def test_a_document_is_added_with_its_metadata_and_on_the_timeline(settings, officer):
    record = factories.initial_contact()
    received = today() - timedelta(days=3)
    [document] = add(record, settings, officer, ("EHC plan.pdf", samples.pdf()),
                     description="The EHC plan", received_on=received, version=record.version)
    assert document.feedback is record and document.kind == "pdf" and document.content_type == "application/pdf"
    assert document.size_bytes == len(samples.pdf()) and document.received_on == received
    assert document.added_by is officer and document.source == "staff" and document.description == "The EHC plan"
    assert document.scan_status == ScanStatus.NOT_SCANNED  # no scanner set up in tests
    assert len(document.public_id) >= 32
    assert stored(settings) == [document.sha256] == [document.storage_key]
    assert leftovers(settings) == []
    event = record.timeline[-1]
    assert event.kind == "document_added" and event.text == f"EHC plan.pdf ({len(samples.pdf())} bytes)"
    assert event.staff_user is officer


def test_five_files_at_once(settings, officer):
    record = factories.initial_contact()
    files = [(f"page {n}.txt", f"Page {n}\n".encode()) for n in range(5)]
    assert len(add(record, settings, officer, *files)) == 5
    assert len(stored(settings)) == 5


def test_six_files_are_refused_and_none_is_kept(settings, officer):
    record = factories.initial_contact()
    files = [(f"page {n}.txt", f"Page {n}\n".encode()) for n in range(6)]
    with pytest.raises(Refused) as refused:
        add(record, settings, officer, *files)
    assert refused.value.message == "You can send up to 5 files. Remove one or more files and try again"
    db.session.rollback()
    assert stored(settings) == [] and db.session.scalars(select(Document)).all() == []


@pytest.mark.parametrize("bad, message", [
    (("letter.pdf", samples.program()),
     "‘letter.pdf’ must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"),
    (("empty.pdf", b""), "‘empty.pdf’ is empty"),
    (("Report.docx", samples.zip_bomb()),
     "‘Report.docx’ could not be opened safely. Save it again, or save it as a PDF, and try again"),
    (("../../secret.pdf", samples.pdf()),
     "The selected file's name must not include a folder (a / or \\). Rename the file and try again"),
    (("bad\x07name.pdf", samples.pdf()),
     "The selected file's name must not include hidden characters. Rename the file and try again"),
])
def test_one_bad_file_refuses_the_upload_and_nothing_is_half_stored(bad, message, settings, officer):
    record = factories.initial_contact()
    with pytest.raises(Refused) as refused:
        add(record, settings, officer, ("good.pdf", samples.pdf()), bad)
    assert refused.value.message == message and refused.value.field == "file"
    db.session.rollback()
    assert stored(settings) == [] and leftovers(settings) == []
    assert db.session.scalars(select(Document)).all() == []


def test_an_oversized_file_is_refused(app, officer):
    app.config["FILE_MAX_BYTES"] = 1024
    settings = FileSettings.from_app(app)
    with pytest.raises(Refused) as refused:
        add(factories.initial_contact(), settings, officer, ("big.pdf", samples.pdf() + b"0" * 2000))
    assert refused.value.message == "The selected file must be smaller than 1KB"
    assert stored(settings) == []


def test_the_files_of_one_upload_have_a_limit_in_all(app, officer):
    app.config["SUBMISSION_MAX_BYTES"] = 2 * 1024 * 1024
    settings = FileSettings.from_app(app)
    big = samples.pdf() + b"0" * (1024 * 1024)
    with pytest.raises(Refused) as refused:
        add(factories.initial_contact(), settings, officer, ("a.pdf", big), ("b.pdf", big + b"1"))
    assert refused.value.message == "The selected files must be smaller than 2MB in total"
    db.session.rollback()
    assert stored(settings) == [] and leftovers(settings) == []


def test_a_date_received_in_the_future_is_refused(settings, officer):
    with pytest.raises(Refused) as refused:
        add(factories.initial_contact(), settings, officer, ("a.pdf", samples.pdf()),
            received_on=today() + timedelta(days=1))
    assert refused.value.field == "received_on"
    assert stored(settings) == []


def test_a_page_older_than_the_record_is_a_conflict(settings, officer):
    record = factories.initial_contact()
    with pytest.raises(EditConflict):
        add(record, settings, officer, ("a.pdf", samples.pdf()), version=record.version - 1)
    db.session.rollback()
    assert stored(settings) == []


def test_a_rollback_after_adding_leaves_no_file(settings, officer):
    record = factories.initial_contact()
    documents.add_documents(db.session(), record, [Upload(io.BytesIO(samples.pdf()), "a.pdf")], settings, by=officer)
    assert len(stored(settings)) == 1
    db.session.rollback()
    assert stored(settings) == []


def test_it_can_be_attached_to_a_stage_of_the_case_only(settings, officer):
    record = factories.complaint()
    other = factories.complaint()
    stage = documents.attachment_of(record, "stage", record.stages[0].id)
    [document] = add(record, settings, officer, ("a.pdf", samples.pdf()), attached_to=stage)
    assert document.stage is record.stages[0]
    element = documents.attachment_of(record, "element", record.stages[0].elements[0].id)
    assert element is record.stages[0].elements[0]
    for kind, item_id in (("stage", other.stages[0].id), ("element", other.stages[0].elements[0].id),
                          ("stage", "x"), ("nonsense", 1), ("ombudsman", 99999)):
        with pytest.raises(Refused) as refused:
            documents.attachment_of(record, kind, item_id)
        assert refused.value.field == "attached_to"
    assert documents.attachment_of(record, "case", None) is None


@pytest.fixture
def scanning(app, clamd):
    app.config["CLAMD_SOCKET"] = clamd.socket
    return FileSettings.from_app(app)


def test_a_clean_file_is_scanned_and_shown(scanning, officer, manager):
    record = factories.initial_contact()
    [document] = add(record, scanning, officer, ("a.pdf", samples.pdf()))
    assert document.scan_status == ScanStatus.CLEAN and document.scanned_at is not None
    assert documents.documents_of(record, officer) == [document]


def test_an_infected_file_goes_to_the_quarantine_that_only_a_manager_sees(scanning, officer, manager):
    record = factories.initial_contact()
    [document] = add(record, scanning, officer, ("eicar.txt", eicar()))
    assert document.scan_status == ScanStatus.INFECTED and document.quarantined
    assert document.scan_result.startswith("Portal-Test-EICAR")
    assert documents.documents_of(record, officer) == []
    assert documents.documents_of(record, manager) == [document]
    assert documents.quarantine(db.session()) == [document]
    assert "a virus was found" in record.timeline[-1].text
    with pytest.raises(Refused):
        documents.open_for_download(db.session(), document, manager, scanning.store)


def test_with_the_scanner_down_the_file_waits_and_the_worker_scans_it_again(app, clamd, officer, tmp_path):
    app.config["CLAMD_SOCKET"] = str(tmp_path / "down.sock")
    down = FileSettings.from_app(app)
    record = factories.initial_contact()
    [clean, infected] = add(record, down, officer, ("a.pdf", samples.pdf()), ("b.txt", eicar()))
    assert clean.scan_status == infected.scan_status == ScanStatus.WAITING
    assert documents.documents_of(record, officer) == []

    assert documents.rescan_waiting(db.session(), down).still_waiting == 2
    app.config["CLAMD_SOCKET"] = clamd.socket
    summary = documents.rescan_waiting(db.session(), FileSettings.from_app(app))
    db.session.commit()
    assert (summary.clean, summary.infected, summary.still_waiting) == (1, 1, 0)
    assert clean.scan_status == ScanStatus.CLEAN and infected.scan_status == ScanStatus.INFECTED
    assert clean.scan_attempts == 3
    assert documents.documents_of(record, officer) == [clean]


def test_a_manager_removes_a_document_with_a_reason(settings, officer, manager):
    record = factories.initial_contact()
    [document] = add(record, settings, officer, ("a.pdf", samples.pdf()))
    with pytest.raises(Refused):
        documents.remove_document(db.session(), document, by=officer, reason="Sent in error")
    with pytest.raises(Refused) as refused:
        documents.remove_document(db.session(), document, by=manager, reason="  ")
    assert refused.value.field == "reason"
    documents.remove_document(db.session(), document, by=manager, reason="Sent to the wrong case")
    assert stored(settings) == [document.sha256], "deleted only once committed"
    db.session.commit()
    assert stored(settings) == []
    assert document.removed_by is manager and document.removed_reason == "Sent to the wrong case"
    assert documents.documents_of(record, manager) == []
    assert record.timeline[-1].text == "a.pdf, because: Sent to the wrong case"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "document",
                                                        AuditEntry.action == "update")).one()
    assert entry.new["removed_reason"] == "Sent to the wrong case"


def test_content_another_document_holds_is_kept_when_one_is_removed(settings, officer, manager):
    record = factories.initial_contact()
    [first] = add(record, settings, officer, ("a.pdf", samples.pdf()))
    [second] = add(record, settings, officer, ("copy.pdf", samples.pdf()))
    documents.remove_document(db.session(), first, by=manager, reason="A copy")
    db.session.commit()
    assert stored(settings) == [second.storage_key]


def test_describing_a_document(settings, officer):
    record = factories.initial_contact()
    [document] = add(record, settings, officer, ("scan.pdf", samples.pdf()))
    day = today() - timedelta(days=10)
    documents.describe_document(db.session(), document, by=officer, description="Posted letter",
                                received_on=day, version=record.version)
    db.session.commit()
    assert document.description == "Posted letter" and document.received_on == day
    with pytest.raises(Refused):
        documents.describe_document(db.session(), document, by=officer, description="x" * 2001, received_on=None)


def test_a_download_is_in_the_audit_trail(settings, officer):
    record = factories.initial_contact()
    [document] = add(record, settings, officer, ("a.pdf", samples.pdf()))
    with documents.open_for_download(db.session(), document, officer, settings.store) as content:
        assert content.read() == samples.pdf()
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "download")).one()
    assert entry.actor_id == officer.id and entry.entity_id == str(document.id)
    assert entry.new == {"case": record.reference, "name": "a.pdf"}


def test_the_purge_of_a_record_deletes_its_files(settings, officer):
    record = factories.initial_contact()
    add(record, settings, officer, ("a.pdf", samples.pdf()), ("b.txt", samples.text()))
    assert documents.purge_documents(db.session(), record, settings.store) == 2
    db.session.commit()
    assert stored(settings) == [] and db.session.scalars(select(Document)).all() == []


def test_an_unguessable_id_finds_a_document_and_nothing_else_does(settings, officer):
    [document] = add(factories.initial_contact(), settings, officer, ("a.pdf", samples.pdf()))
    assert documents.find(document.public_id) is document
    # One character changed (never to itself: an id may end in "x").
    changed = document.public_id[:-1] + ("y" if document.public_id.endswith("x") else "x")
    for other in (str(document.id), "", changed, "x" * 500):
        assert documents.find(other) is None


def test_sizes_in_words():
    assert documents.size_in_words(228) == "228 bytes"
    assert documents.size_in_words(1536) == "1.5 KB"
    assert documents.size_in_words(10 * 1024 * 1024) == "10 MB"
