"""Files the public send with a form (issue 17): up to five, checked and stored the moment
they are chosen, and kept with the form's server-side draft (``drafts``) so that they
survive its pages. On Send they become documents of the new record (source ``public``);
a draft forgotten ("Exit this page") or expired takes its files with it.

The checks and the storing are the case file's (``portal.services.files``): the type from
the content, the size, the name, image metadata, and the quarantine until a scan. What is
decided here is what a submission may hold: how many files and how much in all. The
public never gets a file back: nothing here reads one out again.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import Document, DraftUpload, Feedback
from portal.services.common.labels import DocumentKind, DocumentSource
from portal.services.files import documents, storage
from portal.services.files.checks import Checked
from portal.services.files.documents import FileSettings, Upload

log = logging.getLogger(__name__)
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one submission may send (the settings FILES_PER_SUBMISSION, FILE_MAX_BYTES and
    SUBMISSION_MAX_BYTES), as the form pages say it. A request may carry at most the
    submission's limit (``portal.uploads.accepts_files``); more is the "too large" page."""

    files: int
    file_bytes: int
    submission_bytes: int

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(config["FILES_PER_SUBMISSION"], config["FILE_MAX_BYTES"], config["SUBMISSION_MAX_BYTES"])

    def hint(self, young: bool = False) -> str:
        if young:
            return (f"You can add up to {self.files} files, like a photo or a letter. "
                    f"Each one must be smaller than {in_words(self.file_bytes)}.")
        return (f"For example, a letter, a plan or a photo. You can add up to {self.files} files "
                f"(PDF, Word, text, JPEG, PNG or HEIC), each smaller than {in_words(self.file_bytes)} "
                f"and {in_words(self.submission_bytes)} in total.")


def in_words(size: int) -> str:
    return documents.size_in_words(size)


def chosen_files(parts: Iterable) -> list[Upload]:
    """The files a form's file input sent (Werkzeug's FileStorage parts), without the empty
    part a browser sends when none was chosen."""
    return [Upload(part.stream, part.filename) for part in parts if part.filename]


def attached(draft_key: str | None) -> list[DraftUpload]:
    if not draft_key:
        return []
    return list(db.session.scalars(
        select(DraftUpload).where(DraftUpload.draft_key == draft_key).order_by(DraftUpload.id)))


def attach(draft_key: str, chosen: list[Upload], settings: FileSettings) -> list[DraftUpload]:
    """Check the files chosen on a page and keep them with the draft, or refuse them all
    (``Refused`` on the field "file", naming the file at fault) with nothing kept: the
    case file's checks (type from the content, size, name, image metadata removed), and
    what a submission may hold counting the files the draft has already. Stored now, in
    the caller's transaction (undone if it rolls back); scanned when the form is sent."""
    held = attached(draft_key)
    checked = documents.check_uploads(chosen, settings, already=len(held),
                                      already_bytes=sum(u.size_bytes for u in held))
    added = []
    try:
        for item in checked:
            with item.open() as content:
                key = storage.put_for(db.session, settings.store, content, item.sha256)
            added.append(DraftUpload(draft_key=draft_key, original_name=item.original_name,
                                     safe_name=item.safe_name, kind=item.kind.value,
                                     content_type=item.content_type, size_bytes=item.size_bytes,
                                     sha256=item.sha256, storage_key=key,
                                     metadata_removed=item.metadata_removed))
    finally:
        for item in checked:
            item.discard()
    db.session.add_all(added)
    db.session.flush()
    return added


def remove(draft_key: str | None, upload_id: int | None, settings: FileSettings) -> DraftUpload | None:
    """Take one file off the draft (the person's "Remove"); None if it is not theirs."""
    upload = db.session.get(DraftUpload, upload_id) if draft_key and upload_id else None
    if upload is None or upload.draft_key != draft_key:
        return None
    db.session.delete(upload)
    db.session.flush()
    _forget_unless_held(upload.storage_key, settings.store)
    return upload


def hand_over(draft_key: str, record: Feedback, settings: FileSettings) -> list[Document]:
    """The draft's files become documents of the record just made from it (source public:
    scanned now, or waiting in the quarantine if the scanner cannot be reached), in the
    caller's transaction; the draft's rows go."""
    added = []
    # The rows go and come back in one statement (none, mostly: most forms carry no files).
    taken = db.session.scalars(delete(DraftUpload).where(DraftUpload.draft_key == draft_key)
                               .returning(DraftUpload)).all()
    for upload in sorted(taken, key=lambda row: row.id):
        checked, temporary = _from_store(upload, settings)
        if checked is None:
            continue
        try:
            added.append(documents.add_checked(db.session, record, checked, settings, by=None,
                                               source=DocumentSource.PUBLIC))
        finally:
            if temporary:
                checked.discard()
    return added


def _from_store(upload: DraftUpload, settings: FileSettings) -> tuple[Checked | None, bool]:
    """The stored file as the case file's checks left it: the file itself in a file-system
    store (never discarded), else a temporary copy beside it (discarded after)."""
    store = settings.store
    kept = dict(original_name=upload.original_name, safe_name=upload.safe_name,
                kind=DocumentKind(upload.kind), size_bytes=upload.size_bytes, sha256=upload.sha256,
                metadata_removed=upload.metadata_removed)
    if isinstance(store, storage.FileSystemStore):
        path = store.path_of(upload.storage_key)
        if path.exists():
            return Checked(path, **kept), False
        log.warning("draft upload %s: its stored file %s is gone", upload.id, upload.storage_key)
        return None, False
    if settings.workdir is not None:
        Path(settings.workdir).mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(prefix="upload-", suffix=".part", dir=settings.workdir, delete=False)
    try:
        with handle, store.open(upload.storage_key) as content:
            shutil.copyfileobj(content, handle, 1024 * 1024)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return Checked(Path(handle.name), **kept), True


def forget(draft_keys: Iterable[str], store: storage.Store | None = None) -> int:
    """Remove the files of drafts that are gone (forgotten or expired): the rows, and once
    the caller commits each stored file that no document or other draft holds."""
    keys = sorted(set(draft_keys))
    removed = 0
    for start in range(0, len(keys), 500):
        batch = keys[start:start + 500]
        storage_keys = set(db.session.scalars(
            select(DraftUpload.storage_key).where(DraftUpload.draft_key.in_(batch))))
        if not storage_keys:
            continue
        removed += db.session.execute(delete(DraftUpload).where(DraftUpload.draft_key.in_(batch))).rowcount
        for storage_key in sorted(storage_keys):
            _forget_unless_held(storage_key, store or storage.current_store())
    return removed


def _forget_unless_held(storage_key: str, store: storage.Store) -> None:
    """A draft's file goes once nothing else holds its content (files.documents.held_elsewhere)."""
    from portal.services.files.documents import held_elsewhere

    if not held_elsewhere(db.session, storage_key):
        storage.delete_after_commit(db.session, store, storage_key)
