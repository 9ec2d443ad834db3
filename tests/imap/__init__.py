"""A real IMAP server for the tests: Debian's Dovecot, started as a subprocess with a
throwaway configuration in a temporary folder: one user in a passwd-file, plaintext
sign-in on 127.0.0.1 on a free port, mail kept as Maildir in the same folder. The
configuration is the one ``make run``'s own mailbox uses (portal/services/mail_in/
local_mailbox.py), written for one user, and Dovecot runs on the machine's real clock.

    server = start_dovecot()        # server.host, server.port, server.username, server.password
    server.deliver(raw_bytes)       # IMAP APPEND into INBOX (or folder=...)
    server.messages("Processed")    # what a folder holds, as bytes, oldest first
    server.stop()

``dovecot_or_skip()`` (or ``skip_without_dovecot()``) skips where Dovecot is not installed, unless REQUIRE_IMAP=1. Waits
use a threading.Event's timed wait, never time.sleep (libfaketime, docs/development.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.services.mail_in.local_mailbox import dovecot_binary, free_port, write_dovecot

DOVECOT = dovecot_binary()
USERNAME = "feedback"
PASSWORD = "test-mailbox-password"
_PAUSE = threading.Event()


@dataclass
class Dovecot:
    host: str
    port: int
    folder: Path
    process: subprocess.Popen
    username: str = USERNAME
    password: str = PASSWORD

    def client(self):
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(self.username, self.password)
        return client

    def config(self, **extra) -> dict:
        """The portal's settings that point at this mailbox."""
        return {"MAIL_IN_HOST": self.host, "MAIL_IN_PORT": self.port, "MAIL_IN_USERNAME": self.username,
                "MAIL_IN_PASSWORD": self.password, "MAIL_IN_SSL": False, **extra}

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw)

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [fetched[uid][b"BODY[]"] for uid in sorted(fetched)]

    def empty(self) -> None:
        """Every folder emptied, for the next test."""
        with self.client() as client:
            for _flags, _sep, name in client.list_folders():
                client.select_folder(name)
                uids = client.search("ALL")
                if uids:
                    client.delete_messages(uids)
                    client.expunge()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()  # no timeout: a timed Popen.wait sleeps
        shutil.rmtree(self.folder, ignore_errors=True)


def start_dovecot(timeout: float = 30.0) -> Dovecot:
    """Start Dovecot in the foreground with its own configuration; wait until it answers."""
    folder = Path(tempfile.mkdtemp(prefix="dovecot-"))
    port = free_port()
    command = write_dovecot(folder, port, {USERNAME: PASSWORD})
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    server = Dovecot("127.0.0.1", port, folder, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
            server.stop()
            raise RuntimeError(f"dovecot stopped at once:\n{log}")
        try:
            with server.client():
                return server
        except (OSError, Exception):  # noqa: BLE001 - not listening yet
            _PAUSE.wait(0.05)
    server.stop()
    raise RuntimeError("dovecot did not answer within 30 seconds")


def skip_without_dovecot() -> None:
    if DOVECOT is None:
        if os.environ.get("REQUIRE_IMAP") == "1":
            pytest.fail("REQUIRE_IMAP=1 but Dovecot is not installed (apt-get install dovecot-imapd)")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd); REQUIRE_IMAP=1 makes this fail")


def dovecot_or_skip() -> Dovecot:
    skip_without_dovecot()
    return start_dovecot()
