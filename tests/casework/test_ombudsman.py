"""Ombudsman enquiries: recorded against a complaint, decided, recommendations complied
with; overdue and due-soon recommendations on the dashboard and in the reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Feedback
from portal.services.casework import ombudsman
from portal.services.common.errors import Refused
from portal.services.procedures.reminders import queue_reminders
from portal.services.procedures.working_days import Calendar
from tests.casework.conftest import body_of, deliver, team

CALENDAR = Calendar()
TODAY = date(2024, 6, 12)  # a Wednesday


def decided_upheld(record, officer):
    enquiry = ombudsman.record_enquiry(record, "23 012 345", date(2024, 4, 2), officer, today=TODAY)
    ombudsman.update_enquiry(enquiry, "23 012 345", date(2024, 4, 2), "investigation", officer, today=TODAY)
    ombudsman.record_decision(enquiry, "upheld", date(2024, 5, 20), officer, remedy_amount="£500", today=TODAY)
    apology = ombudsman.add_recommendation(enquiry, "Apologise to the foster carers in writing", date(2024, 6, 10),
                                           officer)
    review = ombudsman.add_recommendation(enquiry, "Review how placements are ended", date(2024, 8, 30), officer)
    db.session.commit()
    return enquiry, apology, review


def test_an_upheld_enquiry_with_an_overdue_recommendation_reaches_the_dashboard_and_the_reminder(
        app, mail_to, officer, manager, make_complaint):
    record = make_complaint()
    record.assigned_to = officer
    enquiry, apology, review = decided_upheld(record, officer)

    assert (enquiry.status, enquiry.decision, enquiry.decided_on) == ("decided", "upheld", date(2024, 5, 20))
    assert enquiry.remedy_amount == Decimal("500.00") and enquiry.remedy_pence == 50000
    assert [r.compliance for r in enquiry.recommendations] == ["pending", "pending"]
    assert record.ombudsman_enquiries == [enquiry]

    [due] = ombudsman.recommendations_needing_attention(TODAY, CALENDAR)
    assert due.recommendation == apology and due.overdue and due.feedback == record
    assert ombudsman.is_overdue(apology, TODAY) and not ombudsman.is_overdue(review, TODAY)

    run = queue_reminders(TODAY, [lambda today: ombudsman.recommendation_reminders(today, CALENDAR)])
    assert run.queued == 2  # the feedback manager, and the officer the case is assigned to
    deliver(app)
    messages = mail_to.wait_for(2)
    assert {m["To"] for m in messages} == {manager.email, officer.email}
    [to_manager] = mail_to.to(manager.email)
    assert to_manager["Subject"] == "Ombudsman recommendations: 1 overdue, 0 due soon"
    body = body_of(to_manager)
    assert "CF-2024-00001, LGSCO reference 23 012 345: OVERDUE, was due Monday 10 June 2024" in body
    assert "Apologise to the foster carers in writing" in body
    assert "Review how placements are ended" not in body

    # A second run the same day sends nothing.
    again = queue_reminders(TODAY, [lambda today: ombudsman.recommendation_reminders(today, CALENDAR)])
    assert (again.queued, again.already_sent) == (0, 2)

    # Complied with late: off the dashboard and out of tomorrow's reminder.
    ombudsman.record_compliance(apology, date(2024, 6, 13), officer, today=date(2024, 6, 13))
    db.session.commit()
    assert apology.compliance == "late"
    assert ombudsman.recommendations_needing_attention(date(2024, 6, 13), CALENDAR) == []
    assert ombudsman.recommendation_reminders(date(2024, 6, 13), CALENDAR) == []


def test_a_recommendation_is_due_soon_from_five_working_days_before_its_due_date(app, officer, make_complaint):
    enquiry, apology, review = decided_upheld(make_complaint(), officer)
    ombudsman.record_compliance(apology, date(2024, 6, 7), officer, today=TODAY)
    assert apology.compliance == "on_time"
    # 30 August 2024 is a Friday; 26 August is the summer bank holiday. Five working days
    # before: Thursday 22 August.
    assert ombudsman.recommendations_needing_attention(date(2024, 8, 21), CALENDAR) == []
    [due] = ombudsman.recommendations_needing_attention(date(2024, 8, 22), CALENDAR)
    assert due.recommendation == review and not due.overdue
    assert ombudsman.recommendations_needing_attention(date(2024, 8, 31), CALENDAR)[0].overdue
    ombudsman.record_not_complied(review, officer)
    assert review.compliance == "not_complied"
    assert ombudsman.recommendations_needing_attention(date(2024, 9, 2), CALENDAR) == []


def test_reminders_go_on_working_days_and_to_the_team_mailbox_when_there_is_no_feedback_manager(
        app, officer, make_complaint):
    decided_upheld(make_complaint(), officer)
    assert ombudsman.recommendation_reminders(date(2024, 6, 15), CALENDAR) == []  # a Saturday
    [reminder] = ombudsman.recommendation_reminders(date(2024, 6, 17), CALENDAR)
    assert reminder.to == app.config["ORG_EMAIL"]
    assert (reminder.purpose, reminder.period) == ("ombudsman_reminder", "2024-06-17")


def test_the_dashboard_list_shows_a_team_manager_only_their_teams_cases(app, officer, make_staff,
                                                                        make_complaint):
    decided_upheld(make_complaint(team_name="Fostering Team"), officer)
    fostering = make_staff("team_manager", team=team("Fostering Team"))
    send = make_staff("team_manager", team=team("SEND Team"))
    assert len(ombudsman.recommendations_needing_attention(TODAY, CALENDAR, viewer=fostering)) == 1
    assert ombudsman.recommendations_needing_attention(TODAY, CALENDAR, viewer=send) == []


def test_an_enquiry_about_a_complaint_the_portal_never_held_gets_a_record_of_its_own(app, officer):
    enquiry = ombudsman.record_enquiry_for_unknown_complaint(
        "22 009 871", date(2024, 3, 4), "Complaint about school transport made before the portal", officer,
        team_id=team("Education - Transport").id, today=TODAY,
    )
    db.session.commit()
    record = db.session.get(Feedback, enquiry.feedback_id)
    assert record.kind == "complaint" and record.received_on == date(2024, 3, 4)
    assert record.reference.startswith("CF-2024-")
    assert record.ombudsman_enquiries == [enquiry] and enquiry.status == "initial_enquiries"


def test_every_change_to_an_enquiry_is_audited_to_the_member_of_staff(app, officer, make_complaint):
    enquiry, apology, _ = decided_upheld(make_complaint(), officer)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type.in_(["ombudsman_enquiry", "ombudsman_recommendation"]))).all()
    assert {(e.entity_type, e.action) for e in entries} == {
        ("ombudsman_enquiry", "create"), ("ombudsman_enquiry", "update"),
        ("ombudsman_recommendation", "create"),
    }
    assert {e.actor_id for e in entries} == {officer.id}
    decision = [e for e in entries if e.action == "update" and "decision" in (e.new or {})][0]
    assert decision.new["decision"] == "upheld" and decision.new["remedy_pence"] == 50000


@pytest.mark.parametrize("call, field", [
    (lambda e, o: ombudsman.record_decision(e, "won", date(2024, 5, 1), o, today=TODAY), "decision"),
    (lambda e, o: ombudsman.record_decision(e, "upheld", None, o, today=TODAY), "decided_on"),
    (lambda e, o: ombudsman.record_decision(e, "upheld", date(2024, 3, 1), o, today=TODAY), "decided_on"),
    (lambda e, o: ombudsman.record_decision(e, "upheld", date(2024, 6, 13), o, today=TODAY), "decided_on"),
    (lambda e, o: ombudsman.record_decision(e, "upheld", date(2024, 5, 1), o, "-£5", today=TODAY),
     "remedy_amount"),
    (lambda e, o: ombudsman.update_enquiry(e, "  ", date(2024, 4, 2), "investigation", o, today=TODAY),
     "reference"),
    (lambda e, o: ombudsman.update_enquiry(e, "1", date(2024, 4, 2), "decided", o, today=TODAY), "status"),
    (lambda e, o: ombudsman.update_enquiry(e, "1", date(2024, 4, 2), "closed", o, today=TODAY), "status"),
    (lambda e, o: ombudsman.add_recommendation(e, "", date(2024, 5, 1), o), "text"),
    (lambda e, o: ombudsman.add_recommendation(e, "Apologise", date(2024, 1, 1), o), "due_on"),
])
def test_what_cannot_be_recorded_is_refused_with_a_message_for_its_field(app, officer, make_complaint,
                                                                          call, field):
    enquiry = ombudsman.record_enquiry(make_complaint(), "23 012 345", date(2024, 4, 2), officer, today=TODAY)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        call(enquiry, officer)
    assert refused.value.field == field and str(refused.value)
    db.session.rollback()


def test_an_enquiry_cannot_be_recorded_without_a_reference_or_with_a_future_date(app, officer, make_complaint):
    record = make_complaint()
    with pytest.raises(Refused, match="Enter the LGSCO reference"):
        ombudsman.record_enquiry(record, "", date(2024, 4, 2), officer, today=TODAY)
    with pytest.raises(Refused, match="today or in the past") as refused:
        ombudsman.record_enquiry(record, "1", date(2024, 6, 13), officer, today=TODAY)
    assert refused.value.field == "notified_on"


def test_put_right_before_the_ombudsman_is_kept_with_an_upheld_decision_only(app, officer, make_complaint):
    record = make_complaint()
    enquiry = ombudsman.record_enquiry(record, "23 012 999", date(2024, 4, 2), officer, today=TODAY)
    ombudsman.record_decision(enquiry, "not_upheld", date(2024, 5, 20), officer, remedied_before=True, today=TODAY)
    assert enquiry.remedied_before is False  # a complaint not upheld had nothing to put right
    ombudsman.update_enquiry(enquiry, "23 012 999", date(2024, 4, 2), "investigation", officer, today=TODAY)
    ombudsman.record_decision(enquiry, "upheld", date(2024, 5, 21), officer, remedied_before=True, today=TODAY)
    assert enquiry.remedied_before is True
    ombudsman.update_enquiry(enquiry, "23 012 999", date(2024, 4, 2), "investigation", officer, today=TODAY)
    assert enquiry.remedied_before is False  # reopened: the decision and its finding go together


def test_the_ombudsmans_part_is_on_the_cases_timeline(app, officer, make_complaint):
    # What the Ombudsman bundle's index lists of the case's history (issue 17): it ended at
    # the last stage's response, as if the Ombudsman had never been involved.
    record = make_complaint()
    enquiry, apology, review = decided_upheld(record, officer)
    ombudsman.record_compliance(apology, date(2024, 6, 11), officer, today=TODAY)
    ombudsman.record_not_complied(review, officer)
    db.session.commit()
    events = [(e.kind, e.text, e.actor_label) for e in record.timeline if e.kind == "ombudsman"]
    assert [text for _, text, _ in events] == [
        "The Ombudsman told us on 2 April 2024 of enquiry 23 012 345 (initial enquiries)",
        "The Ombudsman's enquiry 23 012 345 is now at investigation",
        "The Ombudsman decided enquiry 23 012 345 on 20 May 2024: upheld, recommending £500.00",
        "The Ombudsman recommended: Apologise to the foster carers in writing (by 10 June 2024)",
        "The Ombudsman recommended: Review how placements are ended (by 30 August 2024)",
        "Complied with the Ombudsman's recommendation on 11 June 2024 (late): "
        "Apologise to the foster carers in writing",
        "Did not comply with the Ombudsman's recommendation: Review how placements are ended",
    ]
    assert {actor for *_, actor in events} == {officer.name}
