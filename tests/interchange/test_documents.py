"""The interchange format's version 2 (issue 17; docs/interchange.md, "Version 2: with
documents"): a zip with version 1's lines and the case file. Export, import into an empty
database and export again give the same bytes; version 1 is untouched; every bad archive
is refused with its line and field, importing nothing and leaving no file behind."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from portal.extensions import db
from portal.models import Document, Element, Feedback, OmbudsmanEnquiry, Stage
from portal.services.files import documents, storage
from portal.services.files.documents import FileSettings
from portal.services.interchange import import_file
from portal.services.interchange.documents import SCHEMA_PATH, write_archive
from tests import files_made
from tests.conftest import _empty_tables
from tests.interchange.conftest import FULL, export_text


def stored_files(app) -> list[str]:
    root = Path(app.config["FILE_STORAGE_URL"].removeprefix("file://"))
    return sorted(p.name for p in root.rglob("*") if p.is_file() and len(p.name) == 64)


def record(reference: str) -> Feedback:
    return db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()


def add(reference: str, content: bytes, name: str, **kw) -> Document:
    return documents.add_document(db.session, record(reference), io.BytesIO(content), name, by=None,
                                  settings=FileSettings.from_app(), **kw)


def add_the_case_files() -> None:
    """Documents as the portal makes them: on a case, a stage, an element and an enquiry;
    the same letter on two records; a photo (its location removed)."""
    seven = record("CF-2023-00007")
    stage_two = next(s for s in seven.stages if s.number == 2)
    element = db.session.scalars(select(Element).where(Element.stage_id == stage_two.id, Element.number == 2)).one()
    enquiry = db.session.scalars(select(OmbudsmanEnquiry).where(OmbudsmanEnquiry.reference == "23 004 002")).one()
    add("CF-2023-00007", files_made.pdf("Stage 2 report"), "Stage 2 report.pdf", attached_to=stage_two,
        description="The Investigating Officer's report", received_on=date(2023, 7, 3))
    add("CF-2023-00007", files_made.word_document(), "Meeting notes.docx", attached_to=element)
    add("CF-2023-00009", files_made.pdf("Letter"), "Letter to the Ombudsman.pdf", attached_to=enquiry)
    add("CF-2023-00001", files_made.photo_with_location(), "thank you card.jpg", source="public")
    add("CF-2023-00013", files_made.pdf("Letter"), "the same letter.pdf")
    add("CF-2023-00013", files_made.text_file("Ünïcode notes ✓\n"), "notes.txt", source="email")
    db.session.commit()


def archive_bytes() -> bytes:
    out = io.BytesIO()
    write_archive(out)
    return out.getvalue()


def read_archive(data: bytes) -> tuple[list[str], list[dict], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        lines = [json.loads(line) for line in archive.read("records.jsonl").decode("utf-8").splitlines()]
        files = {n.removeprefix("files/"): archive.read(n) for n in names if n.startswith("files/")}
    return names, lines, files


def test_the_archive_holds_version_1_lines_unchanged_then_the_documents_and_their_files(app):
    assert import_file(FULL).ok
    add_the_case_files()
    version_1 = export_text()
    data = archive_bytes()
    names, lines, files = read_archive(data)
    assert names[:2] == ["interchange.json", "records.jsonl"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read("interchange.json")) == {"format": "feedback-interchange", "version": 2}
        text = archive.read("records.jsonl").decode("utf-8")
    assert text.startswith(version_1)  # every version 1 line, byte for byte

    document_lines = [line for line in lines if line["type"] == "document"]
    assert [(d["reference"], d["name"]) for d in document_lines] == [
        ("CF-2023-00001", "thank you card.jpg"),
        ("CF-2023-00007", "Stage 2 report.pdf"),
        ("CF-2023-00007", "Meeting notes.docx"),
        ("CF-2023-00009", "Letter to the Ombudsman.pdf"),
        ("CF-2023-00013", "the same letter.pdf"),
        ("CF-2023-00013", "notes.txt"),
    ]
    by_name = {d["name"]: d for d in document_lines}
    assert by_name["Stage 2 report.pdf"]["attached_to"] == {"stage": 2}
    assert by_name["Stage 2 report.pdf"]["received_on"] == "2023-07-03"
    assert by_name["Stage 2 report.pdf"]["description"] == "The Investigating Officer's report"
    assert by_name["Meeting notes.docx"]["attached_to"] == {"stage": 2, "element": 2}
    assert by_name["Letter to the Ombudsman.pdf"]["attached_to"] == {"ombudsman": "23 004 002"}
    assert by_name["thank you card.jpg"]["metadata_removed"] is True
    assert by_name["notes.txt"]["source"] == "email"
    schema = Draft202012Validator(json.loads(SCHEMA_PATH.read_text()),
                                  format_checker=Draft202012Validator.FORMAT_CHECKER)
    for line in document_lines:
        schema.validate(line)
        assert list(line) == [k for k in ("type", "reference", "sha256", "name", "kind", "size", "source",
                                          "received_on", "added_at", "added_by", "description", "attached_to",
                                          "metadata_removed") if k in line]
    # One file for one content: the same letter on two records is stored once.
    assert len(files) == 5
    for sha256, content in files.items():
        assert hashlib.sha256(content).hexdigest() == sha256
    assert files_made.location_of(files[by_name["thank you card.jpg"]["sha256"]]) == {}


def test_export_import_into_an_empty_database_and_export_again_give_identical_archives(app, tmp_path):
    assert import_file(FULL).ok
    add_the_case_files()
    first = tmp_path / "first.zip"
    first.write_bytes(archive_bytes())

    db.session.remove()
    _empty_tables(app)
    # A new portal's empty file store: the files must come from the archive.
    app.config["FILE_STORAGE_URL"] = f"file://{tmp_path / 'new files'}"
    app.extensions.pop("file_store", None)
    summary = import_file(first)
    assert summary.ok, summary.errors
    assert (summary.imported, summary.documents_imported) == (13, 6)
    assert archive_bytes() == first.read_bytes()
    assert len(stored_files(app)) == 5
    assert "Documents imported: 6" in summary.report()


def test_an_imported_document_is_attached_as_the_line_says_and_dated_as_it_says(app, tmp_path):
    assert import_file(FULL).ok
    add_the_case_files()
    data = archive_bytes()
    db.session.remove()
    _empty_tables(app)
    path = tmp_path / "case files.zip"
    path.write_bytes(data)
    assert import_file(path).ok
    report = db.session.scalars(select(Document).where(Document.original_name == "Stage 2 report.pdf")).one()
    assert report.stage.number == 2 and report.feedback.reference == "CF-2023-00007"
    assert report.received_on == date(2023, 7, 3)
    assert report.safe_name == "Stage 2 report.pdf" and report.content_type == "application/pdf"
    notes = db.session.scalars(select(Document).where(Document.original_name == "Meeting notes.docx")).one()
    assert (notes.element.stage.number, notes.element.number) == (2, 2)


def test_a_version_1_file_imports_exactly_as_before(app):
    summary = import_file(FULL)
    assert summary.ok and not summary.archive
    assert "documents_imported" not in summary.counts()
    assert not any(line.startswith("Documents") for line in summary.report())
    assert export_text() == FULL.read_text(encoding="utf-8")


def test_a_document_line_in_a_version_1_file_is_refused_as_an_unknown_type(app, tmp_path):
    path = tmp_path / "v1.jsonl"
    path.write_text(FULL.read_text(encoding="utf-8") + json.dumps({
        "type": "document", "reference": "CF-2023-00001", "sha256": "0" * 64, "name": "a.pdf", "kind": "pdf",
        "size": 1, "source": "staff", "received_on": "2023-05-01", "added_at": "2023-05-01T10:00:00Z"}) + "\n")
    summary = import_file(path)
    assert not summary.ok
    assert db.session.query(Feedback).count() == 0


# --- Bad archives: every problem reported, nothing imported, no file left behind ---------------


def _archive(tmp_path, documents_lines: list[dict], files: dict[str, bytes], extra: dict | None = None,
             records_first: bool = True, name: str = "bad.zip") -> Path:
    records = FULL.read_text(encoding="utf-8")
    docs = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents_lines)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("interchange.json", json.dumps({"format": "feedback-interchange", "version": 2}))
        archive.writestr("records.jsonl", records + docs if records_first else docs + records)
        for sha256, content in files.items():
            archive.writestr(f"files/{sha256}", content)
        for entry, content in (extra or {}).items():
            archive.writestr(entry, content)
    return path


def _line(content: bytes, **changes) -> dict:
    line = {"type": "document", "reference": "CF-2023-00007", "sha256": hashlib.sha256(content).hexdigest(),
            "name": "letter.pdf", "kind": "pdf", "size": len(content), "source": "staff",
            "received_on": "2023-05-01", "added_at": "2023-05-01T10:00:00Z"}
    line.update(changes)
    return line


LETTER = files_made.pdf("A letter")
FIRST_DOCUMENT_LINE = 17  # after the 13 feedback records and 3 restrictions of full.jsonl


@pytest.mark.parametrize("line, files, where, says", [
    (_line(LETTER), {}, "sha256", "is not in the archive"),
    (_line(LETTER, size=len(LETTER) + 1), {hashlib.sha256(LETTER).hexdigest(): LETTER}, "size", "bytes"),
    (_line(LETTER, reference="CF-2099-00001"), {hashlib.sha256(LETTER).hexdigest(): LETTER}, "reference",
     "is not a feedback record of this file"),
    (_line(LETTER, attached_to={"stage": 3}), {hashlib.sha256(LETTER).hexdigest(): LETTER}, "attached_to",
     "is not part of CF-2023-00007"),
    (_line(LETTER, attached_to={"stage": 2, "element": 9}), {hashlib.sha256(LETTER).hexdigest(): LETTER},
     "attached_to", "is not part of"),
    (_line(LETTER, kind="docx"), {hashlib.sha256(LETTER).hexdigest(): LETTER}, "kind", "is 'pdf'"),
    (_line(files_made.program(), name="letter.pdf"),
     {hashlib.sha256(files_made.program()).hexdigest(): files_made.program()}, "sha256", "must be a PDF"),
    (_line(LETTER, colour="blue"), {hashlib.sha256(LETTER).hexdigest(): LETTER}, "", "Additional properties"),
    (_line(LETTER, added_at="2023-05-01 10:00"), {hashlib.sha256(LETTER).hexdigest(): LETTER}, "added_at", ""),
])
def test_a_bad_document_line_is_reported_with_its_line_and_field_and_nothing_is_imported(
        app, tmp_path, line, files, where, says):
    summary = import_file(_archive(tmp_path, [line], files))
    assert not summary.ok
    assert [(e.line, e.field) for e in summary.errors] == [(FIRST_DOCUMENT_LINE, where)]
    assert says in summary.errors[0].message
    assert db.session.query(Feedback).count() == 0 and db.session.query(Document).count() == 0
    assert stored_files(app) == []


def test_a_file_whose_content_is_not_its_name_is_refused(app, tmp_path):
    forged = {"0" * 64: LETTER}
    summary = import_file(_archive(tmp_path, [_line(LETTER, sha256="0" * 64)], forged))
    assert [(e.field, e.message.split(" has ")[1][:12]) for e in summary.errors] == [("sha256", "another SHA-")]


def test_documents_before_the_records_are_refused(app, tmp_path):
    content = {hashlib.sha256(LETTER).hexdigest(): LETTER}
    summary = import_file(_archive(tmp_path, [_line(LETTER)], content, records_first=False))
    assert not summary.ok
    assert summary.errors[0].line == 1  # the record it names is not yet in the file
    assert any("must come before every document line" in e.message for e in summary.errors)


@pytest.mark.parametrize("extra, says", [
    ({"../evil": b"x"}, "an entry the format does not allow"),
    ({"files/not-a-hash": b"x"}, "an entry the format does not allow"),
    ({"interchange.json": b"{}"}, None),
])
def test_an_archive_with_anything_else_in_it_is_refused(app, tmp_path, extra, says):
    if "interchange.json" in extra:
        path = tmp_path / "wrong format.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("interchange.json", json.dumps({"format": "feedback-interchange", "version": 3}))
            archive.writestr("records.jsonl", FULL.read_text(encoding="utf-8"))
        says = "must say"
    else:
        path = _archive(tmp_path, [], {}, extra)
    summary = import_file(path)
    assert not summary.ok and says in summary.errors[0].message
    assert db.session.query(Feedback).count() == 0


def test_a_documents_import_rolled_back_leaves_no_file_behind(app, tmp_path):
    good = {hashlib.sha256(LETTER).hexdigest(): LETTER}
    lines = [_line(LETTER), _line(LETTER, reference="CF-2023-00008", attached_to={"stage": 9})]
    summary = import_file(_archive(tmp_path, lines, good))
    assert not summary.ok
    assert stored_files(app) == []


def test_a_dry_run_keeps_neither_rows_nor_files(app, tmp_path):
    good = {hashlib.sha256(LETTER).hexdigest(): LETTER}
    summary = import_file(_archive(tmp_path, [_line(LETTER)], good), dry_run=True)
    assert summary.ok and summary.documents_imported == 1
    assert "Documents would be imported: 1" in summary.report()
    assert db.session.query(Document).count() == 0
    assert stored_files(app) == []


def test_documents_of_a_record_skipped_are_skipped_and_with_update_none_is_added_twice(app, tmp_path):
    good = {hashlib.sha256(LETTER).hexdigest(): LETTER}
    path = _archive(tmp_path, [_line(LETTER)], good)
    assert import_file(path).documents_imported == 1
    again = import_file(path)
    assert (again.skipped, again.documents_imported, again.documents_skipped) == (13, 0, 1)
    updated = import_file(path, update=True)
    assert (updated.replaced, updated.documents_imported, updated.documents_skipped) == (13, 0, 1)
    assert db.session.query(Document).count() == 1


def test_the_cli_writes_and_reads_version_2(app, runner, tmp_path):
    assert import_file(FULL).ok
    add_the_case_files()
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    result = runner.invoke(args=["data", "export", "--with-documents", str(first)])
    assert result.exit_code == 0, result.output
    assert "Exported 13 feedback records, 3 contact restrictions and 6 documents" in result.output
    assert (first.stat().st_mode & 0o777) == 0o600
    db.session.remove()
    _empty_tables(app)
    result = runner.invoke(args=["data", "import", str(first)])
    assert result.exit_code == 0, result.output
    assert "Documents imported: 6" in result.output
    assert runner.invoke(args=["data", "export", "--with-documents", str(second)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
