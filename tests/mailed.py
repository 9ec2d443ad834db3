"""Reading a link the way its reader does: from the mail that arrived at the real SMTP
server (the ``mail_to`` fixture). The outbox never holds a link (it is made as the message
is sent), so a test cannot, and need not, take one from the database."""

from __future__ import annotations

import re

from flask import current_app

from portal.services.common import outbox


def body_of(message) -> str:
    return message.get_payload(decode=True).decode()


def mailed_path(inbox, to: str, prefix: str) -> str:
    """Send the outbox and return the path of the newest link starting ``prefix`` in the
    mail that reached ``to``."""
    outbox.send_due(outbox.MailSettings.from_config(current_app.config))
    base = re.escape(current_app.config["BASE_URL"])
    for message in reversed(inbox.to(to)):
        match = re.search(base + "(" + re.escape(prefix) + r"\S+)", body_of(message))
        if match:
            return match.group(1)
    raise AssertionError(f"no mail to {to} with a link to {prefix}")


_delivered: dict[tuple, str] = {}


def delivered_body(message) -> str:
    """The body of ``message`` as it arrived: sent now, through a real SMTP server on
    loopback, if it has not gone yet (each message's mail is kept for later calls)."""
    from tests.smtp import start_smtp

    key = (message.id, message.created_at)
    if key not in _delivered:
        assert message.sent_at is None, "sent elsewhere: read it from that server's inbox"
        server = start_smtp()
        saved = {name: current_app.config[name] for name in ("MAIL_SERVER", "MAIL_PORT")}
        try:
            current_app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
            outbox.send_due(outbox.MailSettings.from_config(current_app.config), only_ids=[message.id])
            [mail] = server.inbox.wait_for(1)
        finally:
            current_app.config.update(saved)
            server.stop()
        _delivered[key] = body_of(mail)
    return _delivered[key]


def emailed_path(purpose: str, prefix: str, last: bool = True) -> str:
    """The path of the link in the newest (or first) message of this purpose, as mailed."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import OutboxMessage

    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)
                                  .order_by(OutboxMessage.id)).all()
    base = re.escape(current_app.config["BASE_URL"])
    match = re.search(base + "(" + re.escape(prefix) + r"\S+)", delivered_body(messages[-1 if last else 0]))
    assert match, f"no link to {prefix} in the {purpose} mail"
    return match.group(1)
