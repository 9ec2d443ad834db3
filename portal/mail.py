"""Sending the outbox from a web request: after the response has gone.

Every message a request queues (``outbox.queue`` notes it) is tried once the
response is on its way, so the person never waits for the mail server; if it is
down, the message stays in the outbox for ``flask outbox send`` (cron) to deliver.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from sqlalchemy import inspect

from portal.services import outbox

log = logging.getLogger(__name__)


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
            response.call_on_close(lambda: _send(app_object, ids))
        return response


def _send(app: Flask, ids: list[int]) -> None:
    with app.app_context():
        try:
            outbox.send_due(outbox.MailSettings.from_config(app.config), only_ids=ids)
        except Exception:  # the outbox keeps the message; never fail the page
            log.exception("sending mail after the response failed; it stays in the outbox")

