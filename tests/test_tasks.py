"""The task queue (portal/tasks.py): committing a message asks the worker to send it,
safeguarding alerts first; a rolled-back message asks nothing; with the queue down the
web side keeps working and the sweep sends the mail."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from portal import tasks
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.background import jobs
from portal.services.common import outbox
from tests.smtp import free_port
from tests.public.helpers import COMPLAINT, reference_in, send
from tests.redis_url import queue_name, redis_url


def asked_for(app) -> list[int]:
    """The message ids the worker has been asked to send, in the order it would take them."""
    queue = tasks.queue_of(app)
    ids = []
    while (task := queue.dequeue()) is not None:
        assert task.name == "send_message"
        ids.append(task.args[0])
    return ids


def test_committing_a_message_asks_the_worker_to_send_it(app):
    message = outbox.queue("someone@example.org", "Hello", "Body", purpose="test")
    assert asked_for(app) == []  # not before the commit: the worker would find no row
    db.session.commit()
    assert asked_for(app) == [message.id]


def test_a_rolled_back_message_asks_nothing(app):
    outbox.queue("someone@example.org", "Hello", "Body", purpose="test")
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert asked_for(app) == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_safeguarding_alert_is_taken_before_the_acknowledgement(app, client):
    reference_in(send(client, "complaint", {**COMPLAINT, "at_risk": "yes"}).get_data(as_text=True))
    by_id = {m.id: m.purpose for m in db.session.scalars(select(OutboxMessage))}
    assert sorted(by_id.values()) == ["acknowledgement", "safeguarding_alert"]
    assert [by_id[i] for i in asked_for(app)] == ["safeguarding_alert", "acknowledgement"]


def test_the_sweep_sends_the_safeguarding_alert_first(app, mail_to):
    outbox.queue("a@example.org", "First", "Body", purpose="acknowledgement")
    outbox.queue("duty@example.org", "URGENT", "Body", purpose="safeguarding_alert")
    db.session.commit()
    jobs.sweep()
    assert [m["Subject"] for m in mail_to.wait_for(2)] == ["URGENT", "First"]


def test_a_submission_is_sent_by_the_worker_once(app, client, mail_to, task_worker):
    send(client, "complaint", COMPLAINT)
    [message] = mail_to.wait_for(1)
    assert message["To"] == "alex@example.org"
    assert task_worker.wait_until_idle()
    jobs.sweep()  # the sweep finds nothing left to send
    assert len(mail_to.wait_for(2, timeout=0.5)) == 1


@pytest.mark.parametrize("config_overrides", [{"TASK_QUEUE_URL": f"redis://127.0.0.1:{free_port()}/0"}])
def test_with_the_queue_down_the_form_still_works_and_the_sweep_sends_the_mail(app, client, mail_to, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.tasks"):
        response = send(client, "complaint", {**COMPLAINT, "at_risk": "yes"})
    assert response.status_code == 200
    assert reference_in(response.get_data(as_text=True))
    assert "the task queue did not answer" in caplog.text
    assert mail_to.wait_for(1, timeout=0.5) == []
    jobs.sweep()
    assert sorted(m["To"] for m in mail_to.wait_for(2)) == ["alex@example.org", "duty@example.org"]


@pytest.fixture
def redis_queue(app):
    app.config.update(TASK_QUEUE_URL=redis_url("the task queue"), TASK_QUEUE_NAME=queue_name())
    tasks.init_app(app)
    tasks.queue_of(app).flush()
    yield tasks.queue_of(app)
    tasks.queue_of(app).flush()


def test_on_redis_the_safeguarding_alert_is_taken_first_too(app, client, redis_queue):
    send(client, "complaint", {**COMPLAINT, "at_risk": "yes"})
    by_id = {m.id: m.purpose for m in db.session.scalars(select(OutboxMessage))}
    assert [by_id[i] for i in asked_for(app)] == ["safeguarding_alert", "acknowledgement"]
    tasks.ping(app)
