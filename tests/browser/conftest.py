"""Browser tests: the real portal served on loopback, driven by Debian's Chromium
through Playwright's sync API, and checked with axe-core.

Fixtures, for public and staff pages alike:

- ``live_server``: the app with CSRF on, mail sent by a worker thread (as the worker
  does) to a real SMTP server, on an empty database; ``live_server.app`` for records made directly,
  ``live_server.url`` (or ``live_server("/path")``) for addresses, ``live_server.inbox``.
- ``browser``: one Chromium for the whole session.
- ``new_page(device="desktop"|"phone", javascript=True)``: a page in a fresh context.
- ``page`` (desktop, JavaScript on), ``no_js_page``, ``phone_page``: the common ones.

Every page made by these fixtures records console errors, uncaught exceptions and
failed or CSP-blocked requests; see ``helpers.assert_no_browser_errors``,
``helpers.assert_accessible`` and ``helpers.check_page``.

Everything under tests/browser/ is marked ``browser``. Without Chromium or the
Playwright driver the tests skip, unless REQUIRE_BROWSER=1 (CI), when they fail.
On PostgreSQL (TEST_DATABASE_URL) they skip unless BROWSER_ON_POSTGRES=1, which CI
sets: production runs on PostgreSQL, where the inbox search takes another path.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from portal import create_app
from portal.extensions import db
from tests.browser.helpers import (
    CHROMIUM, DEVICES, LAUNCH_ARGS, WITHOUT_JAVASCRIPT, browser_missing, wait_until, watch,
)
from tests.conftest import _empty_tables, test_config
from tests.smtp import SMTPServer, start_smtp

HERE = Path(__file__).resolve().parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# No browser test should take anywhere near this (the longest keyboard journeys take
# four minutes on a machine loaded five times over); one that does is stuck (a Playwright
# call such as evaluate() has no timeout of its own) and fails rather than hanging CI.
BROWSER_TEST_LIMIT_SECONDS = int(os.environ.get("BROWSER_TEST_LIMIT_SECONDS", 360))


class BrowserTestStuck(Exception):
    pass


@pytest.fixture(autouse=True)
def _fail_a_stuck_browser_test(request):
    if HERE not in Path(str(request.node.path)).parents or threading.current_thread() is not threading.main_thread():
        yield
        return
    import signal

    def stuck(signum, frame):
        # The exception can land inside Playwright's own event loop, which may swallow
        # it; if the test is still stuck a little later, end this process (under xdist
        # the worker is replaced and the test reported as crashed) rather than hang CI.
        signal.signal(signal.SIGALRM, still_stuck)
        signal.alarm(30)
        raise BrowserTestStuck(f"{request.node.nodeid} ran for over {BROWSER_TEST_LIMIT_SECONDS} s")

    def still_stuck(signum, frame):
        import faulthandler

        capture = request.config.pluginmanager.getplugin("capturemanager")
        if capture is not None:
            capture.suspend_global_capture(in_=True)  # so that this reaches the terminal
        sys.stderr.write(f"\n{request.node.nodeid} is stuck in the browser; ending the test process\n")
        sys.stderr.flush()
        faulthandler.dump_traceback(all_threads=True)
        os._exit(3)

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(BROWSER_TEST_LIMIT_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items: touch only ours.
    ours = [item for item in items if HERE in Path(str(item.path)).parents]
    on_postgres = bool(os.environ.get("TEST_DATABASE_URL")) and not _flag("BROWSER_ON_POSTGRES")
    missing = browser_missing()
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if on_postgres:
            item.add_marker(pytest.mark.skip(
                reason="browser tests run on SQLite only; set BROWSER_ON_POSTGRES=1 to run them on PostgreSQL"))
        elif missing and not _flag("REQUIRE_BROWSER"):
            item.add_marker(pytest.mark.skip(
                reason=f"browser tests skipped: {missing}; set REQUIRE_BROWSER=1 to make this a failure"))


# --- The portal, served for real ------------------------------------------------------


@dataclass
class LiveServer:
    """The portal running on 127.0.0.1, and the SMTP server its mail goes to."""

    app: object
    url: str
    smtp: SMTPServer
    _saved_config: dict = field(default_factory=dict)

    def __call__(self, path: str = "/") -> str:
        """The full address of a path on the server: ``live_server("/complaint")``."""
        return self.url + path

    @property
    def inbox(self):
        return self.smtp.inbox

    def configure(self, **overrides) -> None:
        """Change the app's config for this test only (restored afterwards)."""
        for key, value in overrides.items():
            self._saved_config.setdefault(key, self.app.config.get(key))
            self.app.config[key] = value

    def mail(self, to: str | None = None, containing: str | None = None, timeout: float = 10.0) -> list:
        """Wait for mail (to this address, with this text in the body) and return it."""

        def matching():
            found = []
            for message in list(self.inbox.messages):
                body = message.get_payload(decode=True) or b""
                body = body.decode(message.get_content_charset() or "utf-8", "replace")
                if (to is None or message["To"] == to) and (containing is None or containing in body):
                    found.append(message)
            return found

        return wait_until(matching, timeout) or []

    def describe_mail(self) -> str:
        """What arrived, and what the outbox holds, for failure messages."""
        from sqlalchemy import select

        from portal.models import OutboxMessage

        arrived = [f"  to {m['To']}: {m['Subject']}" for m in self.inbox.messages] or ["  nothing"]
        with self.app.app_context():
            queued = [
                f"  {m.id} to {m.to_address}: sent {m.sent_at}, attempts {m.attempts}, "
                f"claimed until {m.claimed_until}, next attempt {m.next_attempt_at}, error {m.last_error}"
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            ] or ["  nothing"]
        return "\n".join(["arrived:", *arrived, "in the outbox:", *queued])

    def _reset(self) -> None:
        self.app.config.update(self._saved_config)
        self._saved_config.clear()
        self.inbox.clear()


