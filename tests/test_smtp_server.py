"""The tests' SMTP server runs in a process of its own (tests/smtp), so that the test
process never imports aiosmtpd and the name ``public`` stays our blueprint's package,
whatever atpublic (which aiosmtpd needs under that name) is installed."""

from __future__ import annotations

import smtplib
import sys
from pathlib import Path

from tests.smtp import start_smtp

REPOSITORY = Path(__file__).resolve().parent.parent


def test_public_is_our_blueprint_and_aiosmtpd_stays_out_of_this_process(smtp_server):
    import public

    assert Path(public.__file__).resolve().parent == REPOSITORY / "public"
    assert "aiosmtpd" not in sys.modules


def test_the_server_keeps_what_it_receives_in_order_and_forgets_it_when_cleared():
    server = start_smtp()
    try:
        with smtplib.SMTP(server.host, server.port) as smtp:
            for to in ("a@example.org", "b@example.org"):
                smtp.sendmail("portal@example.org", [to], f"To: {to}\r\nSubject: For {to}\r\n\r\nHello")
        assert [m["Subject"] for m in server.inbox.wait_for(2)] == ["For a@example.org", "For b@example.org"]
        assert [m["To"] for m in server.inbox.to("b@example.org")] == ["b@example.org"]
        server.inbox.clear()
        assert server.inbox.messages == []
    finally:
        server.stop()
    assert server.process.returncode == 0  # it stopped when told, not killed


def test_a_refusing_server_refuses_for_good_or_for_now():
    server = start_smtp(refusing=True)
    try:
        with smtplib.SMTP(server.host, server.port) as smtp:
            refused = smtp.sendmail("portal@example.org", ["refused@example.org", "busy@example.org",
                                                           "fine@example.org"], "Subject: Hi\r\n\r\nHello")
        assert {to: code for to, (code, _) in refused.items()} == {"refused@example.org": 550,
                                                                   "busy@example.org": 451}
        assert len(server.inbox.wait_for(1)) == 1
    finally:
        server.stop()
