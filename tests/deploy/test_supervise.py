"""``make run`` and ``make serve`` (portal/supervise.py): the web server and the worker
start together, a form's mail goes with no command run by hand, and Ctrl+C stops both."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import urllib.parse
import urllib.request

import pytest

from tests.smtp import start_smtp
from tests.deploy.worker_process import UNDER_LIBFAKETIME, Served, alive, served_env, wait_until

pytestmark = UNDER_LIBFAKETIME
from tests.public.helpers import COMPLIMENT, PATHS


def post_form(base: str, form: str, answers: dict) -> str:
    """As a browser without JavaScript would: the form, then its check page, then Send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    path = PATHS[form]
    page = opener.open(base + path, timeout=10).read().decode()
    data = urllib.parse.urlencode({**answers, "csrf_token": csrf(page)}, doseq=True).encode()
    check = opener.open(base + path, data=data, timeout=10).read().decode()
    data = urllib.parse.urlencode({"csrf_token": csrf(check)}).encode()
    return opener.open(base + path + "/check", data=data, timeout=10).read().decode()


@pytest.mark.parametrize("mode", ["run", "serve"])
def test_the_site_and_the_worker_start_together_mail_goes_and_ctrl_c_stops_both(app, tmp_path, database_url, mode):
    smtp = start_smtp()
    served = Served(mode, tmp_path / "served.log", served_env(database_url, tmp_path / "tasks.sqlite3", smtp.port))
    try:
        served.start()
        children = served.children()
        assert len(children) == 2, served.output()
        sent = post_form(served.url, "compliment", {**COMPLIMENT, "name": "Sam Example", "email": "sam@example.org"})
        assert re.search(r"CF-\d{4}-\d{5}", sent), sent[:2000]
        [delivered] = smtp.inbox.wait_for(1, timeout=30)
        assert delivered["To"] == "sam@example.org"

        served.process.send_signal(signal.SIGINT)  # Ctrl+C
        served.process.wait(30)
        wait_until(lambda: not any(alive(pid) for pid in children), 15, "a process outlived Ctrl+C")
    finally:
        served.stop()
        smtp.stop()


def test_if_the_worker_dies_the_site_is_stopped_too(app, tmp_path, database_url):
    """Never a site that queues mail with no worker behind it, unnoticed."""
    served = Served("run", tmp_path / "served.log", served_env(database_url, tmp_path / "tasks.sqlite3", 1))
    try:
        served.start()
        worker, web = served.children()
        import os

        os.kill(worker, signal.SIGKILL)
        assert served.process.wait(30) != 0
        wait_until(lambda: not alive(web), 15, "the site outlived its worker")
        assert "worker stopped" in served.output()
    finally:
        served.stop()
