"""Serving with gunicorn: several workers on an empty database start and serve."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.databases import new_database
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class _Gunicorn:
    process: subprocess.Popen
    address: str
    log: Path

    def first_answer(self, ask):
        """What ``ask(address)`` returns once gunicorn is listening (it raises OSError until then);
        None if gunicorn exits first or has not answered in about 60 seconds (migrating an
        empty database and booting three workers takes a while on a busy 2-core machine)."""
        for _ in range(300):
            try:
                return ask(self.address)
            except OSError:
                if self.process.poll() is not None:
                    return None
                time.sleep(0.2)
        return None


@contextmanager
def _gunicorn(tmp_path, database_url: str, workers: int):
    """gunicorn serving the portal in production on a free loopback port, with a random
    key and what it writes in tmp_path/gunicorn.log; stopped afterwards."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        yield _Gunicorn(server, f"http://127.0.0.1:{port}", log)
    finally:
        server.terminate()
        server.wait(timeout=60)  # three workers stopping on a busy 2-core machine


def test_several_workers_start_on_an_empty_database(tmp_path, database_url):
    if database_url.startswith("postgresql"):
        db_url = new_database(database_url, "gunicorn")  # of its own, empty, next to the suite's
    else:
        db_url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    def complaint_page(address):
        with urllib.request.urlopen(f"{address}/complaint", timeout=2) as response:
            return response.read().decode()

    with _gunicorn(tmp_path, db_url, workers=3) as gunicorn:
        body = gunicorn.first_answer(complaint_page)
        assert body is not None, gunicorn.log.read_text()
        assert "Make a complaint" in body
        assert gunicorn.log.read_text().count("Booting worker") == 3


def _environment(tmp_path, **settings) -> dict:
    """The environment of a new shell: none of the suite's settings, then these."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PORTAL_ENV", "SECRET_KEY", "FLASK_RUN_FROM_CLI")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'refused.sqlite3'}", **settings)
    return env


def _gunicorn_refuses(env) -> str:
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    try:
        done = subprocess.run([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired as still_serving:
        raise AssertionError("gunicorn started and served") from still_serving
    assert done.returncode != 0
    return done.stdout + done.stderr


def test_gunicorn_without_portal_env_or_a_key_refuses_to_start(tmp_path):
    """Issue 14, item 5: it served with the public development key, so anyone could sign
    a session cookie or a status link."""
    output = _gunicorn_refuses(_environment(tmp_path))
    assert "SECRET_KEY is not set" in output
    assert "secrets.token_urlsafe(32)" in output


def test_gunicorn_refuses_the_development_key_and_a_short_one(tmp_path):
    from portal.config import DEVELOPMENT_SECRET_KEY

    output = _gunicorn_refuses(_environment(tmp_path, SECRET_KEY=DEVELOPMENT_SECRET_KEY))
    assert "the public development key" in output
    output = _gunicorn_refuses(_environment(tmp_path, SECRET_KEY="changeme"))
    assert "shorter than 32 characters" in output


def test_production_refuses_a_key_that_is_long_but_not_random(tmp_path):
    output = _gunicorn_refuses(_environment(tmp_path, PORTAL_ENV="production", SECRET_KEY="x" * 40))
    assert "not random enough" in output


def test_the_flask_command_still_works_without_a_key(tmp_path):
    """`make run` (flask db upgrade, flask run) needs no key in development."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                          env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_access_log_never_holds_a_status_link_token(tmp_path):
    """Issue 14, item 16: a status link's token opens a case; the access log wrote it down."""
    token = "eyJpZCI6MSwicmVmIjoiQ0YtMjAyNi0wMDAwMSJ9.aw75Tg.a3RyxY676qABqiPN-EBSFhm-TJQ"

    def status_of_the_link(address):
        request = urllib.request.Request(f"{address}/your-feedback/{token}",
                                         headers={"Referer": f"http://mail.example/your-feedback/{token}"})
        try:
            urllib.request.urlopen(request, timeout=2)
        except urllib.error.HTTPError as error:
            return error.code
        return None

    with _gunicorn(tmp_path, f"sqlite:///{tmp_path / 'log.sqlite3'}", workers=1) as gunicorn:
        status = gunicorn.first_answer(status_of_the_link)
        assert status == 404, gunicorn.log.read_text()
        with urllib.request.urlopen(f"{gunicorn.address}/your-feedback/link-sent", timeout=2):
            pass
    written = gunicorn.log.read_text()
    assert token[:20] not in written and "a3RyxY676qABqiPN" not in written
    assert '"GET /your-feedback/[token] HTTP/1.1" 404' in written
    assert '"GET /your-feedback/link-sent HTTP/1.1" 200' in written
