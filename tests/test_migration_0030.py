"""Migration 0030 (issue 23): the counts of the open records by team and due date
(open_record_count) are filled from the records, then kept right by the database's
triggers under every change a record can go through: added open or closed, closed,
reopened, moved to another team, given another due date or none, another kind or a
procedure, changed many at once by one statement, and removed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from portal import create_app
from portal.models import Feedback
from tests.conftest import test_config as config_for
from tests.databases import empty_database_for_migrations

NOW = "2026-10-01 09:00:00+00:00"
# What open_record_count must hold: the open records counted afresh, as the migration does.
RECOUNT = ("SELECT coalesce(team_id, 0), coalesce(due_on, '9999-12-31'), count(*), "
           "sum(CASE WHEN kind = 'initial_contact' AND procedure IS NULL THEN 1 ELSE 0 END) "
           "FROM feedback WHERE status != 'closed' GROUP BY coalesce(team_id, 0), coalesce(due_on, '9999-12-31')")


# Every column of a record but its id and reference, to copy records in one statement.
COPIED = ", ".join(f'"{c.name}"' for c in Feedback.__table__.columns if c.name not in ("id", "reference"))


@pytest.fixture
def fresh_database(tmp_path):
    yield from empty_database_for_migrations(tmp_path, "m0030")


def _add(conn, id_: int, kind: str = "initial_contact", status: str = "open", team: int | None = 1,
         due: str | None = "2026-10-15", procedure: str | None = None) -> None:
    conn.execute(text(
        "INSERT INTO feedback (id, reference, kind, status, received_on, channel, submitter_role, "
        "summary, procedure, team_id, due_on, contact_methods, named_staff, young_persons_form, on_behalf_of_child, "
        "formal_complaint_requested, advocate_requested, safeguarding_concern, publish_consent, "
        "created_at, updated_at, status_link_generation, version) VALUES (:id, :ref, :kind, :status, "
        "'2026-10-01', 'email', 'other', 'A summary', :procedure, :team, :due, '[]', '[]', :f, :f, :f, :f, :f, :f, "
        ":now, :now, 1, 1)"),
        {"id": id_, "ref": f"CF-2026-{id_:05d}", "kind": kind, "status": status, "procedure": procedure,
         "team": team, "due": due, "f": False, "now": NOW})


def _kept(conn) -> set[tuple]:
    return {(team, str(due), records, initial) for team, due, records, initial in conn.execute(text(
        "SELECT team_key, due_key, records, initial_contacts FROM open_record_count"))}


def _counted(conn) -> set[tuple]:
    return {(team, str(due), records, initial) for team, due, records, initial in conn.execute(text(RECOUNT))}


def test_the_open_records_counts_are_filled_and_kept_under_every_change(fresh_database):
    from flask_migrate import upgrade

    from portal.extensions import db

    app = create_app(config_for(fresh_database))
    with app.app_context():
        upgrade(revision="0029_report_page")
        with db.engine.begin() as conn:
            # Teams 1 and 2 are among those the migrations add.
            _add(conn, 1)
            _add(conn, 2)
            _add(conn, 3, kind="complaint", procedure="statutory", due="2026-10-20")
            _add(conn, 4, status="closed")
            _add(conn, 5, team=None, due=None)
            _add(conn, 6, kind="compliment", status="new", team=2)

        upgrade()

        with db.engine.begin() as conn:
            filled = _kept(conn)
        assert filled == {(1, "2026-10-15", 2, 2), (1, "2026-10-20", 1, 0), (0, "9999-12-31", 1, 1),
                          (2, "2026-10-15", 1, 0)}

        changes = [
            "INSERT open",  # added open, added closed
            "INSERT closed",
            "UPDATE feedback SET status = 'closed' WHERE id = 1",  # closed
            "UPDATE feedback SET status = 'open' WHERE id = 1",  # reopened
            "UPDATE feedback SET status = 'open' WHERE id = 6",  # new to open: counted as before
            "UPDATE feedback SET team_id = 2 WHERE id = 2",  # another team
            "UPDATE feedback SET team_id = NULL WHERE id = 3",  # no team
            "UPDATE feedback SET due_on = '2026-11-02' WHERE id = 2",  # another due date
            "UPDATE feedback SET due_on = NULL WHERE id = 1",  # none
            "UPDATE feedback SET due_on = '2026-10-15', team_id = 1 WHERE id = 5",  # both at once
            "UPDATE feedback SET kind = 'complaint', procedure = 'corporate' WHERE id = 1",  # into a procedure
            "UPDATE feedback SET procedure = NULL, kind = 'initial_contact' WHERE id = 3",  # out of one
            "UPDATE feedback SET summary = 'Words' WHERE id = 2",  # nothing counted changes
            "UPDATE feedback SET status = 'closed', team_id = 2 WHERE id = 5",  # closed and moved
            "UPDATE feedback SET team_id = 1 WHERE team_id = 2",  # many at once
            "UPDATE feedback SET status = 'closed' WHERE status != 'closed'",  # every one closed
            "UPDATE feedback SET status = 'open' WHERE id IN (1, 2, 3)",  # and some reopened
            "INSERT copies",  # many added by one statement (as the import's COPY adds them)
            "DELETE FROM feedback WHERE reference LIKE '%-copy'",  # and removed by one
            "DELETE FROM feedback WHERE id = 2",  # removed open
            "DELETE FROM feedback WHERE id = 4",  # removed closed
        ]
        next_id = 10
        for change in changes:
            with db.engine.begin() as conn:
                if change == "INSERT copies":
                    conn.execute(text(f"INSERT INTO feedback (id, reference, {COPIED}) "
                                      f"SELECT id + 1000, reference || '-copy', {COPIED} FROM feedback"))
                elif change.startswith("INSERT"):
                    _add(conn, next_id, status=change.split()[1], team=2, due="2026-10-15")
                    next_id += 1
                else:
                    conn.execute(text(change))
                assert _kept(conn) == _counted(conn), change
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM feedback"))
            assert _kept(conn) == set()  # no row is left at 0
        db.engine.dispose()


def test_the_dashboard_sums_the_kept_counts_as_it_counted_the_records(app):
    """The dashboard's overdue, due this week and open initial contacts, as a feedback
    officer and as a team manager see them, from the kept counts: what counting the
    records gives (an Investigating Officer's are still counted from the records)."""
    from portal.extensions import db
    from portal.models import Feedback
    from portal.services.triage import dashboard
    from tests import factories

    today = date(2026, 11, 25)  # a Wednesday: this week runs to Sunday 29 November
    fostering, schools = factories.team("Fostering Team"), factories.team("SEND Team")
    for team, due, kind, status in ((fostering, date(2026, 11, 20), "initial_contact", "open"),
                                    (fostering, date(2026, 11, 25), "initial_contact", "new"),
                                    (fostering, date(2026, 11, 29), "complaint", "open"),
                                    (fostering, date(2026, 11, 30), "initial_contact", "open"),
                                    (schools, date(2026, 11, 24), "initial_contact", "open"),
                                    (schools, date(2026, 11, 20), "initial_contact", "closed"),
                                    (None, None, "initial_contact", "open"),
                                    (None, date(2026, 11, 1), "compliment", "open")):
        factories.record(kind, team=team, due_on=due, status=status,
                         procedure="statutory" if kind == "complaint" else None)
    officer = factories.staff("feedback_officer", "Olu Officer")
    manager = factories.staff("team_manager", "Fran Fostering", team=fostering)
    investigator = factories.staff("investigating_officer", "Ian Investigator")
    db.session.get(Feedback, 1).assigned_to_id = investigator.id
    db.session.commit()
    counted = {"officer": (5, 2, 3), "manager": (3, 2, 1), "investigator": (1, 0, 1)}
    for name, user in (("officer", officer), ("manager", manager), ("investigator", investigator)):
        board = dashboard.build(user, today)
        assert (board.open_initial_contacts, board.due_this_week, board.overdue) == counted[name], name
