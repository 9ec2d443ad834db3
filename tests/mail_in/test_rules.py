"""What is not a case (portal.services.mail_in.rules)."""

from __future__ import annotations

import pytest

from portal.services.common.labels import MailInKind
from portal.services.mail_in.parse import parse
from portal.services.mail_in.rules import not_a_case
from tests.mail_in.messages import message

OURS = {"noreply@example.org"}


def _headers(*lines: str, subject: str = "About my complaint", sender: str = "sam@example.net") -> bytes:
    return ("\r\n".join((f"From: {sender}", "To: feedback@example.org", f"Subject: {subject}", *lines))
            + "\r\n\r\nSome words.\r\n").encode()


@pytest.mark.parametrize("name, kind", [
    ("out_of_office", MailInKind.AUTO_REPLY),
    ("bounce_of_our_message", MailInKind.BOUNCE),  # an Auto-Submitted report, known as the bounce it is
    ("malformed", MailInKind.UNREADABLE),
])
def test_the_messages_that_are_not_cases(name, kind):
    assert not_a_case(parse(message(name)), OURS).kind is kind


@pytest.mark.parametrize("name", ["new_concern_with_pdf", "reply_quoting_acknowledgement",
                                  "plus_addressed_reply", "windows_1252_html_only"])
def test_the_messages_that_may_be_cases(name):
    assert not_a_case(parse(message(name)), OURS) is None


@pytest.mark.parametrize("raw", [
    _headers("X-Autoreply: yes"),
    _headers("X-Autorespond: on holiday"),
    _headers("Precedence: bulk"),
    _headers(subject="Out of Office: back on Monday"),
    _headers("Auto-Submitted: auto-generated"),
])
def test_auto_replies_by_any_of_their_signs(raw):
    assert not_a_case(parse(raw), OURS).kind is MailInKind.AUTO_REPLY


def test_auto_submitted_no_is_a_person_writing():
    assert not_a_case(parse(_headers("Auto-Submitted: no")), OURS) is None


@pytest.mark.parametrize("raw", [
    _headers("X-Spam-Flag: YES"),
    _headers("X-Spam-Status: Yes, score=9.1 required=5.0"),
    _headers("X-MS-Exchange-Organization-SCL: 6"),
    _headers("X-Forefront-Antispam-Report: CIP:1.2.3.4;SFV:SPM;"),
])
def test_spam_the_mail_server_marked(raw):
    assert not_a_case(parse(raw), OURS).kind is MailInKind.SPAM


def test_a_low_spam_score_is_not_spam():
    assert not_a_case(parse(_headers("X-MS-Exchange-Organization-SCL: 1", "X-Spam-Status: No, score=0.2")),
                      OURS) is None


def test_mail_from_the_portal_itself_is_a_loop():
    assert not_a_case(parse(_headers("X-Feedback-Portal: <abc@example.org>")), OURS).kind is MailInKind.LOOP
    assert not_a_case(parse(_headers(sender="NoReply@example.org")), OURS).kind is MailInKind.LOOP


def test_a_message_without_a_sender_is_for_staff_to_look_at():
    raw = b"To: feedback@example.org\r\nSubject: hello\r\n\r\nwords\r\n"
    assert not_a_case(parse(raw), OURS).kind is MailInKind.UNREADABLE
