"""Fixtures that read like a sentence: an app on a migrated database, a client,
a CLI runner, a page checked as every page must be (``get_page``), and a real SMTP
server on loopback (tests/smtp, in a process of its own).

Every test runs on a fixed clock (``fixed_clock``, below; docs/development.md,
"The test clock"), so that the suite passes whatever the real date.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is
set (CI does both). The schema is made by the migrations, once per test session
(per xdist worker); each test starts from empty tables with the default teams
and themes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from datetime import datetime, timezone

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from flask import g
from jinja2 import BytecodeCache
from sqlalchemy import Integer, text

os.environ["PORTAL_ENV"] = "test"  # before the portal is imported: it reads it then

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from tests.databases import new_database  # noqa: E402
from tests.smtp import start_smtp  # noqa: E402

KEEP_TABLES = {"alembic_version"}

# Hypothesis judges a test by its answers, not its speed: on a busy machine (CI's two cores
# running two workers, Chromium and PostgreSQL) drawing examples can be slow, and a timing
# health check or deadline would fail a test whose every answer was right.
settings.register_profile("portal", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("portal")

# The case file's store for apps made without ``app`` (which gives each test its own):
# never the instance folder, so tests leave nothing there.
_FILES = tempfile.mkdtemp(prefix="portal-test-files-")
atexit.register(shutil.rmtree, _FILES, True)

# The moment every test starts at: Wednesday 18 October 2034, 10:00 in London (09:00 UTC,
# British Summer Time). An ordinary working day in the middle of a month and of a
# quarter, a fortnight from a month end and seven weeks from the nearest bank holiday
# (Monday 28 August), so that "today", "in 10 working days" and "next month" mean the
# same on every run. It is in the future on purpose: browser tests share this clock
# (the live server is a thread of this process) and their session cookies expire a few
# hours after it, and Chromium drops a cookie whose Expires has passed by its own real
# clock, so a fixed moment in the past would break every sign-in there. Move it on
# before the real date reaches it.
FIXED_MOMENT = datetime(2034, 10, 18, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock():
    """Every test starts at FIXED_MOMENT and the clock then runs (``tick=True``), so
    durations and timeouts behave. A test that needs another day sets it itself with
    ``time_machine.travel(...)`` (travels nest) or passes ``today=``."""
    with time_machine.travel(FIXED_MOMENT, tick=True):
        yield FIXED_MOMENT


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    return new_database(base, _worker())


def test_config(database_url: str, **overrides) -> dict:
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        # The queue lives in the test process and nothing takes from it unless a test
        # asks for ``task_worker`` (tests/deploy runs the real worker as a subprocess).
        "TASK_QUEUE_URL": "memory://",
        "SAFEGUARDING_EMAIL": "duty@example.org",
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "PASSWORD_HASH_CHEAP": True,
        "FILE_STORAGE_URL": "file://" + _FILES,
        # The insight model of a test that trains one stays out of instance/ (tests/insight
        # give each test a folder of its own).
        "INSIGHT_PATH": os.path.join(tempfile.gettempdir(), f"portal-insight-{_worker()}-{os.getpid()}"),
    }
    config.update(overrides)
    return config


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process and shared by every test's app. Each test
    makes an app of its own, and a new app would compile every template it renders again
    (the GOV.UK macros are large): seconds per test. Jinja keys each entry by the
    template's name and checks its source, so a changed template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


@pytest.fixture(scope="session")
def _migrated(database_url):
    """Run every migration once, as `flask db upgrade` does."""
    from flask_migrate import upgrade

    app = create_app(test_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_tables(app) -> None:
    """Empty the tables a test wrote to, then put back the default teams and themes.

    Only the tables that hold rows are emptied: asking costs one statement, while on
    PostgreSQL a TRUNCATE of all forty-odd tables took a second or more per test (most of
    the PostgreSQL run). Row by row is quick for a test's few rows."""
    from portal.services.accounts.reference_data import ensure_defaults

    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as conn:
        written = set(conn.execute(text(" UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables))).scalars())
        if written:
            _delete_rows(conn, [t for t in tables if t.name in written])
        if conn.dialect.name == "postgresql":
            # Numbering starts again at 1 in every table, as RESTART IDENTITY would (a table
            # may be empty again yet have counted on): one statement for them all.
            conn.execute(text(_RESTART_NUMBERING.format(", ".join(
                f"(pg_get_serial_sequence('\"{table}\"', '{column}'))" for table, column in _numbered_columns()))))
    ensure_defaults()
    db.session.commit()


def _delete_rows(conn, tables) -> None:
    # The audit trail refuses DELETE (migration 0012): set aside its trigger for the moment
    # of emptying, in this transaction only.
    if conn.dialect.name == "postgresql":
        if not _superuser(conn):
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        # As a replica would: no triggers (the audit trail's, the foreign keys' checks).
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in tables:
            conn.execute(table.delete())
        return
    trigger = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND name = 'audit_entry_no_delete'")).scalar()
    if trigger:
        conn.execute(text("DROP TRIGGER audit_entry_no_delete"))
    for table in tables:
        conn.execute(table.delete())
    if trigger:
        conn.execute(text(trigger))


def _numbered_columns() -> list[tuple[str, str]]:
    return [(t.name, c.name) for t in db.metadata.sorted_tables for c in t.primary_key.columns
            if isinstance(c.type, Integer) and len(t.primary_key.columns) == 1]


_RESTART_NUMBERING = "SELECT count(setval(s::regclass, 1, false)) FROM (VALUES {}) AS sequences(s) WHERE s IS NOT NULL"


_SUPERUSER: dict[str, bool] = {}


def _superuser(conn) -> bool:
    url = str(conn.engine.url)
    if url not in _SUPERUSER:
        _SUPERUSER[url] = bool(conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())
    return _SUPERUSER[url]


@pytest.fixture
def config_overrides() -> dict:
    """Override in a test module (or with parametrize) to change the app's config."""
    return {}


@pytest.fixture
def app(_migrated, config_overrides, tmp_path):
    # Each test its own case file store, so that what one stores another never sees.
    files = {"FILE_STORAGE_URL": "file://" + str(tmp_path / "files")}
    app = create_app(test_config(_migrated, **{**files, **config_overrides}))
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    # In production every request has its own app context. Here the test's context is
    # shared by every request the test makes, so forget what each request left in ``g``
    # (the signed-in user, the audit actor) once it is over, as production would; this
    # runs after every other teardown.
    app.teardown_request_funcs.setdefault(None, []).insert(0, lambda exc: g.__dict__.clear())
    with app.app_context():
        _commit_without_waiting_for_the_disk()
        _empty_tables(app)
        yield app
        db.session.remove()
        db.engine.dispose()


def _commit_without_waiting_for_the_disk() -> None:
    """On SQLite, each commit waits for the disk (tens of milliseconds on a busy one) and
    tests commit thousands of times. Nothing a test checks depends on the data surviving
    a power cut, so tests do without that wait; the portal itself keeps it."""
    if db.engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    db.engine.dispose()  # so that every connection from here on is opened with it
    event.listen(db.engine, "connect", lambda connection, _record: connection.execute("PRAGMA synchronous = OFF"))


class TaskWorker:
    """Takes tasks from the app's in-process queue in a thread and runs them, as the
    worker's threads do (``flask worker`` adds the scheduler and signal handling)."""

    def __init__(self, app):
        from portal import tasks

        self.queue = tasks.queue_of(app)
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.thread = threading.Thread(target=self._run, name="task-worker", daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            task = self.queue.dequeue()
            if task is None:
                self.idle.set()
                self.stopping.wait(0.02)
                continue
            self.idle.clear()
            self.queue.execute(task)

    def wait_until_idle(self, timeout: float = 30.0) -> bool:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queue.pending_count() == 0 and self.idle.wait(0.05):
                return True
        return False

    def stop(self):
        self.stopping.set()
        self.thread.join(30)


@pytest.fixture
def task_worker(app):
    """A worker for the app's queue: mail goes as each message is committed."""
    worker = TaskWorker(app)
    yield worker
    worker.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def get_page(app):
    """``get_page(client, "/staff/inbox", q="taxi")`` or ``get_page(client, "staff.inbox")``:
    the page, parsed, after asserting its status (200 unless ``status=``) and what every
    page must be (tests/pages.py). A path's keywords are its query; an endpoint's, its
    ``url_for`` values."""
    from flask import url_for

    from tests.pages import checked_page

    def get(client, url: str, status: int = 200, **values):
        if not url.startswith("/"):
            with app.test_request_context():
                url, values = url_for(url, **values), {}
        return checked_page(client.get(url, query_string=values or None), status)

    return get


# --- A real SMTP server on loopback (tests/smtp) -------------------------------------


@pytest.fixture
def smtp_server():
    server = start_smtp()
    yield server
    server.stop()


@pytest.fixture
def mail_to(app, smtp_server):
    """Point the app at the real SMTP server and return its inbox."""
    app.config.update(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    return smtp_server.inbox


@pytest.fixture(scope="session")
def clamd():
    """A real clamd (tests/clamd.py) that finds the EICAR test file, for the session:
    ``clamd.socket`` is its socket. Skips where clamd is not installed, unless REQUIRE_CLAMD=1."""
    from tests.clamd import clamd_or_skip

    daemon = clamd_or_skip()
    yield daemon
    daemon.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test process (sync Playwright), for the browser
    tests and the deploy tests alike: a second sync Playwright in the same process fails
    ("using Playwright Sync API inside the asyncio loop")."""
    from tests.browser.helpers import CHROMIUM, LAUNCH_ARGS, browser_missing

    missing = browser_missing()
    if missing:
        if not os.environ.get("REQUIRE_BROWSER"):
            pytest.skip(missing)
        pytest.fail(f"REQUIRE_BROWSER=1 but {missing}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
