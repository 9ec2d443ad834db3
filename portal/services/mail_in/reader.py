"""Reading a mailbox (issue 19, 1): over IMAP by the worker every tick, or a file of
``.eml`` messages or an mbox by ``flask --app wsgi mail-in read PATH``.

Each message is taken in a savepoint of its own (``receive.take``; one that fails is
undone alone and kept as it came instead), a few are committed together, then moved on
the server: to the processed folder once it is in the portal, to the failed folder when
the portal could not read it (it is kept as it came, on the review list). Only after the
commit is a message moved, so a worker stopped between the two leaves the message where
it was, and the next read recognises it (its sha256) and only moves it: nothing is read
twice or lost. A mailbox that cannot be reached raises (``MailboxUnreachable``); the
worker records that for the administrator's page and tries again at the next tick, and
the mail waits on the server meanwhile.

Messages are fetched a few at a time (``FETCH_AT_ONCE``), so memory stays bounded by the
largest few messages, whatever the mailbox holds.
"""

from __future__ import annotations

import logging
import mailbox
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from portal.extensions import db
from portal.services.common import audit
from portal.services.common.labels import MailInKind
from portal.services.mail_in import receive
from portal.services.mail_in.receive import InSettings

log = logging.getLogger(__name__)
FETCH_AT_ONCE = 10
WORKER = "worker"


class MailboxUnreachable(Exception):
    """The IMAP server could not be reached or refused us; the message says why."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str | None
    port: int
    ssl: bool
    username: str | None
    password: str | None
    oauth2_token: str | None
    folder: str
    processed: str
    failed: str
    timeout: int
    batch: int

    @classmethod
    def from_config(cls, config) -> "MailboxSettings":
        return cls(config.get("MAIL_IN_HOST"), config.get("MAIL_IN_PORT", 993), config.get("MAIL_IN_SSL", True),
                   config.get("MAIL_IN_USERNAME"), config.get("MAIL_IN_PASSWORD"),
                   config.get("MAIL_IN_OAUTH2_TOKEN"), config.get("MAIL_IN_FOLDER", "INBOX"),
                   config.get("MAIL_IN_PROCESSED_FOLDER", "Processed"), config.get("MAIL_IN_FAILED_FOLDER", "Failed"),
                   config.get("MAIL_IN_TIMEOUT", 30), config.get("MAIL_IN_BATCH", 500))

    @property
    def configured(self) -> bool:
        return bool(self.host)


# Where the messages read went, as the summary counts them: (one, several).
_KIND_WORDS = {
    MailInKind.CASE: ("added to its case", "added to their cases"),
    MailInKind.NEW_RECORD: ("new record", "new records"),
    MailInKind.UNKNOWN_SENDER: ("naming a case from an address it does not know",
                                "naming a case from an address it does not know"),
    MailInKind.AUTO_REPLY: ("automatic reply or out of office", "automatic replies or out of office"),
    MailInKind.BOUNCE: ("bounce of our email", "bounces of our email"),
    MailInKind.LOOP: ("sent by the portal itself", "sent by the portal itself"),
    MailInKind.SPAM: ("marked as spam", "marked as spam"),
    MailInKind.UNREADABLE: ("not read properly (kept to review)", "not read properly (kept to review)"),
}


@dataclass
class ReadSummary:
    read: int = 0
    already: int = 0  # taken before (only moved this time)
    failed: int = 0  # could not be read: kept on the review list
    left: int = 0  # could not even be kept (the database failed): left on the server
    kinds: Counter = field(default_factory=Counter)

    def words(self) -> str:
        """What the read did, in words: the command prints it, and the administrator's page
        shows it ("3 read (1 added to its case, 1 new record, 1 automatic reply or out of
        office), 2 already taken")."""
        parts = [f"{self.read} read"]
        where = [f"{self.kinds[kind.value]} {_KIND_WORDS[kind][self.kinds[kind.value] != 1]}"
                 for kind in MailInKind if self.kinds.get(kind.value)]
        if where:
            parts[0] += f" ({', '.join(where)})"
        if self.already:
            parts.append(f"{self.already} already taken")
        if self.failed:
            parts.append(f"{self.failed} could not be read")
        if self.left:
            parts.append(f"{self.left} left in the mailbox to try again")
        return ", ".join(parts)


