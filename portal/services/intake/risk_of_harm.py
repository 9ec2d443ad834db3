"""Words that may mean a child is at risk of harm, in what someone wrote to us.

The public forms ask the question outright; an email cannot, so the portal reads its
words for the plainest signs (DOMAIN.md, Safeguarding). A match never decides anything
by itself: it marks the record as a possible safeguarding concern, so that it stands out
in triage and the duty address is told at once, and a member of staff looks. A false alarm
costs a minute of someone's time; a missed one costs far more, so the list leans wide.
"""

from __future__ import annotations

import re

PHRASES = (
    "risk of harm", "at risk", "not safe", "unsafe", "in danger", "scared to go home", "afraid to go home",
    "hurt me", "hurts me", "hurting me", "hit me", "hits me", "hitting me", "beat me", "beats me", "beaten",
    "hurts him", "hurts her", "hits him", "hits her", "hit him", "hit her", "beats him", "beats her",
    "abuse", "abused", "abusing", "neglect", "neglected", "self-harm", "self harm", "harming myself",
    "hurt myself", "kill myself", "suicide", "suicidal", "end my life", "want to die", "groomed", "grooming",
    "sexual", "touched me", "locked in", "no food", "kicked out", "going missing", "run away", "ran away",
)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in PHRASES) + r")\b",
                      re.IGNORECASE)


def words_of_harm(text: str | None) -> list[str]:
    """The phrases of ``PHRASES`` found in the text, lower-cased, each once, in order."""
    found: list[str] = []
    for match in _PATTERN.finditer(text or ""):
        phrase = " ".join(match[1].lower().split())
        if phrase not in found:
            found.append(phrase)
    return found
