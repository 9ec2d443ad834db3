"""The case timeline (services.common.timeline): who did what, and when."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal.models import Feedback, StaffUser
from portal.services.common import timeline
from portal.services.common.labels import TimelineKind

WHEN = datetime(2026, 3, 27, 9, 30, tzinfo=timezone.utc)


def test_an_event_by_staff_is_theirs_and_joins_the_case():
    record, officer = Feedback(), StaffUser(name="Sam Okafor")
    event = timeline.add(record, TimelineKind.NOTE, "Rang the parent back", officer, when=WHEN)
    assert record.timeline == [event]
    assert (event.kind, event.text, event.actor_label, event.staff_user, event.occurred_at) == (
        "note", "Rang the parent back", "Sam Okafor", officer, WHEN)
    assert type(event.kind) is str


def test_an_event_with_no_one_named_is_the_portals_and_someone_without_an_account_is_named():
    record = Feedback()
    by_portal = timeline.add(record, "email_sent", "Alerted the duty team")
    by_person = timeline.add(record, "information_added", "More detail", actor_label="Alex Doe")
    assert by_portal.actor_label == "The portal" and by_portal.staff_user is None
    assert by_portal.occurred_at is not None
    assert by_person.actor_label == "Alex Doe"


def test_a_kind_the_timeline_does_not_know_is_refused():
    with pytest.raises(ValueError):
        timeline.add(Feedback(), "phoned", "Rang them")
