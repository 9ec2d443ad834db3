"""Subject access: finding every record about a person, and the release prepared for them.

DOMAIN.md, "Data protection": a person's records can be exported for a subject access
request, answered within one calendar month. The release is a copy of the person's data
as a JSON document; staff redact third parties' details on the copy (the records
themselves never change), then release it as JSON and PDF. DOMAIN.md, "Correspondence
and the case file": the letters and emails sent to the person are part of it as they went,
each with its exact text and the PDF posted (in the release's zip). Rectification (correcting a
person's details) is here too: an ordinary change, which the audit trail records.
"""

from __future__ import annotations

import copy as copying
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    ContactRestriction,
    Feedback,
    Letter,
    OutboxMessage,
    Person,
    StaffUser,
    Stage,
    SubjectAccessRequest,
)
from portal.services.common import audit
from portal.services.intake import people
from portal.services.common.dates import add_months, now_utc
from portal.services.common.errors import Refused
from portal.services.common.pdfs import tagged_pdf

FORMAT = "subject-access-release/1"
REDACTED = "[redacted]"
# The keys of the copy whose values staff may redact: free text and names. Codes, dates
# and references are the organisation's own and stay.
REDACTABLE = frozenset({
    "name", "email", "phone", "address", "summary", "when_it_happened", "desired_outcome",
    "on_behalf_of_name", "support_needs", "resolution", "referred_to", "submitted_by",
    "named_staff", "officer", "investigating_officer", "independent_person", "response",
    "text", "by", "to", "subject", "body", "reason", "review_result", "file_name", "description",
})
FIELD_LABELS = {
    "name": "Name", "email": "Email", "phone": "Phone", "address": "Address",
    "summary": "What they told us", "when_it_happened": "When it happened",
    "desired_outcome": "What would put it right", "on_behalf_of_name": "Written for",
    "support_needs": "Support needs", "resolution": "Resolution", "referred_to": "Referred to",
    "submitted_by": "Sent by", "named_staff": "Staff named", "officer": "Officer",
    "investigating_officer": "Investigating Officer", "independent_person": "Independent Person",
    "response": "Response", "text": "Text", "by": "By", "to": "To", "subject": "Subject",
    "body": "Message", "reason": "Reason", "review_result": "Review result",
    "file_name": "File (redact to leave the file out)", "description": "Description of the file",
}


# --- Dates ------------------------------------------------------------------------------


def due_date(received_on: date) -> date:
    """One calendar month after receipt: the same day of the next month, or that month's
    last day where it has no such day (31 January is due on 28 February, 29 in a leap
    year). The ICO allows until the next working day when that day is a weekend or bank
    holiday; the portal keeps the earlier date, which is never late."""
    return add_months(received_on, 1)


def deadline_words(request: SubjectAccessRequest, today: date) -> str:
    """The deadline as staff read it, overdue said in words (never by colour alone)."""
    if request.status == "released" and request.released_on:
        late = (request.released_on - request.due_on).days
        return (f"Released {late} day{'s' if late != 1 else ''} after the deadline" if late > 0
                else "Released within the deadline")
    if request.status == "withdrawn":
        return "Withdrawn"
    days = (request.due_on - today).days
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {days} day{'s' if days != 1 else ''}"


def is_overdue(request: SubjectAccessRequest, today: date) -> bool:
    return request.status == "open" and request.due_on < today


# --- Finding a person and their records --------------------------------------------------


