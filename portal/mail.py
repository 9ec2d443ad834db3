"""Sending the outbox from a web request: after the response has gone.

The person never waits for the mail server; if it is down, the message stays in
the outbox for ``flask outbox send`` (run from cron) to deliver later.
"""

from __future__ import annotations

import logging

from flask import after_this_request, current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import outbox

log = logging.getLogger(__name__)


def send_after_response(feedback_id: int) -> None:
    if not current_app.config["MAIL_SEND_AFTER_REQUEST"]:
        return
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.feedback_id == feedback_id, OutboxMessage.sent_at.is_(None)
            )
        )
    )
    if not ids:
        return
    app = current_app._get_current_object()

    @after_this_request
    def _send_on_close(response):
        def send():
            with app.app_context():
                try:
                    outbox.send_due(outbox.MailSettings.from_config(app.config), only_ids=ids)
                except Exception:  # the outbox keeps the message; never fail the page
                    log.exception("sending mail after the response failed; it stays in the outbox")

        response.call_on_close(send)
        return response
