"""Sending the outbox from a web request: in the background, never in the request.

Every message a request queues (``outbox.queue`` notes it) and commits is handed, once the
response has gone, to a daemon thread with its own application context, which tries it
once. The request, and the worker serving it, never waits for the mail server: a server
that accepts and never answers holds only that thread (for ``MAIL_TIMEOUT`` seconds). The
outbox stays the record: whatever the thread does not send, ``flask outbox send`` (cron)
delivers later, and a process that stops mid-send loses nothing (the message's claim runs
out and it is tried again).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, g
from sqlalchemy import inspect

from portal.services import outbox

log = logging.getLogger(__name__)

# The threads still sending, so that tests (and nothing else) can wait for them.
_senders: set[threading.Thread] = set()
_senders_lock = threading.Lock()


def init_app(app: Flask) -> None:
    @app.after_request
    def send_queued_mail_after_response(response):
        queued = g.pop("outbox_queued", [])
        if not queued or not current_app.config["MAIL_SEND_AFTER_REQUEST"]:
            return response
        # Only messages the request actually committed (a rolled-back one has no row).
        ids = [m.id for m in queued if inspect(m).persistent and m.id is not None]
        if ids:
            app_object = current_app._get_current_object()
            response.call_on_close(lambda: start_sending(app_object, ids))
        return response


def start_sending(app: Flask, ids: list[int]) -> threading.Thread:
    """Send these messages in a daemon thread; returns at once."""
    thread = threading.Thread(target=_send, args=(app, ids), name=f"outbox-{ids[0]}", daemon=True)
    with _senders_lock:
        _senders.add(thread)
    thread.start()
    return thread


def wait_for_senders(timeout: float = 30.0) -> bool:
    """Wait until every sending thread has finished; False if some still run."""
    with _senders_lock:
        running = list(_senders)
    for thread in running:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in running)


def _send(app: Flask, ids: list[int]) -> None:
    try:
        with app.app_context():
            try:
                outbox.send_due(outbox.MailSettings.from_config(app.config), only_ids=ids)
            except Exception:  # the outbox keeps the message; the cron job sends it
                log.exception("sending mail after the response failed; it stays in the outbox")
    finally:
        with _senders_lock:
            _senders.discard(threading.current_thread())