def find_people(query: str, limit: int = 50) -> list[Person]:
    """People whose name contains ``query``, or whose email or phone number is ``query``,
    or who sent the record with this reference."""
    query = (query or "").strip()
    if not query:
        return []
    conditions = [Person.name.ilike(f"%{_escape_like(query)}%", escape="\\")]
    if email := people.normalise_email(query):
        conditions.append(Person.email == email)
    if phone := people.normalise_phone(query):
        if len(phone) >= 6:
            conditions.append(Person.phone_key == phone)
    conditions.append(Person.id.in_(
        select(Feedback.person_id).where(Feedback.reference == query.upper())))
    return list(db.session.scalars(select(Person).where(or_(*conditions))
                                   .order_by(Person.name, Person.id).limit(limit)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class Found:
    record: Feedback
    relation: str  # "submitter" (the only one a release holds: see ``records_about``)


def records_about(person: Person) -> list[Found]:
    """Every record of the person: the ones their person record holds, which include the
    records of every person merged into it (a merge moves them). Never a record matched
    on a name alone: "Sam Jones" is many people, and a release for one of them held
    another family's record with their email and a live status link (issue 14). Records
    whose personal data was removed hold nothing about anyone."""
    options = [selectinload(Feedback.stages).selectinload(Stage.elements),
               selectinload(Feedback.timeline)]
    sent = db.session.scalars(
        select(Feedback).where(Feedback.person_id == person.id, Feedback.purged_at.is_(None))
        .options(*options).order_by(Feedback.received_on, Feedback.reference))
    return [Found(r, "submitter") for r in sent]


def named_in(person: Person) -> list[Feedback]:
    """Other people's records written for someone of this person's name (ignoring case),
    for staff to check by hand: a name does not say who someone is, so these are never
    in the person's release."""
    name = (person.name or "").strip()
    if not name:
        return []
    # Matched as the index ix_feedback_on_behalf_of_name holds them (migration 0027), word
    # for word; its condition too, which the match implies but SQLite cannot tell.
    return list(db.session.scalars(
        select(Feedback).where(
            Feedback.on_behalf_of_name.is_not(None),
            func.lower(func.trim(Feedback.on_behalf_of_name)) == name.lower(),
            Feedback.purged_at.is_(None),
            or_(Feedback.person_id.is_(None), Feedback.person_id != person.id),
        ).order_by(Feedback.received_on, Feedback.reference)))


# A status link in an email opens the case to whoever holds it: a release never carries one.
_STATUS_LINK = re.compile(r"\S*/your-feedback/[A-Za-z0-9_\-.]{20,}")
LINK_REMOVED = "[link removed]"


def _without_links(text: str | None) -> str | None:
    return _STATUS_LINK.sub(LINK_REMOVED, text) if text else text


# --- Requests ---------------------------------------------------------------------------


def open_request(person: Person, received_on: date, user: StaffUser | None, today: date) -> SubjectAccessRequest:
    """Record a request received on ``received_on`` (audited as a row change). Not committed."""
    if received_on > today:
        raise Refused("The date the request was received must be today or in the past",
                      "received_on")
    request = SubjectAccessRequest(
        person=person, received_on=received_on, due_on=due_date(received_on), status="open",
        redactions=[], created_by_id=user.id if user else None,
    )
    db.session.add(request)
    return request


def requests_list(status: str | None = None) -> list[SubjectAccessRequest]:
    query = select(SubjectAccessRequest).options(selectinload(SubjectAccessRequest.person))
    if status:
        query = query.where(SubjectAccessRequest.status == status)
    return list(db.session.scalars(query.order_by(SubjectAccessRequest.due_on, SubjectAccessRequest.id)))


# --- The copy and its redaction ---------------------------------------------------------


def build_copy(person: Person, request: SubjectAccessRequest | None = None,
               today: date | None = None) -> dict:
    """A copy of everything the portal holds about the person, as a JSON document."""
    found = records_about(person)
    restrictions = db.session.scalars(
        select(ContactRestriction).where(ContactRestriction.person_id == person.id)
        .order_by(ContactRestriction.letter_issued_on))
    return {
        "format": FORMAT,
        "prepared_on": (today or date.today()).isoformat(),
        "request": {
            "received_on": request.received_on.isoformat(),
            "due_on": request.due_on.isoformat(),
        } if request else None,
        "person": {"name": person.name, "email": person.email, "phone": person.phone,
                   "address": person.address},
        "records": [_record(f.record, f.relation) for f in found],
        "contact_restrictions": [
            {"letter_issued_on": r.letter_issued_on.isoformat(), "restrictions": list(r.restrictions or []),
             "reason": r.reason, "review_on": _iso(r.review_on), "reviewed_on": _iso(r.reviewed_on),
             "review_result": r.review_result,
             "letters": [_letter(letter) for letter in _sent(Letter.restriction_id == r.id)]}
            for r in restrictions
        ],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _sent(where) -> list[Letter]:
    return list(db.session.scalars(select(Letter).where(where).order_by(Letter.sent_on, Letter.id)))


def _letter(letter: Letter) -> dict:
    """A letter or email sent to the person, as it went: its exact text (a status link
    removed, as in any email here) and, for the zip, its PDF (``release_letters``)."""
    return {"sent_on": letter.sent_on.isoformat(), "how": letter.channel, "to": letter.to_address,
            "subject": letter.subject, "text": _without_links(letter.text),
            "template_version": letter.template_version, "letter_id": letter.id,
            "file_name": f"{letter.sent_on.isoformat()} {letter.purpose.replace('_', ' ')}.pdf"
            if letter.pdf is not None else None}


def _record(record: Feedback, relation: str) -> dict:
    letters = _sent(Letter.feedback_id == record.id)
    # An email sent as a letter is listed once, with the letters.
    as_letters = {letter.outbox_message_id for letter in letters if letter.outbox_message_id is not None}
    messages = [m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.feedback_id == record.id)
                                              .order_by(OutboxMessage.created_at)) if m.id not in as_letters]
    return {
        "reference": record.reference,
        "relation": relation,
        "kind": record.kind,
        "received_on": record.received_on.isoformat(),
        "channel": record.channel,
        "submitter_role": record.submitter_role,
        "team": record.team.name if record.team else None,
        "theme": record.theme.name if record.theme else None,
        "status": record.status,
        "summary": record.summary,
        "when_it_happened": record.when_it_happened,
        "desired_outcome": record.desired_outcome,
        "on_behalf_of_name": record.on_behalf_of_name,
        "support_needs": record.support_needs,
        "outcome": record.outcome,
        "outcome_on": _iso(record.outcome_on),
        "resolution": record.resolution,
        "referred_to": record.referred_to,
        "named_staff": list(record.named_staff or []),
        "stages": [
            {"stage": s.number, "started_on": s.started_on.isoformat(), "responded_on": _iso(s.responded_on),
             "officer": s.officer, "investigating_officer": s.investigating_officer,
             "independent_person": s.independent_person,
             "elements": [{"number": e.number, "summary": e.summary, "outcome": e.outcome} for e in s.elements],
             "response": s.response.text if s.response is not None else None}
            for s in record.stages
        ],
        "timeline": [
            {"at": e.occurred_at.isoformat(), "what": e.kind, "by": e.actor_label, "text": e.text}
            for e in record.timeline
        ],
        "messages": [
            {"created_at": m.created_at.isoformat(), "to": m.to_address, "subject": m.subject,
             "body": _without_links(m.body)}
            for m in messages
        ],
        # Letters and emails written to the person who sent the record (issue 18).
        "letters": [_letter(letter) for letter in letters] if relation == "submitter" else [],
        # The files the person sent (docs/case-file.md): listed here, and included in the
        # release's zip by sha256 unless their name is redacted on this copy.
        "documents": [
            {"file_name": d.safe_name, "kind": d.kind, "received_on": d.received_on.isoformat(),
             "description": d.description, "sha256": d.sha256}
            for d in own_documents(record)
        ] if relation == "submitter" else [],
    }


def own_documents(record: Feedback) -> list:
    """The documents of a record that the person sent themselves (from a form or by
    email), in the case file and out of the quarantine."""
    return [d for d in record.documents if d.removed_at is None and not d.quarantined
            and d.source in ("public", "email")]


def release_files(request: SubjectAccessRequest) -> list[tuple[str, str]]:
    """The files the release includes, as (name in the zip, storage key): each document the
    release lists whose name was not redacted."""
    if request.release is None:
        return []
    included = []
    for record in request.release.get("records") or []:
        for n, listed in enumerate(record.get("documents") or [], start=1):
            if listed.get("file_name") in (None, REDACTED) or not listed.get("sha256"):
                continue
            included.append((f"files/{record.get('reference')}/{n:02d} {listed['file_name']}", listed["sha256"]))
    return included


def release_letters(request: SubjectAccessRequest) -> list[tuple[str, int]]:
    """The letters' PDFs the release includes, as (name in the zip, letter id): each letter
    it lists whose file name, subject and text were not redacted (a PDF would show what a
    redaction took out of the text)."""
    if request.release is None:
        return []
    listed = [(record.get("reference"), letter) for record in request.release.get("records") or []
              for letter in record.get("letters") or []]
    listed += [("contact", letter) for restriction in request.release.get("contact_restrictions") or []
               for letter in restriction.get("letters") or []]
    included = []
    for n, (where, letter) in enumerate(listed, start=1):
        if REDACTED in (letter.get("file_name"), letter.get("subject"), letter.get("text")):
            continue
        if letter.get("file_name") and letter.get("letter_id"):
            included.append((f"letters/{where}/{n:02d} {letter['file_name']}", letter["letter_id"]))
    return included


@dataclass(frozen=True)
class Field:
    path: str  # "records/0/summary", "records/0/named_staff/1"
    label: str
    value: str
    section: str  # "person", "records/0" or "contact_restrictions"


def fields(document: dict) -> list[Field]:
    """Every value of the copy that staff may redact, in document order, each with a label
    that says where it is ("Stage 2, element 1: What they told us")."""
    found: list[Field] = []

    def walk(value, path: list[str], key: str | None, where: str, section: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + [k], k, where, section)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + [str(i)], key, _where(where, key, v, i), section)
        elif isinstance(value, str) and value.strip() and key in REDACTABLE:
            label = FIELD_LABELS.get(key, key)
            found.append(Field("/".join(path), f"{where}: {label}" if where else label, value, section))

    walk(document.get("person") or {}, ["person"], None, "", "person")
    for i, record in enumerate(document.get("records") or []):
        walk(record, ["records", str(i)], None, "", f"records/{i}")
    for i, letter in enumerate(document.get("contact_restrictions") or []):
        walk(letter, ["contact_restrictions", str(i)], None, f"Letter of {letter.get('letter_issued_on')}",
             "contact_restrictions")
    return found


