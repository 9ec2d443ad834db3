"""One email as the portal reads it, with Python's ``email`` package (``policy.default``).

Nothing here trusts the message: every header is read through ``_header``, which gives
"" for one that cannot be read, so that a malformed message is still read as far as it
can be, and what was wrong with it (``defects``) is kept for staff. The body is the plain
text part, or the HTML part shown as text (``html_text``); its quoted earlier messages are
folded away (``quotes``); attachments are every part that is not the body. A delivery
report (a bounce) also gives the Message-IDs of the message that failed and what the mail
server said.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from portal.services.mail_in import html_text, quotes

# What makes a message one the portal cannot read properly: no body it can find, parts
# whose boundaries are broken. Minor defects (a header folded oddly) are only noted.
SERIOUS_DEFECTS = {"StartBoundaryNotFoundDefect", "NoBoundaryInMultipartDefect", "CloseBoundaryNotFoundDefect",
                   "MultipartInvariantViolationDefect", "MissingHeaderBodySeparatorDefect"}
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
TEXT_MAX = 100_000  # the most of an email's words kept as text (the .eml keeps everything)


@dataclass
class Attachment:
    filename: str | None
    content_type: str
    data: bytes


@dataclass
class Bounce:
    """What a delivery report says: the Message-IDs of our message that failed, and why."""

    message_ids: list[str]
    recipients: list[str]
    diagnostic: str


@dataclass
class Parsed:
    raw: bytes
    sha256: str
    message: EmailMessage
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    from_address: str | None
    from_name: str | None
    recipients: list[str]  # To, Cc and the delivery headers (Delivered-To, X-Original-To)
    subject: str
    sent_at: datetime | None
    text: str  # its own words
    quoted: str | None
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    bounce: Bounce | None = None
    html_only: bool = False
    raw_headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        """A header's value as written, unfolded ("" if absent): for the rules, which
        read codes (Auto-Submitted, X-Spam-Flag), never words to show."""
        return self.raw_headers.get(name.lower(), "")

    @property
    def serious_defects(self) -> list[str]:
        return [d for d in self.defects if d in SERIOUS_DEFECTS]

    @property
    def thread_ids(self) -> list[str]:
        """The Message-IDs it answers (In-Reply-To first, then References, newest first)."""
        seen: list[str] = []
        for mid in self.in_reply_to + list(reversed(self.references)):
            if mid not in seen:
                seen.append(mid)
        return seen


def parse(raw: bytes) -> Parsed:
    message = message_from_bytes(raw, policy=policy.default)
    defects = _defects(message)
    name, address = _from(message)
    try:
        body_part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a structure get_body cannot walk
        body_part = None
    body, html_only = _body(message, body_part)
    own, quoted = quotes.fold(body)
    return Parsed(
        raw=raw, sha256=hashlib.sha256(raw).hexdigest(), message=message,
        message_id=(_ids(_header(message, "Message-ID")) or [None])[0],
        in_reply_to=_ids(_header(message, "In-Reply-To")), references=_ids(_header(message, "References")),
        from_address=address, from_name=name, recipients=_recipients(message),
        subject=" ".join(_header(message, "Subject").split())[:300], sent_at=_date(message),
        text=own[:TEXT_MAX], quoted=quoted[:TEXT_MAX] if quoted else None,
        attachments=_attachments(message, body_part), defects=defects, bounce=_bounce(message),
        html_only=html_only, raw_headers=_raw_headers(message),
    )


def _raw_headers(message) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        key = str(name).lower()
        if key not in found:
            found[key] = " ".join(str(value).split())
    return found


def _header(message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header that cannot be read is as good as none
        return ""
    try:
        return str(value) if value is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def _ids(value: str) -> list[str]:
    return [mid.lower() for mid in _MESSAGE_ID.findall(value or "")]


def _from(message) -> tuple[str | None, str | None]:
    name, address = parseaddr(_header(message, "From"))
    address = address.strip().lower() or None
    if address and ("@" not in address or len(address) > 254):
        address = None
    return (" ".join(name.split())[:200] or None), address


def _recipients(message) -> list[str]:
    values = [_header(message, h) for h in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")]
    found = []
    for _name, address in getaddresses([v for v in values if v]):
        address = address.strip().lower()
        if "@" in address and address not in found:
            found.append(address)
    return found


def _date(message) -> datetime | None:
    try:
        when = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def _defects(message) -> list[str]:
    found = []
    for part in message.walk():
        for defect in getattr(part, "defects", []):
            name = type(defect).__name__
            if name not in found:
                found.append(name)
    return found


def _content(part) -> str:
    """A text part's words, whatever its charset claims: an unknown or wrong charset is
    read as Windows-1252 (what most such mail really is), never refused."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, KeyError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")


def _body(message, part) -> tuple[str, bool]:
    """The message's words as text (``part``: its body part, if it has one), and whether
    they came from HTML only."""
    if part is None:
        if message.get_content_maintype() == "multipart":
            # A broken multipart: what it holds, read as text, so nothing is hidden.
            payload = message.get_payload()
            if isinstance(payload, str):
                return payload.strip(), False
            return "", False
        if message.get_content_maintype() == "text":
            part = message
        else:
            return "", False
    text = _content(part)
    if part.get_content_subtype() == "html":
        return html_text.to_text(text), True
    return text.replace("\r\n", "\n").strip(), False


def _attachments(message, body) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part is body or part.is_multipart() or part.get_content_maintype() == "multipart":
            continue
        maintype = part.get_content_maintype()
        disposition = part.get_content_disposition()
        if maintype == "text" and disposition != "attachment":
            continue  # the other half of a plain/HTML pair, or a report's text
        if part.get_content_type() in ("message/delivery-status", "text/rfc822-headers",
                                       "message/disposition-notification"):
            continue
        if maintype == "message":
            continue  # a message inside a message (a bounce's copy of ours): in the .eml
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            data = b""
        if not data:
            continue
        try:
            filename = part.get_filename()
        except Exception:  # noqa: BLE001
            filename = None
        found.append(Attachment(filename, part.get_content_type(), data))
    return found


def _bounce(message) -> Bounce | None:
    """A delivery status report (RFC 3464), or a plainer bounce with the failed message's
    headers quoted in it."""
    if message.get_content_type() != "multipart/report":
        return None
    ids: list[str] = []
    recipients: list[str] = []
    diagnostic = ""
    for part in message.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in part.get_payload() or []:
                for key in ("Final-Recipient", "Original-Recipient"):
                    value = _header(block, key)
                    if value:
                        address = value.split(";", 1)[-1].strip().lower()
                        if address and address not in recipients:
                            recipients.append(address)
                code = _header(block, "Diagnostic-Code") or _header(block, "Status")
                if code and not diagnostic:
                    diagnostic = " ".join(code.split(";", 1)[-1].split())[:500]
        elif ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if hasattr(inner, "get"):
                ids += _ids(_header(inner, "Message-ID"))
        elif ctype == "text/rfc822-headers":
            found = re.search(r"^Message-ID:\s*(.+)$", _content(part), re.IGNORECASE | re.MULTILINE)
            if found:
                ids += _ids(found[1])
    return Bounce(ids, recipients, diagnostic)
