"""A view is logged and committed at once (portal/services/data_protection/access_log.py);
for a request that has only read, what it read stays loaded after that commit."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from portal.extensions import db
from portal.models import AccessLogEntry
from portal.services.data_protection import access_log
from tests import factories
from tests.work_done import statements_sent, watching


def logged_views() -> int:
    with db.engine.connect() as other:  # another connection: only what was committed
        return len(other.execute(select(AccessLogEntry.id)).all())


def test_a_view_is_committed_and_what_was_only_read_is_not_read_again(app):
    viewer = factories.staff("feedback_manager")
    record = factories.initial_contact(summary="The bus was late")
    record.summary, viewer.name  # loaded, as the case page has them
    access_log.record_view(viewer, "case", feedback=record, only_read=True)
    assert logged_views() == 1
    with watching(app) as work:
        assert record.summary == "The bus was late" and viewer.name
    assert not work.statements


def test_without_only_read_or_with_a_change_pending_everything_is_read_again(app):
    viewer = factories.staff("feedback_manager")
    record = factories.initial_contact(summary="The bus was late")
    team = factories.team("SEND Team")
    access_log.record_view(viewer, "case", feedback=record)
    assert inspect(team).expired  # without only_read, as after any commit
    team.name, viewer.id, record.id
    record.summary = "The bus was very late"  # a change not yet sent, in the same commit
    access_log.record_view(viewer, "case", feedback=record, only_read=True)
    assert logged_views() == 2 and inspect(team).expired


def _sent(do) -> list[str]:
    return [statement for statement, _ in statements_sent(do)]


def test_on_postgresql_a_view_alone_is_committed_without_waiting_for_the_disk_and_a_change_never(app):
    """Issue 23: waiting for the write-ahead log to reach the disk was some 4 ms of each
    case page. Only a commit holding nothing but the view's entry goes without it, for
    that transaction alone."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the wait for the disk is PostgreSQL's (SQLite's WAL mode commits so already)")
    viewer = factories.staff("feedback_manager")
    record = factories.initial_contact(summary="The bus was late")
    record.summary, viewer.name

    alone = _sent(lambda: access_log.record_view(viewer, "case", feedback=record, only_read=True))
    assert "SET LOCAL synchronous_commit = off" in alone
    assert logged_views() == 1
    assert db.session.execute(db.text("SHOW synchronous_commit")).scalar() == "on"  # the next commit waits

    record.summary = "The bus was very late"
    with_a_change = _sent(lambda: access_log.record_view(viewer, "case", feedback=record, only_read=True))
    assert not [s for s in with_a_change if "synchronous_commit" in s]
    assert logged_views() == 2
