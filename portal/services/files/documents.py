"""The documents on a case: adding (checked, scanned, stored), describing, removing,
listing, the quarantine and downloading.

Issue 17 (docs/case-file.md). Every file is checked first (``checks``) and every file of
one upload before any is kept, so a refusal leaves nothing behind. A file is then scanned
(``scanning``) when a scanner is set up: infected, or not scanned because the scanner
could not be reached, it is kept in the quarantine, which only a feedback manager sees and
nobody downloads; the worker scans what waits again (``rescan_waiting``), so that a
submission from the public never fails because the scanner is down. Like every service,
these never commit; storing the content is undone if the caller rolls back
(``storage.put_for``), and removing it waits for the commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Document, Element, Feedback, OmbudsmanEnquiry, Stage, StaffUser
from portal.services.accounts.permissions import has_permission
from portal.services.common import audit, timeline
from portal.services.common.dates import now_utc, today
from portal.services.common.errors import Refused, check_version
from portal.services.common.labels import DocumentSource, ScanStatus, TimelineKind
from portal.services.files import checks, scanning, storage
from portal.services.files.checks import Checked, Limits

DESCRIPTION_MAX = 2000
REASON_MAX = 2000
PUBLIC_LABEL = "The person who sent it"


def added_by_words(label: str) -> str:
    """Who added a document, as the words after "by" in a sentence ("by the person who
    sent it", "by Sam Taylor")."""
    return "the person who sent it" if label == PUBLIC_LABEL else label
# How many times the worker tries a waiting file again before it stays for a manager.
RESCAN_ATTEMPTS = 50


@dataclass
class FileSettings:
    """What the case file needs from the settings: limits, the scanner and the store."""

    limits: Limits
    scanner: scanning.Scanner
    store: storage.Store
    submission_max_bytes: int = 25 * 1024 * 1024
    files_per_submission: int = 5

    @classmethod
    def from_app(cls, app=None) -> "FileSettings":
        from flask import current_app

        app = app or current_app
        store = app.extensions.get("file_store") or storage.current_store()
        return cls(Limits.from_config(app.config), scanning.Scanner.from_config(app.config), store,
                   app.config["SUBMISSION_MAX_BYTES"], app.config["FILES_PER_SUBMISSION"])

    @property
    def workdir(self):
        return getattr(self.store, "workdir", None)


@dataclass(frozen=True)
class Upload:
    """One file as sent: its content and the name it came with."""

    stream: BinaryIO
    filename: str | None


# --- Checking an upload (nothing kept yet) ----------------------------------------------


def check_uploads(uploads: Iterable[Upload], settings: FileSettings, *, already: int = 0,
                  already_bytes: int = 0) -> list[Checked]:
    """Check every file of one upload (``already``: files, and their bytes, already part of
    the same submission), refusing the whole upload with the first problem, named by the
    file it is about, before any is kept. The caller discards each ``Checked``."""
    uploads = [u for u in uploads if u.filename]  # a file input left empty sends a part with no name
    if not uploads:
        raise Refused(checks.NO_NAME, "file")
    if already + len(uploads) > settings.files_per_submission:
        raise Refused(f"You can send up to {settings.files_per_submission} files. "
                      "Remove one or more files and try again", "file")
    checked: list[Checked] = []
    try:
        for upload in uploads:
            try:
                checked.append(checks.inspect_upload(upload.stream, upload.filename, settings.limits,
                                                     settings.workdir))
            except Refused as refused:
                raise _about(refused, upload.filename, len(uploads)) from None
        total = already_bytes + sum(c.size_bytes for c in checked)
        if total > settings.submission_max_bytes:
            raise Refused(f"The selected files must be smaller than "
                          f"{checks.megabytes(settings.submission_max_bytes)} in total", "file")
    except BaseException:
        for item in checked:
            item.discard()
        raise
    return checked


def _about(refused: Refused, filename: str | None, count: int) -> Refused:
    """With several files, say which one: "‘letter.pdf’ must be smaller than 10MB"."""
    name = (filename or "").strip()
    if count < 2 or not name or refused.message == checks.NO_NAME:
        return refused
    try:
        checks.check_name(name)
    except Refused:
        return refused  # a name not fit to show back
    message = refused.message.replace("The selected file's name", f"The name of ‘{name}’")
    message = message.replace("The selected Word document", f"‘{name}’").replace(
        "The selected image", f"‘{name}’").replace("The selected file", f"‘{name}’")
    return Refused(message, refused.field)


# --- Adding ------------------------------------------------------------------------------


def attachment_of(record: Feedback, kind: str | None, item_id) -> Stage | Element | OmbudsmanEnquiry | None:
    """What on the case a document is attached to, from a form's choice ("stage", 12), or
    refused if that is not part of this case."""
    if kind in (None, "", "case"):
        return None
    model = {"stage": Stage, "element": Element, "ombudsman": OmbudsmanEnquiry}.get(kind)
    item = None
    if model is not None:
        number = int(item_id) if str(item_id or "").isdigit() and len(str(item_id)) < 10 else None
        item = None if number is None else _session().get(model, number)
    if item is None or _case_of(item) is not record:
        raise Refused("Select what the document is about from the list", "attached_to")
    return item


def _case_of(item) -> Feedback | None:
    if isinstance(item, Element):
        return item.stage.feedback if item.stage is not None else None
    return item.feedback


def _session() -> Session:
    from portal.extensions import db

    return db.session()


def add_checked(session: Session, record: Feedback, checked: Checked, settings: FileSettings, *,
                by: StaffUser | None, source: DocumentSource | str = DocumentSource.STAFF,
                description: str | None = None, received_on: date | None = None,
                attached_to: Stage | Element | OmbudsmanEnquiry | None = None,
                actor_label: str | None = None) -> Document:
    """Scan a checked file, store it and add it to the case file, with a timeline event.
    ``by`` is the member of staff adding it, or None for the person who sent it."""
    if source not in DocumentSource:
        raise ValueError(f"{source!r} is not a document source")
    with checked.open() as content:
        result = scanning.scan(settings.scanner, content)
    with checked.open() as content:
        key = storage.put_for(session, settings.store, content, checked.sha256)
    label = actor_label or (by.name if by is not None else PUBLIC_LABEL)
    document = Document(
        public_id=secrets.token_urlsafe(24), original_name=checked.original_name,
        safe_name=checked.safe_name, kind=checked.kind.value, content_type=checked.content_type,
        size_bytes=checked.size_bytes, sha256=checked.sha256, storage_key=key,
        metadata_removed=checked.metadata_removed, source=DocumentSource(source).value,
        added_at=now_utc(), added_by_id=by.id if by is not None else None, added_by_label=label[:200],
        received_on=received_on or today(), description=description or None,
        scan_status=result.status.value, scan_result=result.detail,
        scanned_at=now_utc() if result.status in (ScanStatus.CLEAN, ScanStatus.INFECTED) else None,
        scan_attempts=1 if settings.scanner.configured else 0,
        **_attachment_columns(attached_to),
    )
    record.documents.append(document)
    session.add(document)
    timeline.add(record, TimelineKind.DOCUMENT_ADDED, _added_text(document), by,
                 actor_label=None if by is not None else label)
    return document


def _attachment_columns(item) -> dict:
    if item is None:
        return {}
    if isinstance(item, Stage):
        return {"stage": item}
    if isinstance(item, Element):
        return {"element": item}
    return {"ombudsman_enquiry": item}


def _added_text(document: Document) -> str:
    words = f"{document.safe_name} ({size_in_words(document.size_bytes)})"
    if document.scan_status == ScanStatus.INFECTED:
        words += ": a virus was found, so it is in the quarantine"
    elif document.scan_status == ScanStatus.WAITING:
        words += ": waiting to be scanned, in the quarantine until then"
    return words


def add_documents(session: Session, record: Feedback, uploads: Iterable[Upload], settings: FileSettings, *,
                  by: StaffUser | None, version: int | None = None, description: str | None = None,
                  received_on: date | None = None, attached_to=None,
                  source: DocumentSource | str = DocumentSource.STAFF) -> list[Document]:
    """Staff (or the worker for mail) add files to a case: every file checked first, then
    each scanned, stored and listed. Refused before anything is kept, and on a case whose
    personal data was removed (a purge never runs twice, so nothing would remove them)."""
    check_version(record, version)
    if record.purged_at is not None:
        raise Refused("This case's personal data was removed, so it takes no new documents", "files")
    description = _description(description)
    received_on = _received_on(received_on)
    checked = check_uploads(uploads, settings)
    try:
        return [add_checked(session, record, item, settings, by=by, source=source, description=description,
                            received_on=received_on, attached_to=attached_to) for item in checked]
    finally:
        for item in checked:
            item.discard()


def add_document(session: Session, record: Feedback, stream: BinaryIO, filename: str | None, *,
                 by: StaffUser | None, settings: FileSettings | None = None, version: int | None = None,
                 description: str | None = None, received_on: date | None = None, attached_to=None,
                 source: DocumentSource | str = DocumentSource.STAFF) -> Document:
    """One file (``add_documents`` with one upload)."""
    return add_documents(session, record, [Upload(stream, filename)], settings or FileSettings.from_app(),
                         by=by, version=version, description=description, received_on=received_on,
                         attached_to=attached_to, source=source)[0]


def _description(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise Refused(f"The description must be {DESCRIPTION_MAX:,} characters or fewer", "description")
    return text or None


def _received_on(day: date | None) -> date:
    if day is not None and day > today():
        raise Refused("The date it was received must be today or in the past", "received_on")
    return day or today()


# --- Describing and removing ------------------------------------------------------------


def describe_document(session: Session, document: Document, *, by: StaffUser, description: str | None,
                      received_on: date | None, version: int | None = None) -> Document:
    """Change what staff say a document is and when it was received (audited by the hook)."""
    check_version(document.feedback, version)
    document.description = _description(description)
    document.received_on = _received_on(received_on) if received_on is not None else document.received_on
    return document


def remove_document(session: Session, document: Document, *, by: StaffUser, reason: str | None,
                    version: int | None = None) -> Document:
    """A feedback manager takes a document out of the case file, saying why. Its row stays
    (who added and removed it, and why) and the content is deleted once this commits,
    unless another document holds the same content."""
    check_version(document.feedback, version)
    if not has_permission(by, "manage_documents"):
        raise Refused("Only a feedback manager can remove a document", None)
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Enter why the document is being removed", "reason")
    if len(reason) > REASON_MAX:
        raise Refused(f"The reason must be {REASON_MAX:,} characters or fewer", "reason")
    if document.removed_at is not None:
        raise Refused("This document has already been removed", None)
    document.removed_at, document.removed_by_id, document.removed_reason = now_utc(), by.id, reason
    _forget_content(session, [document])
    timeline.add(document.feedback, TimelineKind.DOCUMENT_REMOVED,
                 f"{document.safe_name}, because: {reason}", by)
    return document


def held_elsewhere(session: Session, key: str, *, not_documents: list[int] = (),
                   not_drafts: list[int] = ()) -> bool:
    """Whether stored content is still held by something other than the rows named: a
    document in a case file, a file on a public form's draft, or an email as it came.
    Content is stored once by its sha256, so the same photo sent twice, or an email and its
    copy in the case file, are one file, which goes only when the last holder goes."""
    from portal.models import DraftUpload, MailInMessage

    documents = select(func.count()).select_from(Document).where(
        Document.storage_key == key, Document.removed_at.is_(None))
    if not_documents:
        documents = documents.where(Document.id.not_in(list(not_documents)))
    drafts = select(func.count()).select_from(DraftUpload).where(DraftUpload.storage_key == key)
    if not_drafts:
        drafts = drafts.where(DraftUpload.id.not_in(list(not_drafts)))
    emails = select(func.count()).select_from(MailInMessage).where(MailInMessage.storage_key == key)
    return any(session.scalar(query) for query in (documents, drafts, emails))


def _forget_content(session: Session, documents: list[Document], store: storage.Store | None = None) -> None:
    """Delete, after the commit, the content of these documents that nothing else holds."""
    store = store or storage.current_store()
    ids = [d.id for d in documents if d.id is not None]
    for key in {d.storage_key for d in documents}:
        if not held_elsewhere(session, key, not_documents=ids):
            storage.delete_after_commit(session, store, key)


def purge_documents(session: Session, record: Feedback, store: storage.Store | None = None) -> int:
    """Retention or erasure: delete every document of the case, rows and content (the
    content once the caller commits). Returns how many there were."""
    documents = list(record.documents)
    if not documents:
        return 0
    _forget_content(session, documents, store)
    for document in documents:
        record.documents.remove(document)
        session.delete(document)
    return len(documents)


# --- Reading -------------------------------------------------------------------------------


def documents_of(record: Feedback, viewer) -> list[Document]:
    """The case file as this person sees it, in the order received: documents in the
    quarantine only for a feedback manager (``manage_documents``); removed ones never."""
    managing = has_permission(viewer, "manage_documents")
    shown = [d for d in record.documents if d.removed_at is None and (managing or not d.quarantined)]
    return sorted(shown, key=lambda d: (d.received_on, d.added_at, d.id))


def find(public_id: str) -> Document | None:
    if not isinstance(public_id, str) or not 10 <= len(public_id) <= 40:
        return None
    return _session().scalars(select(Document).where(Document.public_id == public_id)).first()


def quarantine(session: Session) -> list[Document]:
    """Every document in the quarantine, oldest first (for a feedback manager)."""
    return list(session.scalars(
        select(Document).where(Document.removed_at.is_(None),
                               Document.scan_status.in_((ScanStatus.INFECTED.value, ScanStatus.WAITING.value)))
        .order_by(Document.added_at, Document.id)))


def open_for_download(session: Session, document: Document, viewer, store: storage.Store | None = None) -> BinaryIO:
    """The content, for a member of staff who may see the case; each download is in the
    audit trail (committed by the caller, as a view of a case is logged). Refused for a
    removed document or one in the quarantine."""
    if document.removed_at is not None:
        raise Refused("This document has been removed from the case file", None)
    if document.quarantined:
        raise Refused("This document is in the quarantine and cannot be downloaded", None)
    audit.record(viewer, "download", "document", document.id,
                 new={"case": document.feedback.reference, "name": document.safe_name})
    return (store or storage.current_store()).open(document.storage_key)


# --- The worker: scanning again what waits -----------------------------------------------


@dataclass
class RescanSummary:
    clean: int = 0
    infected: int = 0
    still_waiting: int = 0
    names: list[str] = field(default_factory=list)


def rescan_waiting(session: Session, settings: FileSettings) -> RescanSummary:
    """Scan again each document waiting for the scanner (the worker, every tick): clean
    ones leave the quarantine, infected ones stay in it. Nothing happens without a scanner."""
    summary = RescanSummary()
    if not settings.scanner.configured:
        return summary
    waiting = session.scalars(select(Document).where(
        Document.removed_at.is_(None), Document.scan_status == ScanStatus.WAITING.value,
        Document.scan_attempts < RESCAN_ATTEMPTS).order_by(Document.id).limit(200))
    for document in waiting:
        try:
            with settings.store.open(document.storage_key) as content:
                result = scanning.scan(settings.scanner, content)
        except OSError as exc:
            result = scanning.ScanResult(ScanStatus.WAITING, f"could not read the stored file: {exc}"[:300])
        document.scan_attempts = (document.scan_attempts or 0) + 1
        document.scan_status, document.scan_result = result.status.value, result.detail
        if result.status is ScanStatus.WAITING:
            summary.still_waiting += 1
            continue
        document.scanned_at = now_utc()
        if result.status is ScanStatus.CLEAN:
            summary.clean += 1
            text = f"{document.safe_name} was scanned: no virus found, so it left the quarantine"
        else:
            summary.infected += 1
            text = f"{document.safe_name} was scanned: a virus was found ({result.detail}), so it stays in the quarantine"
        timeline.add(document.feedback, TimelineKind.DOCUMENT_ADDED, text)
        summary.names.append(document.safe_name)
    return summary


def size_in_words(size: int) -> str:
    """1536 as "1.5 KB", 10485760 as "10 MB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"