class _ServerThread(threading.Thread):
    def __init__(self, app):
        from werkzeug.serving import make_server

        super().__init__(name="live-server", daemon=True)
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port

    def run(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self.server.shutdown()
        self.join(5)
        self.server.server_close()


@pytest.fixture(scope="session")
def _live_server(_migrated):
    smtp = start_smtp()
    app = create_app(
        test_config(
            _migrated,
            WTF_CSRF_ENABLED=True,  # real browsers must prove CSRF works
            MAIL_SERVER=smtp.host,
            MAIL_PORT=smtp.port,
        )
    )
    thread = _ServerThread(app)
    url = f"http://127.0.0.1:{thread.port}"
    # Nothing may leave the machine: "Exit this page" goes to one of our own pages.
    app.config.update(BASE_URL=url, EXIT_PAGE_URL=url + "/accessibility")
    thread.start()
    from tests.conftest import TaskWorker

    worker = TaskWorker(app)  # mail goes as it is committed, as the worker sends it
    server = LiveServer(app=app, url=url, smtp=smtp)
    try:
        yield server
    finally:
        thread.stop()
        worker.stop()
        smtp.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def live_server(_live_server):
    """The portal on loopback, on empty tables (default teams and themes only), with
    an empty inbox. The test body runs inside the app's context, so it can read and
    make records with ``db.session`` directly."""
    app = _live_server.app
    with app.app_context():
        _empty_tables(app)
        _live_server._reset()
        yield _live_server
        db.session.remove()
    _live_server._reset()


# --- Chromium ---------------------------------------------------------------------------


# ``browser``, the one headless Chromium of a test process, is in tests/conftest.py: the
# deploy tests drive it too, and a process can hold only one sync Playwright.


@pytest.fixture
def new_page(browser, live_server):
    """Make a page in a fresh context: ``new_page(device="phone", javascript=False)``.
    Devices are those in helpers.DEVICES; extra keywords go to ``browser.new_context``.
    Each page records its browser errors; contexts close after the test."""
    contexts = []

    def make(device: str = "desktop", javascript: bool = True, **context_args):
        context = browser.new_context(
            java_script_enabled=javascript, base_url=live_server.url, **DEVICES[device], **context_args
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        if not javascript:
            WITHOUT_JAVASCRIPT.add(page)  # axe runs on its twin (helpers.assert_accessible)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page (1280 x 900) with JavaScript on."""
    return new_page()


@pytest.fixture
def no_js_page(new_page):
    """A desktop page with JavaScript off."""
    return new_page(javascript=False)


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (375 x 740, touch) with JavaScript on."""
    return new_page(device="phone")
