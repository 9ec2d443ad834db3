"""Benchmark: the public complaint form against a bare Flask + SQLAlchemy app (issue 23, part 1).

Targets, on SQLite and on PostgreSQL: the complaint form's GET >= 0.5x a bare page's GET,
Send >= 0.8x a bare insert POST, the whole flow (form, its POST, check answers, Send, the
confirmation) >= 0.5x a bare three-request flow (page, insert, confirmation page).

Both apps run in this process and are driven through their WSGI callables by Werkzeug's
test client (the same driver for both, no sockets), one request at a time, alternately, so
that a busy machine slows both alike. Each figure is the median per-request CPU time of
this process (time.process_time: the app's and the driver's), and the requests a second
that it implies; wall-clock medians are printed too. The bare app has one table in the same
database and writes one row per insert, committed, as the portal's Send does.

    .venv/bin/python bench/public_forms.py                 # SQLite (a new file, WAL)
    .venv/bin/python bench/public_forms.py --database postgresql://postgres@127.0.0.1/portal_bench_public
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # so that "public" is our blueprint package (docs/development.md)
os.environ.setdefault("PORTAL_ENV", "test")

COMPLAINT = {
    "role": "parent_or_carer", "about": "child", "about_name": "Sam Example", "about_consent": "yes",
    "team": "not_sure", "summary": "Nobody has told us who our son's new social worker is.",
    "when_it_happened": "Since September", "desired_outcome": "A named worker and a visit.",
    "at_risk": "no", "advocate": "no", "name": "Alex Example", "contact_methods": "email",
    "email": "alex@example.org", "phone": "", "address": "", "support_needs": "",
}

BARE_PAGE = """<!DOCTYPE html><html lang="en"><head><title>{{ title }}</title></head><body>
<main><h1>{{ title }}</h1><form method="post" action="/insert">
<input type="hidden" name="csrf_token" value="{{ token }}">
<label for="summary">Summary</label><textarea id="summary" name="summary"></textarea>
<button type="submit">Send</button></form></main></body></html>"""


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def bare_app(database: str):
    """Flask + Flask-SQLAlchemy and nothing else: a page, an insert, a confirmation."""
    from flask import Flask, redirect, render_template_string, request
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import Column, Integer, String, Text

    app = Flask("bare")
    app.config["SQLALCHEMY_DATABASE_URI"] = database
    bare_db = SQLAlchemy(app)

    class BareNote(bare_db.Model):
        __tablename__ = "bench_bare_note"
        id = Column(Integer, primary_key=True)
        reference = Column(String(20), nullable=False)
        summary = Column(Text, nullable=False)

    @app.get("/")
    def page():
        return render_template_string(BARE_PAGE, title="A bare page", token=secrets.token_hex(16))

    @app.post("/insert")
    def insert():
        note = BareNote(reference=secrets.token_hex(4), summary=request.form.get("summary", ""))
        bare_db.session.add(note)
        bare_db.session.commit()
        return redirect(f"/done/{note.id}")

    @app.get("/done/<int:note_id>")
    def done(note_id):
        note = bare_db.session.get(BareNote, note_id)
        return render_template_string("<p>Sent: {{ ref }}</p>", ref=note.reference)

    with app.app_context():
        BareNote.__table__.drop(bare_db.engine, checkfirst=True)
        bare_db.create_all()
    return app


def portal_app(database: str, tmp: Path):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": secrets.token_urlsafe(32),
        "RATELIMIT_ENABLED": False, "MAIL_SERVER": None, "TASK_QUEUE_URL": "memory://",
        "FILE_STORAGE_URL": f"file://{tmp / 'files'}", "CLAMD_SOCKET": None, "CLAMD_HOST": None,
        "BASE_URL": "http://127.0.0.1", "PASSWORD_HASH_CHEAP": True,
    })
    with app.app_context():
        if database.startswith("postgresql"):
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
    return app


def timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


# Each step returns the (cpu, wall) of the requests it measures; setup requests are not counted.

def bare_get(client):
    def go():
        assert client.get("/").status_code == 200
    return timed(go)


def bare_insert(client):
    token = csrf(client.get("/").text)
    def go():
        assert client.post("/insert", data={"csrf_token": token, "summary": COMPLAINT["summary"]}).status_code == 302
    return timed(go)


def bare_flow(client):
    def go():
        token = csrf(client.get("/").text)
        location = client.post("/insert", data={"csrf_token": token, "summary": COMPLAINT["summary"]}).location
        assert client.get(location).status_code == 200
    return timed(go)


def portal_get(client):
    def go():
        assert client.get("/complaint").status_code == 200
    return timed(go)


def _to_check(client):
    token = csrf(client.get("/complaint").text)
    response = client.post("/complaint", data={**COMPLAINT, "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/complaint/check"), response.text[:2000]
    return csrf(client.get("/complaint/check").text)


def portal_send(client):
    token = _to_check(client)
    def go():
        response = client.post("/complaint/check", data={"csrf_token": token})
        assert response.status_code == 302 and response.location.endswith("/sent"), response.status_code
    return timed(go)


def portal_flow(client):
    def go():
        token = _to_check(client)
        assert client.post("/complaint/check", data={"csrf_token": token}).status_code == 302
        assert "complaint" in client.get("/sent").text
    return timed(go)


PAIRS = [
    ("form page GET", bare_get, portal_get, 0.5),
    ("Send (insert POST)", bare_insert, portal_send, 0.8),
    ("whole flow", bare_flow, portal_flow, 0.5),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a PostgreSQL URL (emptied); default a new SQLite file")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-public-"))
    database = args.database or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if database.startswith("postgresql://"):  # psycopg 3, the portal's driver (portal/config.py)
        database = "postgresql+psycopg://" + database[len("postgresql://"):]
    portal = portal_app(database, tmp)
    bare = bare_app(database)
    clients = {"bare": bare.test_client(), "portal": portal.test_client()}
    for _, bare_step, portal_step, _ in PAIRS:  # warm up: templates compiled, connections open
        for _ in range(5):
            bare_step(clients["bare"])
            portal_step(clients["portal"])

    results = {}
    for name, bare_step, portal_step, _ in PAIRS:
        samples = {"bare": [], "portal": []}
        for _ in range(args.rounds):
            samples["bare"].append(bare_step(clients["bare"]))
            samples["portal"].append(portal_step(clients["portal"]))
        results[name] = samples

    kind = "PostgreSQL" if database.startswith("postgresql") else "SQLite"
    print(f"database: {kind}; {args.rounds} rounds each; in-process WSGI (Werkzeug test client), "
          f"one request at a time; load average {os.getloadavg()[0]:.2f}")
    print("| measure | bare app CPU (wall) | portal CPU (wall) | portal/bare speed (CPU) | target | met |")
    print("|---|---|---|---|---|---|")
    for name, _, _, target in PAIRS:
        bare_cpu = statistics.median(c for c, _ in results[name]["bare"])
        bare_wall = statistics.median(w for _, w in results[name]["bare"])
        portal_cpu = statistics.median(c for c, _ in results[name]["portal"])
        portal_wall = statistics.median(w for _, w in results[name]["portal"])
        ratio = bare_cpu / portal_cpu
        print(f"| {name} | {bare_cpu * 1000:.2f} ms ({bare_wall * 1000:.2f} ms) | "
              f"{portal_cpu * 1000:.2f} ms ({portal_wall * 1000:.2f} ms) | {ratio:.2f}x | "
              f">= {target}x | {'yes' if ratio >= target else 'no'} |")


if __name__ == "__main__":
    main()
