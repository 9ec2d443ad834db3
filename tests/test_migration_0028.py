"""Migration 0028 (issue 23) fills each record's kept stage number from its stages (the
latest stage's, and none for a record with no stage), and each stage's copies of its
case's officer and team."""

from __future__ import annotations


import pytest
from sqlalchemy import text

from portal import create_app
from tests.conftest import test_config as config_for
from tests.databases import empty_database_for_migrations


@pytest.fixture
def fresh_database(tmp_path):
    yield from empty_database_for_migrations(tmp_path, "m0028")


def test_existing_records_get_their_latest_stages_number(fresh_database):
    from flask_migrate import upgrade

    from portal.extensions import db

    app = create_app(config_for(fresh_database))
    with app.app_context():
        upgrade(revision="0027_staff_speed")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO staff_user (id, email, name, role, active, created_at, updated_at) VALUES "
                "(1, 'officer@example.org', 'Olu Officer', 'feedback_officer', :t, :now, :now)"),
                {"t": True, "now": "2026-10-01 09:00:00+00:00"})
            for id_, kind, procedure in ((1, "initial_contact", None), (2, "complaint", "statutory"),
                                         (3, "complaint", "corporate")):
                conn.execute(text(
                    "INSERT INTO feedback (id, reference, kind, status, received_on, channel, submitter_role, "
                    "summary, procedure, assigned_to_id, contact_methods, named_staff, young_persons_form, on_behalf_of_child, "
                    "formal_complaint_requested, advocate_requested, safeguarding_concern, publish_consent, "
                    "created_at, updated_at, status_link_generation, version) VALUES (:id, :ref, :kind, 'open', "
                    "'2026-10-01', 'email', 'other', 'A summary', :procedure, :officer, '[]', '[]', :f, :f, :f, :f, :f, :f, "
                    ":now, :now, 1, 1)"),
                    {"id": id_, "ref": f"CF-2026-0000{id_}", "kind": kind, "procedure": procedure, "f": False,
                     "officer": 1 if id_ == 3 else None,
                     "now": "2026-10-01 09:00:00+00:00"})
            for feedback_id, number in ((2, 1), (3, 1), (3, 2)):
                conn.execute(text(
                    "INSERT INTO stage (feedback_id, number, started_on, paused_working_days, panel_members) "
                    "VALUES (:f, :n, '2026-10-01', 0, '[]')"), {"f": feedback_id, "n": number})

        upgrade()

        with db.engine.connect() as conn:
            kept = dict(conn.execute(text("SELECT id, stage_number FROM feedback")).all())
            copies = conn.execute(text(
                "SELECT feedback_id, number, case_assigned_to_id FROM stage ORDER BY feedback_id, number")).all()
        db.engine.dispose()
    assert kept == {1: None, 2: 1, 3: 2}
    assert [tuple(row) for row in copies] == [(2, 1, None), (3, 1, 1), (3, 2, 1)]
