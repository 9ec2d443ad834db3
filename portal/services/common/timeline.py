"""The timeline of a case: each thing that happened to it, who did it and when, in words
staff read on the case page. Every service that changes a case adds its event here."""

from __future__ import annotations

from datetime import datetime

from portal.models import Feedback, StaffUser, TimelineEvent
from portal.services.common.dates import now_utc
from portal.services.common.labels import TimelineKind

PORTAL = "The portal"


def add(record: Feedback, kind: TimelineKind | str, text: str | None, actor: StaffUser | None = None,
        *, actor_label: str | None = None, when: datetime | None = None) -> TimelineEvent:
    """Add an event to the case's timeline. It is by ``actor`` (a member of staff), or by
    ``actor_label`` (someone without an account: "The person who sent it"), or else by
    the portal itself; it happened ``when``, or now."""
    if kind not in TimelineKind:
        raise ValueError(f"{kind!r} is not a kind of timeline event")
    event = TimelineEvent(
        kind=TimelineKind(kind).value, text=text, occurred_at=when or now_utc(), staff_user=actor,
        actor_label=actor_label or (actor.name if actor else PORTAL),
    )
    record.timeline.append(event)
    return event
