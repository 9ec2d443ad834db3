"""The purge: what is due for removal on a date, removing it, and erasing a person.

docs/data-protection.md, "What a purge removes and what it keeps" and "Rectification and erasure": a record is
due on its closure date plus its kind's months (``retention_rules``) unless a legal hold
stands (``holds``). A purge removes personal data and keeps every row and everything the
report counts (dates, kinds, roles, teams, themes, procedures, stages, outcomes, money,
Ombudsman results, restriction letters, learning actions), so that a report for any past
period gives the same figures before and after. The audit trail's copies of the removed
values are redacted in the same transaction ("The audit trail"). The page lists every
column and what happens to it; ``PERSONAL_COLUMNS`` is that list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import JSON, delete, select, update
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    AuditEntry,
    ContactRestriction,
    Draft,
    Feedback,
    LegalHold,
    Letter,
    MailInMessage,
    OutboxMessage,
    Person,
    StageExtension,
    StageResponse,
    StaffUser,
    SubjectAccessRequest,
)
from portal.models.data_protection import RETENTION_KINDS
from portal.services.accounts import auth
from portal.services.common import audit
from portal.services.common.dates import add_months, now_utc
from portal.services.data_protection import holds
from portal.services.data_protection.retention_rules import (
    closure_date,
    months_kept,
    restriction_closure_date,
    retention_kind,
)
from portal.services.common.errors import Refused
from portal.services.files import documents
from portal.services.intake import drafts, people, uploads

REMOVED = "(removed)"

# The columns that hold personal data, per table: blanked by a purge and replaced by
# REMOVED in the audit trail's old and new values. Everything else is kept.
PERSONAL_COLUMNS: dict[str, frozenset[str]] = {
    "feedback": frozenset({
        "summary", "desired_outcome", "when_it_happened", "on_behalf_of_name", "support_needs",
        "resolution", "referred_to", "anonymised_text", "named_staff", "safeguarding_action",
        "contact_methods", "submitter_age",
    }),
    "person": frozenset({"name", "email", "phone", "phone_key", "address"}),
    # The child a case is about: blanked with the last of their cases (their circumstances
    # stay, as the report counts them); advocacy's names with its case.
    "child": frozenset({"name", "date_of_birth", "record_number", "school"}),
    "advocacy": frozenset({"referred_to", "advocate_name", "notes"}),
    "stage": frozenset({
        "officer", "investigating_officer", "independent_person", "panel_members",
        "extension_reason", "late_request_reason", "late_complaint_reason", "same_handler_reason",
    }),
    "element": frozenset({"summary"}),
    "timeline_event": frozenset({"text"}),
    "stage_response": frozenset({"text", "to_address", "next_step"}),
    "stage_extension": frozenset({"reason"}),
    "stage_pause": frozenset({"reason"}),
    "outbox_message": frozenset({"to_address", "subject", "body", "last_error"}),
    "letter": frozenset({"subject", "text", "to_address", "pdf", "override_reason"}),
    "payment": frozenset({"description", "decided_by"}),
    "ombudsman_recommendation": frozenset({"text"}),
    "learning_action": frozenset({"recommendation", "completion_note", "owner"}),
    "contact_restriction": frozenset({
        "person_name", "person_email", "person_phone", "reason", "decided_by", "review_result",
    }),
    "draft": frozenset({"answers"}),
    "subject_access_request": frozenset({"release", "redactions"}),
    "legal_hold": frozenset({"reason", "lift_reason"}),
    # The case file: the rows are deleted with their content (files.documents.purge_documents);
    # these are what their audit entries (added, described, removed, downloaded) lose.
    "document": frozenset({"original_name", "safe_name", "description", "removed_reason", "name"}),
    # Email in (issue 19): who wrote, what they wrote, and why it went where it went.
    "mail_in_message": frozenset({"from_address", "from_name", "to_addresses", "subject", "text", "quoted",
                                  "reason", "attachments_refused"}),
}


# --- What is due ------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A record whose retention ran out on or before the date asked about."""

    kind: str  # a RETENTION_KINDS value
    id: int
    label: str  # the reference, or "letter of 2023-05-15"
    closed_on: date
    remove_on: date
    held: bool = False


