"""Run the web server and the worker together, as one command that Ctrl+C stops.

``python -m portal.supervise run --host H --port P``: the development server (``flask
run``) and the worker (``flask worker``), for ``make run``; and, when clamd is installed
and no scanner is set (``CLAMD_SOCKET``, ``CLAMD_HOST``), a clamd of its own under
``instance/clamd`` (portal/services/files/local_scanner.py), so that uploads are scanned;
and, when Dovecot is installed and no mail is set (``MAIL_SERVER``, ``MAIL_IN_HOST``), a
mailbox and an SMTP server of its own under ``instance/mail``
(portal/services/mail_in/local_mailbox.py), so that email in can be tried.
``python -m portal.supervise serve``: gunicorn and the worker, for ``make serve``.

Each runs as its own process (in its own session, so the terminal's Ctrl+C reaches this
supervisor only). Ctrl+C or SIGTERM here is passed on as SIGINT to both (the worker
finishes what it is sending); whatever has not stopped 10 seconds later gets SIGTERM,
then SIGKILL. If either stops by itself, the other is stopped too and the supervisor
exits with its status, so a crashed worker is never left unnoticed behind a running
site. In production run them as two services instead (docs/operations.md).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = 10
INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def commands(mode: str, host: str, port: int) -> dict[str, list[str]]:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    worker = [*flask, "worker"]
    if mode == "run":
        return {"worker": worker, "web": [*flask, "run", "--host", host, "--port", str(port)]}
    return {"worker": worker, "web": [sys.executable, "-m", "gunicorn", "wsgi:app"]}


def with_local_scanner(named: dict[str, list[str]]) -> dict[str, list[str]]:
    """Add a clamd of the portal's own to ``named`` and point the web server and the worker
    at it, unless a scanner is already set or clamd is not installed. Its folder is
    ``instance/clamd``, or ``LOCAL_CLAMD_FOLDER`` (the tests give each run its own)."""
    from portal.services.files.local_scanner import prepare

    folder = Path(os.environ.get("LOCAL_CLAMD_FOLDER") or INSTANCE / "clamd")
    if os.environ.get("CLAMD_SOCKET") or os.environ.get("CLAMD_HOST"):
        return named
    prepared = prepare(folder)
    if prepared is None:
        print("supervise: clamd is not installed, so uploads are not scanned "
              "(sudo apt-get install clamav-daemon)", flush=True)
        return named
    argv, socket, known = prepared
    os.environ["CLAMD_SOCKET"] = str(socket)  # the web server and the worker inherit it
    print(f"supervise: scanning uploads with a clamd of its own ({socket}), which knows {known}", flush=True)
    return {"scanner": argv, **named}


def with_local_mail(named: dict[str, list[str]]) -> dict[str, list[str]]:
    """Add a mailbox of the portal's own and its SMTP server to ``named`` and point the web
    server and the worker at them, unless mail is already set (``MAIL_SERVER`` or
    ``MAIL_IN_HOST``) or Dovecot is not installed. Its folder is ``instance/mail``, or
    ``LOCAL_MAIL_FOLDER`` (the tests give each run its own)."""
    import importlib.util

    from portal.services.mail_in.local_mailbox import EVERYONE_ELSE, prepare

    settings = _portal_settings()
    chosen = [name for name in ("MAIL_SERVER", "MAIL_IN_HOST") if settings[name]]
    if chosen:
        print(f"supervise: {' and '.join(chosen)} {'is' if len(chosen) == 1 else 'are'} set, so no mailbox of "
              "its own is started (mail goes to MAIL_SERVER, or to the log without it)", flush=True)
        return named
    if importlib.util.find_spec("aiosmtpd") is None:  # a test package (pyproject.toml); make run installs it
        print("supervise: aiosmtpd is not installed, so mail goes to the log (pip install -e '.[test]')", flush=True)
        return named
    team = settings["MAIL_IN_ADDRESS"] or settings["ORG_EMAIL"]
    mail = prepare(Path(os.environ.get("LOCAL_MAIL_FOLDER") or INSTANCE / "mail"), team, (settings["ORG_EMAIL"],))
    if mail is None:
        print("supervise: Dovecot is not installed, so mail goes to the log and no mailbox is read "
              "(sudo apt-get install dovecot-imapd)", flush=True)
        return named
    os.environ.update(mail.settings())  # the web server and the worker inherit them
    print(f"supervise: mail goes to a mailbox of its own ({mail.folder}): read what the portal sent anyone "
          f"with any mail client at imap://127.0.0.1:{mail.imap_port} as {EVERYONE_ELSE} / "
          f"{mail.passwords[EVERYONE_ELSE]} (the team's mailbox, which the worker reads, is "
          f"{mail.team} / {mail.passwords[mail.team]})", flush=True)
    print(f"supervise: send to the team ({mail.team}) or anyone at smtp://127.0.0.1:{mail.smtp_port} "
          "(no sign-in, this machine only); the portal sends through it too", flush=True)
    return {**mail.commands(), **named}


def _portal_settings() -> dict:
    """The settings the web server and the worker will read: the environment and, in
    development, ``.env`` beneath it (as create_app reads it)."""
    from dotenv import dotenv_values

    from portal import ROOT, config

    environ = dict(os.environ)
    if environ.get("PORTAL_ENV", "development") == "development":
        environ = {**{k: v for k, v in dotenv_values(ROOT / ".env").items() if v is not None}, **environ}
    return config.load(environ, str(INSTANCE))


def supervise(named: dict[str, list[str]]) -> int:
    stopping = {"signal": None}

    def on_signal(signum, frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    running = {name: subprocess.Popen(argv, start_new_session=True) for name, argv in named.items()}
    print(f"supervise: started {', '.join(f'{n} (pid {p.pid})' for n, p in running.items())}; "
          "Ctrl+C stops them all", flush=True)
    status = 0
    while stopping["signal"] is None:
        ended = [(name, p.returncode) for name, p in running.items() if p.poll() is not None]
        if ended:
            name, status = ended[0]
            print(f"supervise: {name} stopped (status {status}); stopping the rest", flush=True)
            break
        time.sleep(0.2)
    _stop_all(running)
    return status if stopping["signal"] is None else 0


def _stop_all(running: dict[str, subprocess.Popen]) -> None:
    for sig, wait in ((signal.SIGINT, GRACE_SECONDS), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        alive = [p for p in running.values() if p.poll() is None]
        if not alive:
            return
        for process in alive:
            try:
                process.send_signal(sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(p.poll() is None for p in alive):
            time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.supervise", description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["run", "serve"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    named = commands(args.mode, args.host, args.port)
    if args.mode == "run":
        named = with_local_mail(with_local_scanner(named))
    return supervise(named)


if __name__ == "__main__":
    sys.exit(main())
