"""The hand-written messages of tests/mail_in/messages/, and the one too big to write by
hand (a 20 MB attachment), built the same way."""

from __future__ import annotations

import base64
from pathlib import Path

FOLDER = Path(__file__).with_name("messages")


def message(name: str) -> bytes:
    return (FOLDER / f"{name}.eml").read_bytes()


def with_reference(name: str, reference: str, placeholder: str) -> bytes:
    """A message with the reference of a case the test made in place of the one written in it."""
    return message(name).replace(placeholder.encode(), reference.encode())


def with_big_attachment(size: int = 20 * 1024 * 1024) -> bytes:
    """A new concern with a PDF of ``size`` bytes attached (base64, lines of 76)."""
    from tests.files_made import pdf_of_size

    encoded = base64.encodebytes(pdf_of_size(size))
    return (b"From: Pat Grandparent <pat@example.net>\r\nTo: feedback@example.org\r\n"
            b"Subject: The report I promised\r\nDate: Wed, 18 Oct 2034 08:00:00 +0100\r\n"
            b"Message-ID: <big-1@example.net>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n"
            b"--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Here is the scanned report. It is a large file.\r\n"
            b"--big\r\nContent-Type: application/pdf\r\n"
            b"Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded.replace(b"\n", b"\r\n") + b"--big--\r\n")
