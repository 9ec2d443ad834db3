"""Reading a link the way its reader does: from the mail that arrived at the real SMTP
server (the ``mail_to`` fixture). The outbox never holds a link (it is made as the message
is sent), so a test cannot, and need not, take one from the database."""

from __future__ import annotations

import re

from flask import current_app

from portal.services import outbox


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
