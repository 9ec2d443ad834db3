"""The case page's Documents panel: the case file, the form to add to it, and each
document's forms (describe; remove, for a feedback manager)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user

from portal.models import Document, Feedback
from portal.services.accounts.permissions import has_permission
from portal.services.common.labels import DocumentKind, DocumentSource, ScanStatus
from portal.services.files import documents
from portal.services.files.checks import megabytes
from staff.case.panel import CaseView, Panel
from staff.files.forms import AddDocumentsForm, BundleForm, DescribeDocumentForm, RemoveDocumentForm

ACCEPT = ".pdf,.doc,.docx,.txt,.jpg,.jpeg,.png,.heic,application/pdf,image/jpeg,image/png,image/heic,text/plain"


def attachable(record: Feedback) -> list[tuple[str, str]]:
    """What a document can be attached to on this case, as (choice, words)."""
    choices = []
    for stage in record.stages:
        choices.append((f"stage-{stage.id}", f"Stage {stage.number}"))
        for element in stage.elements:
            choices.append((f"element-{element.id}", f"Stage {stage.number}, element {element.number}: "
                                                     f"{(element.summary or '')[:60]}"))
    for enquiry in record.ombudsman_enquiries:
        choices.append((f"ombudsman-{enquiry.id}", f"Ombudsman enquiry {enquiry.reference}"))
    return choices


def read_attachment(choice: str | None) -> tuple[str | None, str | None]:
    """"stage-12" as ("stage", "12"); "case" as ("case", None)."""
    kind, _, item_id = (choice or "case").partition("-")
    return kind, item_id or None


def add_form(record: Feedback, **kw) -> AddDocumentsForm:
    return AddDocumentsForm(attachable=attachable(record), prefix="document", **kw)


def describe_form(document: Document, **kw) -> DescribeDocumentForm:
    if kw.get("formdata", True) is None:
        kw["data"] = {"description": document.description, "received_on": document.received_on}
    return DescribeDocumentForm(prefix=f"describe-{document.public_id}-", **kw)


def remove_form(document: Document, **kw) -> RemoveDocumentForm:
    return RemoveDocumentForm(prefix=f"remove-{document.public_id}-", **kw)


@dataclass
class Shown:
    """One document as the panel lists it."""

    document: Document
    describe: DescribeDocumentForm | None
    remove: RemoveDocumentForm | None

    @property
    def kind(self) -> str:
        return DocumentKind.words_of(self.document.kind, self.document.kind)

    @property
    def size(self) -> str:
        return documents.size_in_words(self.document.size_bytes)

    @property
    def source(self) -> str:
        return DocumentSource.words_of(self.document.source, "")

    @property
    def who(self) -> str | None:
        """Who added it, where that says more than the source: a member of staff's name, an
        email's sender; not "The person who sent it" after "Sent by the person"."""
        label = self.document.added_by_label
        return None if not label or label == documents.PUBLIC_LABEL else label

    @property
    def scan(self) -> str:
        return ScanStatus.words_of(self.document.scan_status, self.document.scan_status)

    @property
    def about(self) -> str | None:
        d = self.document
        if d.element is not None:
            return f"Stage {d.element.stage.number}, element {d.element.number}"
        if d.stage is not None:
            return f"Stage {d.stage.number}"
        if d.ombudsman_enquiry is not None:
            return f"Ombudsman enquiry {d.ombudsman_enquiry.reference}"
        return None


def documents_panel(case: CaseView) -> dict:
    record = case.record
    editing = has_permission(current_user, "edit_cases")
    managing = has_permission(current_user, "manage_documents")
    shown = [Shown(d,
                   case.form(f"describe-{d.public_id}", lambda d=d: describe_form(d, formdata=None)) if editing else None,
                   case.form(f"remove-{d.public_id}", lambda d=d: remove_form(d, formdata=None)) if managing else None)
             for d in documents.documents_of(record, current_user)]
    return {
        "shown": shown,
        "add_form": case.form("document", lambda: add_form(record, formdata=None))
        if editing and record.purged_at is None else None,
        "accept": ACCEPT,
        "max_file": megabytes(current_app.config["FILE_MAX_BYTES"]),
        "managing": managing,
        "has_downloadable": any(not s.document.quarantined for s in shown),
    }


DOCUMENTS = Panel("documents", "staff/case/_documents.html", documents_panel)


def bundle_form(record: Feedback, **kw) -> BundleForm:
    ready = [d for d in documents.documents_of(record, current_user) if not d.quarantined]
    return BundleForm(documents=ready, **kw)
