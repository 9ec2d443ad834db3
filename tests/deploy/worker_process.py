"""The worker as a real process (``flask --app wsgi worker``), for the tests of issue 16.

The suite's fixed clock (tests/conftest.py) moves only this process; a subprocess runs
on the machine's clock (libfaketime's, in CI's any-day run). ``same_clock_as_the_worker``
puts this process back on the machine's clock for the test, so both agree on what is
due, whatever day that is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import time_machine

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def same_clock_as_the_worker(fixed_clock):
    real = time_machine.escape_hatch.time.time()
    with time_machine.travel(datetime.fromtimestamp(real, timezone.utc), tick=True):
        yield


class _LoggedProcess:
    """A process of the test's own whose output goes to ``self.log``."""

    log: Path
    process: subprocess.Popen | None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def _stop(self, signal_: int, patience: float) -> None:
        """Ask it to stop with the signal; kill it if it has not within patience seconds."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal_)
            try:
                self.process.wait(patience)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


class WorkerProcess(_LoggedProcess):
    def __init__(self, log: Path, env: dict):
        self.log, self.env, self.process = log, env, None

    def start(self, patience: float = 30, **settings) -> "WorkerProcess":
        env = {**self.env, **{k: str(v) for k, v in settings.items()}}
        out = self.log.open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                                        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        # Ready once the consumer says so (its first tick follows at once).
        wait_until(lambda: "Huey consumer started" in self.output() or self.process.poll() is not None,
                   patience, "the worker did not start")
        assert self.process.poll() is None, self.output()
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish or let go of anything."""
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        self._stop(signal.SIGTERM, patience=15)


def wait_until(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


def worker_env(database_url: str, queue_url: str, queue_name: str, mail_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_RUN_FROM_CLI",)}
    env.update(
        PORTAL_ENV="test", SECRET_KEY="test-secret-key", DATABASE_URL=database_url,
        TASK_QUEUE_URL=queue_url, TASK_QUEUE_NAME=queue_name,
        MAIL_SERVER="127.0.0.1", MAIL_PORT=str(mail_port), MAIL_TIMEOUT="30",
        SAFEGUARDING_EMAIL="duty@example.org", BASE_URL="http://localhost",
        # Quick enough for a test: a tick each second, a retry a second after a failure,
        # and a claim that runs out after three seconds.
        WORKER_TICK_SECONDS="1", MAIL_RETRY_SECONDS="1", MAIL_CLAIM_SECONDS="3",
        # Daily jobs stay out of these tests (tests/background/test_jobs.py covers them).
        REMINDERS_AT="23:59", RETENTION_PURGE_AT="23:59", PRUNE_SIGN_IN_AT="23:59",
        INSIGHT_TRAIN_AT="23:59",
    )
    return env


class RedisServer:
    """A redis-server of the test's own, so that it can be stopped and started again."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--daemonize", "no", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        def answers():
            try:
                return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
            except redis.RedisError:
                return False

        wait_until(answers, 10, "redis-server did not start")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Served(_LoggedProcess):
    """``python -m portal.supervise run|serve`` (what ``make run`` and ``make serve`` run):
    the web server and the worker, as real processes on a port of their own."""

    def __init__(self, mode: str, log: Path, env: dict):
        self.mode, self.log, self.port = mode, log, free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2",
                    "BASE_URL": f"http://127.0.0.1:{self.port}"}
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Served":
        import urllib.request

        out = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "portal.supervise", self.mode, "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        out.close()

        def serving():
            assert self.process.poll() is None, self.output()
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(serving, 60, "the site did not start")
        wait_until(lambda: "Huey consumer started" in self.output(), 30, "the worker did not start")
        return self

    def children(self) -> list[int]:
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                               capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in found]

    def child(self, word: str) -> int:
        """The child process whose command line has ``word`` (``worker``, ``clamd``...)."""
        for pid in self.children():
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if word.encode() in cmdline.read().split(b"\0"):
                    return pid
        raise AssertionError(f"no child runs {word}: {self.output()}")

    def stop(self) -> None:
        self._stop(signal.SIGINT, patience=30)  # Ctrl+C


def served_env(database_url: str, queue_path: Path, mail_port: int) -> dict:
    env = worker_env(database_url, f"sqlite:///{queue_path}", "portal", mail_port)
    env.update(PORTAL_ENV="production", SECRET_KEY="a-real-key-for-the-test-" + "Zq7xK2vP9mW4nR8tL3bY6cJ1hF5dG0sA",
               MAIL_TIMEOUT="10")
    env.pop("MAIL_RETRY_SECONDS")
    return env


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) is not running
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


# Under Debian's libfaketime with the monotonic clock left real (CI's any-day run),
# time.sleep fails with EINVAL, and the worker (Huey's consumer), the supervisor and these
# tests sleep; the any-day run covers the in-process tests of the same code.
UNDER_LIBFAKETIME = pytest.mark.skipif(
    "faketime" in os.environ.get("LD_PRELOAD", ""),
    reason="libfaketime makes time.sleep fail, and the worker process sleeps (docs/development.md)")
