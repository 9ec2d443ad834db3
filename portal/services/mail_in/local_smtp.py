"""The SMTP server of ``make run``'s own mail (local_mailbox.py): on 127.0.0.1, no sign-in,
it puts every message it is sent into the local Dovecot by IMAP APPEND. Mail to the team's
address (or a plus-address of it, ``feedback+CF-2026-00012@...``) goes to the team's
mailbox, which the worker reads; mail to anyone else goes to the catch-all mailbox, where a
person reads what the portal sent.

Run as ``python -I local_smtp.py --port N --imap-port M --passwords FILE --team ADDRESS...``.
-I keeps the repository off sys.path: aiosmtpd imports ``public`` (the atpublic package),
and the repository's public blueprint has the same name (tests/smtp/server.py does the
same). So this file uses the standard library and aiosmtpd only, and imports aiosmtpd in
``main`` alone, so that local_mailbox.py can import ``read_passwords`` from it.
"""

from __future__ import annotations

import argparse
import asyncio
import imaplib
import signal
import sys
from pathlib import Path

EVERYONE_ELSE = "everyone-else"


def read_passwords(path: Path) -> dict[str, str]:
    """The users and passwords of Dovecot's passwd-file, lines of ``name:{PLAIN}password``."""
    if not path.exists():
        return {}
    pairs = (line.split(":{PLAIN}", 1) for line in path.read_text().splitlines() if ":{PLAIN}" in line)
    return {name: password for name, password in pairs}


def mailbox_for(address: str, team: list[str]) -> str:
    """Whose mailbox mail to ``address`` goes to: the team's (its first address is the user
    name) for any of the team's addresses, with or without a +tag; everyone else's otherwise."""
    local, _, domain = address.strip().strip("<>").lower().rpartition("@")
    untagged = f"{local.split('+', 1)[0]}@{domain}"
    return team[0] if untagged in team else EVERYONE_ELSE


def append(port: int, user: str, password: str, raw: bytes) -> None:
    """Put ``raw`` in ``user``'s INBOX, as a mail client would."""
    with imaplib.IMAP4("127.0.0.1", port, timeout=30) as imap:
        imap.login(user, password)
        imap.append("INBOX", None, None, raw)


class Delivery:
    def __init__(self, imap_port: int, passwords: dict[str, str], team: list[str]):
        self.imap_port, self.passwords, self.team = imap_port, passwords, team

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        users: dict[str, list[str]] = {}
        for address in envelope.rcpt_tos:
            users.setdefault(mailbox_for(address, self.team), []).append(address)
        try:
            for user in users:
                await asyncio.to_thread(append, self.imap_port, user, self.passwords[user], raw)
        except (OSError, imaplib.IMAP4.error) as exc:
            # A temporary failure: the portal's outbox tries again later.
            return f"451 4.3.0 The local mailbox did not take it: {exc}"
        for user, addresses in users.items():
            print(f"local mail: a message for {', '.join(addresses)} went to the mailbox {user}", flush=True)
        return "250 OK: delivered"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--imap-port", type=int, required=True)
    parser.add_argument("--passwords", type=Path, required=True, help="Dovecot's passwd-file")
    parser.add_argument("--team", nargs="+", required=True, help="the team's addresses; the first is its user name")
    options = parser.parse_args()

    from aiosmtpd.controller import Controller

    team = [address.lower() for address in options.team]
    handler = Delivery(options.imap_port, read_passwords(options.passwords), team)
    controller = Controller(handler, hostname="127.0.0.1", port=options.port, server_hostname="127.0.0.1")
    controller.start()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops it as Ctrl+C does
    try:
        while True:
            signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
