"""Each message goes where it should (issue 19, "Tests"): portal.services.mail_in.receive,
route and rules together, on the hand-written messages and a real database."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Document, Feedback, MailInMessage, OutboxMessage, Person, TimelineEvent
from portal.services.files.documents import FileSettings
from portal.services.mail_in import receive
from portal.services.mail_in.receive import InSettings
from tests import factories
from tests.mail_in.messages import message, with_big_attachment

SENT = datetime(2034, 10, 17, 19, 1, tzinfo=timezone.utc)


@pytest.fixture
def config_overrides():
    return {"MAIL_FROM": "noreply@example.org", "ORG_EMAIL": "feedback@example.org",
            "SAFEGUARDING_EMAIL": "duty@example.org"}


def take(raw: bytes):
    taken = receive.take(raw, "test", InSettings.from_app())
    db.session.commit()
    return taken.message


def _case(reference: str, email: str, **fields) -> Feedback:
    return factories.initial_contact(reference=reference, person=Person(name="Named Person", email=email), **fields)


def _sent(record: Feedback, message_id: str, to: str, subject: str = "We have received your complaint") -> OutboxMessage:
    sent = OutboxMessage(to_address=to, subject=subject, body="...", purpose="acknowledgement", feedback=record,
                         message_id=message_id, sent_at=SENT, attempts=1)
    db.session.add(sent)
    db.session.commit()
    return sent


def _events(record: Feedback, kind: str) -> list[str]:
    return list(db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.feedback_id == record.id, TimelineEvent.kind == kind).order_by(TimelineEvent.id)))


def _outbox_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)))


def _stored(row: MailInMessage) -> bytes:
    with FileSettings.from_app().store.open(row.storage_key) as content:
        return content.read()


def test_a_new_concern_with_a_pdf_becomes_a_record_to_triage_with_channel_email(app):
    row = take(message("new_concern_with_pdf"))
    record = row.feedback
    assert row.kind == "new_record"
    assert (record.kind, record.status, record.channel, record.outcome) == ("initial_contact", "new", "email", "open")
    assert record.reference.startswith("CF-2034-")
    assert record.summary.startswith("My son's school transport\n\nHello,\n\nThe taxi that takes my son")
    # The sender is a suggested person, never anyone already held.
    assert (record.person.name, record.person.email, record.person.confirmed) == (
        "Sam Parent", "sam.parent@example.net", False)
    names = [(d.safe_name, d.source, d.kind) for d in record.documents]
    assert names[1] == ("school letter.pdf", "email", "pdf")
    assert names[0][2] == "eml" and names[0][0].endswith(".eml")
    assert _events(record, "received") == ["Came by email from Sam Parent (sam.parent@example.net)"]
    # The portal never writes back to an address it cannot vouch for.
    assert _outbox_to("sam.parent@example.net") == []


def test_the_original_is_kept_as_it_came(app):
    raw = message("new_concern_with_pdf")
    row = take(raw)
    assert _stored(row) == raw
    eml = db.session.scalars(select(Document).where(Document.public_id == row.document_ids[0])).one()
    with FileSettings.from_app().store.open(eml.storage_key) as content:
        assert content.read() == raw


def test_removing_the_emails_copy_from_the_case_file_keeps_the_email_as_it_came(app):
    """The email and its .eml in the case file are one stored file (stored by content):
    taking the copy out of the case file must not lose the email itself."""
    from portal.services.files.documents import remove_document

    raw = message("new_concern_with_pdf")
    row = take(raw)
    eml = db.session.scalars(select(Document).where(Document.public_id == row.document_ids[0])).one()
    assert eml.storage_key == row.storage_key
    manager = factories.staff("feedback_manager", email="manager@example.org")
    remove_document(db.session, eml, by=manager, reason="Sent to the wrong team")
    db.session.commit()
    assert _stored(row) == raw


def test_a_reply_quoting_our_acknowledgement_joins_its_case_with_its_attachment(app):
    officer = factories.staff("feedback_officer", email="officer@example.org")
    record = _case("CF-2034-00001", "sam.parent@example.net", assigned_to=officer)
    _sent(record, "<acknowledgement-1@example.org>", "sam.parent@example.net")
    row = take(message("reply_quoting_acknowledgement"))
    assert (row.kind, row.feedback_id) == ("case", record.id)
    assert row.text.endswith("missed days.\n\nSam")
    assert "Your reference number is CF-2034-00001" in row.quoted
    assert _events(record, "email_received") == [
        "From Sam Parent (sam.parent@example.net): Re: We have received your complaint - reference CF-2034-00001"]
    assert [d.safe_name for d in record.documents][1:] == ["taxi timetable.pdf"]
    [told] = _outbox_to("officer@example.org")
    assert told.subject == "New email on CF-2034-00001"
    assert "missed days" not in told.body  # the words stay out of inboxes
    assert db.session.scalar(select(Feedback.id).where(Feedback.id != record.id)) is None


def test_a_reply_in_the_thread_joins_whoever_sends_it(app):
    """The Message-ID we sent is random: only someone who got our email can answer it."""
    record = _case("CF-2034-00007", "someone.else@example.net")
    _sent(record, "<acknowledgement-1@example.org>", "someone.else@example.net")
    row = take(message("reply_quoting_acknowledgement"))  # names CF-2034-00001, answers our message
    assert (row.kind, row.feedback_id) == ("case", record.id)
    assert row.reason == "It names CF-2034-00007 by a reply to our email"


def test_a_plus_addressed_reply_from_the_persons_address_joins_the_case(app):
    record = _case("CF-2034-00002", "alex.carer@example.com")
    row = take(message("plus_addressed_reply"))
    assert (row.kind, row.feedback_id) == ("case", record.id)
    assert row.reason == "It names CF-2034-00002 by its address"
    assert row.document_ids and len(record.documents) == 1  # the .eml only


def test_a_reference_from_an_address_the_case_does_not_know_waits_for_staff(app):
    record = _case("CF-2034-00002", "the.real.person@example.com")
    row = take(message("plus_addressed_reply"))
    assert (row.kind, row.feedback_id, row.named_reference) == ("unknown_sender", None, "CF-2034-00002")
    assert _events(record, "email_received") == [] and record.documents == []


def test_an_out_of_office_never_becomes_a_case_and_is_never_answered(app):
    record = _case("CF-2034-00003", "jo.professional@school.example.sch.uk")
    _sent(record, "<acknowledgement-3@example.org>", "jo.professional@school.example.sch.uk")
    row = take(message("out_of_office"))
    assert (row.kind, row.feedback_id) == ("auto_reply", None)
    assert row.reason == ("An automatic message (Auto-Submitted: auto-replied). It names CF-2034-00003, "
                          "which it did not join")
    assert db.session.scalar(select(Feedback.id).where(Feedback.id != record.id)) is None
    assert _events(record, "email_received") == []
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).all() == []


def test_a_bounce_of_our_message_marks_it_failed_and_tells_the_officer(app):
    officer = factories.staff("feedback_officer", email="officer@example.org")
    record = _case("CF-2034-00004", "no.such.person@example.net", assigned_to=officer)
    ours = _sent(record, "<acknowledgement-4@example.org>", "no.such.person@example.net",
                 "We have received your question - reference CF-2034-00004")
    row = take(message("bounce_of_our_message"))
    assert (row.kind, row.bounced_outbox_id) == ("bounce", ours.id)
    assert ours.failed_at is not None
    assert ours.last_error == "The receiving mail server could not deliver it: 550 5.1.1 User unknown"
    assert _events(record, "email_sent") == [
        "Our email to no.such.person@example.net (We have received your question - reference CF-2034-00004) "
        "could not be delivered: 550 5.1.1 User unknown"]
    [told] = _outbox_to("officer@example.org")
    assert told.subject == "An email on CF-2034-00004 could not be delivered"
    assert _outbox_to("no.such.person@example.net") == [ours]  # nothing sent to the address again


def test_windows_1252_html_only_mail_becomes_a_record_in_its_own_words(app):
    row = take(message("windows_1252_html_only"))
    record = row.feedback
    assert record.person.name == "Renée Foster"
    assert "the “allowance” of £120 for Maïa’s clothes" in record.summary
    assert record.summary.startswith("Payment of £120 – still waiting\n\n")


def test_a_20_mb_attachment_is_refused_by_the_case_files_limit_and_kept_inside_the_email(app):
    raw = with_big_attachment()
    row = take(raw)
    record = row.feedback
    assert row.kind == "new_record"
    assert row.attachments_refused == [{"name": "report.pdf", "reason": "The selected file must be smaller than 10MB"}]
    assert [d.kind for d in record.documents] == ["eml"]
    assert record.documents[0].size_bytes == len(raw)
    assert _events(record, "document_added")[-1] == (
        "report.pdf from the email from Pat Grandparent (pat@example.net) was not added: The selected file must "
        "be smaller than 10MB. It is still inside the email as it came, in the case file")


def test_a_malformed_message_is_kept_and_listed_for_staff_never_lost(app):
    raw = message("malformed")
    row = take(raw)
    assert (row.kind, row.feedback_id) == ("unreadable", None)
    assert "its attachment was lost on the way" in row.text
    assert _stored(row) == raw


def test_the_same_message_twice_is_taken_once(app):
    first = take(message("new_concern_with_pdf"))
    again = receive.take(message("new_concern_with_pdf"), "test", InSettings.from_app())
    assert again.duplicate and again.message.id == first.id
    assert db.session.scalars(select(Feedback)).all() == [first.feedback]


def test_a_new_email_that_mentions_harm_is_flagged_and_the_duty_team_told_at_once(app):
    raw = (b"From: A Neighbour <neighbour@example.net>\r\nTo: feedback@example.org\r\nSubject: worried\r\n"
           b"\r\nThe boy next door says his stepdad hits him and he is scared to go home.\r\n")
    record = take(raw).feedback
    assert record.safeguarding_concern and record.safeguarding_actioned_at is None
    assert record.status == "new" and record.team_id is None  # nothing is decided for staff
    [alert] = _outbox_to("duty@example.org")
    assert alert.purpose == "safeguarding_alert" and alert.subject == f"URGENT: possible risk of harm - {record.reference}"
    assert "scared to go home" in alert.body
    assert _events(record, "status_change") == [
        "Marked as a possible safeguarding concern: the email from A Neighbour (neighbour@example.net) says "
        "‘hits him’, ‘scared to go home’"]


def test_a_purge_removes_what_an_email_said_and_the_message_as_it_came(app):
    from datetime import date

    from portal.services.data_protection import purge

    row = take(message("new_concern_with_pdf"))
    record, key = row.feedback, row.storage_key
    record.received_on, record.outcome, record.outcome_on = date(2019, 12, 2), "resolved", date(2020, 1, 6)
    db.session.commit()
    purge.run(date(2034, 10, 18))
    db.session.commit()
    db.session.refresh(row)
    assert (row.from_address, row.from_name, row.subject, row.text, row.quoted) == (None, None, None, "", None)
    assert row.storage_key == "" and row.kind == "new_record"
    assert not FileSettings.from_app().store.exists(key)


def _notice(marker: str) -> bytes:
    return (f"From: noreply@example.org\r\nTo: feedback@example.org\r\nSubject: New email on CF-2034-00020\r\n"
            f"Message-ID: {marker}\r\nX-Feedback-Portal: {marker}\r\nDate: Tue, 17 Oct 2034 20:00:00 +0100\r\n"
            f"\r\nAn email came in on CF-2034-00020.\r\n").encode()


def test_the_portals_own_notice_come_back_is_kept_and_needs_no_one(app):
    # The notice for a case nobody holds goes to ORG_EMAIL, the mailbox the portal reads:
    # it comes back, and is not left on the review list for someone to dismiss every time.
    from portal.services.mail_in import review

    record = _case("CF-2034-00020", "parent@example.net")
    _sent(record, "<notice-20@example.org>", "feedback@example.org", "New email on CF-2034-00020")
    row = take(_notice("<notice-20@example.org>"))
    assert (row.kind, row.feedback_id, row.review_action) == ("loop", None, "dismissed")
    assert row.reason == "The portal's own email, come back to the team's mailbox: nothing to do"
    assert review.waiting() == [] and review.waiting_count() == 0
    assert _events(record, "email_received") == []


def test_a_marker_naming_no_message_of_ours_still_waits_for_staff(app):
    # Anyone can write the header: one that names nothing the outbox sent is not trusted.
    from portal.services.mail_in import review

    row = take(_notice("<made-up@example.net>"))
    assert (row.kind, row.reviewed_at, row.reason) == ("loop", None, "Sent by the portal itself")
    assert review.waiting() == [row]
