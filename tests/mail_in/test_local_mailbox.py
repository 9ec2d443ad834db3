"""``make run``'s own mail (portal/services/mail_in/local_mailbox.py and local_smtp.py), as
real processes: Dovecot and the SMTP server that delivers into it. Mail to the team lands
in the team's mailbox, which the worker's read takes; mail to anyone else lands in the
catch-all. Waits use a threading.Event's timed wait, never time.sleep (libfaketime)."""

from __future__ import annotations

import imaplib
import os
import shutil
import smtplib
import stat
import subprocess
import tempfile
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from portal import config, supervise
from portal.extensions import db
from portal.models import MailInMessage
from portal.services.mail_in import local_mailbox
from portal.services.mail_in.local_smtp import EVERYONE_ELSE, mailbox_for
from portal.services.mail_in.reader import MailboxSettings, read_mailbox
from portal.services.mail_in.receive import InSettings
from tests.imap import Dovecot, skip_without_dovecot

TEAM = "feedback@example.org"
_PAUSE = threading.Event()


@pytest.fixture
def config_overrides():
    return {"MAIL_FROM": "noreply@example.org", "ORG_EMAIL": TEAM}


@pytest.fixture
def folder():
    # Short, under /tmp: Dovecot keeps its sockets in it (local_mailbox._sockets_folder).
    path = Path(tempfile.mkdtemp(prefix="local-mail-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def local_mail(folder):
    skip_without_dovecot()
    mail = local_mailbox.prepare(folder, TEAM)
    with open(folder / "servers.log", "wb") as log:
        processes = [subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
                     for argv in mail.commands().values()]
    try:
        _until(lambda: _answers(mail, processes), 30, folder)
        yield mail
    finally:
        for process in processes:
            process.terminate()
            process.wait()  # no timeout: a timed Popen.wait sleeps


def _answers(mail, processes) -> bool:
    assert all(p.poll() is None for p in processes), "a mail server stopped at once"
    try:
        with imaplib.IMAP4(local_mailbox.HOST, mail.imap_port, timeout=2) as imap:
            imap.login(TEAM, mail.passwords[TEAM])
        with smtplib.SMTP(local_mailbox.HOST, mail.smtp_port, timeout=2) as smtp:
            smtp.noop()
    except (OSError, imaplib.IMAP4.error):
        return False
    return True


def _until(condition, seconds: float, folder: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            log = folder / "dovecot.log"
            raise AssertionError("the local mail did not answer:\n" + (log.read_text() if log.exists() else ""))
        _PAUSE.wait(0.05)


def _mailbox(mail, user: str) -> Dovecot:
    """One of the local mailboxes, as the tests' IMAP client sees it (not to be stopped)."""
    return Dovecot(local_mailbox.HOST, mail.imap_port, mail.folder, process=None, username=user,
                   password=mail.passwords[user])


def _email(to: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Alex Example <alex@example.org>"
    message["To"] = to
    message["Subject"] = "The review meeting"
    message["Message-ID"] = message_id
    message.set_content("When is the next review meeting about my son?\n\nAlex\n")
    return message


def _message_ids(mailbox: Dovecot, folder: str = "INBOX") -> list[str]:
    return [message_from_bytes(raw)["Message-ID"] for raw in mailbox.messages(folder)]


def test_mail_to_the_team_reaches_its_mailbox_and_the_worker_takes_it_mail_to_anyone_else_the_catch_all(
        app, local_mail):
    with smtplib.SMTP(local_mailbox.HOST, local_mail.smtp_port, timeout=10) as smtp:
        smtp.send_message(_email(TEAM, "<to-the-team@example.org>"))
        smtp.send_message(_email("Sam Stranger <sam@example.net>", "<to-a-stranger@example.org>"))
    team, everyone_else = _mailbox(local_mail, TEAM), _mailbox(local_mail, EVERYONE_ELSE)
    assert _message_ids(team) == ["<to-the-team@example.org>"]
    assert _message_ids(everyone_else) == ["<to-a-stranger@example.org>"]

    # The worker's read, with the settings make run gives it (read as the portal reads them).
    loaded = config.load(local_mail.settings(), app.instance_path)
    app.config.update({name: value for name, value in loaded.items() if name.startswith("MAIL_IN_")})
    summary = read_mailbox(MailboxSettings.from_config(app.config), InSettings.from_app(app))
    assert summary.read == 1
    assert db.session.scalars(select(MailInMessage.kind)).all() == ["new_record"]
    assert _message_ids(team) == [] and _message_ids(team, "Processed") == ["<to-the-team@example.org>"]
    assert _message_ids(everyone_else) == ["<to-a-stranger@example.org>"]


def test_the_teams_plus_addresses_are_the_teams_and_anyone_elses_the_catch_alls():
    team = [TEAM, "complaints@example.org"]
    assert mailbox_for("Feedback+CF-2026-00012@Example.org", team) == TEAM
    assert mailbox_for("<complaints@example.org>", team) == TEAM
    assert mailbox_for("feedback@example.net", team) == EVERYONE_ELSE
    assert mailbox_for("alex+feedback@example.org", team) == EVERYONE_ELSE


def test_the_passwords_and_ports_are_kept_for_the_next_run_and_only_their_owner_reads_them(folder):
    skip_without_dovecot()
    first = local_mailbox.prepare(folder, TEAM)
    again = local_mailbox.prepare(folder, TEAM.upper())
    assert again.passwords == first.passwords and set(first.passwords) == {TEAM, EVERYONE_ELSE}
    assert (again.imap_port, again.smtp_port) == (first.imap_port, first.smtp_port)
    assert stat.S_IMODE(os.stat(folder / "passwd").st_mode) == 0o600
    assert len(set(first.passwords.values())) == 2


# supervise's wiring, in this process (started for real in tests/deploy/test_supervise.py).
# Settings are set (empty) rather than deleted, so that what the supervisor sets is undone
# after the test: a MAIL_SERVER left behind would send later tests' mail to a server gone.
_SET_BY_SUPERVISE = ("MAIL_SERVER", "MAIL_PORT", "MAIL_IN_HOST", "MAIL_IN_PORT", "MAIL_IN_SSL",
                     "MAIL_IN_USERNAME", "MAIL_IN_PASSWORD")


@pytest.mark.parametrize("setting", ["MAIL_SERVER", "MAIL_IN_HOST"])
def test_mail_already_set_is_used_and_no_mailbox_is_started(monkeypatch, folder, capsys, setting):
    for name in _SET_BY_SUPERVISE:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv(setting, "mail.internal")
    monkeypatch.setenv("LOCAL_MAIL_FOLDER", str(folder / "mail"))
    named = {"worker": ["w"], "web": ["x"]}
    assert supervise.with_local_mail(named) == named
    assert not (folder / "mail").exists()
    assert capsys.readouterr().out == (f"supervise: {setting} is set, so no mailbox of its own is started "
                                       "(mail goes to MAIL_SERVER, or to the log without it)\n")


def test_make_run_points_the_portal_at_its_own_mail_the_teams_address_its_user_name(monkeypatch, folder, capsys):
    skip_without_dovecot()
    for name in _SET_BY_SUPERVISE:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("MAIL_IN_ADDRESS", "Complaints@example.org")
    monkeypatch.setenv("ORG_EMAIL", TEAM)
    monkeypatch.setenv("LOCAL_MAIL_FOLDER", str(folder))
    named = supervise.with_local_mail({"worker": ["w"], "web": ["x"]})
    assert list(named) == ["mailbox", "mail relay", "worker", "web"]
    passwords = local_mailbox.read_passwords(folder / "passwd")
    imap_port, smtp_port = (folder / "ports").read_text().split()
    assert {name: os.environ[name] for name in _SET_BY_SUPERVISE} == {
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_IN_HOST": "127.0.0.1", "MAIL_IN_PORT": imap_port,
        "MAIL_IN_SSL": "false", "MAIL_IN_USERNAME": "complaints@example.org",
        "MAIL_IN_PASSWORD": passwords["complaints@example.org"]}
    assert named["mail relay"][-3:] == ["--team", "complaints@example.org", TEAM]  # ORG_EMAIL's mail is the team's
    printed = capsys.readouterr().out
    assert f"imap://127.0.0.1:{imap_port} as everyone-else / {passwords[EVERYONE_ELSE]} " in printed
    assert f"send to the team (complaints@example.org) or anyone at smtp://127.0.0.1:{smtp_port} " in printed


def test_the_supervisors_mail_settings_are_not_left_set_for_other_tests():
    """After the test above (same module, same worker): nothing points at its servers."""
    assert not any(os.environ.get(name) for name in _SET_BY_SUPERVISE)
