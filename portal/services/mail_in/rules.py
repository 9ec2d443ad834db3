"""What is not a case (issue 19, 3): auto-replies and out-of-office messages, bounces of
our own mail, mail from the portal itself, spam the mail server has marked, and messages
the portal cannot read properly. Each goes to the list staff review, never into the inbox
as a case, and the portal never answers any of them (nor anything else: it never
auto-replies).

The order matters: a bounce is itself an automatic message (it says ``Auto-Submitted``),
and must be recognised as the bounce it is, so that our failed message is marked failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.services.common.labels import MailInKind
from portal.services.mail_in.parse import Parsed

# Every message the outbox sends carries this header with its Message-ID: one that comes
# back (our own notice to the team's address, a forwarding rule) is a loop, not a case.
MARKER = "X-Feedback-Portal"
_DAEMONS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(r"(undeliver|delivery (status )?(notification|failure|has failed)|returned mail|"
                             r"failure notice|could not be delivered|mail delivery failed)", re.IGNORECASE)
_AUTO_SUBJECT = re.compile(r"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|"
                           r"auto:|away from (the )?office|on holiday|on annual leave)", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    kind: MailInKind
    reason: str


def not_a_case(parsed: Parsed, portal_addresses: set[str]) -> Verdict | None:
    """Why this message is not one for a case, or None when it may be."""
    if is_bounce(parsed):
        return Verdict(MailInKind.BOUNCE, "A report that an email could not be delivered")
    if parsed.header(MARKER) or (parsed.from_address and parsed.from_address in portal_addresses):
        return Verdict(MailInKind.LOOP, "Sent by the portal itself")
    auto = auto_reply(parsed)
    if auto:
        return Verdict(MailInKind.AUTO_REPLY, auto)
    spam = marked_as_spam(parsed)
    if spam:
        return Verdict(MailInKind.SPAM, spam)
    if parsed.serious_defects:
        return Verdict(MailInKind.UNREADABLE, "The portal could not read all of it: its parts are broken ("
                       + ", ".join(parsed.serious_defects) + "). The original is kept as it came")
    if not parsed.from_address:
        return Verdict(MailInKind.UNREADABLE, "It does not say who sent it")
    return None


def is_bounce(parsed: Parsed) -> bool:
    if parsed.bounce is not None and "delivery-status" in parsed.header("Content-Type").lower():
        return True
    return bool(parsed.from_address and _DAEMONS.match(parsed.from_address)
                and _BOUNCE_SUBJECT.search(parsed.subject))


def auto_reply(parsed: Parsed) -> str | None:
    """RFC 3834's Auto-Submitted (anything but "no"), the headers auto-responders add
    (X-Autoreply, X-Autorespond), Precedence bulk, junk or auto_reply, or an out-of-office
    subject."""
    submitted = parsed.header("Auto-Submitted").strip().lower()
    if submitted and not submitted.startswith("no"):
        return f"An automatic message (Auto-Submitted: {submitted})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponse", "X-Autoreply-From"):
        if parsed.header(name):
            return f"An automatic reply ({name})"
    precedence = parsed.header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply", "list"):
        return f"An automatic or bulk message (Precedence: {precedence})"
    if _AUTO_SUBJECT.search(parsed.subject):
        return "An out-of-office or automatic reply (its subject says so)"
    return None


def marked_as_spam(parsed: Parsed) -> str | None:
    """The mail server's own verdict: SpamAssassin's X-Spam-Flag or X-Spam-Status, or
    Microsoft 365's spam confidence level (5 or more) or its SFV:SPM verdict."""
    if parsed.header("X-Spam-Flag").strip().lower() == "yes" or parsed.header(
            "X-Spam-Status").strip().lower().startswith("yes") or parsed.header("X-Spam").strip().lower() == "yes":
        return "The mail server marked it as spam"
    scl = parsed.header("X-MS-Exchange-Organization-SCL").strip()
    if scl.lstrip("-").isdigit() and int(scl) >= 5:
        return f"The mail server marked it as spam (spam confidence level {scl})"
    if "SFV:SPM" in parsed.header("X-Forefront-Antispam-Report").upper():
        return "The mail server marked it as spam"
    return None
