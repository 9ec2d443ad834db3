"""Quoted replies folded: a reply's own words apart from the earlier messages it quotes.

A reply usually carries everything before it: our acknowledgement under "On 18 Oct 2034,
... wrote:", Outlook's "From: ... Sent: ..." block or "-----Original Message-----", or
lines starting ">". The case's thread shows the reply's own words, with the quoted part
folded away under them (never lost: the original is in the case file too). A ">" block is
folded only when nothing but quotes follows it, so that answers written between quoted
lines stay in view.
"""

from __future__ import annotations

import re

_WROTE = re.compile(r"^\s*(On\b.{0,200}\bwrote:|.{0,200}\b(wrote|writes):)\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(Original Message|Forwarded message)\s*-{2,}\s*$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*\**From:\**\s+\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\**(Sent|Date):\**\s+\S", re.IGNORECASE)


def fold(text: str) -> tuple[str, str | None]:
    """(its own words, the quoted part or None)."""
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if _WROTE.match(line) or _ORIGINAL.match(line) or (
                _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(n) for n in lines[i + 1:i + 4])):
            return _split(lines, i)
        if line.lstrip().startswith(">") and all(
                not rest.strip() or rest.lstrip().startswith(">") for rest in lines[i:]):
            return _split(lines, i)
    return text.strip(), None


def _split(lines: list[str], at: int) -> tuple[str, str | None]:
    own = "\n".join(lines[:at]).strip()
    quoted = "\n".join(lines[at:]).strip()
    return own, quoted or None
