"""What a service says when it will not make a change.

``Refused``: the change cannot be made as asked. The message is written for staff or
the public, fit for a GOV.UK error summary ("Enter the LGSCO reference"), and ``field``
names the form field it belongs to (None when it is about the case as a whole). A view
shows it on its form and answers 422.

``EditConflict``: someone else changed the record after this person opened it. A view
shows the record as it now is and answers 409; nothing the person typed is lost.
"""

from __future__ import annotations


class Refused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class EditConflict(Exception):
    def __init__(self, record):
        super().__init__(f"{record.reference} was changed by someone else")
        self.record = record


def check_version(record, expected_version: int | None) -> None:
    """Refuse a change made from a page older than the record (optimistic locking:
    every form that changes a case carries the version it was drawn from)."""
    if expected_version is not None and record.version != expected_version:
        raise EditConflict(record)
