"""Email in on the staff side (issue 19, 4): the case's one correspondence thread, replying
from the case so that the answer comes back to it, and the list of email that did not
become a case."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, MailInMessage, OutboxMessage, Person
from portal.services.common import outbox
from portal.services.correspondence import letters
from portal.services.mail_in import receive
from portal.services.mail_in.receive import InSettings
from tests import factories
from tests.mail_in.messages import message
from tests.staff.conftest import error_summary


@pytest.fixture
def config_overrides():
    return {"MAIL_FROM": "noreply@example.org", "ORG_EMAIL": "info@example.org",
            "MAIL_IN_ADDRESS": "feedback@example.org"}


def take(raw: bytes) -> MailInMessage:
    row = receive.take(raw, "test", InSettings.from_app()).message
    db.session.commit()
    return row


def _acknowledged_case() -> Feedback:
    record = factories.initial_contact(reference="CF-2034-00001", formal_complaint_requested=True,
                                       person=Person(name="Sam Parent", email="sam.parent@example.net"))
    letters.acknowledge(record, "sam.parent@example.net", outbox.LINK)
    db.session.commit()
    ack = db.session.scalars(select(OutboxMessage)).one()
    ack.message_id = "<acknowledgement-1@example.org>"  # as the outbox records it when it sends
    ack.sent_at = ack.created_at
    db.session.commit()
    return record


def test_the_case_shows_one_thread_of_what_we_sent_and_what_came_in(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = _acknowledged_case()
    take(message("reply_quoting_acknowledgement"))
    page = get_page(client, f"/staff/cases/{record.reference}")
    thread = page.split('id="correspondence-thread"')[1].split("</ol>")[0]
    sent = thread.index("Email sent to sam.parent@example.net")
    received = thread.index("Email received from Sam Parent (sam.parent@example.net)")
    assert sent < received  # in order
    assert "We have received your complaint - reference CF-2034-00001" in thread
    assert "Here is the timetable the taxi firm sent us" in thread
    # what it quoted is folded away under its own words
    assert "Show what it quoted" in thread
    assert thread.rindex("Your reference number is CF-2034-00001") > thread.index("Show what it quoted")
    assert "taxi timetable.pdf" in thread
    assert 'href="#correspondence"' in page  # in the case's sections


def test_a_new_record_from_an_email_says_its_unchecked_details_came_in_an_email(signed_in, get_page):
    """The case page's "Is this someone we already know?" says where the details came from:
    an email, not a public form."""
    client = signed_in("feedback_officer")
    factories.initial_contact(reference="CF-2034-00009",
                              person=Person(name="Sam Parent", email="sam.parent@example.net"))
    row = take(message("new_concern_with_pdf"))
    assert row.kind == "new_record"
    page = get_page(client, f"/staff/cases/{row.feedback.reference}")
    suggested = page.split('id="suggested-people"')[1].split("</div>")[0]
    assert "These details came in an email and nobody has checked them" in suggested
    assert "public form" not in suggested


def test_a_reply_from_the_case_goes_from_the_team_with_the_reference_and_its_answer_comes_back(
        app, signed_in, get_page, mail_to):
    client = signed_in("feedback_officer")
    record = _acknowledged_case()
    take(message("reply_quoting_acknowledgement"))
    response = client.post(f"/staff/cases/{record.reference}/correspondence/reply",
                           data={"text": "Thank you, Sam. We will ring the taxi firm today.", "version": record.version})
    assert response.status_code == 302 and response.headers["Location"].endswith("#correspondence")
    reply = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "case_reply")).one()
    assert (reply.to_address, reply.from_address) == ("sam.parent@example.net", "feedback@example.org")
    assert reply.subject == "Re: We have received your complaint - reference CF-2034-00001"
    assert reply.in_reply_to == "<reply-1@mail.example.net>"

    outbox.send_due(outbox.MailSettings.from_config(app.config))
    [sent] = [m for m in mail_to.wait_for(2) if m["To"] == "sam.parent@example.net"]
    assert sent["From"] == "feedback@example.org"
    assert sent["In-Reply-To"] == "<reply-1@mail.example.net>"
    db.session.refresh(reply)
    assert sent["Message-ID"] == reply.message_id

    # Their answer names our reply: it joins the case, though it has no reference at all.
    answer = (f"From: Sam Parent <sam.parent@example.net>\r\nTo: feedback@example.org\r\nSubject: thanks\r\n"
              f"Message-ID: <answer-1@mail.example.net>\r\nIn-Reply-To: {reply.message_id}\r\n\r\n"
              "That is kind, thank you.\r\n").encode()
    assert take(answer).feedback_id == record.id
    page = get_page(client, f"/staff/cases/{record.reference}")
    assert "That is kind, thank you." in page and "Thank you, Sam. We will ring the taxi firm today." in page


def test_a_reply_by_htmx_answers_with_the_panel(signed_in):
    client = signed_in("feedback_officer")
    record = _acknowledged_case()
    response = client.post(f"/staff/cases/{record.reference}/correspondence/reply", headers={"HX-Request": "true"},
                           data={"text": "We have your letter.", "version": record.version})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith("<section id=\"correspondence\"")
    assert "Reply to sam.parent@example.net is on its way" in body
    assert "We have your letter." in body


def test_an_empty_reply_is_refused_with_the_error_summary_and_nothing_goes(signed_in):
    client = signed_in("feedback_officer")
    record = _acknowledged_case()
    response = client.post(f"/staff/cases/{record.reference}/correspondence/reply",
                           data={"text": "  ", "version": record.version})
    assert response.status_code == 200
    assert error_summary(response.get_data(as_text=True)) == ["Enter your reply"]
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "case_reply")).all() == []


def test_a_case_with_no_email_address_offers_a_letter_instead(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(person=Person(name="No Email"))
    page = get_page(client, f"/staff/cases/{record.reference}")
    assert "There is no email address to reply to" in page and 'id="reply-text"' not in page
    response = client.post(f"/staff/cases/{record.reference}/correspondence/reply",
                           data={"text": "Hello", "version": record.version})
    assert "There is no email address to reply to on this case" in response.get_data(as_text=True)


def test_the_review_list_shows_what_did_not_become_a_case_and_staff_deal_with_each(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(reference="CF-2034-00002",
                                       person=Person(name="Alex", email="the.real.alex@example.com"))
    ooo = take(message("out_of_office"))
    stranger = take(message("plus_addressed_reply"))  # names CF-2034-00002 from another address
    page = get_page(client, "/staff/mail-in")
    assert "Automatic reply or out of office" in page and "Names a case, from an address the case does not know" in page
    assert page.count('value="add_to_case"') == 1  # only the one naming a case we hold

    # Checked: it is Alex's other address. Added to the case.
    response = client.post(f"/staff/mail-in/{stranger.id}", data={"action": "add_to_case"})
    assert response.status_code == 302
    db.session.refresh(stranger)
    assert (stranger.kind, stranger.feedback_id, stranger.review_action) == ("case", record.id, "added_to_case")
    assert "Thursday afternoon is fine" in get_page(client, f"/staff/cases/{record.reference}")

    client.post(f"/staff/mail-in/{ooo.id}", data={"action": "dismiss"})
    page = get_page(client, "/staff/mail-in")
    assert "Nothing is waiting." in page
    assert "Nothing to do by" in page  # in "Dealt with recently"

    # Dealt with once: a second go is refused, nothing changes.
    client.post(f"/staff/mail-in/{ooo.id}", data={"action": "new_record"})
    assert db.session.scalars(select(Feedback)).all() == [record]


def test_an_auto_reply_that_was_a_person_writing_can_become_a_record(signed_in):
    client = signed_in("feedback_officer")
    ooo = take(message("out_of_office"))
    client.post(f"/staff/mail-in/{ooo.id}", data={"action": "new_record"})
    [record] = db.session.scalars(select(Feedback)).all()
    assert record.channel == "email" and record.summary.startswith("Automatic reply:")


def test_the_original_downloads_as_it_came_never_shown(signed_in):
    client = signed_in("feedback_officer")
    row = take(message("malformed"))
    response = client.get(f"/staff/mail-in/{row.id}/original")
    assert response.data == message("malformed")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_people_who_may_not_review_mail_cannot_see_it(signed_in):
    client = signed_in("investigating_officer")
    row = take(message("out_of_office"))
    assert client.get("/staff/mail-in").status_code == 403
    assert client.post(f"/staff/mail-in/{row.id}", data={"action": "dismiss"}).status_code == 403
    db.session.refresh(row)
    assert row.reviewed_at is None
