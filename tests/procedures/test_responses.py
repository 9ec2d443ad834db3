"""Responses (issue 5, 7): written from a template with the case's facts, sent by email
through the outbox or recorded as posted, kept on the case, and always stating the next
step and its deadline date: the next stage within 20 WD of the response (DOMAIN.md, Both
procedures), or the Ombudsman after the last stage ("every final response says so")."""

from datetime import date

import pytest
from flask import current_app

from portal.extensions import db
from portal.models import Element, OutboxMessage, StageResponse
from portal.services.common import outbox
from portal.services.common.errors import Refused
from portal.services.procedures.pauses import pause_stage
from portal.services.procedures.responses import draft_response, next_step, response_methods, send_response

from .conftest import TODAY, written


def _deliver() -> None:
    outbox.send_due(outbox.MailSettings.from_config(current_app.config))


def test_stage1_response_email_states_stage2_deadline_and_reaches_a_real_smtp_server(
        make_complaint, officer, mail_to):
    """Statutory Stage 1 responded on 9 January 2024: Stage 2 can be asked for up to 6
    February 2024 (20 WD); the email says so and is delivered."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    stage.elements[0].outcome = "partially_upheld"
    stage.elements.append(Element(number=2, summary="Transport was late", outcome="upheld"))
    text = draft_response(stage, date(2024, 1, 9), officer)
    assert record.reference in text and "21 December 2023" in text
    assert "1. The social worker did not call back\n   Our finding: Partially upheld." in text
    assert "2. Transport was late\n   Our finding: Upheld." in text
    assert "Stage 2 (independent investigation). Please ask us by 6 February 2024" in text
    assert "Olu Officer" in text

    response = send_response(stage, written(text), "email", date(2024, 1, 9), officer, today=TODAY)
    assert (stage.responded_on, record.due_on, record.status) == (date(2024, 1, 9), None, "closed")
    assert (response.next_step_deadline, response.to_address) == (date(2024, 2, 6), "sam@example.org")
    assert response.outbox_message.purpose == "stage_response"
    _deliver()
    [mail] = mail_to.wait_for(1)
    assert mail["To"] == "sam@example.org"
    assert " ".join(mail["Subject"].split()) == (f"Our Stage 1 (local resolution) response to your complaint - "
                               f"reference {record.reference}")
    assert "Please ask us by 6 February 2024" in mail.get_payload(decode=True).decode()
    db.session.expire_all()
    assert db.session.get(StageResponse, response.id).text == written(text).strip()  # kept on the case


def test_final_response_points_to_the_ombudsman_and_reaches_a_real_smtp_server(
        make_complaint, officer, mail_to):
    """Corporate Stage 2 is the last stage: the response names the Local Government and
    Social Care Ombudsman instead of a next stage."""
    record = make_complaint("corporate", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), None)))
    stage = record.stages[1]
    stage.elements[0].outcome = "upheld"
    assert next_step(stage, date(2024, 2, 6)).deadline is None
    text = draft_response(stage, date(2024, 2, 6), officer)
    assert "Local Government and Social Care Ombudsman" in text and "Stage 3" not in text
    response = send_response(stage, written(text), "email", date(2024, 2, 6), officer, today=TODAY)
    assert response.next_step_deadline is None and "Ombudsman" in response.next_step
    _deliver()
    [mail] = mail_to.wait_for(1)
    assert "Local Government and Social Care Ombudsman" in mail.get_payload(decode=True).decode()


def test_statutory_stage2_response_offers_stage3_and_stage3_response_the_ombudsman(
        make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), None)))
    stage2 = record.stages[1]
    stage2.elements[0].outcome = "upheld"
    text = draft_response(stage2, date(2024, 2, 1), method="post")
    assert "Stage 3 (review panel). Please ask us by 29 February 2024" in text
    send_response(stage2, written(text), "post", date(2024, 2, 1), officer, today=TODAY)
    record = make_complaint("statutory", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), date(2024, 2, 1)),
                                                 (date(2024, 2, 5), None)))
    stage3 = record.stages[2]
    stage3.elements[0].outcome = "upheld"
    with pytest.raises(Refused, match="panel's report"):
        send_response(stage3, "Ombudsman", "post", date(2024, 3, 1), officer, today=TODAY)
    stage3.panel_members = ["A Chair", "B Member", "C Member"]
    stage3.panel_met_on, stage3.panel_report_on = date(2024, 3, 1), date(2024, 3, 6)
    text = draft_response(stage3, date(2024, 3, 20))
    assert "chaired by A Chair" in text and "Ombudsman" in text
    send_response(stage3, written(text), "post", date(2024, 3, 20), officer, today=TODAY)
    assert record.status == "closed"


def test_a_response_recorded_as_posted_queues_no_email(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),), email=None)
    stage = record.stages[0]
    stage.elements[0].outcome = "upheld"
    with pytest.raises(Refused) as refusal:
        send_response(stage, written(draft_response(stage, date(2024, 1, 9))), "email",
                      date(2024, 1, 9), officer, today=TODAY)
    assert refusal.value.field == "method"
    response = send_response(stage, written(draft_response(stage, date(2024, 1, 9), method="post")), "post",
                             date(2024, 1, 9), officer, today=TODAY)
    assert (response.method, response.outbox_message, OutboxMessage.query.count()) == ("post", None, 0)
    assert "posted on 9 January 2024" in record.timeline[-1].text


def test_a_response_must_state_the_next_step_and_its_deadline(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    stage.elements[0].outcome = "upheld"
    with pytest.raises(Refused) as refusal:
        send_response(stage, "We upheld your complaint.", "email", date(2024, 1, 9), officer,
                      today=TODAY)
    assert refusal.value.field == "text"
    assert str(refusal.value) == ("The response must tell the person they can ask for Stage 2 "
                                  "by 6 February 2024")
    assert stage.responded_on is None and OutboxMessage.query.count() == 0


def test_a_stage_is_responded_to_once_and_not_while_paused(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    stage.elements[0].outcome = "upheld"
    pause_stage(stage, "Court", date(2024, 1, 2), officer, today=TODAY)
    with pytest.raises(Refused, match="end the pause"):
        send_response(stage, written(draft_response(stage, date(2024, 1, 9), method="post")), "post",
                      date(2024, 1, 9), officer, today=TODAY)
    stage.pauses[0].ended_on = date(2024, 1, 3)
    send_response(stage, written(draft_response(stage, date(2024, 1, 9), method="post")), "post",
                  date(2024, 1, 9), officer, today=TODAY)
    with pytest.raises(Refused, match="respond to it again"):
        send_response(stage, "x", "post", date(2024, 1, 9), officer, today=TODAY)


# --- Issue 13: what a new user tripped over ----------------------------------------------


def test_a_response_still_holding_its_placeholders_is_refused_naming_each(make_complaint, officer):
    """A Stage 1 response was recorded as sent with "[Say who looked into the complaint..."
    and "[Explain what we found..." still in it."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    stage.elements[0].outcome = "upheld"
    stage.elements.append(Element(number=2, summary="Transport was late", outcome="upheld"))
    text = draft_response(stage, date(2024, 1, 9), officer)
    with pytest.raises(Refused) as refusal:
        send_response(stage, text, "email", date(2024, 1, 9), officer, today=TODAY)
    assert refusal.value.field == "text"
    assert refusal.value.message == (
        "Replace each part in square brackets with your own words: \u2018[Say who looked into the "
        "complaint, who they spoke to and what they read.]\u2019 and \u2018[Explain what we found, and "
        "what we will do.]\u2019 (2 times)")
    assert stage.responded_on is None and OutboxMessage.query.count() == 0
    # One left behind is still refused; none left, and it goes.
    half = text.replace("[Say who looked into the complaint, who they spoke to and what they read.]",
                        "Ann Lee, the team manager, read the file.")
    with pytest.raises(Refused) as refusal:
        send_response(stage, half, "email", date(2024, 1, 9), officer, today=TODAY)
    assert refusal.value.message == ("Replace \u2018[Explain what we found, and what we will do.]\u2019 "
                                     "(2 times) with your own words")
    send_response(stage, written(half), "email", date(2024, 1, 9), officer, today=TODAY)
    assert stage.responded_on == date(2024, 1, 9)


