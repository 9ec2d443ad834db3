"""Saved filters (portal/services/triage/saved_filters.py) and the inbox filters they use."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.services.common.dates import today
from portal.services.common.errors import Refused
from portal.services.triage import inbox, saved_filters
from portal.services.triage.inbox import InboxFilters, end_of_week
from tests import factories


def test_a_filter_keeps_the_inbox_filters_only_and_is_the_owners_alone(app):
    olu, ada = factories.staff("feedback_officer"), factories.staff("feedback_officer")
    saved = saved_filters.save(olu, "  My   concerns ", "after=2034-01-01.9&q=taxi&kind=initial_contact&evil=1")
    db.session.commit()
    assert (saved.name, saved.query) == ("My concerns", "q=taxi&kind=initial_contact")
    assert [f.name for f in saved_filters.filters_of(olu)] == ["My concerns"]
    assert saved_filters.filters_of(ada) == []
    with pytest.raises(Refused, match="already have a list with this name"):
        saved_filters.save(olu, "my concerns", "q=x")
    with pytest.raises(Refused, match="already have a list with this name"):
        saved_filters.save(olu, "Due this week", "q=x")
    with pytest.raises(Refused, match="Choose some filters"):
        saved_filters.save(olu, "Nothing", "after=1")
    with pytest.raises(Refused, match="not one of yours"):
        saved_filters.delete(ada, saved.id)
    assert saved_filters.delete(olu, saved.id) == "My concerns"


def test_due_this_week_runs_from_today_to_sunday_and_leaves_out_closed_records(app):
    officer = factories.staff("feedback_officer")
    sunday = end_of_week(today())
    assert sunday.weekday() == 6 and 0 <= (sunday - today()).days <= 6
    inside = factories.initial_contact(due_on=sunday, status="open")
    factories.initial_contact(due_on=sunday + timedelta(days=1), status="open")
    factories.initial_contact(due_on=today() - timedelta(days=1), status="open")
    factories.initial_contact(due_on=today(), status="closed")
    page = inbox.search(officer, InboxFilters(due_this_week=True), today())
    assert [r.reference for r in page.rows] == [inside.reference]


def test_my_open_stage_1s(app):
    olu = factories.staff("feedback_officer")
    mine = factories.complaint(assigned_to=olu)
    factories.complaint(factories.stage(today()), factories.stage(today()), assigned_to=olu)  # at Stage 2
    factories.complaint()  # nobody's
    page = inbox.search(olu, InboxFilters(assigned_to_id=olu.id, kind="complaint", stage=1, status="open"), today())
    assert [r.reference for r in page.rows] == [mine.reference]
