"""Write, check, send (issue 18, 2): a letter or email from its template, kept as sent.

Staff choose a template (``draft``), edit the text, check and preview it (``check`` and
``preview_pdf``) and send it (``send``): an email goes through the outbox after the
commit, a letter is kept as the PDF to post (printed with others in a batch,
``to_post``). Nothing goes without a preview: the page sends only the text it checked.
Each letter keeps its exact text, its PDF and the template version it came from, and is
on the case's timeline.

A stage response also answers the stage (procedures.responses.send_response: its own
rules still apply); the letter records the same text.

Each letter on a case also goes into its case file as a PDF document (issue 17's
``files.documents.add_document``), where the Investigating Officer, the Ombudsman bundle and
a subject access request find it with everything else.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, Letter, LetterTemplate, Stage, StaffUser
from portal.services.accounts.permissions import has_permission
from portal.services.common import audit, held, outbox, timeline
from portal.services.common.dates import now_utc, spoken, today_or
from portal.services.common.errors import Refused, check_version
from portal.services.common.labels import LetterAudience, LetterChannel, LetterPurpose
from portal.services.correspondence import checks, documents, merge_fields, templates
from portal.services.correspondence.readability import is_young_person
from portal.services.files import documents as documents_in_file
from portal.services.procedures import extensions, responses

OVERRIDE = "override_letter_checks"


@dataclass(frozen=True)
class Draft:
    template: templates.Template
    subject: str
    text: str


def default_audience(record: Feedback | None) -> str:
    return "young" if is_young_person(record) else "adult"


def default_channel(record: Feedback | None) -> str:
    return "email" if record is not None and record.person and record.person.email else "letter"


def stage_for(record: Feedback | None, purpose: str) -> Stage | None:
    """The stage a letter is about: Stage N for a Stage N response, else the latest stage."""
    if record is None or not record.stages:
        return None
    if purpose in checks.RESPONSES:
        return next((s for s in record.stages if s.number == checks.RESPONSES[purpose]), None)
    return record.stages[-1]


def values(record: Feedback | None, purpose: str, channel: str, actor: StaffUser | None, sent_on: date,
           restriction: ContactRestriction | None = None, status_link: str | None = None) -> dict:
    return merge_fields.for_case(record, channel=channel, sent_on=sent_on, stage=stage_for(record, purpose),
                                 officer=actor, restriction=restriction, status_link=status_link)


def draft(record: Feedback | None, purpose: str, channel: str, audience: str, actor: StaffUser | None,
          sent_on: date, restriction: ContactRestriction | None = None) -> Draft:
    """The letter as staff start it: the template in use, filled in."""
    template = templates.current(purpose, channel, audience)
    fields = values(record, purpose, channel, actor, sent_on, restriction)
    return Draft(template, templates.render(template.subject, fields).strip(), templates.render(template.body, fields))


def refill(record: Feedback | None, purpose: str, channel: str, actor: StaffUser | None, sent_on: date,
           text: str, restriction: ContactRestriction | None = None) -> tuple[str, list[str]]:
    """``text`` with each field that had no value (``[no value: ...]``) filled in where the
    case now has one (an element's finding recorded since), and the fields filled. Staff
    keep what they wrote while they put the case right."""
    fields = values(record, purpose, channel, actor, sent_on, restriction)
    filled = []
    for path in dict.fromkeys(checks.MISSING.findall(text or "")):
        value = merge_fields.value_of(fields, path)
        if value is not None:
            text = text.replace(f"[no value: {path}]", str(value))
            filled.append(path)
    return text, filled


def check(record: Feedback | None, purpose: str, text: str, channel: str, audience: str, sent_on: date) -> checks.Check:
    return checks.check_letter(record, purpose, text, channel=channel, audience=audience,
                               stage=stage_for(record, purpose), sent_on=sent_on)


def page(record: Feedback | None, subject: str, text: str, sent_on: date,
         restriction: ContactRestriction | None = None) -> documents.Page:
    person = record.person if record is not None else (restriction.person if restriction else None)
    name = (person.name if person else None) or (restriction.person_name if restriction else None)
    return documents.Page(subject=subject, text=text, date=spoken(sent_on),
                          reference=record.reference if record is not None else None,
                          to_name=name, to_address=person.address if person else None)


def preview_pdf(record: Feedback | None, subject: str, text: str, sent_on: date,
                restriction: ContactRestriction | None = None) -> bytes:
    return documents.pdf([page(record, subject, text, sent_on, restriction)], subject)


def _template_row(purpose: str, channel: str, audience: str, version: int | None) -> LetterTemplate:
    """The version the text was written from (0: the default, saved as version 1)."""
    if not version:
        first = db.session.scalars(select(LetterTemplate).where(
            LetterTemplate.purpose == purpose, LetterTemplate.channel == channel,
            LetterTemplate.audience == audience, LetterTemplate.version == 1)).first()
        return first or templates.in_use(templates.current(purpose, channel, audience))
    row = db.session.scalars(select(LetterTemplate).where(
        LetterTemplate.purpose == purpose, LetterTemplate.channel == channel,
        LetterTemplate.audience == audience, LetterTemplate.version == version)).first()
    if row is None:
        raise Refused("That version of the template does not exist: choose the template again", "purpose")
    return row


def send(record: Feedback | None, *, purpose: str, channel: str, audience: str, template_version: int | None,
         subject: str, text: str, actor: StaffUser, sent_on: date | None = None, today: date | None = None,
         version: int | None = None, override_reason: str | None = None,
         restriction: ContactRestriction | None = None, to_address: str | None = None) -> Letter:
    """Send (email) or keep to post (letter) what was checked and previewed.

    Refused while the check finds a placeholder, a field with no value or an element with
    no finding; and while it finds a missing required part, unless ``actor`` may override
    the check (feedback managers) and gives ``override_reason``, which is audited."""
    if record is not None:
        check_version(record, version)
    if purpose not in LetterPurpose:
        raise Refused("Choose what the letter is for", "purpose")
    if channel not in LetterChannel:
        raise Refused("Choose whether to email or post it", "channel")
    if audience not in LetterAudience:
        raise Refused("Choose who the words are for", "audience")
    sent_on = today_or(today) if sent_on is None else sent_on
    subject = " ".join((subject or "").split())
    if not subject:
        raise Refused("Enter the subject", "subject")
    text = (text or "").replace("\r\n", "\n").strip()
    found = check(record, purpose, text, channel, audience, sent_on)
    reason = " ".join((override_reason or "").split()) or None
    if found.blocked:
        hard = [p for p in found.problems if not p.overridable]
        if hard:
            raise Refused(hard[0].message, "text")
        if not has_permission(actor, OVERRIDE):
            raise Refused(found.problems[0].message + ". A feedback manager can send it anyway, "
                          "with a reason", "text")
        if reason is None:
            raise Refused("Enter why it should go without: " + found.problems[0].message, "override_reason")
    else:
        reason = None
    address = None
    if channel == "email":
        person = record.person if record is not None else (restriction.person if restriction else None)
        address = (to_address or "").strip() or (person.email if person else None) or (
            restriction.person_email if restriction else None)
        if not address:
            raise Refused("There is no email address for this person: send it as a letter to post", "channel")
    row = _template_row(purpose, channel, audience, template_version)
    letter = Letter(feedback=record, restriction=restriction, purpose=purpose, channel=channel, audience=audience,
                    template=row, template_version=row.version, subject=subject, text=text + "\n",
                    to_address=address, sent_on=sent_on, override_reason=reason,
                    overridden_by=actor if reason else None, created_by=actor)
    if purpose in checks.RESPONSES:
        response = responses.send_response(stage_for(record, purpose), text, "email" if channel == "email" else "post",
                                           sent_on, actor, to_address=address, today=today,
                                           states_next_step=reason is None)
        letter.outbox_message = response.outbox_message
    elif address:
        letter.outbox_message = outbox.queue(address, subject, text + "\n", purpose=f"letter_{purpose}"[:40],
                                             feedback=record)
    if purpose == "extension" and stage_for(record, purpose) is not None:
        # The extension notice tells the person (DOMAIN.md: "reason recorded, complainant told").
        extensions.record_notice(stage_for(record, purpose), "email" if channel == "email" else "letter",
                                 sent_on, letter.outbox_message)
    letter.pdf = documents.pdf([page(record, subject, text, sent_on, restriction)], subject)
    db.session.add(letter)
    db.session.flush()
    what = LetterPurpose(purpose).words
    how = f"emailed to {address}" if address else "kept to post"
    if record is not None:
        timeline.add(record, "letter_sent", f"{what} {how} on {spoken(sent_on)} (template version {row.version})",
                     actor)
    if reason:
        audit.record(actor, "letter_check_overridden", "letter", letter.id,
                     new={"reason": reason, "problems": [p.message for p in found.problems]})
    _into_case_file(letter, actor)
    return letter


def _into_case_file(letter: Letter, actor: StaffUser) -> None:
    """The letter's PDF into the case file (issue 18, 2: "kept in the case file ... as the
    exact text and PDF sent"), described as what it was, when and from which version."""
    if letter.feedback is None or letter.pdf is None:
        return  # a restriction letter is about a person, not a case: it stays with the restriction
    how = f"emailed to {letter.to_address}" if letter.to_address else "posted"
    documents_in_file.add_document(
        db.session, letter.feedback, io.BytesIO(letter.pdf), f"{letter.purpose.replace('_', '-')}-"
        f"{letter.sent_on.isoformat()}.pdf", by=actor, received_on=letter.sent_on,
        description=f"{LetterPurpose(letter.purpose).words}, {how} on {spoken(letter.sent_on)} "
                    f"(template version {letter.template_version})")


def acknowledge(record: Feedback, to: str, status_link: str) -> Letter:
    """The acknowledgement email of what the public sent, from the template in use for
    their audience, kept with the version it came from (no PDF: it is an email the portal
    sends itself)."""
    audience = default_audience(record)
    template, row = templates.current_in_use("acknowledgement", "email", audience)
    sent_on = record.received_on
    fields = values(record, "acknowledgement", "email", None, sent_on, status_link=status_link)
    subject = templates.render(template.subject, fields).strip()
    body = templates.render(template.body, fields)
    message = outbox.queue(to, subject, body, purpose="acknowledgement", feedback=record,
                           link_ref=outbox.status_link_ref(record) if status_link in body else None)
    letter = Letter(feedback=record, purpose="acknowledgement", channel="email", audience=audience, template=row,
                    template_version=row.version, subject=subject, text=body, to_address=to, sent_on=sent_on,
                    outbox_message=message)
    db.session.add(letter)
    return letter


def for_case(record: Feedback) -> list[Letter]:
    """The case's letters, newest first (read once within a ``held.holding``: the case
    page's Letters and Correspondence panels both show them)."""
    return held.once(("letters", record.id), lambda: list(db.session.scalars(
        select(Letter).where(Letter.feedback_id == record.id).order_by(Letter.created_at.desc(), Letter.id.desc()))))


def to_post() -> list[Letter]:
    """Letters kept to post and not yet printed, oldest first."""
    return list(db.session.scalars(select(Letter).where(Letter.channel == "letter", Letter.printed_at.is_(None))
                                   .order_by(Letter.id)))


def batch_pdf(letters: list[Letter]) -> bytes:
    """The letters as one PDF to print, each from a new page."""
    return documents.pdf([page(l.feedback, l.subject, l.text, l.sent_on, l.restriction) for l in letters],
                         "Letters to post")


def mark_printed(letters: list[Letter]) -> int:
    now = now_utc()
    for letter in letters:
        letter.printed_at = now
    return len(letters)
