"""The outbox: mail that must not be lost.

A message is written to the outbox in the same transaction as the change that
causes it (``queue``), and sent later by SMTP (``send_due``), with retries and a
growing wait between them. A failed or absent mail server never loses a message:
it stays in the outbox until it goes. Without ``MAIL_SERVER`` mail is written to
the log instead, which is what development wants.

A message that can never go (an address that is not an email address, one the mail server
refuses for good, a link no longer needed) is marked failed with its reason and never
tried again; the feedback manager sees it (``failed``). One bad message never stops the
others.

No secret link is stored. A message with a link is queued with ``link_ref`` saying what
the link is for and ``LINK`` in its body where the link goes; the link is made as the
message is sent (a staff set-up or reset link then, its token stored only hashed; a status
link from the record), so neither the outbox nor the audit trail can show a working link.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Feedback, OutboxMessage
from portal.services.common.dates import now_utc
from portal.services.intake.people import is_email

log = logging.getLogger(__name__)

# Where a message's link goes in its stored body (``link_ref`` says which link).
LINK = "[link]"
CLAIM_FOR = timedelta(minutes=5)
SAFEGUARDING_ALERT = "safeguarding_alert"
# The session's messages to hand to the worker once it commits (portal.tasks).
QUEUED_KEY = "outbox_queued"
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
    reply_to: str | None = None  # the team's mailbox, where it is not the sender
    use_ssl: bool = False  # TLS from the first byte (SMTPS, usually port 465)
    use_tls: bool = False  # STARTTLS required, not only used when offered
    ca_file: str | None = None  # certificates to trust instead of the system's
    claim_for: timedelta = CLAIM_FOR
    retry_waits: tuple[timedelta, ...] = tuple(RETRY_WAITS)

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        return cls(
            server=config["MAIL_SERVER"],
            port=config["MAIL_PORT"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            sender=config["MAIL_FROM"],
            timeout=config["MAIL_TIMEOUT"],
            reply_to=config.get("MAIL_IN_ADDRESS") or config.get("ORG_EMAIL"),
            use_ssl=config.get("MAIL_USE_SSL", False),
            use_tls=config.get("MAIL_USE_TLS", False),
            ca_file=config.get("MAIL_TLS_CA_FILE"),
            claim_for=timedelta(seconds=config.get("MAIL_CLAIM_SECONDS", CLAIM_FOR.total_seconds())),
            retry_waits=tuple(timedelta(seconds=s) for s in config.get("MAIL_RETRY_SECONDS") or ())
            or tuple(RETRY_WAITS),
        )


class MailTransportRefused(smtplib.SMTPException):
    """The mail server cannot be spoken to safely: the message stays in the outbox."""


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0  # tried again later
    undeliverable: int = 0  # marked failed, never tried again


class Undeliverable(Exception):
    """The message can never go; the text says why, for staff."""


def status_link_ref(record: Feedback) -> str:
    return f"status:{record.id}"


def queue(
    to: str, subject: str, body: str, purpose: str, feedback: Feedback | None = None,
    link_ref: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (not committed here).

    With ``link_ref``, ``body`` has ``LINK`` where the link goes, made at sending."""
    if link_ref is not None and LINK not in body:
        raise ValueError("a message with a link_ref needs outbox.LINK in its body")
    message = OutboxMessage(
        to_address=to, subject=subject, body=body, purpose=purpose, feedback=feedback,
        link_ref=link_ref,
    )
    db.session.add(message)
    send_after_commit(message)
    return message


def send_after_commit(message: OutboxMessage) -> None:
    """Ask the worker to send this message once the session commits (portal.tasks)."""
    db.session.info.setdefault(QUEUED_KEY, []).append((message, message.purpose))


def sending_order():
    """Safeguarding alerts first, then the oldest."""
    return (case((OutboxMessage.purpose == SAFEGUARDING_ALERT, 0), else_=1), OutboxMessage.id)


def send_due(settings: MailSettings, only_ids: list[int] | None = None, limit: int = 100) -> SendResult:
    """Send what is due, safeguarding alerts first, each message claimed first so no two
    senders send it twice. A message that fails is recorded and the rest still go.

    With ``only_ids`` (the worker's "send message N", asked for as N was committed), a
    message never yet tried is due whatever its ``next_attempt_at`` says: it was due when
    it was committed, by whichever clock wrote it."""
    result = SendResult()
    now = now_utc()
    due = OutboxMessage.next_attempt_at <= now
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        .order_by(*sending_order())
        .limit(limit)
    )
    if only_ids is not None:
        query = query.where(OutboxMessage.id.in_(only_ids), or_(due, OutboxMessage.attempts == 0))
    else:
        query = query.where(due)
    for message_id in list(db.session.scalars(query)):
        message = _claim(message_id, settings.claim_for)
        if message is None:
            continue
        try:
            # A staff link's token is added to the session here: it is kept only if the
            # message goes (a failure rolls it back with everything else but the claim).
            _deliver(settings, message, _body_with_link(message))
        except Exception as exc:  # noqa: BLE001 - one message never stops the others
            db.session.rollback()
            message = db.session.get(OutboxMessage, message_id)
            reason = permanent_reason(exc)
            if reason is not None:
                _record_undeliverable(message, reason)
                result.undeliverable += 1
            else:
                if not isinstance(exc, (OSError, smtplib.SMTPException)):
                    log.exception("mail %s: unexpected error, tried again later", message_id)
                _record_failure(message, exc, settings.retry_waits)
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
    return db.session.query(OutboxMessage).filter(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)).count()


