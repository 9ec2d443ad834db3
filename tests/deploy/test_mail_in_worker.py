"""Issue 19, "Done when": a reply to the acknowledgement email of a case, sent to the test
mailbox, appears on that case's correspondence with its attachment within two minutes,
with no command run by hand. Real processes throughout: the public form through the app,
the worker (``flask --app wsgi worker``) sending the acknowledgement to a real SMTP server
(aiosmtpd) and reading the mailbox on a real IMAP server (Dovecot) every tick."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from portal import tasks
from portal.extensions import db
from portal.models import Document, Feedback, MailInMessage
from portal.services.files.documents import FileSettings
from portal.services.mail_in import thread
from tests.deploy.worker_process import UNDER_LIBFAKETIME, WorkerProcess, wait_until, worker_env
from tests.files_made import pdf
from tests.public.helpers import COMPLAINT, reference_in, send
from tests.smtp import start_smtp

pytestmark = [pytest.mark.usefixtures("same_clock_as_the_worker"), UNDER_LIBFAKETIME]
from tests.deploy.worker_process import same_clock_as_the_worker  # noqa: E402,F401


@pytest.fixture
def config_overrides(tmp_path) -> dict:
    return {"TASK_QUEUE_URL": f"sqlite:///{tmp_path / 'tasks.sqlite3'}", "MAIL_FROM": "noreply@example.org",
            "ORG_EMAIL": "feedback@example.org"}


@pytest.fixture
def dovecot():
    from tests.imap import dovecot_or_skip

    server = dovecot_or_skip()
    yield server
    server.stop()


def _reply_to(acknowledgement, attachment: bytes) -> bytes:
    reply = EmailMessage()
    reply["From"] = "Alex Example <alex@example.org>"
    reply["To"] = "feedback@example.org"
    reply["Subject"] = "Re: " + acknowledgement["Subject"]
    reply["Message-ID"] = "<alex-reply-1@example.org>"
    reply["In-Reply-To"] = acknowledgement["Message-ID"]
    reply["References"] = acknowledgement["Message-ID"]
    reply.set_content("Here is the letter from the school that I mentioned.\n\nAlex\n\n"
                      "> Thank you for your complaint.\n")
    reply.add_attachment(attachment, maintype="application", subtype="pdf", filename="school letter.pdf")
    return reply.as_bytes()


def test_a_reply_to_the_acknowledgement_joins_its_case_with_its_attachment_and_no_command_run(
        app, client, tmp_path, database_url, dovecot):
    smtp = start_smtp()
    tasks.queue_of(app).flush()
    env = worker_env(database_url, app.config["TASK_QUEUE_URL"], app.config["TASK_QUEUE_NAME"], smtp.port)
    env.update({key: str(value) for key, value in dovecot.config().items()})
    env.update(MAIL_FROM="noreply@example.org", ORG_EMAIL="feedback@example.org",
               FILE_STORAGE_URL=app.config["FILE_STORAGE_URL"])
    worker = WorkerProcess(tmp_path / "worker.log", env)
    try:
        worker.start()
        reference = reference_in(send(client, "complaint", COMPLAINT).get_data(as_text=True))
        [acknowledgement] = [m for m in smtp.inbox.wait_for(1, timeout=60) if m["To"] == "alex@example.org"]
        assert reference in acknowledgement["Subject"]

        attachment = pdf("The school's letter about the social worker")
        dovecot.deliver(_reply_to(acknowledgement, attachment))

        def joined() -> bool:
            db.session.rollback()  # a fresh look, and no lock held while the worker writes
            found = db.session.scalars(select(MailInMessage).where(MailInMessage.kind == "case")).first()
            db.session.rollback()
            return found is not None
        wait_until(joined, 120, "the reply never joined its case:\n" + worker.output())

        record = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
        row = db.session.scalars(select(MailInMessage)).one()
        assert row.feedback_id == record.id
        assert row.text == "Here is the letter from the school that I mentioned.\n\nAlex"
        [document] = db.session.scalars(select(Document).where(
            Document.feedback_id == record.id, Document.kind == "pdf")).all()
        assert document.safe_name == "school letter.pdf" and document.source == "email"
        with FileSettings.from_app().store.open(document.storage_key) as stored:
            assert stored.read() == attachment
        # On the case's one thread: our acknowledgement, then their reply with its PDF.
        entries = thread.thread(record, None)
        assert [e.what for e in entries] == ["Email sent", "Email received"]
        assert entries[0].status == "Sent" and [d.safe_name for d in entries[1].documents][1:] == ["school letter.pdf"]
        [kept] = dovecot.messages("Processed")
        assert message_from_bytes(kept, policy=policy.default)["Message-ID"] == "<alex-reply-1@example.org>"
        assert dovecot.messages("INBOX") == []
    finally:
        worker.stop()
        smtp.stop()
        tasks.queue_of(app).flush()
