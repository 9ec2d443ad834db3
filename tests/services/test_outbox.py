"""Mail that must not be lost: the outbox, delivered to a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import outbox
from portal.services.dates import now_utc
from tests.conftest import _free_port, start_smtp
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


def test_a_mail_server_that_is_down_loses_nothing_and_the_mail_goes_when_it_is_back(app):
    port = _free_port()
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


@pytest.mark.parametrize("config_overrides", [{"MAIL_SEND_AFTER_REQUEST": True}])
def test_a_submission_is_acknowledged_by_email_right_after_the_request(app, client, mail_to):
    page = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    reference = reference_in(page)
    [message] = mail_to.wait_for(1)
    assert message["To"] == "alex@example.org"
    assert reference in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert reference in body
    assert "within 10 working days" in body


@pytest.mark.parametrize("config_overrides", [{"MAIL_SEND_AFTER_REQUEST": True}])
def test_a_submission_with_the_mail_server_down_is_kept_and_its_mail_waits(app, client):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_TIMEOUT=2)
    page = send(client, "complaint", {**COMPLAINT, "at_risk": "yes"}).get_data(as_text=True)
    assert reference_in(page)
    waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).all()
    assert sorted(m.purpose for m in waiting) == ["acknowledgement", "safeguarding_alert"]


@pytest.mark.parametrize("config_overrides", [{"MAIL_SEND_AFTER_REQUEST": True}])
def test_any_mail_a_request_queues_goes_after_the_response(app, client, mail_to):
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
