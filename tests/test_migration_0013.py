"""Migration 0013 (issue 14) clears the secret links already stored: in the outbox, and the
message bodies the audit trail copied (the one change its trigger allows)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from portal import create_app
from tests.conftest import test_config as config_for
from tests.databases import empty_database_for_migrations

TOKEN = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg"
RESET = f"http://localhost/staff/reset-password/{TOKEN}"
STATUS = "http://localhost/your-feedback/eyJpZCI6MSwicmVmIjoiQ0YtMjAyNi0wMDAwMSJ9.Z1x2y3.abcDEF-ghi_jkl"


@pytest.fixture
def fresh_database(tmp_path):
    yield from empty_database_for_migrations(tmp_path, "m0013")


def test_links_already_stored_are_cleared_and_bodies_leave_the_audit_trail(fresh_database):
    from flask_migrate import upgrade

    from portal.extensions import db

    app = create_app(config_for(fresh_database))
    with app.app_context():
        upgrade(revision="0011_seclinks_people_and_links")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO staff_user (id, email, name, role, active, created_at, updated_at) VALUES "
                "(1, 'officer@example.org', 'Olu Officer', 'feedback_officer', :t, :now, :now)"),
                {"t": True, "now": "2026-11-02 09:00:00+00:00"})
            rows = [
                # id, to, purpose, body, sent
                (1, "officer@example.org", "password_reset", f"Open this link:\n\n{RESET}\n\nThanks", True),
                (2, "officer@example.org", "password_reset", f"Open this link:\n\n{RESET}\n\nThanks", False),
                (3, "gone@example.org", "staff_invite", f"Set up: {RESET.replace('reset-password', 'set-up')}", False),
                (4, "duty@example.org", "safeguarding_alert", "URGENT: no link here", True),
            ]
            for id_, to, purpose, body, sent in rows:
                conn.execute(text(
                    "INSERT INTO outbox_message (id, to_address, subject, body, purpose, created_at, attempts, "
                    "next_attempt_at, sent_at) VALUES (:id, :to, 'Subject', :body, :purpose, :now, 0, :now, :sent)"),
                    {"id": id_, "to": to, "body": body, "purpose": purpose, "now": "2026-11-02 09:00:00+00:00",
                     "sent": "2026-11-02 09:01:00+00:00" if sent else None})
            for id_, to, purpose, body, _ in rows:
                conn.execute(text(
                    "INSERT INTO audit_entry (at, actor_label, action, entity_type, entity_id, new) VALUES "
                    "(:now, 'member of the public', 'create', 'outbox_message', :id, :new)"),
                    {"now": "2026-11-02 09:00:00+00:00", "id": str(id_),
                     "new": json.dumps({"to_address": to, "subject": "Subject", "body": body, "purpose": purpose})})

        upgrade()

        with db.engine.connect() as conn:
            outbox = {row.id: row for row in conn.execute(text(
                "SELECT id, body, link_ref, failed_at, last_error FROM outbox_message"))}
            trail = [json.loads(row.new) if isinstance(row.new, str) else row.new
                     for row in conn.execute(text("SELECT new FROM audit_entry ORDER BY id"))]
            redacted = conn.execute(text("SELECT count(*) FROM audit_entry WHERE redacted_at IS NOT NULL")).scalar()
        db.engine.dispose()

    assert outbox[1].body == "Open this link:\n\n(link removed)\n\nThanks"  # sent: the link goes
    assert (outbox[2].body, outbox[2].link_ref) == ("Open this link:\n\n[link]\n\nThanks", "reset:1")
    assert outbox[3].failed_at is not None and "(link removed)" in outbox[3].body  # no account
    assert outbox[4].body == "URGENT: no link here"
    assert not any(TOKEN in row.body for row in outbox.values())
    assert redacted == 4
    assert all(entry["body"] == "(removed)" and entry["purpose"] for entry in trail)
    assert TOKEN not in json.dumps(trail)
