"""Benchmark: mail from the background worker (issue 16).

Targets, with the worker running (``python -m portal.supervise serve``: gunicorn and
``flask worker``, as ``make serve`` starts them):

- the time from a public submission's commit to its acknowledgement reaching an SMTP
  sink: under 5 s median; the safeguarding alert: under 2 s median;
- 200 concurrent submissions all acknowledged within 60 s;
- a mail server that accepts and never answers changes public POST latency by under 10%.

"Commit" is the outbox row's ``created_at`` (written in the submission's transaction, a
moment before it commits); "reaching the sink" is when the sink (aiosmtpd, in this
process) has the whole message. Both are this machine's wall clock. Each figure is from
real processes over loopback; the baseline is the public start page, fetched in the
same run.

    .venv/bin/python bench/mail.py                       # SQLite, SQLite queue
    .venv/bin/python bench/mail.py --database postgresql://postgres@127.0.0.1/portal_bench_mail \\
        --queue redis://127.0.0.1:6379/14
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "test")

COMPLAINT = {
    "role": "parent_or_carer", "about": "child", "about_name": "Sam Example", "about_consent": "yes",
    "team": "not_sure", "summary": "Nobody has told us who our son's new social worker is.",
    "when_it_happened": "Since September", "desired_outcome": "A named worker and a visit.",
    "at_risk": "no", "advocate": "no", "name": "Alex Example", "contact_methods": ["email"],
    "phone": "", "address": "", "support_needs": "",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """aiosmtpd on loopback, noting when each message arrived (wall clock)."""

    def __init__(self):
        from tests.conftest import start_smtp

        self.server = start_smtp()
        self.port = self.server.port
        self.arrivals: dict[str, float] = {}
        inbox = self.server.inbox
        original = inbox.add

        def add(raw: bytes) -> None:
            arrived = time.time()
            original(raw)
            message = inbox.messages[-1]
            self.arrivals[message["Subject"] + " -> " + message["To"]] = arrived

        inbox.add = add

    def count(self) -> int:
        return len(self.server.inbox.messages)


class Silent:
    """A mail server that accepts connections and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)


