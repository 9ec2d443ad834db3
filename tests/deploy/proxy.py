"""Several app servers behind one proxy, as real processes (issue 23, docs/operations.md):
Debian's HAProxy in front of gunicorn instances, with the proxy's admin socket to take
one out of service, as an operator does before stopping it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.worker_process import ROOT, _LoggedProcess, wait_until
from tests.smtp import free_port

HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
# Which app server answered: the proxy names it in every response (never the app, which
# need not tell the world its hosts).
SERVED_BY = "X-Served-By"


def require_haproxy() -> str:
    if HAPROXY is None:
        if os.environ.get("REQUIRE_BROWSER"):  # CI installs it (.ci/run) and runs this
            pytest.fail("HAProxy is not installed: apt-get install haproxy", pytrace=False)
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    return HAPROXY


class AppServer(_LoggedProcess):
    """``gunicorn wsgi:app`` with one worker, on a port of its own."""

    def __init__(self, name: str, log: Path, env: dict):
        self.name, self.log, self.port, self.process = name, log, free_port(), None
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "1"}

    def start(self) -> "AppServer":
        out = self.log.open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=self.env,
                                        stdout=out, stderr=subprocess.STDOUT)
        out.close()
        return self

    def wait_until_serving(self) -> None:
        def serving():
            assert self.process.poll() is None, self.output()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(serving, 90, f"{self.name} did not start")

    def stop(self) -> None:
        import signal

        self._stop(signal.SIGTERM, patience=30)


class HAProxy(_LoggedProcess):
    """HAProxy balancing round robin over ``servers``, naming the one that answered."""

    def __init__(self, folder: Path, servers: list[AppServer], port: int):
        self.folder, self.servers, self.port, self.process = folder, servers, port, None
        self.log = folder / "haproxy.log"
        self.admin = folder / "haproxy.sock"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self) -> str:
        servers = "\n".join(f"  server {s.name} 127.0.0.1:{s.port} check inter 1s fall 5 rise 1" for s in self.servers)
        return f"""global
  stats socket {self.admin} mode 600 level admin
defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  # A health check on a busy machine may take seconds; only five failures in a row count.
  timeout check 5s
frontend portal
  bind 127.0.0.1:{self.port}
  default_backend apps
backend apps
  balance roundrobin
  option httpchk GET /healthz
  http-response set-header {SERVED_BY} %[srv_name]
{servers}
"""

    def start(self) -> "HAProxy":
        path = self.folder / "haproxy.cfg"
        path.write_text(self.config())
        out = self.log.open("ab")
        self.process = subprocess.Popen([require_haproxy(), "-db", "-f", str(path)], stdout=out, stderr=subprocess.STDOUT)
        out.close()
        wait_until(lambda: self.admin.exists() or self.process.poll() is not None, 20, "HAProxy did not start")
        assert self.process.poll() is None, self.output()
        return self

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as admin:
            admin.settimeout(5)
            admin.connect(str(self.admin))
            admin.sendall(line.encode() + b"\n")
            answer = b""
            while chunk := admin.recv(4096):
                answer += chunk
        return answer.decode()

    def only(self, name: str) -> None:
        """Send everything to the server named, the others taken out of service (maint)."""
        for server in self.servers:
            state = "ready" if server.name == name else "maint"
            self.command(f"set server apps/{server.name} state {state}")

        wait_until(lambda: self._is_up(name), 20, f"HAProxy does not send to {name}")

    def _is_up(self, name: str) -> bool:
        # "show stat" is CSV: pxname,svname,...,status (the 18th column).
        for row in self.command("show stat").splitlines():
            columns = row.split(",")
            if len(columns) > 17 and columns[0] == "apps" and columns[1] == name:
                return columns[17] == "UP"
        return False

    def stop(self) -> None:
        import signal

        self._stop(signal.SIGTERM, patience=10)
