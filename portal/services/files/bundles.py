"""The bundles made from a case file: the Ombudsman bundle and the Stage 2 investigation
pack (issue 17, "In the work"). A zip of the documents chosen, numbered in the order
they were received, with an index PDF (WeasyPrint) listing each, and the case's timeline.
Written to a temporary file in chunks, never whole in memory."""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session

from portal.models import Document, Feedback, StaffUser
from portal.services.common import audit
from portal.services.common.dates import now_utc
from portal.services.common.errors import Refused
from portal.services.common.labels import DocumentKind
from portal.services.common.pdfs import tagged_pdf
from portal.services.files import storage
from portal.services.files.documents import size_in_words

KINDS = {"ombudsman": "Ombudsman bundle", "stage2": "Stage 2 investigation pack"}
CHUNK = 1024 * 1024


@dataclass
class Bundle:
    file: BinaryIO  # the zip, at its start; closing it deletes it
    name: str
    entries: list[str]


def in_order(documents: list[Document]) -> list[Document]:
    """Date order: the day each was received, then the order they were added."""
    return sorted(documents, key=lambda d: (d.received_on, d.added_at, d.id))


def entry_names(documents: list[Document]) -> list[str]:
    """Each document's name in the zip: its number in date order, then its safe name
    ("documents/01 EHC plan.pdf"), so that two files of one name never clash."""
    width = max(2, len(str(len(documents))))
    return [f"documents/{n:0{width}d} {d.safe_name}" for n, d in enumerate(documents, start=1)]


def make_bundle(session: Session, record: Feedback, chosen: list[Document], kind: str, by: StaffUser,
                store: storage.Store | None = None, org_name: str | None = None) -> Bundle:
    """The zip of ``chosen`` (documents of this case, none in the quarantine) with its
    index; audited. Refused with nothing chosen."""
    if kind not in KINDS:
        raise Refused("Select which bundle to make", "kind")
    if not chosen:
        raise Refused("Select at least one document", "chosen")
    for document in chosen:
        if document.feedback is not record or document.removed_at is not None or document.quarantined:
            raise Refused("Select documents from this case file only", "chosen")
    store = store or storage.current_store()
    ordered = in_order(chosen)
    names = entry_names(ordered)
    made_at = now_utc()
    index = index_pdf(record, ordered, names, KINDS[kind], made_at, by, org_name)
    spool = tempfile.TemporaryFile()
    try:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("00 index.pdf", index)
            for document, name in zip(ordered, names):
                with store.open(document.storage_key) as content, archive.open(name, "w", force_zip64=True) as out:
                    while chunk := content.read(CHUNK):
                        out.write(chunk)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    audit.record(by, "export", "bundle", record.reference,
                 new={"kind": kind, "documents": [d.public_id for d in ordered]})
    slug = re.sub(r"[^A-Za-z0-9-]+", "-", record.reference).strip("-")
    return Bundle(spool, f"{slug}-{kind}-bundle.zip" if kind == "ombudsman" else f"{slug}-stage-2-pack.zip",
                  ["00 index.pdf", *names])


def index_pdf(record: Feedback, ordered: list[Document], names: list[str], title: str, made_at, by: StaffUser,
              org_name: str | None = None) -> bytes:
    """The index: each document in date order with what it is, then the case's timeline."""
    from flask import current_app, render_template

    rows = [{"number": n, "entry": name, "document": d, "kind": DocumentKind.words_of(d.kind, d.kind),
             "size": size_in_words(d.size_bytes)} for n, (d, name) in enumerate(zip(ordered, names), start=1)]
    html = render_template("staff/files/bundle_index.html", record=record, rows=rows, title=title,
                           made_at=made_at, by=by, org_name=org_name or current_app.config["ORG_NAME"])
    return tagged_pdf(html)
