"""A real ClamAV daemon for the tests: Debian's ``clamd``, started with a throwaway
configuration (its socket in a temporary folder) and a signature database of one line that
detects the EICAR test file, since freshclam cannot download the real ones here.

    daemon = start_clamd()     # daemon.socket, daemon.stop()

``eicar()`` makes the EICAR test file's 68 bytes, built at run time so that no file of
the repository is itself "infected". Waits use a threading.Event's timed wait, never
time.sleep (libfaketime, docs/development.md).
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

from portal.services.files.local_scanner import clamd_binary, eicar, write_config, write_eicar_database

CLAMD = clamd_binary()
_PAUSE = threading.Event()

__all__ = ["eicar", "start_clamd", "clamd_or_skip", "ClamDaemon"]


@dataclass
class ClamDaemon:
    socket: str
    folder: Path
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()  # no timeout: a timed Popen.wait sleeps
        shutil.rmtree(self.folder, ignore_errors=True)


def start_clamd(timeout: float = 60.0) -> ClamDaemon:
    """Start clamd in the foreground on a socket of its own; wait until it answers."""
    from portal.services.files.scanning import Scanner, ping

    folder = Path(tempfile.mkdtemp(prefix="clamd-"))
    config, sock = write_config(folder, write_eicar_database(folder / "db"))
    process = subprocess.Popen([CLAMD, "-c", str(config)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    daemon = ClamDaemon(str(sock), folder, process)
    deadline = time.monotonic() + timeout
    scanner = Scanner(socket_path=str(sock), timeout=5)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
            daemon.stop()
            raise RuntimeError(f"clamd stopped at once:\n{log}")
        if sock.exists() and ping(scanner):
            return daemon
        _PAUSE.wait(0.05)
    daemon.stop()
    raise RuntimeError("clamd did not answer within a minute")


def clamd_or_skip() -> ClamDaemon:
    if CLAMD is None:
        if os.environ.get("REQUIRE_CLAMD") == "1":
            pytest.fail("REQUIRE_CLAMD=1 but clamd is not installed (apt-get install clamav-daemon)")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon); REQUIRE_CLAMD=1 makes this fail")
    return start_clamd()