@dataclass
class DueList:
    as_of: date
    due: list[Due] = field(default_factory=list)

    @property
    def removable(self) -> list[Due]:
        return [d for d in self.due if not d.held]

    @property
    def held(self) -> list[Due]:
        return [d for d in self.due if d.held]

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in RETENTION_KINDS}
        for item in self.removable:
            counts[item.kind] += 1
        return counts


def due_for_removal(as_of: date) -> DueList:
    """Every record not yet purged whose retention date (closure + the kind's months) is on
    or before ``as_of``; those on legal hold are listed with ``held`` set."""
    months = months_kept()
    held_records, held_people = holds.held_ids()
    result = DueList(as_of)
    # A record closes on or after it was received: only those received long enough ago
    # can be due, which keeps the candidates to an indexed range.
    newest_months = min(months[k] for k in ("compliment", "initial_contact", "complaint"))
    latest_received = add_months(as_of, -newest_months)
    # Sorted here, not by the database: asked for them in reference order, SQLite walked
    # the whole table in the order of the references' index rather than sort the few
    # received long enough ago (65 ms at 100,000 records with none of them due).
    query = (
        select(Feedback)
        .where(Feedback.purged_at.is_(None), Feedback.received_on <= latest_received)
        .options(selectinload(Feedback.stages), selectinload(Feedback.ombudsman_enquiries))
    )
    for record in sorted(db.session.scalars(query), key=lambda r: r.reference):
        closed = closure_date(record)
        if closed is None:
            continue
        kind = retention_kind(record)
        remove_on = add_months(closed, months[kind])
        if remove_on <= as_of:
            held = record.id in held_records or record.person_id in held_people
            result.due.append(Due(kind, record.id, record.reference, closed, remove_on, held))
    for restriction in db.session.scalars(
        select(ContactRestriction).where(ContactRestriction.purged_at.is_(None))
        .order_by(ContactRestriction.letter_issued_on, ContactRestriction.id)
    ):
        closed = restriction_closure_date(restriction)
        remove_on = add_months(closed, months["contact_restriction"])
        if remove_on <= as_of:
            result.due.append(Due(
                "contact_restriction", restriction.id,
                f"letter of {restriction.letter_issued_on.isoformat()} (restriction {restriction.id})",
                closed, remove_on, restriction.person_id in held_people))
    return result


# --- The purge --------------------------------------------------------------------------


@dataclass
class PurgeResult:
    as_of: date | None
    references: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    people_removed: int = 0
    audit_entries_redacted: int = 0
    drafts_removed: int = 0
    sign_in_rows_removed: int = 0

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "records": self.counts,
            "people_removed": self.people_removed,
            "audit_entries_redacted": self.audit_entries_redacted,
            "drafts_removed": self.drafts_removed,
            "sign_in_rows_removed": self.sign_in_rows_removed,
        }


