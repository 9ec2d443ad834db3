"""Issue 16, item 4: the administrator's page shows mail waiting, the oldest waiting
message, failed mail with its reason and a way to try again, and when each job last ran,
with no case content (docs/permissions.md); ``/healthz`` answers for the database and
the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal import tasks
from portal.extensions import db
from portal.models import AuditEntry, OutboxMessage
from portal.services.background import jobs
from portal.services.common import outbox
from portal.services.common.dates import now_utc
from tests.smtp import free_port
from tests.public.helpers import COMPLAINT, send

ADMIN_PAGE = "/staff/admin/background-work"


def page(response) -> str:
    return response.get_data(as_text=True)


def refused_message() -> OutboxMessage:
    message = outbox.queue("refused@example.org", "Your complaint CF-2034-00001", "Private body text",
                           purpose="acknowledgement")
    message.failed_at = now_utc()
    message.attempts = 1
    message.last_error = "The mail server refused the address: 550 5.1.1 <refused@example.org>: no such mailbox"
    db.session.commit()
    return message


def test_the_administrator_sees_counts_ages_reasons_and_jobs_and_no_case_content(app, client, signed_in):
    admin = signed_in("administrator")
    send(client, "complaint", COMPLAINT)  # waiting: acknowledgement to alex@example.org
    failed = refused_message()
    jobs.run_once(jobs.JOBS[0], now_utc())  # the reminders ran this morning
    with time_machine.travel(now_utc() + timedelta(minutes=20)):
        html = page(admin.get(ADMIN_PAGE))
    assert "Waiting to be sent" in html
    assert "20 minutes old" in html or "21 minutes old" in html
    assert "no such mailbox" in html and "(address hidden)" in html
    assert f"Try again<span class=\"govuk-visually-hidden\"> to send message {failed.id}" in html
    assert "Sending waiting mail (the sweep)" in html and "Not yet" in html
    assert "Reminder emails" in html and "0 queued, 0 already sent" in html
    # No address, subject, body or case: administrators see no case content.
    for private in ("refused@example.org", "alex@example.org", "CF-2034-00001", "Private body text",
                    COMPLAINT["summary"]):
        assert private not in html


def test_a_failed_message_can_be_tried_again_and_the_change_is_audited(app, signed_in, mail_to, task_worker):
    admin = signed_in("administrator")
    message = outbox.queue("someone@example.org", "Hello", "Body", purpose="test")
    db.session.commit()
    assert task_worker.wait_until_idle()
    mail_to.clear()
    db.session.refresh(message)
    message.sent_at, message.failed_at, message.last_error = None, now_utc(), "Not sent: for the test"
    db.session.commit()

    response = admin.post(f"{ADMIN_PAGE}/{message.id}/try-again")
    assert response.status_code == 302
    assert f"Message {message.id} will be tried again" in page(admin.get(ADMIN_PAGE))
    [delivered] = mail_to.wait_for(1)
    assert delivered["To"] == "someone@example.org"
    db.session.rollback()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "outbox_message",
                                                          AuditEntry.entity_id == str(message.id),
                                                          AuditEntry.actor_id == admin.user.id)).all()
    assert any("failed_at" in (e.new or {}) for e in entries)


def test_trying_again_a_message_that_has_not_failed_says_so(app, signed_in):
    admin = signed_in("administrator")
    message = outbox.queue("someone@example.org", "Hello", "Body", purpose="test")
    db.session.commit()
    response = admin.post(f"{ADMIN_PAGE}/{message.id}/try-again", follow_redirects=True)
    assert response.status_code == 200
    assert "That message is not one that could not be sent" in page(response)
    assert admin.post(f"{ADMIN_PAGE}/99999/try-again").status_code == 302


def test_a_feedback_manager_does_not_get_the_administrators_page(signed_in):
    assert signed_in("feedback_manager").get(ADMIN_PAGE).status_code == 403


def test_healthz_answers_200_when_the_database_and_the_queue_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "ok"}


@pytest.mark.parametrize("config_overrides", [{"TASK_QUEUE_URL": f"redis://127.0.0.1:{free_port()}/0"}])
def test_healthz_answers_503_when_the_queue_does_not(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not ok", "database": "ok", "queue": "not answering"}


def test_healthz_answers_503_when_the_database_does_not(app, client, tmp_path):
    from sqlalchemy import create_engine

    broken = create_engine(f"sqlite:///{tmp_path}/missing/none.sqlite3")
    engines = db.engines
    original = engines[None]
    engines[None] = broken
    try:
        response = client.get("/healthz")
    finally:
        engines[None] = original
    assert response.status_code == 503
    assert response.get_json()["database"] == "not answering"
    assert tasks.queue_of(app) is not None
