"""The case page's own panels: what the record is and where it stands, triage (outcome,
assignment, classification), the compliment, safeguarding, notes and the timeline.
Each is a ``Panel`` with its view-model; the forms' keys are the slots a refused form
comes back to (``CaseView.form``)."""

from __future__ import annotations

from flask_login import current_user

from portal.services.accounts import reference_data
from portal.services.common.labels import NotAcceptedReason
from portal.services.accounts.permissions import has_permission
from portal.services.intake import people
from portal.services.procedures import public_status
from portal.services.procedures.calendars import current_calendar
from staff.case.forms import (
    AssignForm,
    ClassifyForm,
    NoteForm,
    NotAcceptedForm,
    OutcomeForm,
    PublicationForm,
    SafeguardingActionForm,
    SafeguardingFlagForm,
    ShareComplimentForm,
)
from staff.case.panel import CaseView, Panel
from staff.fields import assignable_staff, themes


def _version(case: CaseView) -> dict:
    return {"version": case.record.version}


def nothing(case: CaseView) -> dict:
    return {}


def facts(case: CaseView) -> dict:
    return {"public_status": public_status.describe(case.record, case.day, current_calendar())}


def safeguarding(case: CaseView) -> dict:
    return {
        # Recording the follow-up is the feedback manager's (docs/permissions.md).
        "can_follow_up": has_permission(current_user, "follow_up_safeguarding"),
        "flag_form": case.form("flag", lambda: SafeguardingFlagForm(formdata=None)),
        "safeguarding_form": case.form("safeguarding", lambda: SafeguardingActionForm(formdata=None)),
    }


def outcome(case: CaseView) -> dict:
    return {"outcome_form": case.form("outcome", lambda: OutcomeForm(data=_version(case), formdata=None))}


def not_accepted(case: CaseView) -> dict:
    return {"reason_words": NotAcceptedReason.words_of(case.record.not_accepted_reason, ""),
            "not_accepted_form": case.form("not_accepted", lambda: NotAcceptedForm(data=_version(case),
                                                                                   formdata=None))}


def compliment(case: CaseView) -> dict:
    record = case.record
    return {
        "share_form": case.form("share", lambda: ShareComplimentForm(data=_version(case), formdata=None)),
        "publication_form": case.form("publication", lambda: PublicationForm(
            data={"anonymised_text": record.anonymised_text, **_version(case)}, formdata=None)),
    }


def notes(case: CaseView) -> dict:
    return {"note_form": case.form("note", lambda: NoteForm(formdata=None))}


def person(case: CaseView) -> dict:
    # A person from a public form who shares an email or phone number with another:
    # staff check, then merge (never done for them: docs/security.md).
    return {"suggested_people": people.suggested_matches(case.record.person)
            if has_permission(current_user, "edit_cases") else []}


def assignment(case: CaseView) -> dict:
    record = case.record
    return {
        "can_assign": has_permission(current_user, "assign_cases"),
        "assign_form": case.form("assign", lambda: AssignForm(
            data={"assignee": record.assigned_to_id, **_version(case)},
            staff=assignable_staff(keep=record.assigned_to), formdata=None)),
    }


def classification(case: CaseView) -> dict:
    record = case.record
    return {"classify_form": case.form("classify", lambda: ClassifyForm(
        data={"category": record.category or "", "team_id": record.team_id, "theme_id": record.theme_id,
              **_version(case)},
        teams=reference_data.active_teams(), themes=themes(), formdata=None))}


def _triage_open(record) -> bool:
    """Only an initial contact not yet progressed has an outcome to record."""
    return record.kind == "initial_contact" and not record.procedure


TAGS = Panel("case-tags", "staff/case/_tags.html", nothing)
SAFEGUARDING = Panel("safeguarding", "staff/case/_safeguarding.html", safeguarding)
SUMMARY = Panel("summary", "staff/case/_summary.html", nothing)
FACTS = Panel("case-facts", "staff/case/_facts.html", facts)
OUTCOME = Panel("outcome", "staff/case/_outcome.html", outcome, shown=_triage_open)
# A decision not to accept a complaint, or an initial contact's request for one (issue 21).
NOT_ACCEPTED = Panel("not-accepted", "staff/case/_not_accepted.html", not_accepted,
                     shown=lambda record: record.kind != "compliment")
COMPLIMENT = Panel("compliment", "staff/case/_compliment.html", compliment,
                   shown=lambda record: record.kind == "compliment")
NOTES = Panel("notes", "staff/case/_notes.html", notes)
TIMELINE = Panel("timeline", "staff/case/_timeline.html", nothing)
PERSON = Panel("person", "staff/case/_person.html", person)
DUE = Panel("case-due", "staff/case/_due.html", nothing)
ASSIGNMENT = Panel("assignment", "staff/case/_assignment.html", assignment)
CLASSIFICATION = Panel("classification", "staff/case/_classification.html", classification)
