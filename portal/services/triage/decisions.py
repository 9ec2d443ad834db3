"""Triage: what the Customer Feedback Team does with what arrives.

Staff log feedback that came by phone, email, letter or in person; classify and
assign records; write notes; and give each initial contact one outcome: resolved
informally, withdrawn, or referred elsewhere (progressing to Stage 1 is the
procedures' business). Every change checks the version the person was looking at,
so two people working on one record never silently overwrite each other; the caller
commits (portal.services).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template

from portal.extensions import db
from portal.models import Feedback, StaffUser, TimelineEvent
from portal.services.procedures import deadlines
from portal.services.common import outbox, timeline
from portal.services.intake import people, references
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import now_utc
from portal.services.common.labels import label
from portal.services.common.errors import Refused, check_version


def _touched(record: Feedback, calendar=None) -> None:
    """After any staff change: a new record becomes open, and stored dates follow."""
    if record.status == "new":
        record.status = "open"
    deadlines.refresh(record, calendar)


# --- Logging what came by phone, email, letter or in person ----------------------------


@dataclass
class LoggedContact:
    kind: str  # "compliment" or "initial_contact"
    channel: str  # email, phone, letter, in_person, other
    received_on: date
    submitter_role: str
    summary: str
    category: str | None = None
    team_id: int | None = None
    theme_id: int | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    formal_complaint_requested: bool = False
    safeguarding_concern: bool = False
    advocate_requested: bool = False


def log_contact(contact: LoggedContact, actor: StaffUser, today: date) -> Feedback:
    """Record feedback a member of staff took down; it joins the inbox like the rest."""
    if contact.received_on > today:
        raise Refused("The date received must be today or in the past", "received_on")
    if contact.channel == "web":
        raise Refused("Select how the feedback came to us", "channel")
    record = Feedback(
        reference=references.next_reference(contact.received_on.year),
        kind=contact.kind,
        status="open",
        received_on=contact.received_on,
        channel=contact.channel,
        person=people.find_or_create(contact.name, contact.email, contact.phone, contact.address),
        submitter_role=contact.submitter_role,
        summary=contact.summary,
        category=contact.category if contact.kind == "initial_contact" else None,
        team_id=contact.team_id,
        theme_id=contact.theme_id,
        formal_complaint_requested=contact.formal_complaint_requested,
        safeguarding_concern=contact.safeguarding_concern,
        advocate_requested=contact.advocate_requested,
        outcome="open" if contact.kind == "initial_contact" else None,
        contact_methods=[m for m, v in (("email", contact.email), ("phone", contact.phone),
                                        ("post", contact.address)) if v],
    )
    db.session.add(record)
    timeline.add(record, "received", f"Logged by staff: {label(contact.channel).lower()}", actor)
    _touched(record)
    db.session.flush()
    if contact.safeguarding_concern:
        _alert_duty_team(record, actor)
    return record


# --- Classifying, assigning, notes ----------------------------------------------------


def classify(record: Feedback, actor: StaffUser, expected_version: int | None, *,
             category: str | None, team_id: int | None, theme_id: int | None) -> None:
    check_version(record, expected_version)
    changes = []
    if record.kind == "initial_contact" and category != record.category:
        record.category = category
        changes.append(f"category: {label(category) if category else 'none'}")
    if team_id != record.team_id:
        record.team_id = team_id
        changes.append("team changed")
    if theme_id != record.theme_id:
        record.theme_id = theme_id
        changes.append("theme changed")
    if changes:
        timeline.add(record, "status_change", "Classified (" + ", ".join(changes) + ")", actor)
    _touched(record)


def assign(record: Feedback, assignee: StaffUser | None, actor: StaffUser,
           expected_version: int | None) -> None:
    check_version(record, expected_version)
    if assignee is not None and not assignee.active:
        raise Refused("Select someone whose account is active", "assignee")
    record.assigned_to = assignee
    timeline.add(record, "assignment", f"Assigned to {assignee.name}" if assignee else "Unassigned", actor)
    _touched(record)


def add_note(record: Feedback, text: str, actor: StaffUser) -> TimelineEvent:
    """Internal notes only join the timeline: two people writing notes at once both keep theirs."""
    text = (text or "").strip()
    if not text:
        raise Refused("Enter a note", "note")
    event = timeline.add(record, "note", text, actor)
    if record.status == "new":
        record.status = "open"
    return event


# --- Initial contact outcomes -----------------------------------------------------------


def _require_open_initial_contact(record: Feedback) -> None:
    if record.kind != "initial_contact" or record.procedure:
        raise Refused("Only an initial contact can be given this outcome")
    if (record.outcome or "open") != "open":
        raise Refused(f"This initial contact is already {label(record.outcome).lower()}")


def _outcome_date(on: date, record: Feedback, today: date) -> None:
    if on > today:
        raise Refused("The date must be today or in the past", "outcome_on")
    if on < record.received_on:
        raise Refused("The date cannot be before the date it was received", "outcome_on")


def resolve(record: Feedback, actor: StaffUser, expected_version: int | None, *, what_was_done: str,
            resolved_on: date, today: date) -> None:
    """Resolved informally: what was done and when. Nothing is mailed here: the person is
    written to from the letters page (the outcome of an initial contact template, which
    says what was done), where it is checked and previewed first (issue 18)."""
    check_version(record, expected_version)
    _require_open_initial_contact(record)
    _outcome_date(resolved_on, record, today)
    if not (what_was_done or "").strip():
        raise Refused("Enter what was done to resolve it", "resolution")
    record.outcome, record.outcome_on, record.resolution = "resolved", resolved_on, what_was_done.strip()
    timeline.add(record, "status_change", f"Resolved informally: {record.resolution}", actor)
    _touched(record)


def withdraw(record: Feedback, actor: StaffUser, expected_version: int | None, *,
             withdrawn_on: date, today: date, reason: str | None = None) -> None:
    check_version(record, expected_version)
    _require_open_initial_contact(record)
    _outcome_date(withdrawn_on, record, today)
    record.outcome, record.outcome_on = "withdrawn", withdrawn_on
    record.resolution = (reason or "").strip() or None
    timeline.add(record, "status_change", "Withdrawn" + (f": {record.resolution}" if record.resolution else ""), actor)
    _touched(record)


def refer(record: Feedback, actor: StaffUser, expected_version: int | None, *,
          referred_to: str, referred_on: date, today: date) -> None:
    """Out of scope: passed to another organisation or service."""
    check_version(record, expected_version)
    _require_open_initial_contact(record)
    _outcome_date(referred_on, record, today)
    if not (referred_to or "").strip():
        raise Refused("Enter who it was referred to", "referred_to")
    record.outcome, record.outcome_on, record.referred_to = "referred", referred_on, referred_to.strip()
    timeline.add(record, "status_change", f"Referred to {record.referred_to}", actor)
    _touched(record)


# --- Safeguarding ----------------------------------------------------------------------


def flag_safeguarding(record: Feedback, actor: StaffUser, reason: str) -> None:
    """Staff flag a possible risk of harm: the duty address is told at once."""
    if not (reason or "").strip():
        raise Refused("Enter why this may be a safeguarding concern", "reason")
    if record.safeguarding_concern and record.safeguarding_actioned_at is None:
        raise Refused("This is already flagged as a safeguarding concern")
    record.safeguarding_concern = True
    record.safeguarding_actioned_at = record.safeguarding_actioned_by = record.safeguarding_action = None
    timeline.add(record, "status_change", f"Flagged as a safeguarding concern: {reason.strip()}", actor)
    _alert_duty_team(record, actor)
    _touched(record)


def record_safeguarding_action(record: Feedback, actor: StaffUser, what_was_done: str) -> None:
    """A manager records what was done; the flag then stops standing out."""
    if not record.safeguarding_concern:
        raise Refused("This record is not flagged as a safeguarding concern")
    if not (what_was_done or "").strip():
        raise Refused("Enter what was done about the safeguarding concern", "safeguarding_action")
    record.safeguarding_actioned_at = now_utc()
    record.safeguarding_actioned_by = actor
    record.safeguarding_action = what_was_done.strip()
    timeline.add(record, "status_change", f"Safeguarding follow-up recorded: {record.safeguarding_action}", actor)


def _alert_duty_team(record: Feedback, actor: StaffUser | None) -> None:
    outbox.queue(
        current_app.config["SAFEGUARDING_EMAIL"],
        f"URGENT: possible risk of harm - {record.reference}",
        render_template("email/safeguarding_alert.txt", record=record, flagged_by=actor),
        purpose="safeguarding_alert", feedback=record,
    )
    timeline.add(record, "email_sent", "Alerted the duty team", actor)


# --- Compliments ----------------------------------------------------------------------


def share_compliment(record: Feedback, actor: StaffUser, expected_version: int | None, *,
                     shared_on: date, today: date) -> None:
    """Send the compliment to the team's manager and record the date (DOMAIN.md)."""
    check_version(record, expected_version)
    if record.kind != "compliment":
        raise Refused("Only a compliment can be shared with a team")
    if record.team is None:
        raise Refused("Select the team the compliment is about first", "team_id")
    if not record.team.manager_email:
        raise Refused(f"{record.team.name} has no manager's email address. An administrator can add one.")
    if shared_on > today or shared_on < record.received_on:
        raise Refused("The date shared must be between the date received and today", "shared_on")
    record.shared_on = shared_on
    outbox.queue(record.team.manager_email, f"A compliment for {record.team.name} ({record.reference})",
                 render_template("email/compliment_shared.txt", record=record), purpose="compliment_shared",
                 feedback=record)
    timeline.add(record, "email_sent", f"Shared with {record.team.name}'s manager", actor)
    _touched(record)


