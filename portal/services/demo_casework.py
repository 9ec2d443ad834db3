"""The demo team's work on the demo records: assignments, informal resolutions,
complaints through their stages, an Ombudsman enquiry, money, an action plan and a
contact restriction. Everything goes through the same services the pages use.

Every person and story here is invented for the demo.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, StaffUser, Team
from portal.services import learning_actions, ombudsman, payments, placeholders, restrictions, triage, working_days
from portal.services.calendars import current_calendar
from portal.services.procedures import elements, escalation, registration, responses, stage2

# Teams whose complaints fall under the statutory children's social care procedure.
SOCIAL_CARE = {"Assessment Teams", "Child Protection Teams", "Connected Carers Team",
               "Children with Disabilities Team", "Permanence Teams", "Fostering Team"}
DEMO_STAFF = [
    ("demo.manager@example.org", "Dana Whitfield", "feedback_manager"),
    ("sam.officer@example.org", "Sam Okoro", "feedback_officer"),
    ("priya.officer@example.org", "Priya Nair", "feedback_officer"),
    ("ines.investigator@example.org", "Ines Harper", "investigating_officer"),
]
ELEMENTS = ["Nobody returned my calls for three weeks.",
            "The decision was made without asking for our views."]


def demo_staff() -> dict[str, StaffUser]:
    """The demo team: accounts with no password until someone follows a set-up link."""
    found = {}
    for email, name, role in DEMO_STAFF:
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = StaffUser(email=email, name=name, role=role, active=True)
            db.session.add(user)
        found[role if role != "feedback_officer" or "feedback_officer" not in found else "feedback_officer_2"] = user
    db.session.commit()
    return found


def work_on_everything(today: date) -> None:
    staff = demo_staff()
    manager, officers = staff["feedback_manager"], [staff["feedback_officer"], staff["feedback_officer_2"]]
    calendar = current_calendar()
    for team in db.session.scalars(select(Team)):
        team.manager_email = team.manager_email or f"manager.{team.id}@example.org"
    db.session.commit()
    # Only what nobody has touched yet, so loading the demo twice works on the new records only.
    records = list(db.session.scalars(
        select(Feedback).where(Feedback.status == "new").order_by(Feedback.received_on, Feedback.id)))
    complaints = []
    for n, record in enumerate(records):
        officer = officers[n % 2]
        age = (today - record.received_on).days
        if record.kind == "compliment":
            _compliment(record, officer, today, age, calendar)
        elif record.formal_complaint_requested and age > 3:
            triage.assign(record, officer, manager, record.version)
            complaints.append(_complaint(record, officer, today, calendar))
        elif record.kind == "initial_contact":
            triage.assign(record, officer, manager, record.version)
            if age > 12:
                triage.resolve(record, officer, record.version, today=today,
                               what_was_done="Rang back, explained what happens next and agreed a date for an update.",
                               resolved_on=working_days.add(record.received_on, 3, calendar))
    responded = [s for s in complaints if s is not None and s.responded_on]
    if responded:
        _escalate(responded[0], staff, today)
        _ombudsman_and_money(responded[-1], manager, officers[0], today)
    _restriction(records, manager, today)
    db.session.commit()


def _compliment(record: Feedback, officer: StaffUser, today: date, age: int, calendar) -> None:
    if record.team is None or age < 5:
        return
    triage.share_compliment(record, officer, record.version, shared_on=min(working_days.add(record.received_on, 2, calendar), today),
                            today=today)
    if record.publish_consent:
        triage.clear_for_publication(record, officer, record.version,
                                     anonymised_text="A family told us the team listened and kept every promise.")


def _complaint(record: Feedback, officer: StaffUser, today: date, calendar):
    # Staff work on working days: dates they record fall on one (and never after today).
    start = min(working_days.add(record.received_on, 2, calendar), today)
    team = record.team.name if record.team else ""
    procedure = "statutory" if team in SOCIAL_CARE else "corporate"
    stage = registration.progress_to_stage1(record, procedure, start, officer, today=today)
    for text in ELEMENTS:
        elements.add_element(stage, text, officer)
    if (today - start).days < 20:
        return stage
    for element, outcome in zip(stage.elements, ("upheld", "not_upheld")):
        elements.set_outcome(element, outcome, officer)
    sent_on = working_days.add(start, 8, calendar)
    letter = responses.draft_response(stage, sent_on, officer, method="post")
    letter = placeholders.PATTERN.sub("We read the case file and spoke to the team.", letter)
    responses.send_response(stage, letter, "post", sent_on, officer, today=today)
    return stage


def _escalate(stage, staff, today: date) -> None:
    requested = working_days.add(stage.responded_on, 5, current_calendar())
    if requested > today:
        return
    record = stage.feedback
    second = escalation.request_next_stage(record, requested, staff["feedback_manager"], today=today)
    stage2.appoint_investigating_officer(second, staff["investigating_officer"], staff["feedback_manager"])
    if record.procedure == "statutory":
        stage2.appoint_independent_person(second, "Alex Morgan (independent)", staff["feedback_manager"])
    record.assigned_to = staff["investigating_officer"]
    db.session.commit()


def _ombudsman_and_money(stage, manager: StaffUser, officer: StaffUser, today: date) -> None:
    record = stage.feedback
    calendar = current_calendar()
    notified = working_days.add(stage.responded_on, 8, calendar)
    if notified > today:
        return
    enquiry = ombudsman.record_enquiry(record, "LGSCO 26 004 512", notified, manager, today=today)
    decided = min(working_days.add(notified, 15, calendar), today)
    ombudsman.record_decision(enquiry, "upheld", decided, manager, remedy_amount="£250", today=today)
    first = ombudsman.add_recommendation(enquiry, "Apologise in writing to the family.", decided + timedelta(days=14), manager)
    ombudsman.add_recommendation(enquiry, "Remind staff to return calls within two working days.",
                                 decided + timedelta(days=60), manager)
    payments.record_payment(record, "financial_remedy", "250.00", decided, manager,
                            decided_by="LGSCO recommendation", reason="For the time and trouble of complaining.",
                            today=today)
    payments.record_payment(record, "investigation_cost", "1,200.00", decided, manager,
                            reason="Independent investigator's fee", today=today)
    learning_actions.raise_action_from_recommendation(first, officer, None, manager)
    learning_actions.raise_action(record, "1", "Check every open case has a named worker each month.", officer,
                                  today + timedelta(days=30), manager, today=today)
    db.session.commit()


def _restriction(records: list[Feedback], manager: StaffUser, today: date) -> None:
    person = next((r.person for r in records if r.person and r.person.email), None)
    if person is None:
        return
    restrictions.record_letter(person, today - timedelta(days=30), ["single_point_of_contact", "written_contact_only"],
                               "Many calls a day to several teams about the same matter.", "Dana Whitfield",
                               manager, today=today)
    db.session.commit()
