"""A real SMTP server (aiosmtpd) on loopback for the tests, in a process of its own.

Started by tests/smtp/__init__.py as ``python -I tests/smtp/server.py --port N --folder DIR``
from DIR, so that neither the repository nor its working directory is on sys.path:
aiosmtpd does ``from public import public`` (the atpublic package) as it is imported,
and the repository's public blueprint has the same name. The tests speak to it over
loopback as the portal does.

It writes each message it accepts to DIR as NNNNNN.eml (written whole, then renamed,
so a reader never sees half of one) and each login to DIR/logins as "user<TAB>yes|no",
yes when the connection was encrypted. It says "ready" on stdout once it listens and
stops when its stdin closes (the test is done with it, or has died).
"""

import argparse
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, folder: str, refusing: bool):
        self.folder = folder
        self.refusing = refusing
        self.received = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # --refusing: one address refused for good (550), another busy for now (451).
        if self.refusing and address.startswith("refused@"):
            return "550 5.1.1 No such mailbox"
        if self.refusing and address.startswith("busy@"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        path = os.path.join(self.folder, f"{self.received:06d}.eml")
        with open(path + ".part", "wb") as file:
            file.write(envelope.original_content or envelope.content)
        os.replace(path + ".part", path)
        return "250 Message accepted for delivery"


def authenticator(folder: str):
    def check(server, session, envelope, mechanism, auth_data):
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        with open(os.path.join(folder, "logins"), "a") as file:
            file.write(f"{auth_data.login.decode()}\t{'yes' if encrypted else 'no'}\n")
        return AuthResult(success=True)

    return check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--certificate", nargs=2, metavar=("CERT", "KEY"), help="offer STARTTLS with these")
    parser.add_argument("--implicit-tls", action="store_true", help="speak TLS from the start instead")
    parser.add_argument("--auth", action="store_true", help="offer AUTH, with or without TLS, and log logins")
    parser.add_argument("--refusing", action="store_true")
    options = parser.parse_args()

    extra = {}
    if options.auth:
        extra.update(authenticator=authenticator(options.folder), auth_require_tls=False)
    if options.certificate:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*options.certificate)
        extra["ssl_context" if options.implicit_tls else "tls_context"] = context
    controller = Controller(Handler(options.folder, options.refusing), hostname="127.0.0.1", port=options.port,
                            server_hostname="127.0.0.1", **extra)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