def take_one(raw: bytes, source: str, settings: InSettings, summary: ReadSummary,
             dated_by_sender: bool = False) -> str:
    """Take one message in a savepoint of its own (one that fails is undone alone and kept
    as it came instead); "processed", "failed", or "left" where it goes. Not committed:
    ``take_batch`` commits a few at a time."""
    try:
        with audit.acting_as(WORKER), db.session.begin_nested():
            taken = receive.take(raw, source, settings, dated_by_sender=dated_by_sender)
    except Exception as exc:  # noqa: BLE001 - one message never stops the others
        if receive.already_taken(raw):
            # Another reader took it meanwhile (its row won the unique sha256).
            summary.already += 1
            return "processed"
        log.exception("mail in: a message from %s could not be taken", source)
        try:
            with audit.acting_as(WORKER), db.session.begin_nested():
                receive.keep_unreadable(raw, source, settings, f"{type(exc).__name__}: {exc}")
        except Exception:  # noqa: BLE001 - the database itself failed: the mail waits
            log.exception("mail in: a message from %s could not be kept; left to try again", source)
            summary.left += 1
            return "left"
        summary.failed += 1
        return "failed"
    if taken.duplicate:
        summary.already += 1
    else:
        summary.read += 1
        summary.kinds[taken.message.kind] += 1
    # A message the portal could not read properly is kept (on the review list) and
    # also shows in the mailbox's failed folder.
    return "failed" if taken.message.kind == MailInKind.UNREADABLE else "processed"


def take_batch(messages: list[tuple[str, bytes]], settings: InSettings, summary: ReadSummary,
               dated_by_sender: bool = False) -> list[str]:
    """Take a few messages and commit them together (a commit is the slow part of
    taking a message); where each goes, or "left" for all if the commit fails."""
    batch = ReadSummary()
    wheres = [take_one(raw, source, settings, batch, dated_by_sender) for source, raw in messages]
    try:
        db.session.commit()
    except Exception:  # noqa: BLE001 - the database failed: the mail waits for the next read
        db.session.rollback()
        log.exception("mail in: %s messages could not be committed; left to try again", len(messages))
        summary.left += len(messages)
        return ["left"] * len(messages)
    summary.read += batch.read
    summary.already += batch.already
    summary.failed += batch.failed
    summary.left += batch.left
    summary.kinds.update(batch.kinds)
    return wheres


# --- IMAP ----------------------------------------------------------------------------------


def _connect(settings: MailboxSettings):
    import ssl

    from imapclient import IMAPClient

    context = ssl.create_default_context()  # the server's certificate and name are always checked
    try:
        client = IMAPClient(settings.host, port=settings.port, ssl=settings.ssl, ssl_context=context,
                            timeout=settings.timeout)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the same to staff
        raise MailboxUnreachable(f"could not connect to {settings.host}:{settings.port}: "
                                 f"{type(exc).__name__}: {exc}") from exc
    try:
        if not settings.ssl:
            # STARTTLS whenever it is offered; without it, a password or token goes in
            # clear only to this machine itself (a local server, the tests' Dovecot).
            if client.has_capability("STARTTLS"):
                client.starttls(context)
            elif not is_loopback(settings.host):
                raise MailboxUnreachable(
                    f"{settings.host} does not offer STARTTLS, and a password is never sent without TLS "
                    "(set MAIL_IN_SSL for a server that uses TLS from the start)")
    except MailboxUnreachable:
        _close(client)
        raise
    except Exception as exc:  # noqa: BLE001
        _close(client)
        raise MailboxUnreachable(f"TLS with {settings.host} failed: {type(exc).__name__}: {exc}") from exc
    try:
        if settings.oauth2_token:
            client.oauth2_login(settings.username, settings.oauth2_token)
        else:
            client.login(settings.username or "", settings.password or "")
    except Exception as exc:  # noqa: BLE001
        _close(client)
        raise MailboxUnreachable(f"{settings.host} refused the sign-in of {settings.username}: "
                                 f"{type(exc).__name__}") from exc
    return client


