"""``make run`` and ``make serve`` (portal/supervise.py): the web server and the worker
start together (with a clamd of their own for ``make run`` where clamd is installed), a
form's mail goes with no command run by hand, and Ctrl+C stops them all."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import urllib.parse
import urllib.request

import pytest

from tests.clamd import CLAMD
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


def _serves_fingerprinted_assets(base: str) -> None:
    """The start page's stylesheet and scripts are fingerprinted files, cached for a year
    and sent compressed (portal/assets.py), by the dev server and by gunicorn alike."""
    page = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js|mjs))"', page)
    assert len(links) == 3, page[:2000]
    for link in links:
        request = urllib.request.Request(base + link, headers={"Accept-Encoding": "br, gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable", link
            assert response.headers["Content-Encoding"] == "br", link


def _the_scanner_finds_eicar(socket_path) -> None:
    """make run's own clamd answers on its socket (once its signatures are loaded) and finds
    the EICAR test file, so an upload to the demo is really scanned."""
    import io

    from portal.services.files.local_scanner import eicar
    from portal.services.files.scanning import Scanner, ping, scan
    from portal.services.common.labels import ScanStatus

    scanner = Scanner(socket_path=str(socket_path), timeout=5)
    wait_until(lambda: socket_path.exists() and ping(scanner), 60, "make run's clamd did not answer")
    assert scan(scanner, io.BytesIO(b"a letter from school")).status == ScanStatus.CLEAN
    assert scan(scanner, io.BytesIO(eicar())).status == ScanStatus.INFECTED


@pytest.mark.parametrize("mode", ["run", "serve"])
def test_the_site_and_the_worker_start_together_mail_goes_and_ctrl_c_stops_both(app, tmp_path, database_url, mode):
    smtp = start_smtp()
    env = {**served_env(database_url, tmp_path / "tasks.sqlite3", smtp.port), "LOCAL_CLAMD_FOLDER": str(tmp_path / "clamd")}
    served = Served(mode, tmp_path / "served.log", env)
    try:
        served.start()
        children = served.children()
        scanner = mode == "run" and CLAMD is not None
        assert len(children) == (3 if scanner else 2), served.output()
        if scanner:
            assert "scanning uploads with a clamd of its own" in served.output()
            _the_scanner_finds_eicar(tmp_path / "clamd" / "clamd.sock")
        _serves_fingerprinted_assets(served.url)
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
    env = {**served_env(database_url, tmp_path / "tasks.sqlite3", 1), "LOCAL_CLAMD_FOLDER": str(tmp_path / "clamd")}
    served = Served("run", tmp_path / "served.log", env)
    try:
        served.start()
        worker, web = served.child("worker"), served.child("run")
        import os

        os.kill(worker, signal.SIGKILL)
        assert served.process.wait(30) != 0
        wait_until(lambda: not alive(web), 15, "the site outlived its worker")
        assert "worker stopped" in served.output()
    finally:
        served.stop()
