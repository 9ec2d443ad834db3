"""Text clean-up shared by forms and the import: no dependencies, so any part may use it.

Bidirectional control characters (U+202A-U+202E embeddings and overrides, U+2066-U+2069
isolates, U+200E/U+200F marks, U+061C the Arabic letter mark) change the order in which
text is shown, not what it says: a right-to-left override makes ``exe.fdp`` read as
``pdf.exe``, or reverses a name or an address on a member of staff's screen. Nobody types
them in a feedback form, so the portal removes them wherever text comes in.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def strip_bidi_controls(value):
    """``value`` without bidirectional control characters; anything not text is unchanged."""
    if isinstance(value, str) and _BIDI.search(value):
        return _BIDI.sub("", value)
    return value


def strip_bidi_controls_within(value):
    """The same for every text in a structure of dicts and lists (a parsed JSON record)."""
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if isinstance(value, list):
        return [strip_bidi_controls_within(item) for item in value]
    if isinstance(value, dict):
        return {key: strip_bidi_controls_within(item) for key, item in value.items()}
    return value


def plural(count: int, one: str, many: str | None = None) -> str:
    """A count with its noun: "1 case", "3 cases", "2 financial remedies" (``many``)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
