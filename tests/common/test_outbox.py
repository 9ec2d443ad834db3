"""Mail that must not be lost: the outbox, delivered to a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.common import outbox
from portal.services.common.dates import now_utc
from tests.smtp import free_port, start_smtp
from tests.public.helpers import COMPLAINT, reference_in, send


def settings(app):
    return outbox.MailSettings.from_config(app.config)


def queue_one(to="person@example.org"):
    message = outbox.queue(to, "Hello", "A body\nwith two lines.", purpose="test")
    db.session.commit()
    return message


def test_queued_mail_is_delivered_by_smtp(app, mail_to):
    queue_one()
    result = outbox.send_due(settings(app))
    assert (result.sent, result.failed) == (1, 0)
    [message] = mail_to.wait_for(1)
    assert message["To"] == "person@example.org"
    assert message["Subject"] == "Hello"
    assert "with two lines." in message.get_payload(decode=True).decode()
    assert db.session.scalars(select(OutboxMessage)).one().sent_at is not None


def test_replies_reach_the_teams_mailbox_when_mail_goes_from_a_no_reply_address(app, mail_to):
    # Letters say "reply to this email": from noreply@, the reply must still reach the
    # team's mailbox, which the portal reads (issue 19).
    app.config.update(MAIL_FROM="noreply@example.org", ORG_EMAIL="feedback@example.org", MAIL_IN_ADDRESS=None)
    queue_one()
    outbox.send_due(settings(app))
    [message] = mail_to.wait_for(1)
    assert (message["From"], message["Reply-To"]) == ("noreply@example.org", "feedback@example.org")
    app.config.update(MAIL_IN_ADDRESS="team+in@example.org")
    queue_one("second@example.org")
    outbox.send_due(settings(app))
    assert mail_to.wait_for(2)[1]["Reply-To"] == "team+in@example.org"
    # Sent from the team's own address, a Reply-To would only repeat it.
    app.config.update(MAIL_FROM="team+in@example.org")
    queue_one("third@example.org")
    outbox.send_due(settings(app))
    assert mail_to.wait_for(3)[2]["Reply-To"] is None


def test_a_mail_server_that_is_down_loses_nothing_and_the_mail_goes_when_it_is_back(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    message = queue_one()

    result = outbox.send_due(settings(app))
    assert (result.sent, result.failed) == (0, 1)
    db.session.refresh(message)
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at > now_utc()
    # Not due again until its retry time...
    assert outbox.send_due(settings(app)).failed == 0

    server = start_smtp(port)
    try:
        # ...which we reach by moving the retry time, as the clock would.
        message.next_attempt_at = now_utc() - timedelta(seconds=1)
        db.session.commit()
        assert outbox.send_due(settings(app)).sent == 1
        [delivered] = server.inbox.wait_for(1)
        assert delivered["Subject"] == "Hello"
    finally:
        server.stop()
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 2


def test_a_sent_message_is_never_sent_twice(app, mail_to):
    queue_one()
    outbox.send_due(settings(app))
    outbox.send_due(settings(app))
    assert len(mail_to.wait_for(2, timeout=0.5)) == 1


def test_without_a_mail_server_mail_goes_to_the_log(app, caplog):
    queue_one()
    with caplog.at_level("INFO"):
        assert outbox.send_due(settings(app)).sent == 1
    assert "MAIL_SERVER is not set" in caplog.text
    assert "Subject: Hello" in caplog.text


def test_the_outbox_send_command_delivers_and_reports(app, runner, mail_to):
    queue_one()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0, waiting 0" in result.output
    assert len(mail_to.wait_for(1)) == 1


def test_a_submission_is_acknowledged_by_email_right_after_the_request(app, client, mail_to, task_worker):
    page = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    reference = reference_in(page)
    [message] = mail_to.wait_for(1)
    assert message["To"] == "alex@example.org"
    assert reference in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert reference in body
    assert "within 10 working days" in body


def test_a_submission_with_the_mail_server_down_is_kept_and_its_mail_waits(app, client, task_worker):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    page = send(client, "complaint", {**COMPLAINT, "at_risk": "yes"}).get_data(as_text=True)
    assert reference_in(page)
    assert task_worker.wait_until_idle()
    db.session.rollback()
    waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).all()
    assert sorted(m.purpose for m in waiting) == ["acknowledgement", "safeguarding_alert"]


def test_any_mail_a_request_queues_goes_after_the_response(app, client, mail_to, task_worker):
    """Not only acknowledgements: a staff invitation, say, is queued and sent at once."""
    @app.post("/test-queue-mail")
    def queue_mail():
        outbox.queue("someone@example.org", "Set up your account", "A link", purpose="staff_invite")
        db.session.commit()
        return "queued"

    with client.post("/test-queue-mail") as response:  # a server closes every response
        assert response.status_code == 200
    [message] = mail_to.wait_for(1)
    assert message["Subject"] == "Set up your account"


# --- Mail that can never go (issue 14) ----------------------------------------------


@pytest.fixture
def refusing_smtp(app):
    """A mail server that refuses one address for good (550) and is busy for another (451)."""
    server = start_smtp(refusing=True)
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
    yield server.inbox
    server.stop()


INJECTED = "parent@example.org\r\nBcc: everyone@example.net"


def test_one_bad_address_is_marked_failed_and_the_rest_still_go(app, runner, mail_to):
    """Issue 14: an address with ``\\r\\nBcc:`` made ``flask outbox send`` exit on a
    ValueError, skipping the messages after it, and the bad one was tried for ever."""
    before = queue_one("first@example.org")
    bad = queue_one(INJECTED)
    after = queue_one("after@example.org")

    result = runner.invoke(args=["outbox", "send"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "sent 2, failed 0, waiting 0, cannot be sent 1" in result.output
    assert sorted(m["To"] for m in mail_to.wait_for(2)) == ["after@example.org", "first@example.org"]
    assert not any("everyone@example.net" in str(m) for m in mail_to.messages)
    for message in (before, bad, after):
        db.session.refresh(message)
    assert before.sent_at and after.sent_at and bad.sent_at is None
    assert bad.failed_at is not None
    assert bad.last_error == "Not sent: the address is not an email address"
    # Never tried again.
    bad.next_attempt_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    assert outbox.send_due(settings(app)) == outbox.SendResult()
    assert [m.id for m in outbox.failed()] == [bad.id]


def test_a_permanent_refusal_fails_for_good_and_a_temporary_one_is_tried_again(app, refusing_smtp):
    refused = queue_one("refused@example.org")
    busy = queue_one("busy@example.org")
    fine = queue_one("fine@example.org")

    result = outbox.send_due(settings(app))
    assert (result.sent, result.failed, result.undeliverable) == (1, 1, 1)
    for message in (refused, busy, fine):
        db.session.refresh(message)
    assert refused.failed_at is not None and refused.last_error.startswith(
        "The mail server refused the address: 550")
    assert busy.failed_at is None and busy.sent_at is None and busy.next_attempt_at > now_utc()
    assert "451" in busy.last_error
    assert fine.sent_at is not None
    assert [m.id for m in outbox.failed()] == [refused.id]



# --- No request waits for the mail server (issue 14) --------------------------------


class SilentSMTP:
    """A mail server on loopback that accepts connections and never answers (not even its
    greeting) until ``release()``, which closes them."""

    def __init__(self):
        import socket
        import threading

        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = threading.Event()
        self.released = threading.Event()
        self.connections = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.released.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            self.accepted.set()

    def release(self):
        import socket

        self.released.set()
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone does not)
        except OSError:
            pass
        self.thread.join(5)
        self.listener.close()
        for connection in self.connections:
            connection.close()


def test_a_request_never_waits_for_a_mail_server_that_does_not_answer(app, client):
    """Issue 14, then issue 16: no request talks to the mail server at all. With one that
    accepts and never answers, the submission and the status link request finish without
    it being spoken to; their mail waits in the outbox for the worker."""
    silent = SilentSMTP()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.port, MAIL_TIMEOUT=120)
    try:
        reference = reference_in(send(client, "complaint", COMPLAINT).get_data(as_text=True))
        with client.post("/your-feedback", data={"reference": reference, "email": "alex@example.org"}):
            pass
        assert not silent.accepted.wait(0.5), "a request spoke to the mail server"
    finally:
        silent.release()
    waiting = db.session.scalars(select(OutboxMessage)).all()
    assert sorted(m.purpose for m in waiting) == ["acknowledgement", "status_link"]
    assert all(m.sent_at is None and m.attempts == 0 for m in waiting)