class _Touched:
    """The rows a purge changed, by table, so that their audit entries can be redacted."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = defaultdict(set)
        self.people: set[int] = set()
        # Each record purged, by reference: the person it was of.
        self.records: dict[str, int | None] = {}

    def add(self, table: str, *ids: int | str | None) -> None:
        self.ids[table].update(str(i) for i in ids if i is not None)


def run(as_of: date, user: StaffUser | None = None, actor: str | None = None) -> PurgeResult:
    """Remove the personal data of every record due on ``as_of`` and not on legal hold;
    audit the purge with counts only. The caller commits (the worker's job, the command,
    the page), so a purge that fails half way leaves nothing changed."""
    due = due_for_removal(as_of)
    touched = _Touched()
    result = PurgeResult(as_of, counts={kind: 0 for kind in RETENTION_KINDS})
    for item in due.removable:
        if item.kind == "contact_restriction":
            _purge_restriction(db.session.get(ContactRestriction, item.id), touched)
        else:
            _purge_record(db.session.get(Feedback, item.id), touched)
        result.references.append(item.label)
        result.counts[item.kind] += 1
    result.drafts_removed = _remove_stale_drafts(touched)
    result.sign_in_rows_removed = auth.forget_old_sign_in_rows()
    _finish(result, touched, user, actor, "retention_purge")
    return result


def erase_person(person: Person, user: StaffUser | None = None, actor: str | None = None) -> PurgeResult:
    """Erasure on request: the purge of every record of one person (as submitter) and of
    their letters about persistent contact, then of the person. Refused while a legal
    hold stands on the person or on any of their records. The caller commits."""
    if holds.in_force(person=person):
        raise Refused("A legal hold stands on this person or one of their records. "
                      "Lift it before erasing their records.")
    touched = _Touched()
    result = PurgeResult(None, counts={kind: 0 for kind in RETENTION_KINDS})
    for record in db.session.scalars(select(Feedback).where(Feedback.person_id == person.id)
                                     .order_by(Feedback.reference)):
        if record.purged_at is None:
            _purge_record(record, touched)
            result.references.append(record.reference)
            result.counts[retention_kind(record)] += 1
        else:
            record.person_id = None
    for restriction in db.session.scalars(
        select(ContactRestriction).where(ContactRestriction.person_id == person.id)
    ):
        _purge_restriction(restriction, touched)
        result.counts["contact_restriction"] += 1
    touched.people.add(person.id)
    _finish(result, touched, user, actor, "erasure", person_id=person.id)
    return result


def _finish(result: PurgeResult, touched: _Touched, user, actor, action: str, **extra) -> None:
    db.session.flush()
    _scrub_releases(touched)
    result.people_removed = _remove_people(touched)
    db.session.flush()  # the hook writes its entries for every change above
    result.audit_entries_redacted = _redact_audit_trail(touched)
    audit.record(user if user is not None else actor, action, "retention", None,
                 new={**result.as_dict(), **extra})


def _blank(obj, table: str, touched: _Touched) -> None:
    columns = obj.__table__.c
    for name in PERSONAL_COLUMNS[table]:
        column = columns[name]
        if isinstance(column.type, JSON):
            setattr(obj, name, [])
        elif column.nullable:
            setattr(obj, name, None)
        else:
            setattr(obj, name, "")
    touched.add(table, obj.id)


def _purge_record(record: Feedback, touched: _Touched) -> None:
    """Blank the personal data of one record and all it holds; keep what reports count."""
    touched.records[record.reference] = record.person_id
    _blank(record, "feedback", touched)
    if record.person_id is not None:
        touched.people.add(record.person_id)
        record.person_id = None
    for stage in record.stages:
        _blank(stage, "stage", touched)
        for element in stage.elements:
            _blank(element, "element", touched)
        for pause in stage.pauses:
            _blank(pause, "stage_pause", touched)
        for extension in stage.extensions:
            _blank(extension, "stage_extension", touched)
        if stage.response is not None:
            _blank(stage.response, "stage_response", touched)
    for event in record.timeline:
        _blank(event, "timeline_event", touched)
    for payment in record.payments:
        _blank(payment, "payment", touched)
    for enquiry in record.ombudsman_enquiries:
        for recommendation in enquiry.recommendations:
            _blank(recommendation, "ombudsman_recommendation", touched)
    for action in record.learning_actions:
        _blank(action, "learning_action", touched)
    if record.advocacy is not None:
        _blank(record.advocacy, "advocacy", touched)
    child = record.child
    if child is not None and all(other.purged_at is not None for other in child.feedback if other is not record):
        _blank(child, "child", touched)
    for letter in db.session.scalars(select(Letter).where(Letter.feedback_id == record.id)):
        _blank(letter, "letter", touched)
    _purge_outbox(record, touched)
    _purge_mail_in(record, touched)
    # The case file goes whole: rows now, the stored files once the purge commits.
    touched.add("document", *(document.id for document in record.documents))
    documents.purge_documents(db.session(), record)
    record.purged_at = now_utc()


def _purge_outbox(record: Feedback, touched: _Touched) -> None:
    """Mail about the record: sent mail is blanked; mail never sent is deleted, since it
    could no longer go anywhere."""
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.feedback_id == record.id)):
        touched.add("outbox_message", message.id)
        if message.sent_at is None:
            for model in (StageExtension, StageResponse, Letter):
                db.session.execute(update(model).where(model.outbox_message_id == message.id)
                                   .values(outbox_message_id=None))
            db.session.delete(message)
        else:
            message.to_address = ""
            message.subject = ""
            message.body = ""
            message.last_error = None


def _purge_mail_in(record: Feedback, touched: _Touched) -> None:
    """Email in about the record: blanked, and the message as it came deleted once the
    purge commits (its copy in the case file goes with the case's documents)."""
    from portal.services.files import storage

    in_case_file = {document.storage_key for document in record.documents}
    for row in db.session.scalars(select(MailInMessage).where(MailInMessage.feedback_id == record.id)):
        _blank(row, "mail_in_message", touched)
        if row.storage_key and row.storage_key not in in_case_file:
            storage.delete_after_commit(db.session(), storage.current_store(), row.storage_key)
        row.storage_key = ""


def _purge_restriction(restriction: ContactRestriction, touched: _Touched) -> None:
    _blank(restriction, "contact_restriction", touched)
    for letter in db.session.scalars(select(Letter).where(Letter.restriction_id == restriction.id)):
        _blank(letter, "letter", touched)
    if restriction.person_id is not None:
        touched.people.add(restriction.person_id)
        restriction.person_id = None
    restriction.purged_at = now_utc()


def _scrub_releases(touched: _Touched) -> None:
    """Take the records just purged out of every stored subject access release of
    someone else. A release once matched records on a name alone (issue 14), so another
    person's release may hold them; the erased person's details must not outlive them
    there. The person's own release keeps their own records (it is what was sent) until
    the person is removed. The release's redaction paths follow the records' new places."""
    if not touched.records:
        return
    for request in db.session.scalars(select(SubjectAccessRequest).order_by(SubjectAccessRequest.id)):
        records = (request.release or {}).get("records") or []
        kept = [i for i, entry in enumerate(records)
                if not (isinstance(entry, dict) and entry.get("reference") in touched.records
                        and touched.records[entry["reference"]] != request.person_id)]
        if len(kept) == len(records):
            continue
        places = {str(old): str(new) for new, old in enumerate(kept)}
        paths = []
        for path in request.redactions or []:
            parts = path.split("/")
            if parts[0] == "records":
                if parts[1] not in places:
                    continue
                parts[1] = places[parts[1]]
            paths.append("/".join(parts))
        request.release = {**request.release, "records": [records[i] for i in kept], "redactions": len(paths)}
        request.redactions = paths
        touched.add("subject_access_request", request.id)


def _remove_people(touched: _Touched) -> int:
    """Delete each person a purge detached from, once nothing kept points to them and no
    legal hold stands on them. Their subject access requests keep their dates, without
    the release or the link."""
    removed: list[int] = []
    _, held_people = holds.held_ids()
    for person_id in sorted(touched.people):
        person = db.session.get(Person, person_id)
        if person is None or person_id in held_people:
            continue
        still_used = db.session.scalar(select(Feedback.id).where(Feedback.person_id == person_id).limit(1)) \
            or db.session.scalar(select(ContactRestriction.id)
                                 .where(ContactRestriction.person_id == person_id).limit(1))
        if still_used:
            continue
        for request in db.session.scalars(
            select(SubjectAccessRequest).where(SubjectAccessRequest.person_id == person_id)
        ):
            request.person_id = None
            request.release = None
            request.redactions = []
            touched.add("subject_access_request", request.id)
        for hold in db.session.scalars(select(LegalHold).where(LegalHold.person_id == person_id)):
            db.session.delete(hold)  # only lifted holds remain here
            touched.add("legal_hold", hold.id)
        db.session.flush()
        db.session.delete(person)
        removed.append(person_id)
    touched.add("person", *removed, *_merged_into(removed))
    return len(removed)


def _merged_into(person_ids: list[int]) -> set[str]:
    """The people merged into these, and into those before: their rows are gone, but the
    audit trail still holds what they said, under their own ids. A query per step of the
    chains (and per 500 ids), not per person."""
    found: set[str] = set()
    into = sorted({str(i) for i in person_ids})
    while into:
        absorbed: set[str] = set()
        for start in range(0, len(into), 500):
            merges = db.session.scalars(
                select(AUDIT_TABLE.c.new).where(AUDIT_TABLE.c.action == people.MERGED,
                                                AUDIT_TABLE.c.entity_type == "person",
                                                AUDIT_TABLE.c.entity_id.in_(into[start:start + 500]))
            )
            absorbed |= {str(new["absorbed_person_id"]) for new in merges if new}
        into = sorted(absorbed - found)
        found |= absorbed
    return found


def _remove_stale_drafts(touched: _Touched) -> int:
    """Public form answers nobody finished (portal.services.intake.drafts keeps them two days),
    deleted as ``drafts.purge_stale`` does but in this transaction, with the files chosen on
    them (rows and stored files, ``uploads.forget``)."""
    stale = drafts.stale_keys()
    if stale:
        db.session.execute(delete(Draft).where(Draft.key.in_(stale)))
        uploads.forget(stale)
        touched.add("draft", *stale)
    return len(stale)


# --- The audit trail --------------------------------------------------------------------

AUDIT_TABLE = AuditEntry.__table__


def _redact_audit_trail(touched: _Touched) -> int:
    """Replace the removed values in the audit entries of every row the purge touched (and
    of unfinished drafts past their time), marking each entry redacted. Row changes keep
    their other values; an explicit entry (an export, a release) keeps only its keys."""
    redacted = 0
    for table, ids in touched.ids.items():
        keys = sorted(ids)
        for start in range(0, len(keys), 500):
            redacted += _redact_entries(table, AUDIT_TABLE.c.entity_id.in_(keys[start:start + 500]))
    redacted += _redact_entries("draft", AUDIT_TABLE.c.at < now_utc() - drafts.KEEP_FOR)
    return redacted


def _redact_entries(table: str, condition) -> int:
    personal = PERSONAL_COLUMNS.get(table, frozenset())
    rows = db.session.execute(
        select(AUDIT_TABLE.c.id, AUDIT_TABLE.c.action, AUDIT_TABLE.c.old, AUDIT_TABLE.c.new)
        .where(AUDIT_TABLE.c.entity_type == table, AUDIT_TABLE.c.redacted_at.is_(None), condition)
    ).all()
    moment = now_utc()
    for row in rows:
        row_change = row.action in ("create", "update", "delete")
        db.session.execute(
            update(AUDIT_TABLE).where(AUDIT_TABLE.c.id == row.id).values(
                old=_redacted(row.old, personal if row_change else None),
                new=_redacted(row.new, personal if row_change else None),
                redacted_at=moment,
            )
        )
    return len(rows)


def _redacted(values: dict | None, personal: frozenset[str] | None) -> dict | None:
    if values is None:
        return None
    return {
        key: (REMOVED if (personal is None or key in personal) and value not in (None, "", [])
              else value)
        for key, value in values.items()
    }