def _where(where: str, key: str | None, item, index: int) -> str:
    """Where a list's item sits, for its fields' labels."""
    if key == "stages":
        here = f"Stage {item.get('stage')}"
    elif key == "elements":
        here = f"element {item.get('number')}"
    elif key == "timeline":
        here = f"Timeline, {item.get('at', '')[:10]}"
    elif key == "messages":
        here = f"Email of {item.get('created_at', '')[:10]}"
    elif key == "letters":
        here = f"{'Email' if item.get('how') == 'email' else 'Letter'} of {item.get('sent_on', '')}"
    elif key == "named_staff":
        here = f"name {index + 1}"
    else:
        here = str(index + 1)
    return f"{where}, {here}" if where else here


def apply_redactions(document: dict, paths: list[str]) -> dict:
    """A copy of ``document`` with each path's value replaced by "[redacted]"."""
    redacted = copying.deepcopy(document)
    for path in paths:
        parts = path.split("/")
        target = redacted
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = REDACTED
        else:
            target[last] = REDACTED
    redacted["redactions"] = len(paths)
    return redacted


def prepare(request: SubjectAccessRequest, paths: list[str], today: date) -> dict:
    """Make the release: the copy as it is now, with ``paths`` redacted. Not committed."""
    if request.status != "open":
        raise Refused("This request has been closed; its release can no longer change")
    if request.person is None:
        raise Refused("The person of this request has been erased")
    document = build_copy(request.person, request, today)
    allowed = {f.path for f in fields(document)}
    unknown = [p for p in paths if p not in allowed]
    if unknown:
        raise Refused("The records changed while you were choosing: check the redactions again",
                      "redact")
    request.redactions = list(paths)
    request.release = apply_redactions(document, list(paths))
    request.prepared_at = now_utc()
    return request.release


