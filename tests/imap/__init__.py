"""A real IMAP server for the tests: Debian's Dovecot, started as a subprocess with a
throwaway configuration in a temporary folder: one user in a passwd-file, plaintext
sign-in on 127.0.0.1 on a free port, mail kept as Maildir in the same folder.

    server = start_dovecot()        # server.host, server.port, server.username, server.password
    server.deliver(raw_bytes)       # IMAP APPEND into INBOX (or folder=...)
    server.messages("Processed")    # what a folder holds, as bytes, oldest first
    server.stop()

``dovecot_or_skip()`` skips where Dovecot is not installed, unless REQUIRE_IMAP=1. Waits
use a threading.Event's timed wait, never time.sleep (libfaketime, docs/development.md).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
USERNAME = "feedback"
PASSWORD = "test-mailbox-password"
_PAUSE = threading.Event()


def _real_clock() -> dict:
    """The environment without libfaketime: Dovecot is the team's mail server, outside the
    portal like PostgreSQL, and on a faked clock (CI's run under libfaketime) its login
    processes time out. The portal's side, the reader, stays on the faked clock."""
    return {name: value for name, value in os.environ.items()
            if name not in ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def _mail_user() -> pwd.struct_passwd:
    """Who owns the mail: the caller, or (Dovecot never runs a mail process as root) its
    own ``dovecot`` user when the tests run as root, as in CI."""
    if os.getuid() == 0:
        for name in ("dovecot", "nobody"):
            if _user_exists(name):
                return pwd.getpwnam(name)
    return pwd.getpwuid(os.getuid())


def _config(folder: Path, port: int) -> str:
    me = _mail_user()
    # Dovecot's own unprivileged users when it runs as root (CI); the caller otherwise.
    login_user = "dovenull" if os.getuid() == 0 and _user_exists("dovenull") else me.pw_name
    internal_user = me.pw_name
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_location = maildir:{folder}/mail/%u
mail_uid = {me.pw_uid}
mail_gid = {me.pw_gid}
first_valid_uid = {me.pw_uid}
first_valid_gid = {me.pw_gid}
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={me.pw_uid} gid={me.pw_gid} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def start_dovecot(timeout: float = 30.0) -> Dovecot:
    """Start Dovecot in the foreground with its own configuration; wait until it answers."""
    folder = Path(tempfile.mkdtemp(prefix="dovecot-"))
    for part in ("run", "state", "mail", "home"):
        (folder / part).mkdir()
    os.chmod(folder, 0o755)
    user = _mail_user()
    if os.getuid() == 0:
        for part in ("mail", "home"):
            os.chown(folder / part, user.pw_uid, user.pw_gid)
    port = _free_port()
    (folder / "passwd").write_text(f"{USERNAME}:{{PLAIN}}{PASSWORD}\n")
    (folder / "dovecot.conf").write_text(_config(folder, port))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_real_clock())
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


def dovecot_or_skip() -> Dovecot:
    if DOVECOT is None:
        if os.environ.get("REQUIRE_IMAP") == "1":
            pytest.fail("REQUIRE_IMAP=1 but Dovecot is not installed (apt-get install dovecot-imapd)")
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd); REQUIRE_IMAP=1 makes this fail")
    return start_dovecot()
