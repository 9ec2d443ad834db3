"""What every part of the procedures shares: the error staff see, the open stage and the
people a stage names. (A stage's name and rules are the rule-book's, ``rules``; keeping
stored due dates true is ``deadlines.refresh``; dates in words are ``common.dates.spoken``
and the timeline ``common.timeline``.)"""

from __future__ import annotations

from portal.models import Feedback, Stage, StaffUser
from portal.services.common.dates import spoken
from portal.services.common.errors import Refused


def can_email(record: Feedback) -> bool:
    """Whether a letter or notice can go to the person by email: only when they gave an
    email address (issue 13: "By email" was offered to someone who gave a phone number)."""
    return bool(record.person and record.person.email)


def required_text(value: str | None, message: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise Refused(message, field)
    return text


def open_stage(record: Feedback) -> Stage | None:
    """The stage still waiting for its response, if any (at most one is open)."""
    for stage in reversed(record.stages):
        if stage.responded_on is None:
            return stage
    return None


def not_accepted(record: Feedback, doing: str) -> str:
    return (f"You cannot {doing}: the complaint was not accepted on {spoken(record.not_accepted_on)}, "
            "so the procedure goes no further")


def require_unanswered(stage: Stage, doing: str) -> None:
    if stage.feedback.not_accepted_on is not None:
        raise Refused(not_accepted(stage.feedback, doing))
    if stage.responded_on is not None:
        raise Refused(
            f"You cannot {doing}: Stage {stage.number} was responded to on "
            f"{spoken(stage.responded_on)}"
        )


# --- People: an account, or a name --------------------------------------------------

Someone = StaffUser | str


def who(person: Someone | None, message: str, field: str) -> tuple[str, StaffUser | None]:
    """(name, account) for a person given as a staff account or as a name."""
    if isinstance(person, StaffUser):
        return person.name, person
    return required_text(person, message, field), None


def same_person(name_a: str | None, id_a: int | None, name_b: str | None, id_b: int | None) -> bool:
    """Two appointments name the same person: the same account, or (where either is only
    a name) the same name, ignoring case and spacing."""
    if id_a is not None and id_b is not None:
        return id_a == id_b
    if not name_a or not name_b:
        return False
    return _normal(name_a) == _normal(name_b)


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()