def failed() -> list[OutboxMessage]:
    """Messages that can never go, newest first, with their records (for staff)."""
    return list(db.session.scalars(
        select(OutboxMessage).options(joinedload(OutboxMessage.feedback))
        .where(OutboxMessage.failed_at.is_not(None))
        .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc())
    ))


def failed_count() -> int:
    return db.session.query(OutboxMessage).filter(OutboxMessage.failed_at.is_not(None)).count()


def permanent_reason(exc: Exception) -> str | None:
    """Why a message can never go, or None if trying again later may work: a refusal the
    mail server says is final (a 5xx reply about the recipient or the message), a header
    that cannot be written (an address with a line break, say), a link no longer needed.
    Everything else (no connection, a timeout, a 4xx reply, a refused sign-in to the mail
    server) is temporary."""
    if isinstance(exc, Undeliverable):
        return str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            replies = "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
            return f"The mail server refused the address: {replies}"[:2000]
        return None
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return f"The mail server refused the message: {exc.smtp_code} {_text(exc.smtp_error)}"[:2000]
    # A certificate that fails its check is a ValueError too (and an OSError): a fault of
    # the set-up that someone can mend, so the message waits for it.
    if isinstance(exc, (ValueError, UnicodeError)) and not isinstance(exc, (smtplib.SMTPException, OSError)):
        return f"The message could not be written: {exc}"[:2000]
    return None


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _body_with_link(message: OutboxMessage) -> str:
    if message.link_ref is None:
        return message.body
    return message.body.replace(LINK, _link_for(message.link_ref))


def _link_for(link_ref: str) -> str:
    kind, _, ident = link_ref.partition(":")
    if not ident.isdigit():
        raise Undeliverable(f"Not sent: its link ({link_ref}) is not one the portal makes")
    if kind == "status":
        from portal.services.intake import status_links

        record = db.session.get(Feedback, int(ident))
        if record is None or record.purged_at is not None:
            raise Undeliverable("Not sent: the record it links to has been removed")
        return status_links.url_for_record(record)
    if kind in ("invite", "reset"):
        from portal.services.accounts import staff_accounts

        return staff_accounts.link_to_send(int(ident), kind)
    raise Undeliverable(f"Not sent: its link ({link_ref}) is not one the portal makes")


def _claim(message_id: int, claim_for: timedelta = CLAIM_FOR) -> OutboxMessage | None:
    now = now_utc()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + claim_for)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    return db.session.get(OutboxMessage, message_id)


def _record_failure(message: OutboxMessage, exc: Exception, waits=tuple(RETRY_WAITS)) -> None:
    message.attempts += 1
    wait = waits[min(message.attempts, len(waits)) - 1]
    message.next_attempt_at = now_utc() + wait
    message.claimed_until = None
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    log.warning("mail %s to %s not sent (attempt %s): %s", message.id, message.to_address,
                message.attempts, message.last_error)


def _record_undeliverable(message: OutboxMessage, reason: str) -> None:
    message.attempts += 1
    message.failed_at = now_utc()
    message.claimed_until = None
    message.last_error = reason[:2000]
    log.warning("mail %s (%s) can never be sent: %s", message.id, message.purpose, message.last_error)


def _deliver(settings: MailSettings, message: OutboxMessage, body: str) -> None:
    if not is_email(message.to_address):
        raise Undeliverable("Not sent: the address is not an email address")
    email = EmailMessage()
    sender = message.from_address or settings.sender
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    # Our letters say "reply to this email": a reply must reach the team's mailbox (which
    # the portal reads, issue 19) even when the mail goes from a no-reply address.
    if settings.reply_to and settings.reply_to.lower() != sender.lower():
        email["Reply-To"] = settings.reply_to
    # Kept, so that a reply or a bounce naming it finds its case (email in, issue 19).
    message.message_id = message.message_id or make_msgid(domain=sender.rpartition("@")[2] or None).lower()
    email["Message-ID"] = message.message_id
    if message.in_reply_to:
        email["In-Reply-To"] = message.in_reply_to
        email["References"] = message.in_reply_to
    # Mail from the portal that comes back into the team's mailbox is a loop, not a case
    # (portal.services.mail_in.rules.MARKER).
    email["X-Feedback-Portal"] = message.message_id
    email.set_content(body)
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


# --- For the administrator's page (no addresses, subjects or bodies) -----------------

_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")


def reason_without_addresses(reason: str | None) -> str:
    """Why a message failed, with any email address in it (a mail server's reply may
    quote one) hidden, for staff who may not see personal data."""
    return _ADDRESS.sub("(address hidden)", reason or "")


@dataclass(frozen=True)
class Waiting:
    count: int
    oldest_created_at: datetime | None
    retrying: int  # tried and failed for now, waiting for the next try


def waiting() -> Waiting:
    unsent = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    count, oldest = db.session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(*unsent)).one()
    retrying = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        *unsent, OutboxMessage.attempts > 0))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=timezone.utc)
    return Waiting(count, oldest, retrying)


class NotFailed(Exception):
    """Only a message that could not be sent can be tried again."""


def try_again(message_id: int) -> OutboxMessage:
    """Give a failed message another go: it is due now and the worker is asked to send it
    once the caller commits. The change is audited like any other row's."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.failed_at is None or message.sent_at is not None:
        raise NotFailed("That message is not one that could not be sent")
    message.failed_at = None
    message.claimed_until = None
    message.next_attempt_at = now_utc()
    send_after_commit(message)
    return message