def is_loopback(host: str | None) -> bool:
    import ipaddress

    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _close(client) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - closing a connection that is already gone
        pass


def read_mailbox(settings: MailboxSettings, in_settings: InSettings) -> ReadSummary:
    """Take what waits in the folder (at most ``batch`` messages a run), moving each on."""
    summary = ReadSummary()
    client = _connect(settings)
    try:
        for folder in (settings.processed, settings.failed):
            if not client.folder_exists(folder):
                client.create_folder(folder)
        client.select_folder(settings.folder)
        uids = sorted(client.search("ALL"))[:settings.batch]
        can_move = client.has_capability("MOVE")
        source = f"IMAP {settings.folder}"
        for start in range(0, len(uids), FETCH_AT_ONCE):
            batch = uids[start:start + FETCH_AT_ONCE]
            fetched = client.fetch(batch, ["BODY.PEEK[]"])
            moves: dict[str, list[int]] = {settings.processed: [], settings.failed: []}
            # A message gone meanwhile (another reader took it) has no body.
            present = [uid for uid in batch if fetched.get(uid, {}).get(b"BODY[]") is not None]
            wheres = take_batch([(source, fetched[uid][b"BODY[]"]) for uid in present], in_settings, summary)
            for uid, where in zip(present, wheres):
                if where != "left":
                    moves[settings.processed if where == "processed" else settings.failed].append(uid)
            del fetched
            # Moved a batch at a time, each message after its commit: a message committed
            # and not yet moved is recognised and only moved by the next read.
            for folder, moved in moves.items():
                if moved:
                    _move(client, moved, folder, can_move)
        if not can_move:
            client.expunge()
    except MailboxUnreachable:
        raise
    except Exception as exc:  # noqa: BLE001 - the connection failed mid-way; the rest waits
        raise MailboxUnreachable(f"the connection to {settings.host} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        _close(client)
    return summary


def _move(client, uids: list[int], folder: str, can_move: bool) -> None:
    if can_move:
        client.move(uids, folder)
    else:
        client.copy(uids, folder)
        client.delete_messages(uids)


def status(settings: MailboxSettings) -> int:
    """How many messages wait in the folder (raises ``MailboxUnreachable``)."""
    client = _connect(settings)
    try:
        return int(client.folder_status(settings.folder, ["MESSAGES"])[b"MESSAGES"])
    except Exception as exc:  # noqa: BLE001
        raise MailboxUnreachable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        _close(client)


# --- Files -------------------------------------------------------------------------------


def messages_in(path: Path) -> Iterator[tuple[str, bytes]]:
    """(source, raw) for a ``.eml`` file, each ``.eml`` of a folder, or each message of an
    mbox (anything else that is a file)."""
    if path.is_dir():
        for item in sorted(path.glob("*.eml")):
            yield f"file {item.name}", item.read_bytes()
        return
    if path.suffix.lower() == ".eml":
        yield f"file {path.name}", path.read_bytes()
        return
    box = mailbox.mbox(str(path), create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            raw = box.get_bytes(key)
            yield f"file {path.name}, message {number}", _without_mbox_escapes(raw)
    finally:
        box.close()


def _without_mbox_escapes(raw: bytes) -> bytes:
    # mboxrd writes ">From " for a body line "From "; one ">" less gives the line back.
    return b"\n".join(line[1:] if line.startswith(b">From ") else line for line in raw.split(b"\n"))


def read_path(path: Path, in_settings: InSettings) -> ReadSummary:
    """Messages from files: an old mailbox brought in, each dated when it was sent (its
    Date), not today, so a concern of last month is not due next week."""
    summary = ReadSummary()
    batch: list[tuple[str, bytes]] = []
    for item in messages_in(path):
        batch.append(item)
        if len(batch) == FETCH_AT_ONCE:
            take_batch(batch, in_settings, summary, dated_by_sender=True)
            batch = []
    if batch:
        take_batch(batch, in_settings, summary, dated_by_sender=True)
    return summary