def release(request: SubjectAccessRequest, user: StaffUser | None, today: date) -> None:
    """Record that the release went to the person today, and audit it (counts only: the
    release itself holds personal data). Not committed."""
    if request.status != "open":
        raise Refused("This request has already been closed")
    if request.release is None:
        raise Refused("Prepare the release before sending it")
    request.status = "released"
    request.released_on = today
    request.released_by_id = user.id if user else None
    audit.record(user, "subject_access_release", "subject_access_request", request.id, new={
        "person_id": request.person_id, "records": len(request.release.get("records") or []),
        "redactions": len(request.redactions or []), "released_on": today,
        "due_on": request.due_on, "within_deadline": today <= request.due_on,
    })


def withdraw(request: SubjectAccessRequest) -> None:
    if request.status != "open":
        raise Refused("This request has already been closed")
    request.status = "withdrawn"


# --- Downloads --------------------------------------------------------------------------


def release_json(request: SubjectAccessRequest) -> bytes:
    import json

    return (json.dumps(request.release, ensure_ascii=False, indent=2) + "\n").encode()


def release_pdf(request: SubjectAccessRequest, org_name: str) -> bytes:
    """The release as a PDF, drawn by WeasyPrint (imported here: it needs Pango, a system
    library) from templates/staff/data_protection/release_pdf.html."""
    from flask import render_template

    html = render_template("staff/data_protection/release_pdf.html", document=request.release,
                           org_name=org_name, request=request, labels=FIELD_LABELS)
    return tagged_pdf(html)


