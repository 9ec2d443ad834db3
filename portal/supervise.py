"""Run the web server and the worker together, as one command that Ctrl+C stops.

``python -m portal.supervise run --host H --port P``: the development server (``flask
run``) and the worker (``flask worker``), for ``make run``; and, when clamd is installed
and no scanner is set (``CLAMD_SOCKET``, ``CLAMD_HOST``), a clamd of its own under
``instance/clamd`` (portal/services/files/local_scanner.py), so that uploads are scanned.
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
        named = with_local_scanner(named)
    return supervise(named)


if __name__ == "__main__":
    sys.exit(main())