def test_a_stage3_response_is_refused_while_its_panel_dates_are_placeholders(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 1), date(2023, 12, 14)),
                                                 (date(2024, 1, 2), date(2024, 2, 1)),
                                                 (date(2024, 2, 5), None)))
    stage = record.stages[2]
    stage.elements[0].outcome = "upheld"
    stage.panel_report_on = date(2024, 3, 6)
    text = draft_response(stage, date(2024, 3, 20), officer, method="post")
    with pytest.raises(Refused) as refusal:
        send_response(stage, text.replace("[Set out", "Set out"), "post", date(2024, 3, 20), officer,
                      today=TODAY)
    assert "\u2018[date]\u2019" in refusal.value.message


def test_a_response_to_someone_without_email_is_a_letter_that_never_says_reply_to_this_email(
        make_complaint, officer):
    """Issue 13: "By email" was offered for a person who gave no email (texts only), and the
    posted letter said "reply to this email"."""
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),), email=None)
    record.person.phone = "07700 900123"
    stage = record.stages[0]
    stage.elements[0].outcome = "upheld"
    assert response_methods(record) == ["post"]
    letter = draft_response(stage, date(2024, 1, 9), officer, method="post")
    assert "reply to this email" not in letter
    assert "Please ask us by 6 February 2024: write to us, email us or phone us." in letter
    # A letter started as an email is refused by post until its words are changed.
    as_email = written(draft_response(stage, date(2024, 1, 9), officer))
    with pytest.raises(Refused) as refusal:
        send_response(stage, as_email, "post", date(2024, 1, 9), officer, today=TODAY)
    assert refusal.value.field == "text" and "reply to this email" in refusal.value.message
    response = send_response(stage, written(letter), "post", date(2024, 1, 9), officer, today=TODAY)
    assert "reply to this email" not in response.next_step + response.text


def test_email_is_a_way_to_respond_only_when_the_person_gave_an_address(make_complaint):
    assert response_methods(make_complaint(email="sam@example.org")) == ["email", "post"]
    assert response_methods(make_complaint(email=None)) == ["post"]
    assert response_methods(make_complaint(email=None, person=None)) == ["post"]
