"""The virus scan: ClamAV's daemon, clamd, spoken to over its socket (INSTREAM).

When ``CLAMD_SOCKET`` (a Unix socket) or ``CLAMD_HOST`` (with ``CLAMD_PORT``, 3310) is
set, every file is scanned as it arrives; the answer is clean, infected (with the
signature's name) or could not scan (the daemon down, slow or refusing). Neither set:
nothing is scanned, and each document says "not scanned". The protocol is small enough
to speak here (clamd's man page, "INSTREAM"): ``zINSTREAM\\0``, then chunks each led by
its length as 4 bytes in network order, then a zero length; clamd answers
``stream: OK`` or ``stream: <signature> FOUND``, ending with a NUL.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO

from portal.services.common.labels import ScanStatus

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Scanner:
    socket_path: str | None = None
    host: str | None = None
    port: int = 3310
    timeout: float = 30

    @classmethod
    def from_config(cls, config) -> "Scanner":
        return cls(config.get("CLAMD_SOCKET"), config.get("CLAMD_HOST"), config.get("CLAMD_PORT") or 3310,
                   config.get("CLAMD_TIMEOUT") or 30)

    @property
    def configured(self) -> bool:
        return bool(self.socket_path or self.host)

    def _connect(self) -> socket.socket:
        if self.socket_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.settimeout(self.timeout)
                conn.connect(self.socket_path)
            except OSError:
                conn.close()
                raise
            return conn
        return socket.create_connection((self.host, self.port), timeout=self.timeout)


@dataclass(frozen=True)
class ScanResult:
    status: ScanStatus
    detail: str | None = None  # the signature found, or why it could not scan

    @property
    def quarantined(self) -> bool:
        return self.status in (ScanStatus.INFECTED, ScanStatus.WAITING)


NOT_SCANNED = ScanResult(ScanStatus.NOT_SCANNED)


def scan(scanner: Scanner, stream: BinaryIO) -> ScanResult:
    """Scan ``stream`` (read in chunks). Never raises for the scanner's faults: a daemon
    that cannot be reached or answers oddly is ``WAITING`` (try again later)."""
    if not scanner.configured:
        return NOT_SCANNED
    try:
        with scanner._connect() as conn:
            conn.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK):
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = _read_reply(conn)
    except OSError as exc:
        return ScanResult(ScanStatus.WAITING, f"could not reach the virus scanner: {exc.strerror or exc}"[:300])
    return _understand(reply)


def _read_reply(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        part = conn.recv(4096)
        if not part:
            break
        data += part
        if len(data) > 4096:
            break
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def _understand(reply: str) -> ScanResult:
    if reply.endswith(" OK") and reply.startswith("stream:"):
        return ScanResult(ScanStatus.CLEAN)
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        return ScanResult(ScanStatus.INFECTED, signature[:300] or "unknown")
    return ScanResult(ScanStatus.WAITING, f"the virus scanner said: {reply or 'nothing'}"[:300])


def ping(scanner: Scanner) -> bool:
    """Whether clamd answers PING with PONG."""
    try:
        with scanner._connect() as conn:
            conn.sendall(b"zPING\0")
            return _read_reply(conn) == "PONG"
    except OSError:
        return False
