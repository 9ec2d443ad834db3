"""Serving with gunicorn: several workers on an empty database start and serve."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[2]


def test_several_workers_start_on_an_empty_database(tmp_path, database_url):
    if database_url.startswith("postgresql"):
        # A database of its own, empty, next to the suite's.
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        url = make_url(database_url)
        name = f"{url.database}_gunicorn"
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        db_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        db_url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "PORTAL_ENV": "production", "SECRET_KEY": "x" * 32,
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "3"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/complaint", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        assert body is not None, log.read_text()
        assert "Make a complaint" in body
        assert log.read_text().count("Booting worker") == 3
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_access_log_never_holds_a_status_link_token(tmp_path):
    """Issue 14, item 16: a status link's token opens a case; the access log wrote it down."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}", "PORTAL_ENV": "production",
           "SECRET_KEY": "x" * 32, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    token = "eyJpZCI6MSwicmVmIjoiQ0YtMjAyNi0wMDAwMSJ9.aw75Tg.a3RyxY676qABqiPN-EBSFhm-TJQ"
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        status = None
        for _ in range(100):
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/your-feedback/{token}",
                                                 headers={"Referer": f"http://mail.example/your-feedback/{token}"})
                urllib.request.urlopen(request, timeout=2)
            except urllib.error.HTTPError as error:
                status = error.code
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        assert status == 404, log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/your-feedback/link-sent", timeout=2):
            pass
    finally:
        server.terminate()
        server.wait(timeout=10)
    written = log.read_text()
    assert token[:20] not in written and "a3RyxY676qABqiPN" not in written
    assert '"GET /your-feedback/[token] HTTP/1.1" 404' in written
    assert '"GET /your-feedback/link-sent HTTP/1.1" 200' in written