def clear_for_publication(record: Feedback, actor: StaffUser, expected_version: int | None, *,
                          anonymised_text: str | None) -> None:
    """Only wording a member of staff has written and cleared is ever quoted."""
    check_version(record, expected_version)
    if record.kind != "compliment":
        raise Refused("Only a compliment can be cleared for publication")
    text = (anonymised_text or "").strip() or None
    if text and not record.publish_consent:
        raise Refused("The person did not agree to their words being shared", "anonymised_text")
    record.anonymised_text = text
    timeline.add(record, "status_change", "Cleared wording for publication" if text else "Wording for publication removed", actor)
    _touched(record)


# --- A decision not to accept a complaint ------------------------------------------------


def not_accept(record: Feedback, actor: StaffUser, expected_version: int | None, *, reason: str | None,
               detail: str | None, decided_on: date, today: date) -> None:
    """Record a decision not to accept a complaint, or an initial contact's request for
    one, under the procedure (issue 21, the Complaint Handling Code): its reason (a code
    of NotAcceptedReason and what staff wrote), which closes the record. The person is
    told the reason and about the Local Government and Social Care Ombudsman by the
    decision letter, written, checked and previewed on the letters page (issue 18); nothing
    is mailed from here."""
    from portal.services.common.labels import NotAcceptedReason

    check_version(record, expected_version)
    if record.kind == "compliment":
        raise Refused("Only a complaint or an initial contact can be not accepted")
    if record.not_accepted_on is not None:
        raise Refused("This complaint has already been not accepted")
    if record.status == "closed" or not deadlines.is_open(record):
        raise Refused("This record is already closed")
    if reason not in NotAcceptedReason:
        raise Refused("Select why the complaint is not accepted", "not_accepted_reason")
    detail = (detail or "").strip()
    if not detail:
        raise Refused("Enter the reason to give the person", "not_accepted_detail")
    try:
        _outcome_date(decided_on, record, today)
    except Refused as refused:
        raise Refused(refused.message, "not_accepted_on") from refused
    record.not_accepted_on, record.not_accepted_reason, record.not_accepted_detail = decided_on, reason, detail
    words = NotAcceptedReason.words_of(reason)
    timeline.add(record, "status_change", f"Not accepted: {words}. {detail}", actor)
    _touched(record)
