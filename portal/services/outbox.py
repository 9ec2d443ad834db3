"""The outbox: mail that must not be lost.

A message is written to the outbox in the same transaction as the change that
causes it (``queue``), and sent later by SMTP (``send_due``), with retries and a
growing wait between them. A failed or absent mail server never loses a message:
it stays in the outbox until it goes. Without ``MAIL_SERVER`` mail is written to
the log instead, which is what development wants.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import g, has_request_context
from sqlalchemy import or_, select, update

from portal.extensions import db
from portal.models import Feedback, OutboxMessage
from portal.services.dates import now_utc

log = logging.getLogger(__name__)

CLAIM_FOR = timedelta(minutes=5)
# Waits after the 1st, 2nd, ... failure; the last repeats for ever.
RETRY_WAITS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    username: str | None
    password: str | None
    sender: str
    timeout: int
    use_ssl: bool = False  # TLS from the first byte (SMTPS, usually port 465)
    use_tls: bool = False  # STARTTLS required, not only used when offered
    ca_file: str | None = None  # certificates to trust instead of the system's

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        return cls(
            server=config["MAIL_SERVER"],
            port=config["MAIL_PORT"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            sender=config["MAIL_FROM"],
            timeout=config["MAIL_TIMEOUT"],
            use_ssl=config.get("MAIL_USE_SSL", False),
            use_tls=config.get("MAIL_USE_TLS", False),
            ca_file=config.get("MAIL_TLS_CA_FILE"),
        )


class MailTransportRefused(smtplib.SMTPException):
    """The mail server cannot be spoken to safely: the message stays in the outbox."""


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0


def queue(
    to: str, subject: str, body: str, purpose: str, feedback: Feedback | None = None
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (not committed here)."""
    message = OutboxMessage(
        to_address=to, subject=subject, body=body, purpose=purpose, feedback=feedback
    )
    db.session.add(message)
    if has_request_context():
        g.setdefault("outbox_queued", []).append(message)  # sent after the response (portal.mail)
    return message


def send_due(settings: MailSettings, only_ids: list[int] | None = None, limit: int = 100) -> SendResult:
    """Send what is due, each message claimed first so no two senders send it twice."""
    result = SendResult()
    now = now_utc()
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if only_ids is not None:
        query = query.where(OutboxMessage.id.in_(only_ids))
    for message_id in list(db.session.scalars(query)):
        message = _claim(message_id)
        if message is None:
            continue
        try:
            _deliver(settings, message)
        except (OSError, smtplib.SMTPException) as exc:
            _record_failure(message, exc)
            result.failed += 1
        else:
            message.sent_at = now_utc()
            message.attempts += 1
            message.claimed_until = None
            message.last_error = None
            result.sent += 1
        db.session.commit()
    return result


def pending_count() -> int:
    return db.session.query(OutboxMessage).filter(OutboxMessage.sent_at.is_(None)).count()


def _claim(message_id: int) -> OutboxMessage | None:
    now = now_utc()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_FOR)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    return db.session.get(OutboxMessage, message_id)


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    message.attempts += 1
    wait = RETRY_WAITS[min(message.attempts, len(RETRY_WAITS)) - 1]
    message.next_attempt_at = now_utc() + wait
    message.claimed_until = None
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    log.warning("mail %s to %s not sent (attempt %s): %s", message.id, message.to_address,
                message.attempts, message.last_error)


def _deliver(settings: MailSettings, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    email.set_content(message.body)
    if not settings.server:
        log.info("MAIL_SERVER is not set; mail written to the log instead:\n%s", email)
        return
    with _connect(settings) as smtp:
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(email)


def _tls_context(settings: MailSettings) -> ssl.SSLContext:
    """The server's certificate is checked, and its name, always (the system's CAs, or
    MAIL_TLS_CA_FILE's)."""
    return ssl.create_default_context(cafile=settings.ca_file)


def _connect(settings: MailSettings) -> smtplib.SMTP:
    """A connection to the mail server, encrypted whenever it can be, and always when a
    password is to be sent or MAIL_USE_SSL or MAIL_USE_TLS asks for it.

    STARTTLS is used whenever the server offers it, with the certificate verified. A
    server that does not offer it is refused when TLS is required: a password is never
    sent in clear, and an attacker who strips the offer from the server's greeting gets
    nothing by it."""
    context = _tls_context(settings)
    if settings.use_ssl:
        smtp = smtplib.SMTP_SSL(settings.server, settings.port, timeout=settings.timeout, context=context)
        smtp.ehlo()
        return smtp
    smtp = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
    try:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        elif settings.use_tls or settings.username or settings.password:
            raise MailTransportRefused(
                f"{settings.server} does not offer STARTTLS, and "
                + ("MAIL_USE_TLS requires it" if settings.use_tls else
                   "a password is never sent without TLS")
                + "; nothing was sent (set MAIL_USE_SSL for a server that uses TLS from the start)")
    except BaseException:
        smtp.close()
        raise
    return smtp
