"""Background work: the task queue (Huey) and what the worker does.

No request talks to the mail server. The outbox is the record of what must be sent: a
message is written in the same transaction as the change that causes it, and once that
transaction commits (the session's ``after_commit``) the worker is asked to "send message
N" (safeguarding alerts at a higher priority, so they go first). If the queue cannot be
reached, the request carries on: the worker's sweep, every ``WORKER_TICK_SECONDS`` (a
minute), sends whatever is due that no one asked for, and starts the scheduled jobs that
are due (``portal.services.background.jobs``: reminders, retention purge, pruning sign-in records).

The queue is ``SqliteHuey`` in ``instance/tasks.sqlite3`` by default (one machine, nothing
to install) and ``PriorityRedisHuey`` when ``TASK_QUEUE_URL=redis://...`` (several
machines; Redis 5 or later). ``memory://`` keeps it in this process (the tests).

The worker is ``flask --app wsgi worker`` (``portal.cli``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, PriorityRedisHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer, Scheduler
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from portal.services.common import outbox

log = logging.getLogger(__name__)

URGENT = 10  # the priority of a safeguarding alert; everything else is 0


def make_queue(url: str, instance_path: str, name: str = "portal") -> Huey:
    """The queue ``TASK_QUEUE_URL`` names."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        # Fail fast when Redis is down, so a commit never waits for it.
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        return PriorityRedisHuey(name, connection_pool=pool)
    if url == "memory://":
        return MemoryHuey(name)
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
    elif url:
        from portal.config import ConfigError

        raise ConfigError(f"TASK_QUEUE_URL must start redis://, sqlite:/// or be memory://, not {url!r}")
    else:
        path = str(Path(instance_path) / "tasks.sqlite3")
    return SqliteHuey(name, filename=path, timeout=5)


def init_app(app: Flask) -> None:
    queue = make_queue(app.config["TASK_QUEUE_URL"], app.instance_path, app.config["TASK_QUEUE_NAME"])
    app.extensions["task_queue"] = queue

    @queue.task(name="send_message")
    def send_message(message_id: int) -> None:
        with app.app_context():
            result = outbox.send_due(outbox.MailSettings.from_config(app.config), only_ids=[message_id])
            if result.failed:
                log.info("mail %s not sent yet; the sweep tries it again", message_id)

    @queue.periodic_task(crontab(), name="tick")
    def tick() -> None:
        with app.app_context():
            from portal.services.background import jobs

            jobs.tick()

    app.extensions["tasks"] = {"send_message": send_message, "tick": tick}


def queue_of(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["task_queue"]


def ask_to_send(message_ids_and_purposes: list[tuple[int, str]], app: Flask | None = None) -> bool:
    """Ask the worker to send these messages; False (and logged) if the queue did not
    answer, in which case the sweep sends them within a minute or so."""
    app = app or current_app._get_current_object()
    send_message = app.extensions["tasks"]["send_message"]
    try:
        for message_id, purpose in message_ids_and_purposes:
            queue_of(app).enqueue(send_message.s(
                message_id, priority=URGENT if purpose == outbox.SAFEGUARDING_ALERT else 0))
    except Exception as exc:  # noqa: BLE001 - the web side keeps working without the queue
        log.warning("the task queue did not answer (%s: %s); the outbox sweep will send %s",
                    type(exc).__name__, exc, [i for i, _ in message_ids_and_purposes])
        return False
    return True


@event.listens_for(Session, "after_commit")
def _ask_after_commit(session: Session) -> None:
    queued = session.info.pop(outbox.QUEUED_KEY, None)
    if not queued or not has_app_context() or "tasks" not in current_app.extensions:
        return
    # Only what this commit made lasting (a message rolled back has no row). No SQL may
    # run here: the id is read from the identity, the purpose was noted when queued.
    wanted = []
    for message, purpose in queued:
        state = inspect(message)
        if state.persistent and state.identity:
            wanted.append((state.identity[0], purpose))
    if wanted:
        ask_to_send(wanted)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    # What was queued in the rolled-back transaction is gone; a message kept from an
    # earlier flush stays listed and is filtered by ``persistent`` at the next commit.
    queued = session.info.get(outbox.QUEUED_KEY)
    if queued:
        session.info[outbox.QUEUED_KEY] = [(m, p) for m, p in queued if inspect(m).persistent]


def ping(app: Flask | None = None) -> None:
    """Raise if the queue does not answer."""
    queue = queue_of(app)
    if isinstance(queue, RedisHuey):
        queue.storage.conn.ping()
    else:
        queue.pending_count()


def consumer(app: Flask, workers: int | None = None) -> Consumer:
    """The worker: ``WORKER_THREADS`` threads sending and running jobs, and a scheduler
    that ticks every ``WORKER_TICK_SECONDS``."""
    seconds = max(1, int(app.config["WORKER_TICK_SECONDS"]))

    class TickingScheduler(Scheduler):
        periodic_task_seconds = seconds

    class PortalConsumer(Consumer):
        scheduler_class = TickingScheduler

    return PortalConsumer(queue_of(app), workers=workers or app.config["WORKER_THREADS"],
                          worker_type="thread", periodic=True, check_worker_health=True,
                          max_delay=1.0)
