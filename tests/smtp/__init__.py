"""The tests' SMTP server: a real one (aiosmtpd, tests/smtp/server.py) in a process of
its own, on loopback, and what it received, read from the folder it writes to.

    server = start_smtp()                      # plain, as a local relay
    start_smtp(certificate=(cert, key))        # offers STARTTLS
    start_smtp(certificate=..., implicit_tls=True, auth=True)
    start_smtp(refusing=True)                  # 550 for refused@..., 451 for busy@...
    server.inbox.wait_for(1); server.logins; server.stop()
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from pathlib import Path

SERVER = Path(__file__).with_name("server.py")
# Waits here use a threading.Event's timed wait, never time.sleep or Popen.wait(timeout)
# (which sleeps): under Debian's libfaketime, as .ci/run runs the suite, time.sleep fails
# with EINVAL while timed waits on a lock work.
_PAUSE = threading.Event()


class Inbox:
    """The messages the server has received, in the order they came."""

    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def messages(self) -> list[Message]:
        """What has arrived so far, read afresh each time (so ``clear()`` them, not this list)."""
        return [message_from_bytes(path.read_bytes()) for path in sorted(self.folder.glob("*.eml"))]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        """The messages, once there are ``count`` of them or ``timeout`` seconds have passed."""
        deadline = time.monotonic() + timeout
        while len(messages := self.messages) < count and time.monotonic() < deadline:
            _PAUSE.wait(0.02)
        return messages

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        for path in self.folder.glob("*.eml"):
            path.unlink()


@dataclass
class SMTPServer:
    host: str
    port: int
    inbox: Inbox
    process: subprocess.Popen

    @property
    def logins(self) -> list[tuple[str, bool]]:
        """(user name, whether the connection was encrypted) for each login, in order."""
        path = self.inbox.folder / "logins"
        lines = path.read_text().splitlines() if path.exists() else []
        return [(user, encrypted == "yes") for user, encrypted in (line.split("\t") for line in lines)]

    def stop(self) -> None:
        self.process.stdin.close()  # the server stops when its stdin closes
        self.process.wait()  # no timeout: a timed Popen.wait sleeps (see _PAUSE)
        self.process.stdout.close()
        shutil.rmtree(self.inbox.folder, ignore_errors=True)


def start_smtp(port: int = 0, *, certificate: tuple[str, str] | None = None, implicit_tls: bool = False,
               auth: bool = False, refusing: bool = False) -> SMTPServer:
    """Start a server on 127.0.0.1 (on ``port``, or a free one) and return once it listens."""
    folder = Path(tempfile.mkdtemp(prefix="test-smtp-"))
    port = port or free_port()
    # -I: neither this repository nor the working directory is on its sys.path (server.py says why).
    command = [sys.executable, "-I", str(SERVER), "--port", str(port), "--folder", str(folder)]
    if certificate:
        command += ["--certificate", *certificate]
    command += ["--implicit-tls"] * implicit_tls + ["--auth"] * auth + ["--refusing"] * refusing
    with open(folder / "stderr", "w") as stderr:
        process = subprocess.Popen(command, cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=stderr, text=True)
    if process.stdout.readline().strip() != "ready":
        process.kill()
        process.wait()
        raise RuntimeError("the test SMTP server did not start:\n" + (folder / "stderr").read_text())
    return SMTPServer("127.0.0.1", port, Inbox(folder), process)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
