"""The case file and data protection (docs/case-file.md, "Data protection"): a purge
deletes the files with their records, on disk too; a legal hold keeps them; erasure
removes them; a subject access release lists and includes the files the person sent,
unless their name is redacted on the copy."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Document, SubjectAccessRequest
from portal.services.data_protection import holds, purge, subject_access
from portal.services.files import documents
from portal.services.files.documents import FileSettings, Upload
from tests import factories
from tests.files import samples

LONG_AFTER = date(2031, 1, 1)


@pytest.fixture
def settings(app):
    return FileSettings.from_app(app)


def on_disk(settings) -> list[str]:
    root = settings.store.root
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def closed_case(**fields):
    return factories.initial_contact(received_on=date(2024, 1, 8), outcome="resolved",
                                     outcome_on=date(2024, 1, 10), status="closed", **fields)


def add(record, settings, *files, source="public"):
    added = documents.add_documents(db.session(), record, [Upload(io.BytesIO(c), n) for n, c in files],
                                    settings, by=None, source=source)
    db.session.commit()
    return added


def test_a_retention_purge_leaves_no_file_behind(settings):
    record = closed_case()
    add(record, settings, ("EHC plan.pdf", samples.pdf()), ("photo.jpg", samples.photo()))
    assert len(on_disk(settings)) == 2
    purge.run(LONG_AFTER, actor="test")
    db.session.commit()
    assert on_disk(settings) == []
    assert db.session.scalars(select(Document)).all() == []
    assert record.purged_at is not None
    # The audit trail of the documents keeps what happened, not the names.
    text = json.dumps([[e.old, e.new] for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "document"))])
    assert "EHC plan" not in text and "photo.jpg" not in text


def test_a_purge_that_rolls_back_keeps_the_files(settings):
    record = closed_case()
    add(record, settings, ("EHC plan.pdf", samples.pdf()))
    purge.run(LONG_AFTER, actor="test")
    db.session.rollback()
    assert len(on_disk(settings)) == 1 and len(record.documents) == 1


def test_a_legal_hold_keeps_the_files(settings):
    record = closed_case()
    add(record, settings, ("EHC plan.pdf", samples.pdf()))
    holds.place("Court proceedings", None, feedback=record)
    db.session.commit()
    purge.run(LONG_AFTER, actor="test")
    db.session.commit()
    assert len(on_disk(settings)) == 1 and len(record.documents) == 1


def test_erasure_removes_the_persons_files(settings):
    record = factories.initial_contact()
    add(record, settings, ("letter.pdf", samples.pdf()))
    purge.erase_person(record.person, actor="test")
    db.session.commit()
    assert on_disk(settings) == [] and db.session.scalars(select(Document)).all() == []


def test_a_file_another_case_holds_stays_when_one_case_is_purged(settings):
    purged = closed_case()
    kept = factories.initial_contact()
    add(purged, settings, ("letter.pdf", samples.pdf()))
    add(kept, settings, ("same letter.pdf", samples.pdf()))
    purge.run(LONG_AFTER, actor="test")
    db.session.commit()
    assert on_disk(settings) == [kept.documents[0].storage_key]


def test_a_release_lists_and_includes_the_files_the_person_sent(app, settings):
    record = factories.initial_contact()
    [sent] = add(record, settings, ("my letter.pdf", samples.pdf()))
    add(record, settings, ("school report.txt", samples.text()), source="staff")  # not theirs
    request = subject_access.open_request(record.person, date(2034, 10, 18), None, date(2034, 10, 18))
    db.session.flush()
    subject_access.prepare(request, [], date(2034, 10, 18))
    [listed] = request.release["records"][0]["documents"]
    assert listed["file_name"] == "my letter.pdf" and listed["sha256"] == sent.sha256
    with zipfile.ZipFile(io.BytesIO(subject_access.release_zip(request, "Trust"))) as release:
        names = release.namelist()
        assert names == ["release.pdf", "release.json", f"files/{record.reference}/01 my letter.pdf"]
        assert release.read(names[2]) == samples.pdf()


def test_a_file_whose_name_is_redacted_is_left_out_of_the_release(app, settings):
    record = factories.initial_contact()
    add(record, settings, ("about my neighbour.pdf", samples.pdf()))
    request = subject_access.open_request(record.person, date(2034, 10, 18), None, date(2034, 10, 18))
    db.session.flush()
    path = next(f.path for f in subject_access.fields(subject_access.build_copy(record.person, request))
                if f.path.endswith("file_name"))
    subject_access.prepare(request, [path], date(2034, 10, 18))
    assert subject_access.release_files(request) == []
    with zipfile.ZipFile(io.BytesIO(subject_access.release_zip(request, "Trust"))) as release:
        assert release.namelist() == ["release.pdf", "release.json"]
    assert len(record.documents) == 1  # the record itself never changes
    assert isinstance(request, SubjectAccessRequest)
