"""The interchange format's version 2: a zip with version 1's JSON Lines and the case file
(issue 17; docs/interchange.md, "Version 2: with documents").

``write_archive`` exports; ``Archive`` opens one to import (``importer`` reads its
``records.jsonl`` as it reads a version 1 file); ``DocumentRules`` checks a document line
beyond its schema, with the file it names; ``DocumentLoader`` adds the documents once the
records are loaded. Version 1 (a ``.jsonl`` file) is untouched by any of it.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Document, Element, Feedback, OmbudsmanEnquiry, Stage
from portal.services.common.errors import Refused
from portal.services.common.labels import DocumentKind
from portal.services.files import checks, documents, storage
from portal.services.files.checks import Checked
from portal.services.files.documents import FileSettings
from portal.services.interchange import export
from portal.services.interchange.children import ChildParts
from portal.services.interchange.schema import field_path, format_checker

FORMAT = {"format": "feedback-interchange", "version": 2}
FORMAT_ENTRY = "interchange.json"
RECORDS_ENTRY = "records.jsonl"
FILES = "files/"
_FILE_ENTRY = re.compile(r"^files/([0-9a-f]{64})$")
# The earliest date a zip entry can have: every entry has it, so that the same records and
# files always give the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "document.schema.json"
CHUNK = 1024 * 1024

DOCUMENT_KEYS = ("type", "reference", "sha256", "name", "kind", "size", "source", "received_on",
                 "added_at", "added_by", "description", "attached_to", "metadata_removed")


def is_archive(path) -> bool:
    """Version 2 is a zip, told from version 1's JSON Lines by its first bytes."""
    with open(path, "rb") as file:
        return file.read(4) == b"PK\x03\x04"


# --- Export ---------------------------------------------------------------------------------


