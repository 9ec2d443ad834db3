"""Benchmark: reading the team's mailbox (issue 19).

Target: reading 1,000 messages from the IMAP server into cases and threads takes under
60 s on this machine, in bounded memory.

A real Dovecot (the tests' throwaway one, tests/imap) on loopback holds 1,000 messages of
the kinds a team's mailbox gets: 400 new concerns (one in four with a 100 KB PDF), 400
replies to our acknowledgements (In-Reply-To naming the Message-ID we sent, each on one of
200 cases, half with a PDF), 100 out-of-office replies, 50 plus-addressed replies and 50
bounces of our own mail. The portal reads them as the worker does
(``reader.read_mailbox``: each message taken, committed, moved to Processed). The
baseline, in the same run, is fetching the same 1,000 messages from the same server with
the same client and doing nothing with them.

Memory: a second mailbox of 1,000 messages (new Message-IDs, so nothing is "already
taken") is read under tracemalloc, which notes the memory Python holds after each
message; bounded means the figure after the 1,000th is no higher than after the 100th
plus a margin, whatever the count.

    .venv/bin/python bench/mail_in.py                  # SQLite
    .venv/bin/python bench/mail_in.py --database postgresql://postgres@127.0.0.1/portal_bench_mail_in
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import resource
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # so that "public" is our blueprint package (docs/development.md)
os.environ.setdefault("PORTAL_ENV", "test")

COUNT = int(os.environ.get("BENCH_MAIL_IN_COUNT", "1000"))
CASES = 200


def _pdf(size: int) -> str:
    from tests.files_made import pdf_of_size

    return base64.encodebytes(pdf_of_size(size)).decode()


def _message(n: int, kind: str, run: str, pdf: str) -> bytes:
    mid = f"<bench-{run}-{n}@example.net>"
    head = f"Message-ID: {mid}\r\nDate: Wed, 18 Oct 2034 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
    case = n % CASES + 1
    attach = ""
    if kind == "new":
        head += f"From: Parent {n} <parent{n}@example.net>\r\nTo: feedback@example.org\r\nSubject: About my child {n}\r\n"
        body = f"Hello,\r\n\r\nThe transport for my child has not come again (message {n}).\r\n"
        attach = pdf if n % 4 == 0 else ""
    elif kind == "reply":
        head += (f"From: Person {case} <person{case}@example.org>\r\nTo: feedback@example.org\r\n"
                 f"Subject: Re: We have received your complaint - reference CF-2034-{case:05d}\r\n"
                 f"In-Reply-To: <ack-{case}@example.org>\r\nReferences: <ack-{case}@example.org>\r\n")
        body = (f"Thank you. More details below ({n}).\r\n\r\nOn 17 Oct 2034, Team wrote:\r\n"
                f"> Your reference number is CF-2034-{case:05d}.\r\n")
        attach = pdf if n % 2 == 0 else ""
    elif kind == "ooo":
        head += (f"From: Worker {n} <worker{n}@school.example>\r\nTo: feedback@example.org\r\n"
                 f"Subject: Automatic reply: reference CF-2034-{case:05d}\r\nAuto-Submitted: auto-replied\r\n")
        body = "I am out of the office until Monday.\r\n"
    elif kind == "plus":
        head += (f"From: Person {case} <person{case}@example.org>\r\nTo: feedback+CF-2034-{case:05d}@example.org\r\n"
                 "Subject: my answer\r\n")
        body = "Thursday is fine.\r\n"
    else:  # bounce
        head += ("From: MAILER-DAEMON@mx.example.org\r\nTo: feedback@example.org\r\n"
                 "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
                 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n")
        return (head + "--dsn\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
                "--dsn\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
                f"Final-Recipient: rfc822; person{case}@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
                f"--dsn\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ack-{case}@example.org>\r\n\r\n"
                "--dsn--\r\n").encode()
    if not attach:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
    return (head + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "--b\r\nContent-Type: application/pdf\r\n"
            f"Content-Disposition: attachment; filename=\"letter {n}.pdf\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + attach.replace("\n", "\r\n") + "--b--\r\n").encode()


KINDS = ["new"] * 40 + ["reply"] * 40 + ["ooo"] * 10 + ["plus"] * 5 + ["bounce"] * 5


def deliver(server, run: str, pdf: str) -> int:
    size = 0
    with server.client() as client:
        for n in range(COUNT):
            raw = _message(n, KINDS[n % 100], run, pdf)
            size += len(raw)
            client.append("INBOX", raw)
    return size


def fetch_only(settings) -> float:
    """The baseline: the same messages fetched as the reader fetches them, nothing done."""
    from portal.services.mail_in import reader

    started = time.perf_counter()
    client = reader._connect(settings)
    try:
        client.select_folder(settings.folder, readonly=True)
        uids = sorted(client.search("ALL"))
        for start in range(0, len(uids), reader.FETCH_AT_ONCE):
            fetched = client.fetch(uids[start:start + reader.FETCH_AT_ONCE], ["BODY.PEEK[]"])
            assert all(b"BODY[]" in item for item in fetched.values())
            del fetched
    finally:
        reader._close(client)
    return time.perf_counter() - started


def make_cases(app) -> None:
    from datetime import datetime, timezone

    from portal.extensions import db
    from portal.models import Feedback, OutboxMessage, Person

    sent = datetime(2034, 10, 17, 19, tzinfo=timezone.utc)
    for case in range(1, CASES + 1):
        record = Feedback(reference=f"CF-2034-{case:05d}", kind="initial_contact", status="open",
                          received_on=sent.date(), channel="web", submitter_role="parent_or_carer",
                          summary=f"Case {case}", outcome="open",
                          person=Person(name=f"Person {case}", email=f"person{case}@example.org"))
        db.session.add(record)
        db.session.add(OutboxMessage(to_address=f"person{case}@example.org", subject="We have received it",
                                     body="...", purpose="acknowledgement", feedback=record,
                                     message_id=f"<ack-{case}@example.org>", sent_at=sent, attempts=1))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a PostgreSQL URL (emptied); default a new SQLite file")
    parser.add_argument("--no-memory", action="store_true", help="leave out the tracemalloc round")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import MailInMessage
    from portal.services.mail_in import reader
    from portal.services.mail_in.receive import InSettings
    from tests.imap import start_dovecot

    random.seed(19)
    tmp = Path(tempfile.mkdtemp(prefix="bench-mail-in-"))
    database = args.database or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if database.startswith("postgresql://"):
        database = "postgresql+psycopg://" + database[len("postgresql://"):]
    server = start_dovecot()
    try:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": secrets.token_urlsafe(32),
            "RATELIMIT_ENABLED": False, "MAIL_SERVER": None, "TASK_QUEUE_URL": "memory://",
            "FILE_STORAGE_URL": f"file://{tmp / 'files'}", "CLAMD_SOCKET": None, "CLAMD_HOST": None,
            "BASE_URL": "http://127.0.0.1", "MAIL_FROM": "noreply@example.org", "ORG_EMAIL": "feedback@example.org",
            "MAIL_IN_BATCH": COUNT, **server.config(),
        })
        with app.app_context():
            if database.startswith("postgresql"):
                db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
            upgrade()
            make_cases(app)
            pdf = _pdf(100 * 1024)
            size = deliver(server, "a", pdf)
            settings = reader.MailboxSettings.from_config(app.config)
            baseline = fetch_only(settings)
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            summary = reader.read_mailbox(settings, InSettings.from_app())
            elapsed = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            kinds = dict(db.session.execute(select(MailInMessage.kind, func.count()).group_by(MailInMessage.kind)).all())
            print(f"database: {'PostgreSQL' if database.startswith('postgresql') else 'SQLite'}; "
                  f"{COUNT} messages, {size / 1024 / 1024:.1f} MB in all, on Dovecot over loopback")
            print(f"baseline, fetching them only:        {baseline:6.1f} s")
            print(f"reading them into cases and threads: {elapsed:6.1f} s  ({elapsed / COUNT * 1000:.0f} ms a message; "
                  f"target under 60 s)")
            print(f"  {summary.words()}")
            print(f"  by kind: {kinds}")
            print(f"  Processed folder: {len(server.messages('Processed'))}, INBOX left: {len(server.messages('INBOX'))}")
            print(f"peak resident memory: {rss_before / 1024:.0f} MB before the read, {rss_after / 1024:.0f} MB after")
            if not args.no_memory:
                deliver(server, "b", pdf)
                marks: list[int] = []
                take_one = reader.take_one

                def noting(*a, **kw):
                    where = take_one(*a, **kw)
                    marks.append(tracemalloc.get_traced_memory()[0])
                    return where

                reader.take_one = noting
                tracemalloc.start()
                reader.read_mailbox(settings, InSettings.from_app())
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                reader.take_one = take_one
                print("memory Python holds after message 100, 500 and 1,000 of a second mailbox (tracemalloc): "
                      + ", ".join(f"{marks[i - 1] / 1024 / 1024:.1f} MB" for i in (100, 500, 1000))
                      + f"; peak {peak / 1024 / 1024:.1f} MB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
