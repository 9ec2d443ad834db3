"""A clamd of the portal's own, for ``make run`` and the tests: Debian's ``clamd`` run in
the foreground with a throwaway configuration and its socket in a folder we choose.

A production deployment points ``CLAMD_SOCKET`` or ``CLAMD_HOST`` at the system's clamd,
kept up to date by freshclam (docs/operations.md). On a developer's machine ``make run``
starts this one instead, so that uploads are scanned as they would be live. It uses the
system's signatures when freshclam has fetched them (``/var/lib/clamav``); without them
(a machine that cannot reach ClamAV's mirrors) it knows one signature only, the EICAR
test file's, so that the scan can still be tried, and says so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SYSTEM_DATABASE = Path("/var/lib/clamav")


def clamd_binary() -> str | None:
    found = shutil.which("clamd")
    if found:
        return found
    return "/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None


def eicar() -> bytes:
    """The EICAR anti-virus test file (eicar.org): harmless, and every scanner's test. Put
    together at run time so that no file of the repository is itself "infected"."""
    return ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()


def system_signatures(database: Path = SYSTEM_DATABASE) -> bool:
    """Whether freshclam has fetched ClamAV's signatures to ``database``."""
    return database.is_dir() and any(database.glob("*.c[lv]d"))


def write_eicar_database(folder: Path) -> Path:
    """A signature database of one line (``.ndb``: name:target:offset:hex) that detects the
    EICAR string anywhere in any file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "portal-eicar.ndb").write_text(f"Portal-Test-EICAR:0:*:{eicar().hex()}\n")
    return folder


def write_config(folder: Path, database: Path) -> tuple[Path, Path]:
    """Write ``clamd.conf`` in ``folder``; answer the configuration's path and the socket's."""
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket}\nDatabaseDirectory {database}\nForeground yes\n"
        f"LogFile {folder / 'clamd.log'}\nPidFile {folder / 'clamd.pid'}\n"
        # Big enough for a whole submission (25 MB by default) with room to spare.
        "StreamMaxLength 60M\nMaxThreads 4\nSelfCheck 0\n")
    return config, socket


def prepare(folder: Path, database: Path = SYSTEM_DATABASE) -> tuple[list[str], Path, str] | None:
    """What to run for a local clamd in ``folder``: its command, its socket and a line that
    says which signatures it has; None when clamd is not installed."""
    binary = clamd_binary()
    if binary is None:
        return None
    if system_signatures(database):
        signatures, known = database, f"ClamAV's signatures from {database}"
    else:
        signatures = write_eicar_database(folder / "db")
        known = ("only the EICAR test file's signature (run freshclam for the real ones: "
                 "sudo apt-get install clamav-freshclam)")
    config, socket = write_config(folder, signatures)
    return [binary, "-c", str(config)], socket, known
