"""A decision not to accept a complaint (issue 21, the Complaint Handling Code): its reason,
which closes the record, and the letter that tells the person about the Ombudsman."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, OutboxMessage
from portal.services.common.errors import EditConflict, Refused
from portal.services.triage import decisions
from tests import factories
from tests.staff.conftest import make_user, signed_in  # noqa: F401 (fixtures)

TODAY = date(2026, 11, 26)


def _not_accept(record, officer, **given):
    values = dict(reason="out_of_time", detail="The events were in 2019, seven years before you wrote.",
                  decided_on=date(2026, 11, 25), today=TODAY)
    values.update(given)
    decisions.not_accept(record, officer, record.version, **values)


def test_a_request_for_a_formal_complaint_not_accepted_is_closed_with_its_reason(app, officer, make_record):
    record = make_record(formal_complaint_requested=True)
    _not_accept(record, officer)
    db.session.commit()
    assert (record.not_accepted_on, record.not_accepted_reason) == (date(2026, 11, 25), "out_of_time")
    assert record.not_accepted_detail == "The events were in 2019, seven years before you wrote."
    assert (record.status, record.due_on) == ("closed", None)
    assert record.outcome == "open"  # the interchange's outcomes are left as they are
    texts = [event.text for event in record.timeline]
    assert ("Not accepted: Made more than 12 months after the events, with no good reason. "
            "The events were in 2019, seven years before you wrote.") in texts
    audited = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "feedback",
                                                          AuditEntry.entity_id == str(record.id))).all()
    assert any((entry.new or {}).get("not_accepted_reason") == "out_of_time" for entry in audited)


def test_the_decision_letter_gives_the_reason_and_the_ombudsmans_details(app, officer, make_record):
    """Issue 18: the person is told by the decision letter, checked and previewed on the
    letters page; recording the decision mails nothing itself."""
    from portal.services.correspondence import letters

    record = make_record()
    draft = letters.draft(record, "not_accepted", "email", "adult", officer, TODAY)
    assert letters.check(record, "not_accepted", draft.text, "email", "adult", TODAY).problems[0].message == (
        "Record the decision not to accept it on the case first: its reason")
    _not_accept(record, officer, reason="other_route",
                detail="This is being decided by the SEND tribunal, so we cannot look at it as well.")
    assert db.session.scalars(select(OutboxMessage)).all() == []
    text = letters.draft(record, "not_accepted", "email", "adult", officer, TODAY).text
    assert "We have decided not to accept it as a complaint under our complaints procedure." in text
    assert "Why: Another route applies, such as a tribunal or a court." in text
    assert "This is being decided by the SEND tribunal, so we cannot look at it as well." in text
    assert ("you can contact the Local Government and Social Care Ombudsman. The Ombudsman is free and "
            "independent: www.lgo.org.uk or 0300 061 0614.") in text
    assert letters.check(record, "not_accepted", text, "email", "adult", TODAY).problems == []
    young = letters.draft(record, "not_accepted", "email", "young", officer, TODAY).text
    assert letters.check(record, "not_accepted", young, "email", "young", TODAY).problems == []
    # Without the Ombudsman, or without the reason given, it is held back.
    without = "\n".join(line for line in text.splitlines() if "Ombudsman" not in line and "tribunal" not in line)
    assert [p.message for p in letters.check(record, "not_accepted", without, "email", "adult", TODAY).problems] == [
        "The letter must give the reason it was not accepted, as recorded on the case",
        "The letter must give the Ombudsman's details (www.lgo.org.uk or 0300 061 0614)"]
    letter = letters.send(record, purpose="not_accepted", channel="email", audience="adult", template_version=0,
                          subject=draft.subject, text=text, actor=officer, today=TODAY, version=record.version)
    assert letter.outbox_message.to_address == record.person.email


def test_a_complaint_at_stage_1_can_be_not_accepted_and_its_clock_stops(app, officer):
    record = factories.complaint(factories.stage(date(2026, 11, 16)), procedure="corporate")
    _not_accept(record, officer, reason="already_decided", detail="We answered this in March.")
    assert (record.status, record.due_on, record.acknowledge_by) == ("closed", None, None)


@pytest.mark.parametrize("reason", [None, "", "because"])
def test_it_is_refused_without_a_reason_from_the_list(app, officer, make_record, reason):
    record = make_record()
    with pytest.raises(Refused) as refused:
        _not_accept(record, officer, reason=reason)
    assert refused.value.field == "not_accepted_reason"
    assert record.not_accepted_on is None


def test_it_is_refused_without_the_reason_in_words(app, officer, make_record):
    record = make_record()
    with pytest.raises(Refused) as refused:
        _not_accept(record, officer, detail="   ")
    assert refused.value.field == "not_accepted_detail"


def test_a_record_already_closed_is_refused(app, officer, make_record):
    record = make_record()
    decisions.withdraw(record, officer, record.version, withdrawn_on=TODAY, today=TODAY)
    with pytest.raises(Refused, match="already closed"):
        _not_accept(record, officer)
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "not_accepted")).all() == []


def test_a_decision_already_made_is_refused(app, officer, make_record):
    record = make_record()
    _not_accept(record, officer)
    with pytest.raises(Refused, match="already been not accepted"):
        _not_accept(record, officer)


def test_a_compliment_is_refused(app, officer, make_record):
    record = make_record(kind="compliment", outcome=None)
    with pytest.raises(Refused):
        _not_accept(record, officer)


def test_the_date_cannot_be_in_the_future_or_before_receipt(app, officer, make_record):
    record = make_record()
    for on in (date(2026, 11, 27), date(2026, 11, 1)):
        with pytest.raises(Refused) as refused:
            _not_accept(record, officer, decided_on=on)
        assert refused.value.field == "not_accepted_on"


def test_a_stale_version_is_a_conflict(app, officer, make_record):
    record = make_record()
    with pytest.raises(EditConflict):
        decisions.not_accept(record, officer, record.version - 1, reason="other_body", detail="Health",
                             decided_on=TODAY, today=TODAY)


def test_the_person_sees_it_was_not_accepted_and_can_go_to_the_ombudsman(app, officer, make_record):
    from portal.services.procedures import public_status
    from portal.services.procedures.calendars import current_calendar

    record = make_record()
    _not_accept(record, officer)
    status = public_status.describe(record, TODAY, current_calendar())
    assert status.headline == "We have not accepted this as a complaint"
    assert "Local Government and Social Care Ombudsman" in status.detail


# --- A complaint not accepted goes no further -----------------------------------------------


def test_nothing_more_is_done_on_the_stages_of_a_complaint_not_accepted(app, officer):
    from portal.services.procedures import elements, extensions, registration

    stage = factories.stage(date(2026, 11, 2))
    record = factories.complaint(stage, procedure="corporate", received_on=date(2026, 11, 2))
    _not_accept(record, officer)
    db.session.commit()
    told = "the complaint was not accepted on 25 November 2026, so the procedure goes no further"
    with pytest.raises(Refused, match=f"You cannot record the acknowledgement: {told}"):
        registration.record_acknowledgement(stage, date(2026, 11, 3), officer)
    with pytest.raises(Refused, match=f"You cannot extend it: {told}"):
        extensions.extend_stage(stage, date(2026, 12, 14), "Waiting for the school records", officer)
    with pytest.raises(Refused, match=f"You cannot add an element: {told}"):
        elements.add_element(stage, "The library closed without notice", officer)


def test_the_case_page_offers_no_stage_actions_once_not_accepted(app, signed_in, get_page):
    stage = factories.stage(date(2026, 11, 2))
    record = factories.complaint(stage, procedure="corporate", received_on=date(2026, 11, 2))
    client = signed_in("feedback_officer")
    before = get_page(client, f"/staff/cases/{record.reference}")
    assert "Record the acknowledgement" in before
    _not_accept(record, factories.staff("feedback_manager", "Mo Manager", email="mo@example.org"))
    db.session.commit()
    page = get_page(client, f"/staff/cases/{record.reference}")
    assert "Not accepted on" in page and "25 November 2026" in page
    for offer in ("Record the acknowledgement", "Extend", "Pause the clock", "Add an element", "Record a request for Stage"):
        assert offer not in page
