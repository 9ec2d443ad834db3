"""Placeholders: the places in a letter or email template, marked with square brackets,
where staff write their own words (``[Explain what we found, and what we will do.]``).

Issue 13: a Stage 1 response went out with its placeholders still in it. Whatever the
portal sends or records as sent that staff have written from a template (a stage's
response, by email or by post) is refused while it still holds one; the refusal names
each placeholder, so staff can find it. Any text in square brackets counts: the
templates mark nothing else that way, and a letter to the public has no other use for
them.
"""

from __future__ import annotations

import re

# Square brackets around words on one line: "[date]", "[Your name]", "[Say who ...]".
PATTERN = re.compile(r"\[[^\[\]\n]*[^\W\d_][^\[\]\n]*\]")


def placeholders(text: str | None) -> list[str]:
    """Each placeholder left in ``text``, once, in the order they first appear."""
    return list(dict.fromkeys(match.group(0) for match in PATTERN.finditer(text or "")))


def problem(text: str | None) -> str | None:
    """The message for the error summary naming each placeholder left in ``text`` (and
    how often, when more than once); None when there is none and it can go."""
    found = PATTERN.findall(text or "")
    named = [f"\u2018{p}\u2019" + (f" ({found.count(p)} times)" if found.count(p) > 1 else "")
             for p in placeholders(text)]
    if not named:
        return None
    if len(named) == 1:
        return f"Replace {named[0]} with your own words"
    return (f"Replace each part in square brackets with your own words: {', '.join(named[:-1])} "
            f"and {named[-1]}")
