"""Feedback that arrives from the public forms.

Questions, concerns and complaints all arrive for staff as initial contacts; a
complaint form records that the person asks for a formal complaint, which staff
see first. A "yes" to "is a child at risk of harm now" marks the record as a
safeguarding concern and alerts the duty address at once (DOMAIN.md, Safeguarding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, render_template

from portal.extensions import db
from portal.models import Feedback, Team
from portal.services.correspondence import letters
from portal.services.casework import advocacy
from portal.services.procedures import deadlines
from portal.services.common import outbox, timeline
from portal.services.intake import children, people, references
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import london_date, now_utc


@dataclass
class Submission:
    """What a person told us through a public form, in the portal's own terms."""

    kind: str  # "compliment" or "initial_contact"
    submitter_role: str
    summary: str
    category: str | None = None
    formal_complaint_requested: bool = False
    team_id: int | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    contact_methods: list[str] = field(default_factory=list)
    submitter_age: int | None = None
    on_behalf_of_child: bool = False
    on_behalf_of_name: str | None = None
    on_behalf_consent: str | None = None
    when_it_happened: str | None = None
    desired_outcome: str | None = None
    support_needs: str | None = None
    advocate_requested: bool = False
    safeguarding_concern: bool = False
    named_staff: str | None = None
    publish_consent: bool = False
    young_persons_form: bool = False
    child_name: str | None = None
    child_date_of_birth: date | None = None


def receive(submission: Submission, now: datetime | None = None) -> Feedback:
    """Record a submission, with its acknowledgement and any alert, in one transaction."""
    now = now or now_utc()
    # Written in two flushes: the record with its due date and what is made with it, then
    # (once it has its number, which the status link names) its acknowledgement and any
    # alert; each flush writes its audit entries in one statement (issue 23). Reads on the
    # way (the reference counter, the calendar, the timescales, the template) would
    # otherwise flush what was made so far, each time with audit entries of its own.
    with db.session.no_autoflush:
        record = _record(submission, now)
        timeline.add(record, "received", "Sent through the young person's form" if submission.young_persons_form
                     else "Sent through the web form", actor_label=_sender(submission), when=now)
        deadlines.refresh(record, current_calendar())
        if submission.young_persons_form:
            advocacy.offered_on_the_form(record)
    db.session.flush()
    with db.session.no_autoflush:
        if submission.email:
            _acknowledge(record, submission.email)
        if submission.safeguarding_concern:
            _alert_duty_team(record)
    db.session.flush()
    return record


def _record(submission: Submission, now: datetime) -> Feedback:
    """The new record and the person who sent it, with its reference."""
    received_on = london_date(now)
    team = db.session.get(Team, submission.team_id) if submission.team_id else None
    person = people.from_public_form(
        submission.name, submission.email, submission.phone, submission.address
    )
    record = Feedback(
        reference=references.next_reference(received_on.year),
        kind=submission.kind,
        status="new",
        received_on=received_on,
        channel="web",
        young_persons_form=submission.young_persons_form,
        person=person,
        submitter_role=submission.submitter_role,
        submitter_age=submission.submitter_age,
        contact_methods=list(submission.contact_methods),
        support_needs=submission.support_needs,
        on_behalf_of_child=submission.on_behalf_of_child,
        on_behalf_of_name=submission.on_behalf_of_name,
        on_behalf_consent=submission.on_behalf_consent,
        team=team,
        category=submission.category,
        summary=submission.summary,
        when_it_happened=submission.when_it_happened,
        desired_outcome=submission.desired_outcome,
        formal_complaint_requested=submission.formal_complaint_requested,
        advocate_requested=submission.advocate_requested,
        safeguarding_concern=submission.safeguarding_concern,
        named_staff=[submission.named_staff] if submission.named_staff else [],
        outcome="open" if submission.kind == "initial_contact" else None,
        publish_consent=submission.publish_consent,
        created_at=now,
        stages=[],  # a new record has none: known, not looked up
    )
    if submission.young_persons_form:
        record.child = children.from_public_form(submission.child_name, submission.child_date_of_birth)
    db.session.add(record)
    return record


def _acknowledge(record: Feedback, to: str) -> None:
    """The acknowledgement, from the template in use (issue 18): a manager's edit is used
    by the next one, which records its version."""
    letters.acknowledge(record, to, outbox.LINK)


def _alert_duty_team(record: Feedback) -> None:
    subject = f"URGENT: possible risk of harm - {record.reference}"
    body = render_template("email/safeguarding_alert.txt", record=record)
    outbox.queue(
        current_app.config["SAFEGUARDING_EMAIL"], subject, body,
        purpose="safeguarding_alert", feedback=record,
    )


def _sender(submission: Submission) -> str:
    return submission.name or "Anonymous"
