"""``make run`` and ``make serve`` (portal/supervise.py): the web server and the worker
start together (with a clamd of their own for ``make run`` where clamd is installed, and a
mailbox of their own where Dovecot is and no mail is set), a form's mail goes with no
command run by hand, and Ctrl+C stops them all."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import signal
import smtplib
import tempfile
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from pathlib import Path

import pytest

from tests.clamd import CLAMD
from tests.smtp import start_smtp
from tests.deploy.worker_process import UNDER_LIBFAKETIME, Served, alive, served_env, wait_until

pytestmark = UNDER_LIBFAKETIME
from tests.public.helpers import COMPLAINT, COMPLIMENT, PATHS


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


def _environment(pid: int) -> dict[str, str]:
    """What a running process was started with, as the kernel kept it."""
    with open(f"/proc/{pid}/environ", "rb") as environ:
        pairs = (entry.decode().split("=", 1) for entry in environ.read().split(b"\0") if b"=" in entry)
        return dict(pairs)


def _acknowledgement_in(mailbox) -> Message | None:
    found = [message_from_bytes(raw, policy=policy.default) for raw in mailbox.messages()]
    return next((m for m in found if m["To"] == "alex@example.org"), None)


def _reply(acknowledgement: Message) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = "Alex Example <alex@example.org>"
    reply["To"] = acknowledgement["Reply-To"] or acknowledgement["From"]
    reply["Subject"] = "Re: " + acknowledgement["Subject"]
    reply["Message-ID"] = "<alex-reply-by-make-run@example.org>"
    reply["In-Reply-To"] = acknowledgement["Message-ID"]
    reply.set_content("Thank you. The social worker has still not called.\n\nAlex\n")
    return reply


def test_with_no_mail_set_make_run_starts_a_mailbox_of_its_own_and_a_reply_by_it_joins_its_case(
        app, tmp_path, database_url):
    """The web server and the worker send through make run's SMTP server and read its
    Dovecot: a person reads the acknowledgement in the catch-all mailbox, replies through
    the SMTP server, and the worker puts the reply on the case."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Feedback, MailInMessage
    from tests.imap import Dovecot, skip_without_dovecot

    skip_without_dovecot()
    mail_folder = Path(tempfile.mkdtemp(prefix="make-run-mail-"))  # short: Dovecot's sockets go in it
    env = {**served_env(database_url, tmp_path / "tasks.sqlite3", 1), "LOCAL_CLAMD_FOLDER": str(tmp_path / "clamd"),
           "LOCAL_MAIL_FOLDER": str(mail_folder)}
    for name in ("MAIL_SERVER", "MAIL_PORT"):
        del env[name]
    served = Served("run", tmp_path / "served.log", env)
    try:
        served.start()
        children = served.children()
        assert len(children) == (5 if CLAMD else 4), served.output()
        printed = re.search(r"mailbox of its own .*imap://127\.0\.0\.1:(\d+) as everyone-else / (\S+) .*"
                            r"is feedback@example\.org / (\S+)\)\n.*smtp://127\.0\.0\.1:(\d+)", served.output())
        assert printed, served.output()
        imap_port, password, team_password, smtp_port = printed.groups()
        for word in ("worker", "run"):  # the worker, and the web server (flask run)
            given = _environment(served.child(word))
            assert {name: given.get(name) for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_IN_HOST", "MAIL_IN_PORT",
                                                       "MAIL_IN_SSL", "MAIL_IN_USERNAME", "MAIL_IN_PASSWORD")} == {
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_IN_HOST": "127.0.0.1",
                "MAIL_IN_PORT": imap_port, "MAIL_IN_SSL": "false", "MAIL_IN_USERNAME": "feedback@example.org",
                "MAIL_IN_PASSWORD": team_password}, word

        sent = post_form(served.url, "complaint", COMPLAINT)
        reference = re.search(r"CF-\d{4}-\d{5}", sent).group(0)
        everyone_else = Dovecot("127.0.0.1", int(imap_port), mail_folder, None, "everyone-else", password)
        wait_until(lambda: _acknowledgement_in(everyone_else), 60, "no acknowledgement:\n" + served.output())
        acknowledgement = _acknowledgement_in(everyone_else)
        assert reference in acknowledgement["Subject"]
        with smtplib.SMTP("127.0.0.1", int(smtp_port), timeout=10) as smtp:
            smtp.send_message(_reply(acknowledgement))

        def joined() -> bool:
            db.session.rollback()  # a fresh look, and no lock held while the worker writes
            found = db.session.scalars(select(Feedback.reference).join(MailInMessage)
                                       .where(MailInMessage.kind == "case")).all()
            db.session.rollback()
            return found == [reference]
        wait_until(joined, 120, "the reply never joined its case:\n" + served.output())

        served.process.send_signal(signal.SIGINT)  # Ctrl+C
        served.process.wait(30)
        wait_until(lambda: not any(alive(pid) for pid in children), 15, "a process outlived Ctrl+C")
    finally:
        served.stop()
        shutil.rmtree(mail_folder, ignore_errors=True)
