"""Triage services: logging, classifying, assigning, notes and initial contact outcomes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Team, TimelineEvent
from portal.services.triage import decisions
from portal.services.triage.decisions import LoggedContact
from portal.services.common.errors import EditConflict, Refused

TODAY = date(2026, 11, 26)


def test_a_phone_call_is_logged_with_its_channel_and_date_and_joins_the_inbox(app, officer):
    record = decisions.log_contact(LoggedContact(
        kind="initial_contact", channel="phone", received_on=date(2026, 11, 24),
        submitter_role="foster_carer", summary="Asked when the allowance is paid", category="query",
        name="Fran Carer", phone="07700 900555"), officer, TODAY)
    assert record.reference == "CF-2026-00001"
    assert (record.channel, record.received_on, record.status) == ("phone", date(2026, 11, 24), "open")
    assert record.person.phone == "07700 900555"
    assert record.due_on == date(2026, 12, 1)  # 5 working days after Tuesday 24 November
    [event] = record.timeline
    assert event.text == "Logged by staff: phone" and event.staff_user == officer


def test_logging_refuses_a_date_in_the_future(app, officer):
    with pytest.raises(Refused) as refused:
        decisions.log_contact(LoggedContact(kind="compliment", channel="letter", received_on=date(2026, 11, 27),
                                         submitter_role="other", summary="Thanks"), officer, TODAY)
    assert refused.value.field == "received_on"


def test_a_safeguarding_concern_logged_by_staff_alerts_the_duty_address_at_once(app, officer):
    record = decisions.log_contact(LoggedContact(kind="initial_contact", channel="phone", received_on=TODAY,
                                              submitter_role="other", summary="A child said...",
                                              safeguarding_concern=True), officer, TODAY)
    alert = db.session.scalars(select(OutboxMessage).where(OutboxMessage.feedback_id == record.id)).one()
    assert alert.to_address == "duty@example.org"
    assert "Olu Officer of the Customer Feedback Team flagged this record" in alert.body


def test_classifying_and_assigning_are_recorded_on_the_timeline(app, officer, make_record, make_user):
    record = make_record()
    team = db.session.scalars(select(Team).where(Team.name == "SEND Team")).one()
    decisions.classify(record, officer, record.version, category="concern", team_id=team.id, theme_id=None)
    io = make_user("investigating_officer", "Ines Investigator")
    decisions.assign(record, io, officer, record.version)
    assert (record.category, record.team, record.assigned_to, record.status) == ("concern", team, io, "open")
    texts = [e.text for e in record.timeline]
    assert "Classified (category: Concern, team changed)" in texts
    assert "Assigned to Ines Investigator" in texts


def test_a_stale_version_is_refused_and_nothing_is_overwritten(app, officer, make_record):
    record = make_record()
    opened_at = record.version
    decisions.classify(record, officer, opened_at, category="query", team_id=None, theme_id=None)
    db.session.commit()  # as the view does once the service returns
    with pytest.raises(EditConflict):
        decisions.classify(record, officer, opened_at, category="concern", team_id=None, theme_id=None)
    db.session.rollback()
    assert db.session.get(type(record), record.id).category == "query"


def test_the_caller_commits_so_a_rollback_undoes_a_triage_change(app, officer, make_record):
    """portal.services: a service never commits; the view does once it returns."""
    record = make_record()
    decisions.add_note(record, "Rang the school.", officer)
    decisions.classify(record, officer, record.version, category="concern", team_id=None, theme_id=None)
    db.session.rollback()
    assert [event.kind for event in record.timeline if event.kind in ("note", "status_change")] == []
    assert record.category is None


def test_notes_from_two_people_both_stay(app, officer, make_record, make_user):
    record = make_record()
    other = make_user("feedback_manager")
    decisions.add_note(record, "Rang the school.", officer)
    decisions.add_note(record, "Spoke to the team manager.", other)
    notes = db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "note")).all()
    assert [n.text for n in notes] == ["Rang the school.", "Spoke to the team manager."]


def test_resolving_records_what_was_done_closes_it_and_the_outcome_letter_says_it(app, officer, make_record):
    """Issue 18: the person is written to from the letters page, checked and previewed
    first; resolving mails nothing itself, and the outcome letter starts from what was done."""
    from portal.services.correspondence import letters

    record = make_record()
    decisions.resolve(record, officer, record.version, what_was_done="Arranged a call with the social worker.",
                      resolved_on=date(2026, 11, 25), today=TODAY)
    assert (record.outcome, record.outcome_on, record.status, record.due_on) == (
        "resolved", date(2026, 11, 25), "closed", None)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    text = letters.draft(record, "initial_contact_outcome", "email", "adult", officer, TODAY).text
    assert "What we did: Arranged a call with the social worker.\n\n[Say what happens now.]" in text


def test_an_initial_contact_has_one_outcome(app, officer, make_record):
    record = make_record()
    decisions.withdraw(record, officer, record.version, withdrawn_on=TODAY, today=TODAY)
    with pytest.raises(Refused, match="already withdrawn"):
        decisions.refer(record, officer, record.version, referred_to="Health visiting", referred_on=TODAY, today=TODAY)


def test_referring_elsewhere_names_who_to(app, officer, make_record):
    record = make_record()
    with pytest.raises(Refused) as refused:
        decisions.refer(record, officer, record.version, referred_to=" ", referred_on=TODAY, today=TODAY)
    assert refused.value.field == "referred_to"
    decisions.refer(record, officer, record.version, referred_to="The school's governors", referred_on=TODAY, today=TODAY)
    assert (record.outcome, record.referred_to) == ("referred", "The school's governors")


def test_an_outcome_cannot_predate_receipt(app, officer, make_record):
    record = make_record(received_on=date(2026, 11, 20))
    with pytest.raises(Refused):
        decisions.withdraw(record, officer, record.version, withdrawn_on=date(2026, 11, 19), today=TODAY)


def test_a_compliment_is_shared_with_the_team_manager_and_the_date_recorded(app, officer, make_record):
    team = db.session.scalars(select(Team).where(Team.name == "Fostering Team")).one()
    record = make_record(kind="compliment", outcome=None, team=team, named_staff=["Jo"])
    with pytest.raises(Refused, match="no manager's email address"):
        decisions.share_compliment(record, officer, record.version, shared_on=TODAY, today=TODAY)
    team.manager_email = "fostering.manager@example.org"
    decisions.share_compliment(record, officer, record.version, shared_on=TODAY, today=TODAY)
    assert (record.shared_on, record.status) == (TODAY, "closed")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "compliment_shared")).one()
    assert mail.to_address == "fostering.manager@example.org"
    assert "It names: Jo." in mail.body


def test_only_consented_compliments_get_wording_for_publication(app, officer, make_record):
    record = make_record(kind="compliment", outcome=None, publish_consent=False)
    with pytest.raises(Refused):
        decisions.clear_for_publication(record, officer, record.version, anonymised_text="A carer thanked the team.")
    record.publish_consent = True
    decisions.clear_for_publication(record, officer, record.version, anonymised_text="A carer thanked the team.")
    assert record.anonymised_text == "A carer thanked the team."


def test_a_safeguarding_flag_stands_until_a_manager_records_what_was_done(app, officer, make_record, make_user):
    record = make_record()
    decisions.flag_safeguarding(record, officer, "The child said they are scared to go home.")
    assert record.safeguarding_concern and record.safeguarding_actioned_at is None
    manager = make_user("feedback_manager", "Mo Manager")
    decisions.record_safeguarding_action(record, manager, "Referred to the duty social worker the same day.")
    assert record.safeguarding_actioned_by == manager
    assert record.safeguarding_actioned_at is not None