def _entry(name: str, compressed: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16  # the export holds personal data
    info.create_system = 3  # the same on every machine
    return info


def write_archive(out: BinaryIO, progress: Callable[[int], Any] | None = None,
                  store: storage.Store | None = None) -> export.Counts:
    """Write every record, restriction and document (with its file) as a version 2 archive."""
    store = store or storage.current_store()
    snapshot = db.engine.dialect.name == "postgresql" and not db.session().in_transaction()
    if snapshot:
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    counts = export.Counts()
    files: dict[str, str] = {}  # sha256 -> storage key, in order of first mention
    try:
        with zipfile.ZipFile(out, "w", compresslevel=6) as archive:
            archive.writestr(_entry(FORMAT_ENTRY, True), json.dumps(FORMAT, separators=(",", ":")) + "\n")
            with archive.open(_entry(RECORDS_ENTRY, True), "w") as raw, \
                    io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text:
                for line in export.feedback_lines(ChildParts()):
                    text.write(line)
                    counts.feedback += 1
                    if progress:
                        progress(1)
                for line in export.restriction_lines():
                    text.write(line)
                    counts.restrictions += 1
                    if progress:
                        progress(1)
                for document in _documents():
                    text.write(export.dumps(document_line(document)))
                    files.setdefault(document.sha256, document.storage_key)
                    counts.documents += 1
            for sha256, key in files.items():
                with archive.open(_entry(FILES + sha256, False), "w", force_zip64=True) as target, \
                        store.open(key) as content:
                    shutil.copyfileobj(content, target, CHUNK)
    finally:
        if snapshot:
            db.session.rollback()
    return counts


def _documents() -> Iterator[Document]:
    """Every document in a case file (not removed), by reference, then as added."""
    query = (
        select(Document).join(Feedback, Feedback.id == Document.feedback_id)
        .where(Document.removed_at.is_(None))
        .order_by(export._codepoint_order(Feedback.reference), Document.added_at, Document.id)
        .options(selectinload(Document.feedback), selectinload(Document.stage),
                 selectinload(Document.element).selectinload(Element.stage),
                 selectinload(Document.ombudsman_enquiry))
        .execution_options(yield_per=export.CHUNK)
    )
    yield from db.session.scalars(query)


def document_line(document: Document) -> dict:
    attached = None
    if document.element is not None:
        attached = {"stage": document.element.stage.number, "element": document.element.number}
    elif document.stage is not None:
        attached = {"stage": document.stage.number}
    elif document.ombudsman_enquiry is not None:
        attached = {"ombudsman": document.ombudsman_enquiry.reference}
    return export._compact([
        ("type", "document"),
        ("reference", document.feedback.reference),
        ("sha256", document.sha256),
        ("name", document.original_name),
        ("kind", document.kind),
        ("size", document.size_bytes),
        ("source", document.source),
        ("received_on", document.received_on.isoformat()),
        ("added_at", _instant(document.added_at)),
        ("added_by", document.added_by_label),
        ("description", document.description),
        ("attached_to", attached),
        ("metadata_removed", document.metadata_removed),
    ])


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Import: the archive ------------------------------------------------------------------------


class NotAnArchive(ValueError):
    """The zip is not a version 2 archive: said as the import's one problem."""


class Archive:
    """A version 2 archive opened to import: its entries checked to be only what the format
    allows, and its format said to be version 2."""

    def __init__(self, path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise NotAnArchive(f"is not a zip archive: {error}") from error
        try:
            self.files = self._entries()
        except BaseException:
            self.zip.close()
            raise

    def _entries(self) -> dict[str, zipfile.ZipInfo]:
        names = self.zip.namelist()
        if len(names) != len(set(names)):
            raise NotAnArchive("has an entry twice")
        files = {}
        for info in self.zip.infolist():
            match = _FILE_ENTRY.match(info.filename)
            if match:
                files[match.group(1)] = info
            elif info.filename not in (FORMAT_ENTRY, RECORDS_ENTRY):
                raise NotAnArchive(f"has an entry the format does not allow: {info.filename[:100]!r}")
        if RECORDS_ENTRY not in names:
            raise NotAnArchive(f"has no {RECORDS_ENTRY}")
        try:
            said = json.loads(self.zip.read(FORMAT_ENTRY)) if FORMAT_ENTRY in names else None
        except ValueError:
            said = None
        if said != FORMAT:
            raise NotAnArchive(f"{FORMAT_ENTRY} must say {json.dumps(FORMAT)}")
        return files

    def records(self) -> BinaryIO:
        return self.zip.open(RECORDS_ENTRY)

    def size(self) -> int:
        return self.zip.getinfo(RECORDS_ENTRY).file_size

    def extract(self, sha256: str, workdir=None) -> Path:
        """The file's content in a temporary file (the caller removes it)."""
        if workdir is not None:
            Path(workdir).mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(prefix="import-", suffix=".part", dir=workdir, delete=False)
        try:
            with handle, self.zip.open(self.files[sha256]) as content:
                shutil.copyfileobj(content, handle, CHUNK)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        return Path(handle.name)

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- Import: checking a document line -------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")),
                                format_checker=format_checker())


class DocumentRules:
    """What a document line must be beyond its schema: for a record of the file, about what
    that record has, after every record, and with the file it names as it says."""

    def __init__(self, archive: Archive, settings: FileSettings) -> None:
        self.archive = archive
        self.settings = settings
        # reference -> what a document may be attached to in that record's line
        self.records: dict[str, frozenset] = {}
        self.documents_begun = False

    def saw_record(self, record: dict) -> list[tuple[str, str]]:
        """Note a feedback line (checked by version 1's rules); a record after the documents
        is refused."""
        if self.documents_begun:
            return [("type", "a feedback or restriction line must come before every document line")]
        if record.get("type") == "feedback":
            parts = set()
            for stage in (record.get("complaint") or {}).get("stages") or []:
                parts.add(("stage", stage.get("stage")))
                for element in stage.get("elements") or []:
                    parts.add(("element", stage.get("stage"), element.get("number")))
            for enquiry in record.get("ombudsman") or []:
                parts.add(("ombudsman", enquiry.get("reference")))
            self.records[record["reference"]] = frozenset(parts)
        return []

    def problems(self, line: dict) -> list[tuple[str, str]]:
        self.documents_begun = True
        found: dict[str, str] = {}  # one problem a field (a date-time's format and shape say the same)
        for error in sorted(_validator().iter_errors(line), key=lambda e: [str(p) for p in e.absolute_path]):
            found.setdefault(field_path(error.absolute_path), error.message)
        if found:
            return list(found.items())
        parts = self.records.get(line["reference"])
        if parts is None:
            return [("reference", f"{line['reference']!r} is not a feedback record of this file")]
        attached = line.get("attached_to")
        if attached:
            part = (("element", attached["stage"], attached["element"]) if "element" in attached
                    else ("stage", attached["stage"]) if "stage" in attached
                    else ("ombudsman", attached["ombudsman"]))
            if part not in parts:
                return [("attached_to", f"{json.dumps(attached)} is not part of {line['reference']}")]
        if "\u0000" in json.dumps(line, ensure_ascii=False):
            return [("", "must not contain NUL characters")]
        return self._file_problems(line)

    def _file_problems(self, line: dict) -> list[tuple[str, str]]:
        sha256 = line["sha256"]
        if sha256 not in self.archive.files:
            return [("sha256", f"{FILES}{sha256} is not in the archive")]
        path = self.archive.extract(sha256, self.settings.workdir)
        try:
            digest, size = checks.digest_of(path)
            if digest != sha256:
                return [("sha256", f"{FILES}{sha256} has another SHA-256 ({digest})")]
            if size != line["size"]:
                return [("size", f"is {line['size']}, but {FILES}{sha256} has {size} bytes")]
            kind = _kind_of(path, line["name"], size, self.settings)
            if isinstance(kind, str) and kind != line["kind"]:
                return [("kind", f"is {line['kind']!r}, but the content of {FILES}{sha256} is {kind!r}")]
            if not isinstance(kind, str):
                return [("sha256", f"{FILES}{sha256}: {kind.message}")]
        finally:
            path.unlink(missing_ok=True)
        return []


def _kind_of(path: Path, name: str, size: int, settings: FileSettings) -> str | Refused:
    """The kind the case file's checks find in the content (type, a Word file's zip, an
    image that opens), whatever the portal's size limit: the archive's file is kept as it is,
    so the check's own copy (with image metadata removed) is only looked at, then dropped."""
    limits = checks.Limits(file_max_bytes=max(size, settings.limits.file_max_bytes))
    try:
        with open(path, "rb") as content:
            checked = checks.inspect_upload(content, "document", limits, settings.workdir)
    except Refused as refused:
        return refused
    checked.discard()
    return checked.kind.value


# --- Import: loading the documents --------------------------------------------------------------


class DocumentLoader:
    """Adds each checked document line to its record's case file, in the import's
    transaction: the file stored (deleted again if the import rolls back), scanned as
    every file added to a case file is, and dated as the line says."""

    def __init__(self, archive: Archive, settings: FileSettings, skipped: set[str]) -> None:
        self.archive = archive
        self.settings = settings
        self.skipped = skipped  # references held and not replaced: their documents are skipped too
        self.added = 0
        self.passed = 0

    def load(self, line: dict) -> None:
        if line["reference"] in self.skipped:
            self.passed += 1
            return
        record = db.session.scalars(select(Feedback).where(Feedback.reference == line["reference"])).one()
        held = db.session.scalar(select(Document.id).where(
            Document.feedback_id == record.id, Document.sha256 == line["sha256"],
            Document.removed_at.is_(None)).limit(1))
        if held is not None:  # --update: the record has this file already
            self.passed += 1
            return
        path = self.archive.extract(line["sha256"], self.settings.workdir)
        try:
            kind = DocumentKind(line["kind"])
            checked = Checked(path, line["name"], checks.safe_name(line["name"], kind), kind, line["size"],
                              line["sha256"], bool(line.get("metadata_removed")))
            document = documents.add_checked(
                db.session, record, checked, self.settings, by=None, source=line["source"],
                description=line.get("description"), received_on=date.fromisoformat(line["received_on"]),
                attached_to=_attachment(record, line.get("attached_to")),
                actor_label=line.get("added_by") or "")
        finally:
            path.unlink(missing_ok=True)
        document.added_at = datetime.strptime(line["added_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        document.added_by_label = line.get("added_by") or ""
        self.added += 1


def _attachment(record: Feedback, attached: dict | None):
    if not attached:
        return None
    if "ombudsman" in attached:
        return db.session.scalars(select(OmbudsmanEnquiry).where(
            OmbudsmanEnquiry.feedback_id == record.id, OmbudsmanEnquiry.reference == attached["ombudsman"])
            .order_by(OmbudsmanEnquiry.id)).first()
    stage = db.session.scalars(select(Stage).where(Stage.feedback_id == record.id,
                                                   Stage.number == attached["stage"])).first()
    if "element" not in attached or stage is None:
        return stage
    return db.session.scalars(select(Element).where(Element.stage_id == stage.id,
                                                    Element.number == attached["element"])).first()

