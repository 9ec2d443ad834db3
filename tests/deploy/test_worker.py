"""Issue 16's fault cases, against real processes: the worker (``flask --app wsgi worker``)
as a subprocess, a real SMTP server (aiosmtpd), the queue in SQLite or in Redis.

Mail the web side commits goes with no command run by hand; with the mail server down it
waits and goes once when the server is back; a worker killed mid-send lets go when its
claim runs out and the message is sent once after the restart; with the broker down the
forms still work and the sweep catches up; a message that can never go is marked failed
and the rest still go."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from sqlalchemy import select

from portal import tasks
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.common import outbox
from tests.smtp import free_port, start_smtp
from tests.deploy.worker_process import UNDER_LIBFAKETIME, RedisServer, WorkerProcess, wait_until, worker_env
from tests.public.helpers import COMPLAINT, COMPLIMENT, reference_in, send
from tests.redis_url import queue_name, redis_url
from tests.common.test_outbox import SilentSMTP

pytestmark = [pytest.mark.usefixtures("same_clock_as_the_worker"), UNDER_LIBFAKETIME]
from tests.deploy.worker_process import same_clock_as_the_worker  # noqa: E402,F401


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tasks.sqlite3'}"
    if request.param == "own redis":
        return request.getfixturevalue("own_broker").url
    return redis_url("the worker")


@pytest.fixture
def own_broker(tmp_path):
    """A redis-server of this test's own, to stop and start again."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REDIS_TEST_URL"):
            pytest.fail("this test starts and stops a redis-server of its own: install redis-server")
        pytest.skip("redis-server is not installed")
    broker = RedisServer(tmp_path).start()
    yield broker
    broker.stop()


@pytest.fixture
def config_overrides(queue_url) -> dict:
    return {"TASK_QUEUE_URL": queue_url, "TASK_QUEUE_NAME": queue_name()}


@pytest.fixture
def worker(app, tmp_path, database_url):
    tasks.queue_of(app).flush()
    made = []

    def make(mail_port: int, **settings) -> WorkerProcess:
        env = worker_env(database_url, app.config["TASK_QUEUE_URL"], app.config["TASK_QUEUE_NAME"], mail_port)
        process = WorkerProcess(tmp_path / f"worker-{len(made)}.log", {**env, **settings})
        made.append(process)
        return process

    yield make
    for process in made:
        process.stop()
    tasks.queue_of(app).flush()


def messages() -> list[OutboxMessage]:
    db.session.rollback()  # a fresh look, and no lock held while the worker writes
    found = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    db.session.rollback()
    return found


def test_a_submission_and_its_duty_alert_go_with_no_command_run(app, client, worker):
    smtp = start_smtp()
    try:
        worker(smtp.port).start()
        reference = reference_in(send(client, "complaint", {**COMPLAINT, "at_risk": "yes"}).get_data(as_text=True))
        delivered = smtp.inbox.wait_for(2, timeout=30)
        assert sorted(m["To"] for m in delivered) == ["alex@example.org", "duty@example.org"]
        assert any(reference in m["Subject"] and "URGENT" in m["Subject"] for m in delivered)
        wait_until(lambda: all(m.sent_at is not None for m in messages()), 10, "not recorded as sent")
    finally:
        smtp.stop()


def test_with_the_mail_server_down_mail_waits_and_goes_once_when_it_is_back(app, client, worker):
    port = free_port()  # nothing listens here yet
    process = worker(port).start()
    send(client, "complaint", COMPLAINT)
    wait_until(lambda: all(m.attempts >= 1 and m.last_error for m in messages()), 30,
               "the worker never tried the mail")
    assert all(m.sent_at is None and m.failed_at is None for m in messages())
    smtp = start_smtp(port)
    try:
        [delivered] = smtp.inbox.wait_for(1, timeout=30)
        assert delivered["To"] == "alex@example.org"
        wait_until(lambda: messages()[0].sent_at is not None, 10, "not recorded as sent")
        time.sleep(3)  # several more ticks: nothing goes twice
        assert len(smtp.inbox.messages) == 1
    finally:
        smtp.stop()
    assert process.process.poll() is None, process.output()


def test_a_worker_killed_mid_send_sends_the_message_once_after_the_restart(app, client, worker):
    silent = SilentSMTP()  # takes the connection and never answers: the send hangs
    smtp = start_smtp()
    try:
        first = worker(silent.port).start()
        send(client, "compliment", {**COMPLIMENT, "name": "Sam Example", "email": "sam@example.org"})
        assert silent.accepted.wait(30), first.output()
        first.kill()
        [held] = messages()
        assert held.sent_at is None and held.claimed_until is not None
        worker(smtp.port).start()  # the claim runs out after MAIL_CLAIM_SECONDS; the sweep sends it
        [delivered] = smtp.inbox.wait_for(1, timeout=30)
        assert delivered["To"] == "sam@example.org"
        wait_until(lambda: messages()[0].sent_at is not None, 10, "not recorded as sent")
        time.sleep(3)
        assert len(smtp.inbox.messages) == 1
        assert messages()[0].attempts == 1
    finally:
        silent.release()
        smtp.stop()


def test_a_message_that_can_never_go_is_marked_failed_and_the_rest_go(app, worker):
    smtp = start_smtp()
    try:
        worker(smtp.port).start()
        outbox.queue("parent@example.org\r\nBcc: everyone@example.net", "Bad", "Body", purpose="test")
        outbox.queue("fine@example.org", "Fine", "Body", purpose="test")
        db.session.commit()
        [delivered] = smtp.inbox.wait_for(1, timeout=30)
        assert delivered["To"] == "fine@example.org"
        wait_until(lambda: messages()[0].failed_at is not None, 30, "the bad message was never marked failed")
        assert messages()[0].last_error == "Not sent: the address is not an email address"
        assert [m.id for m in outbox.failed()] == [messages()[0].id]
    finally:
        smtp.stop()


@pytest.mark.parametrize("queue_url", ["own redis"], indirect=True)
def test_with_the_broker_down_the_forms_work_and_the_sweep_catches_up(app, client, worker, own_broker, caplog):
    broker = own_broker
    smtp = start_smtp()
    try:
        worker(smtp.port).start()
        broker.stop()
        response = send(client, "complaint", {**COMPLAINT, "at_risk": "yes"})
        assert response.status_code == 200 and reference_in(response.get_data(as_text=True))
        # The web side could not ask the worker. (Not "nothing arrives for a while": the
        # tick the worker runs as it starts, or one taken just before the broker stopped,
        # may sweep the new mail at once, which is the sweep doing its job.)
        assert "the task queue did not answer" in caplog.text
        broker.start()  # back on the same port: the worker reconnects and its sweep sends
        delivered = smtp.inbox.wait_for(2, timeout=45)
        assert sorted(m["To"] for m in delivered) == ["alex@example.org", "duty@example.org"]
    finally:
        smtp.stop()
