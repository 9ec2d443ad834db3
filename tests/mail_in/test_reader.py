"""Reading the team's mailbox over IMAP, every tick of the worker, and files or an mbox by
the command (portal.services.mail_in.reader, background.jobs), against a real Dovecot."""

from __future__ import annotations

import mailbox
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, JobRun, MailInMessage, Person
from portal.services.background import jobs
from tests import factories
from tests.mail_in.messages import message


@pytest.fixture
def config_overrides():
    return {"MAIL_FROM": "noreply@example.org", "ORG_EMAIL": "feedback@example.org"}


@pytest.fixture
def mailbox_set_up(app, imap):
    app.config.update(imap.config())
    return imap


def _crlf(raw: bytes) -> bytes:
    """A message as an IMAP server keeps it: every line ends CRLF."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _kinds() -> list[str]:
    return list(db.session.scalars(select(MailInMessage.kind).order_by(MailInMessage.id)))


def _mail_in_run() -> JobRun:
    return db.session.scalars(select(JobRun).where(JobRun.job == "mail_in")).one()


def test_each_tick_takes_the_mailbox_and_moves_each_message_on(app, mailbox_set_up):
    imap = mailbox_set_up
    for name in ("new_concern_with_pdf", "out_of_office", "malformed"):
        imap.deliver(message(name))
    assert "mail_in" in jobs.tick()
    assert _kinds() == ["new_record", "auto_reply", "unreadable"]
    assert imap.messages("INBOX") == []
    assert imap.messages("Processed") == [_crlf(message("new_concern_with_pdf")), _crlf(message("out_of_office"))]
    assert imap.messages("Failed") == [_crlf(message("malformed"))]  # kept on the review list too
    run = _mail_in_run()
    assert not run.failed
    assert run.summary == ("3 read (1 new record, 1 automatic reply or out of office, "
                           "1 not read properly (kept to review))")
    [record] = db.session.scalars(select(Feedback)).all()
    assert record.channel == "email"


def test_an_empty_mailbox_is_read_and_says_so(app, mailbox_set_up):
    jobs.tick()
    assert _mail_in_run().summary == "0 read"


def test_a_mailbox_that_refuses_us_shows_as_failed_and_loses_nothing(app, mailbox_set_up):
    imap = mailbox_set_up
    imap.deliver(message("new_concern_with_pdf"))
    app.config["MAIL_IN_PASSWORD"] = "wrong"
    jobs.tick()
    run = _mail_in_run()
    assert run.failed and run.summary.startswith("failed: the mailbox could not be read: 127.0.0.1 refused the sign-in")
    assert "wrong" not in run.summary  # no password in what the administrator reads
    assert imap.messages("INBOX") == [_crlf(message("new_concern_with_pdf"))]
    app.config["MAIL_IN_PASSWORD"] = imap.password
    jobs.tick()
    assert _kinds() == ["new_record"] and not _mail_in_run().failed
    assert imap.messages("INBOX") == []


def test_a_mailbox_that_cannot_be_reached_shows_as_failed(app, mailbox_set_up):
    from tests.smtp import free_port

    app.config["MAIL_IN_PORT"] = free_port()  # nothing listens there
    jobs.tick()
    run = _mail_in_run()
    assert run.failed and "could not connect to 127.0.0.1" in run.summary


def test_a_message_taken_but_not_moved_is_only_moved_the_next_time(app, mailbox_set_up):
    """The worker stopped between the commit and the move: the message is recognised."""
    imap = mailbox_set_up
    from portal.services.mail_in import receive

    receive.take(_crlf(message("new_concern_with_pdf")), "IMAP INBOX", receive.InSettings.from_app())
    db.session.commit()
    imap.deliver(message("new_concern_with_pdf"))
    jobs.tick()
    assert _kinds() == ["new_record"]
    assert _mail_in_run().summary == "0 read, 1 already taken"
    assert imap.messages("Processed") == [_crlf(message("new_concern_with_pdf"))]


def test_without_a_mailbox_set_up_nothing_is_read(app):
    assert "mail_in" not in jobs.tick()
    assert db.session.scalars(select(JobRun).where(JobRun.job == "mail_in")).all() == []


def test_the_command_reads_an_old_mbox_the_same_way_and_twice_is_safe(app, runner, tmp_path):
    factories.initial_contact(reference="CF-2034-00002", person=Person(name="Alex", email="alex.carer@example.com"))
    path = tmp_path / "old-mailbox.mbox"
    box = mailbox.mbox(str(path))
    for name in ("new_concern_with_pdf", "plus_addressed_reply", "out_of_office", "windows_1252_html_only"):
        box.add(message(name))
    box.flush()
    box.close()
    result = runner.invoke(args=["mail-in", "read", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == ("mail in from old-mailbox.mbox: 4 read (1 added to its case, 2 new records, "
                             "1 automatic reply or out of office)\n")
    assert _kinds() == ["new_record", "case", "auto_reply", "new_record"]
    again = runner.invoke(args=["mail-in", "read", str(path)])
    assert again.output == "mail in from old-mailbox.mbox: 0 read, 4 already taken\n"


def test_an_old_mailbox_is_dated_when_each_message_was_sent(app, runner, tmp_path):
    # Brought in on Wednesday 18 October 2034 (the suite's clock), a concern sent on Monday
    # 2 October is received on 2 October, and the first contact is due five working days
    # on (the public pages' promise): Monday 9 October. A Date later than now is not believed.
    old = message("new_concern_with_pdf").replace(b"Date: Tue, 17 Oct 2034 19:42:10 +0100",
                                                   b"Date: Mon, 02 Oct 2034 11:20:00 +0100")
    later = message("windows_1252_html_only").replace(b"Date: Wed, 18 Oct 2034 07:55:00 +0100",
                                                       b"Date: Fri, 20 Oct 2034 07:55:00 +0100")
    assert old != message("new_concern_with_pdf") and later != message("windows_1252_html_only")
    for name, raw in (("old.eml", old), ("later.eml", later)):
        (tmp_path / name).write_bytes(raw)
        assert runner.invoke(args=["mail-in", "read", str(tmp_path / name)]).exit_code == 0
    first, second = db.session.scalars(select(Feedback).order_by(Feedback.id)).all()
    assert (first.received_on, first.due_on) == (date(2034, 10, 2), date(2034, 10, 9))
    assert second.received_on == date(2034, 10, 18)


def test_the_command_reads_an_eml_file(app, runner, tmp_path):
    path = tmp_path / "one.eml"
    path.write_bytes(message("windows_1252_html_only"))
    result = runner.invoke(args=["mail-in", "read", str(path)])
    assert result.output == "mail in from one.eml: 1 read (1 new record)\n"
    [record] = db.session.scalars(select(Feedback)).all()
    assert record.person.name == "Renée Foster"


def test_the_administrators_page_shows_a_mailbox_that_cannot_be_read(app, mailbox_set_up, signed_in, get_page):
    imap = mailbox_set_up
    imap.deliver(message("new_concern_with_pdf"))
    app.config["MAIL_IN_PASSWORD"] = "wrong"
    jobs.tick()
    client = signed_in("administrator")
    page = get_page(client, "/staff/admin/background-work")
    section = page.split('id="mailbox-summary"')[1].split("</dl>")[0]
    assert f"INBOX at {imap.host}, read every minute" in section
    assert "Could not be read" in section and "refused the sign-in" in section
    assert "Nothing is lost while the mailbox cannot be read" in page
    app.config["MAIL_IN_PASSWORD"] = imap.password
    jobs.tick()
    section = get_page(client, "/staff/admin/background-work").split('id="mailbox-summary"')[1].split("</dl>")[0]
    assert "Could not be read" not in section and "1 read (1 new record)" in section


def test_the_administrators_page_says_when_no_mailbox_is_set_up(signed_in, get_page):
    page = get_page(signed_in("administrator"), "/staff/admin/background-work")
    assert "Not set up (MAIL_IN_HOST)" in page


def test_a_password_goes_in_clear_only_to_this_machine_itself():
    from portal.services.mail_in.reader import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("imap.example.org") and not is_loopback("10.0.0.5") and not is_loopback(None)


def test_a_message_the_portal_fails_on_is_kept_as_it_came_and_the_others_are_taken(app, mailbox_set_up, monkeypatch):
    """A fault in the portal itself (here, taking one particular message raises): that
    message alone is undone and kept for staff, moved to Failed; the rest of its batch is
    taken and moved to Processed."""
    from portal.services.mail_in import receive

    imap = mailbox_set_up
    real_take = receive.take

    def failing_on_the_out_of_office(raw, *args, **kwargs):
        if b"ooo-1@" in raw:
            real_take(raw, *args, **kwargs)  # half done when it fails: all of it is undone
            raise RuntimeError("a fault in the portal")
        return real_take(raw, *args, **kwargs)

    monkeypatch.setattr(receive, "take", failing_on_the_out_of_office)
    for name in ("new_concern_with_pdf", "out_of_office", "windows_1252_html_only"):
        imap.deliver(message(name))
    jobs.tick()
    assert _kinds() == ["new_record", "unreadable", "new_record"]
    kept = db.session.scalars(select(MailInMessage).where(MailInMessage.kind == "unreadable")).one()
    assert kept.reason.startswith("The portal could not read it (RuntimeError: a fault in the portal)")
    assert len(db.session.scalars(select(Feedback)).all()) == 2
    assert imap.messages("Failed") == [_crlf(message("out_of_office"))]
    assert len(imap.messages("Processed")) == 2
    assert _mail_in_run().summary == "2 read (2 new records), 1 could not be read"


def test_one_worker_at_a_time_reads_the_mailbox(app, mailbox_set_up):
    """Another worker's fresh claim (started, not finished) keeps this one out; a claim
    older than ten minutes (a worker stopped mid-read) is taken over."""
    from datetime import timedelta

    from portal.services.common.dates import now_utc

    imap = mailbox_set_up
    imap.deliver(message("new_concern_with_pdf"))
    db.session.add(JobRun(job="mail_in", run_for="each tick", started_at=now_utc() - timedelta(minutes=1)))
    db.session.commit()
    assert "mail_in" not in jobs.tick()
    assert _kinds() == [] and len(imap.messages("INBOX")) == 1
    run = _mail_in_run()
    run.started_at = now_utc() - timedelta(minutes=11)
    db.session.commit()
    assert "mail_in" in jobs.tick()
    assert _kinds() == ["new_record"]


def test_a_message_another_reader_took_meanwhile_counts_as_taken(app):
    """Two readers fetched the same message; the other committed it first, so this
    reader's row breaks the unique sha256: it is counted as taken and moved on, not failed."""
    from portal.services.mail_in import reader, receive

    settings = receive.InSettings.from_app()
    theirs = reader.ReadSummary()
    reader.take_batch([("IMAP INBOX", message("new_concern_with_pdf"))], settings, theirs)
    ours = reader.ReadSummary()
    real_lookup = receive.take

    def not_seeing_theirs(raw, source, settings, now=None):
        # As if our look-up ran before their commit: we go on to insert it again.
        row = receive._row(receive.parsing.parse(raw), source, settings, now or receive.now_utc())
        row.kind = "new_record"
        db.session.add(row)
        db.session.flush()

    receive.take = not_seeing_theirs
    try:
        wheres = reader.take_batch([("IMAP INBOX", message("new_concern_with_pdf"))], settings, ours)
    finally:
        receive.take = real_lookup
    assert wheres == ["processed"] and (ours.already, ours.failed) == (1, 0)
    assert _kinds() == ["new_record"]


def test_the_summary_says_in_words_where_the_messages_went():
    """The command prints it and the administrator's page shows it: no codes like "auto_reply"."""
    from collections import Counter

    from portal.services.mail_in.reader import ReadSummary

    assert ReadSummary().words() == "0 read"
    assert ReadSummary(read=1, kinds=Counter(loop=1)).words() == "1 read (1 sent by the portal itself)"
    summary = ReadSummary(read=4, already=2, kinds=Counter(auto_reply=2, case=1, unknown_sender=1))
    assert summary.words() == ("4 read (1 added to its case, 1 naming a case from an address it does not know, "
                               "2 automatic replies or out of office), 2 already taken")