def release_zip(request: SubjectAccessRequest, org_name: str) -> bytes:
    """The release as a zip: its PDF and JSON, the files the person sent that it lists
    (``release_files``, from the file store) and the PDFs of the letters sent to them
    (``release_letters``)."""
    import io
    import zipfile

    from portal.services.files import storage

    store = storage.current_store()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("release.pdf", release_pdf(request, org_name))
        archive.writestr("release.json", release_json(request))
        for name, key in release_files(request):
            if store.exists(key):
                with store.open(key) as content, archive.open(name, "w") as entry:
                    while chunk := content.read(1024 * 1024):
                        entry.write(chunk)
        for name, letter_id in release_letters(request):
            letter = db.session.get(Letter, letter_id)
            if letter is not None and letter.pdf is not None:
                archive.writestr(name, letter.pdf)
    return out.getvalue()


def downloaded(request: SubjectAccessRequest, user: StaffUser | None, file_format: str) -> None:
    """Audit a download of the release (what, never its contents). Not committed."""
    audit.record(user, "export", "subject_access_request", request.id,
                 new={"format": file_format, "person_id": request.person_id})


# --- Rectification ----------------------------------------------------------------------


def rectify(person: Person, name: str | None, email: str | None, phone: str | None,
            address: str | None) -> None:
    """Correct a person's details: an ordinary change, audited with old and new values.
    Not committed."""
    email = people.normalise_email(email)
    if email and db.session.scalar(select(Person.id).where(Person.email == email, Person.id != person.id)):
        raise Refused("Another person's record has this email address: merge the two records instead",
                      "email")
    person.name = (name or "").strip() or None
    person.email = email
    person.phone = (phone or "").strip() or None
    person.phone_key = people.normalise_phone(phone)
    person.address = (address or "").strip() or None
