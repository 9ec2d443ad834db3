"""Two app servers behind HAProxy (issue 23; docs/operations.md, "More than one server"):
a member of staff signs in through one and carries on through the other, a file added
through one is downloaded through the other, the public forms' rate limit counts across
both, and mail queued by either is sent by the worker through the shared Redis queue.

Real processes: two gunicorns, HAProxy, the worker, redis-server, aiosmtpd and Chromium.
HAProxy names the server that answered in a header; its admin socket takes one server
out of service, so each step is known to go through the server it says.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


from portal.extensions import db
from tests import factories
from tests.browser.staff import sign_in, staff_account
from tests.deploy.proxy import SERVED_BY, AppServer, HAProxy, require_haproxy
from tests.deploy.worker_process import (UNDER_LIBFAKETIME, RedisServer, WorkerProcess, served_env,
                                         same_clock_as_the_worker)  # noqa: F401 (a fixture)
from tests.files import samples
from tests.public.helpers import COMPLIMENT
from tests.smtp import free_port, start_smtp

pytestmark = UNDER_LIBFAKETIME


class Visitor:
    """Someone without JavaScript: a cookie jar, and which server answered each request."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode(), response.headers[SERVED_BY]
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode(), error.headers[SERVED_BY]

    @staticmethod
    def csrf(page: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def answered_by(response) -> tuple[int, str | None]:
    """The status and the app server HAProxy names (None for an answer of its own, a 503)."""
    return response.status, response.headers.get(SERVED_BY.lower())


def test_two_app_servers_behind_haproxy_share_sign_in_files_rate_limits_and_the_queue(
        app, tmp_path, database_url, same_clock_as_the_worker, browser):
    require_haproxy()
    officer = staff_account("officer@example.org", "Olu Officer")
    record = factories.initial_contact()
    db.session.commit()

    redis, smtp, proxy_port = RedisServer(tmp_path).start(), start_smtp(), free_port()
    env = {**served_env(database_url, tmp_path / "unused.sqlite3", smtp.port),
           "BASE_URL": f"http://127.0.0.1:{proxy_port}", "TRUSTED_PROXIES": "1",
           "RATELIMIT_STORAGE_URI": redis.url, "TASK_QUEUE_URL": redis.url.replace("/0", "/1"),
           "FILE_STORAGE_URL": f"file://{tmp_path / 'shared-files'}",
           "PUBLIC_FORM_RATE_LIMIT": "3 per minute",
           # The worker's sweep waits a minute: mail sent sooner came through the queue.
           "WORKER_TICK_SECONDS": "60"}
    servers = [AppServer(name, tmp_path / f"{name}.log", env) for name in ("app1", "app2")]
    proxy = HAProxy(tmp_path, servers, proxy_port)
    worker = WorkerProcess(tmp_path / "worker.log", env)
    try:
        for server in servers:
            server.start()
        # Booting beside two gunicorns on a busy 2-core machine: more than the usual 30 s.
        worker.start(patience=90)
        for server in servers:
            server.wait_until_serving()
        proxy.start()

        context = browser.new_context(base_url=proxy.url)
        try:
            page = context.new_page()

            proxy.only("app1")
            sign_in(page, officer)
            assert answered_by(page.goto("/staff/")) == (200, "app1")
            assert "Sign out" in page.content()

            # The same session, through the other server: still signed in; a file added there.
            proxy.only("app2")
            assert answered_by(page.goto(f"/staff/cases/{record.reference}")) == (200, "app2")
            assert page.url.endswith(f"/staff/cases/{record.reference}")  # not sent to sign in
            page.locator("#documents summary:has-text('Add documents')").click()
            page.set_input_files("#document-file", [
                {"name": "EHC plan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}])
            page.fill("#document-description", "Sent by the parent")
            page.locator("#documents button:has-text('Add documents')").click()
            page.wait_for_function("() => document.getElementById('documents')?.innerText.includes('EHC plan.pdf')")

            # ...and downloaded through the first, from the files both share.
            proxy.only("app1")
            assert answered_by(page.goto(f"/staff/cases/{record.reference}")) == (200, "app1")
            with page.expect_download() as download:
                page.locator("#documents a:has-text('EHC plan.pdf')").click()
            with open(download.value.path(), "rb") as downloaded:
                assert downloaded.read() == samples.pdf()
        finally:
            context.close()

        # The public: a compliment sent through app1 (two posts), its acknowledgement sent by
        # the worker at once, through the queue; app2 then allows one post more of the three
        # a minute, as the count is shared.
        visitor = Visitor(proxy.url)
        status, form, served_by = visitor.open("/compliment")
        assert (status, served_by) == (200, "app1")
        answers = {**COMPLIMENT, "name": "Sam Example", "email": "sam@example.org"}
        status, check, served_by = visitor.open("/compliment", {**answers, "csrf_token": visitor.csrf(form)})
        assert (status, served_by) == (200, "app1") and "Check your answers" in check
        status, sent, served_by = visitor.open("/compliment/check", {"csrf_token": visitor.csrf(check)})
        assert (status, served_by) == (200, "app1") and re.search(r"CF-\d{4}-\d{5}", sent)
        [delivered] = smtp.inbox.wait_for(1, timeout=30)
        assert delivered["To"] == "sam@example.org"

        proxy.only("app2")
        status, form, served_by = visitor.open("/compliment")
        assert (status, served_by) == (200, "app2")
        token = visitor.csrf(form)
        status, _, served_by = visitor.open("/compliment", {**answers, "csrf_token": token})
        assert (status, served_by) == (200, "app2")
        status, refused, served_by = visitor.open("/compliment", {**answers, "csrf_token": token})
        assert (status, served_by) == (429, "app2"), refused[:500]
    finally:
        worker.stop()
        proxy.stop()
        for server in servers:
            server.stop()
        redis.stop()
        smtp.stop()