class Site:
    def __init__(self, database: str, queue: str, mail_port: int, log: Path):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "FLASK_RUN_FROM_CLI"}
        env.update(
            PORTAL_ENV="production", SECRET_KEY=secrets.token_urlsafe(32), DATABASE_URL=database,
            TASK_QUEUE_URL=queue, TASK_QUEUE_NAME=f"bench-{os.getpid()}", MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(mail_port), MAIL_TIMEOUT="30", RATELIMIT_ENABLED="false",
            GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS=os.environ.get("GUNICORN_WORKERS", "4"),
            WORKER_THREADS=os.environ.get("WORKER_THREADS", "4"), BASE_URL=f"http://127.0.0.1:{self.port}",
            SAFEGUARDING_EMAIL="duty@example.org",
        )
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        self.log = log.open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "portal.supervise", "serve"], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)  # the worker's consumer starts beside gunicorn

    def stop(self):
        self.process.send_signal(2)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def submit(base: str, email: str, at_risk: bool = False) -> tuple[str, float]:
    """Send the complaint form as a browser without JavaScript does; returns the reference
    and how long the final POST (the one that commits) took, in seconds."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    page = opener.open(base + "/complaint", timeout=60).read().decode()
    answers = {**COMPLAINT, "email": email, "at_risk": "yes" if at_risk else "no", "csrf_token": csrf(page)}
    check = opener.open(base + "/complaint", data=urllib.parse.urlencode(answers, doseq=True).encode(),
                        timeout=60).read().decode()
    started = time.perf_counter()
    sent = opener.open(base + "/complaint/check", data=urllib.parse.urlencode({"csrf_token": csrf(check)}).encode(),
                       timeout=60).read().decode()
    took = time.perf_counter() - started
    return re.search(r"CF-\d{4}-\d{5}", sent).group(0), took


def created_at(database: str) -> dict[int, tuple[str, str, str, float]]:
    from sqlalchemy import create_engine, text

    url = database.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, purpose, subject, to_address, created_at FROM outbox_message")).all()
    engine.dispose()
    out = {}
    for id_, purpose, subject, to, at in rows:
        if isinstance(at, str):
            from datetime import datetime

            at = datetime.fromisoformat(at)
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        out[id_] = (purpose, subject, to, at.timestamp())
    return out


def fresh_database(database: str | None, tmp: Path) -> str:
    if not database:
        return f"sqlite:///{tmp / 'bench-mail.sqlite3'}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return database


def median_ms(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return f"median {statistics.median(values) * 1000:.0f} ms, 90th {p90 * 1000:.0f} ms, n={len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (made afresh); default SQLite")
    parser.add_argument("--queue", default=None, help="TASK_QUEUE_URL; default a SQLite queue")
    parser.add_argument("--submissions", type=int, default=20, help="for the commit-to-sink times")
    parser.add_argument("--concurrent", type=int, default=200)
    parser.add_argument("--posts", type=int, default=30, help="for the slow mail server comparison")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    print(f"load average at start: {os.getloadavg()}")

    # 1. Commit to sink, one submission at a time (each with a risk of harm: ack and alert).
    database = fresh_database(args.database, tmp)
    queue = args.queue or f"sqlite:///{tmp / 'tasks.sqlite3'}"
    sink = Sink()
    site = Site(database, queue, sink.port, tmp / "site.log")
    try:
        baseline = []
        for _ in range(10):
            started = time.perf_counter()
            urllib.request.urlopen(site.url + "/", timeout=10).read()
            baseline.append(time.perf_counter() - started)
        print(f"baseline, public start page: {median_ms(baseline)}")
        for i in range(args.submissions):
            submit(site.url, f"person{i}@example.org", at_risk=True)
            time.sleep(0.3)
        deadline = time.time() + 60
        while sink.count() < 2 * args.submissions and time.time() < deadline:
            time.sleep(0.1)
        rows = created_at(database)
        ack, alert = [], []
        for purpose, subject, to, at in rows.values():
            arrived = sink.arrivals.get(subject + " -> " + to)
            if arrived is None:
                continue
            (alert if purpose == "safeguarding_alert" else ack).append(arrived - at)
        print(f"commit to sink, acknowledgement: {median_ms(ack)}")
        print(f"commit to sink, safeguarding alert: {median_ms(alert)}")

        # 2. Many at once.
        before = sink.count()
        started = time.time()
        with ThreadPoolExecutor(max_workers=args.concurrent) as pool:
            list(pool.map(lambda i: submit(site.url, f"burst{i}@example.org"), range(args.concurrent)))
        submitted = time.time() - started
        while sink.count() < before + args.concurrent and time.time() < started + 120:
            time.sleep(0.1)
        print(f"{args.concurrent} concurrent submissions: all sent in {submitted:.1f} s; "
              f"{sink.count() - before} acknowledged {time.time() - started:.1f} s after the first began")
    finally:
        site.stop()
        sink.server.stop()

    # 3. Public POST latency: a mail server that answers, then one that never does.
    for label, server in (("answering mail server", Sink()), ("mail server that never answers", Silent())):
        database = fresh_database(args.database and args.database + "_slow", tmp / label.replace(" ", "_"))
        (tmp / label.replace(" ", "_")).mkdir(exist_ok=True)
        database = database if args.database else f"sqlite:///{tmp / label.replace(' ', '_') / 'db.sqlite3'}"
        queue = (args.queue and args.queue) or f"sqlite:///{tmp / label.replace(' ', '_') / 'tasks.sqlite3'}"
        site = Site(database, queue, server.port, tmp / "site.log")
        try:
            for i in range(3):
                submit(site.url, f"warm{i}@example.org")
            took = [submit(site.url, f"post{i}@example.org")[1] for i in range(args.posts)]
            print(f"public POST (the commit), {label}: {median_ms(took)}")
        finally:
            site.stop()
            if isinstance(server, Sink):
                server.server.stop()
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
