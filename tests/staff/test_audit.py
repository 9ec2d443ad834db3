"""The audit trail: every change with old and new values, who and when; append-only;
searchable by administrators and feedback managers by person, record and date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import AuditEntry, Team
from portal.models.audit import AuditTrailIsAppendOnly
from portal.services.common import audit
from tests.staff.conftest import PASSWORD


def entries(**where) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    for column, value in where.items():
        query = query.where(getattr(AuditEntry, column) == value)
    return db.session.scalars(query).all()


def test_a_change_made_on_a_page_is_recorded_with_who_and_old_and_new_values(signed_in):
    admin = signed_in("administrator")
    officer = admin.user
    team = db.session.scalar(select(Team).where(Team.name == "Fostering Team"))
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    admin.post(f"/staff/admin/teams/{team.id}", data={
        "name": "Fostering Team", "public_description": "Fostering and foster carers",
        "manager_email": "", "active": "yes"})
    [entry] = entries(entity_type="team", entity_id=str(team.id), action="update")
    assert entry.actor_id == officer.id
    assert entry.actor_label == f"{officer.name} <{officer.email}>"
    assert entry.old == {"public_description": "Fostering"}
    assert entry.new == {"public_description": "Fostering and foster carers"}
    assert entry.at >= before


def test_creating_and_deleting_are_recorded_too(signed_in):
    admin = signed_in("administrator")
    admin.post("/staff/admin/non-working-days", data={"day": ["8", "5", "2023"], "description": "Coronation"})
    [created] = entries(entity_type="non_working_day", action="create")
    assert created.new == {"id": int(created.entity_id), "day": "2023-05-08", "description": "Coronation"}
    admin.post(f"/staff/admin/non-working-days/{created.entity_id}/remove")
    [deleted] = entries(entity_type="non_working_day", action="delete")
    assert deleted.old["day"] == "2023-05-08" and deleted.new is None
    assert deleted.actor_id == admin.user.id


def test_secrets_are_never_copied_into_the_trail(make_user):
    user = make_user()
    [created] = entries(entity_type="staff_user", entity_id=str(user.id), action="create")
    assert created.new["password_hash"] == "(changed)"
    assert created.new["totp_secret"] == "(changed)"
    assert user.password_hash not in str(created.new)


def test_a_change_that_is_rolled_back_leaves_no_entry(app):
    db.session.add(Team(name="Short-lived team"))
    db.session.flush()
    db.session.rollback()
    assert not [e for e in entries(entity_type="team") if (e.new or {}).get("name") == "Short-lived team"]


def test_changes_outside_a_request_say_who_acted(app):
    with audit.acting_as("command line"):
        db.session.add(Team(name="Made at the command line"))
        db.session.commit()
    entry = entries(entity_type="team")[-1]
    assert entry.actor_label == "command line" and entry.actor_id is None


def test_the_application_cannot_change_or_delete_an_entry(app):
    entry = audit.record("test", "export", "feedback", 1)
    db.session.commit()
    entry.action = "something else"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET action = 'forged'",
    "DELETE FROM audit_entry",  # issue 14, item 11: SQLite allowed DELETE on the trail
], ids=["change", "delete"])
def test_the_database_refuses_to_change_or_delete_an_entry(app, statement):
    audit.record("test", "export", "feedback", 1)
    db.session.commit()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert len(entries(action="export")) == 1


AUDIT = AuditEntry.__table__
OLD = {"name": "Alex Example", "email": "alex@example.org", "team_id": 3, "notes": None}
NEW = {"name": "Alex Smith", "email": "alex@example.org", "team_id": 4, "notes": ["a", {"b": 1}]}


def _redact(entry_id: int, **values):
    db.session.execute(AUDIT.update().where(AUDIT.c.id == entry_id)
                       .values(redacted_at=datetime(2026, 3, 2, tzinfo=timezone.utc), **values))


def _entry() -> int:
    entry = audit.record("test", "update", "person", 1, old=dict(OLD), new=dict(NEW))
    db.session.commit()
    return entry.id


def test_a_redaction_may_blank_values_once(app):
    entry_id = _entry()
    _redact(entry_id, old={**OLD, "name": "(removed)", "email": "(removed)"},
            new={**NEW, "name": "(removed)", "notes": "(removed)"})
    db.session.commit()
    [entry] = entries(id=entry_id)
    assert entry.old["name"] == "(removed)" and entry.old["team_id"] == 3
    assert entry.new["notes"] == "(removed)" and entry.new["team_id"] == 4
    with pytest.raises(Exception, match="append-only"):  # once only
        _redact(entry_id, old={**OLD, "team_id": "(removed)"}, new=entry.new)
    db.session.rollback()


@pytest.mark.parametrize("forged", [
    {"old": {**OLD, "name": "Someone Else"}},  # a value rewritten, not blanked
    {"new": {**NEW, "team_id": 99}},
    {"new": {**NEW, "notes": ["a", {"b": 2}]}},
    {"old": {**OLD, "added": "(removed)"}},  # a key added
    {"old": {k: v for k, v in OLD.items() if k != "email"}},  # a key taken away
    {"old": None},  # the values thrown away
    {"new": "(removed)"},
    {"action": "delete"},  # anything but the values
], ids=["rewrite", "rewrite-number", "rewrite-nested", "add-key", "drop-key", "null", "not-object",
        "action"])
def test_a_redaction_that_does_more_than_blank_values_is_refused(app, forged):
    """Issue 14, item 11: a redaction could write anything into old and new."""
    entry_id = _entry()
    values = {"old": OLD, "new": NEW, **forged}
    with pytest.raises(Exception, match="append-only"):
        _redact(entry_id, **values)
    db.session.rollback()
    [entry] = entries(id=entry_id)
    assert (entry.old, entry.new, entry.redacted_at) == (OLD, NEW, None)


def test_no_route_can_change_the_trail(app):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_explicit_entries_for_exports_and_downloads(app, make_user):
    user = make_user("feedback_manager")
    audit.record(user, "report_download", "report", "2026-h1", new={"format": "pdf"})
    db.session.commit()
    [entry] = entries(action="report_download")
    assert (entry.actor_id, entry.entity_id, entry.new) == (user.id, "2026-h1", {"format": "pdf"})


# --- Searching ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["administrator", "feedback_manager"])
def test_administrators_and_feedback_managers_search_by_person(signed_in, make_user, role, get_page):
    client = signed_in(role)
    someone = signed_in("report_viewer", name="Sam Searchable").user
    page = get_page(client, f"/staff/audit?person={someone.id}")
    assert "1 entry" in page and ">sign in<" in page
    assert "Sam Searchable &lt;report.viewer" in page
    assert f'<option value="{someone.id}" selected>Sam Searchable' in page


def test_search_by_record_and_dates(signed_in, get_page):
    client = signed_in("administrator")
    team = db.session.scalar(select(Team).where(Team.name == "Finance"))
    client.post(f"/staff/admin/teams/{team.id}", data={"name": "Finance and payments", "active": "yes"})
    today = date.today()
    page = get_page(client, f"/staff/audit?record_type=team&record_id={team.id}"
                      f"&date_from={today.day}&date_from={today.month}&date_from={today.year}"
                      f"&date_to={today.day}&date_to={today.month}&date_to={today.year}")
    assert "Finance &rarr; Finance and payments" in page
    assert "2 entries" in page  # made by the defaults, then changed
    tomorrow = today + timedelta(days=1)
    assert audit.search(entity_type="team", entity_id=str(team.id), date_from=tomorrow).total == 0


def test_search_answers_htmx_with_only_the_results(signed_in):
    client = signed_in("feedback_manager")
    response = client.get("/staff/audit?record_type=staff_user", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="audit-results"') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_a_date_range_the_wrong_way_round_is_explained(signed_in, get_page):
    client = signed_in("administrator")
    page = get_page(client, "/staff/audit?date_from=2&date_from=1&date_from=2026&date_to=1&date_to=1&date_to=2026")
    assert "must be the same as or after" in page and "<title>Error: " in page


def test_a_wrong_password_shows_in_the_trail_for_the_account(signed_in, make_user, client):
    user = make_user()
    client.post("/staff/sign-in", data={"email": user.email, "password": "not " + PASSWORD})
    result = audit.search(entity_type="staff_user", entity_id=str(user.id))
    assert "sign_in_failed" in {e.action for e in result.entries}


def test_an_administrator_sees_who_did_what_but_no_case_or_personal_content(app, client, signed_in, get_page):
    """The review: an administrator read case summaries, names, emails and phones here."""
    from tests.public.helpers import COMPLAINT, send

    send(client, "complaint", {**COMPLAINT, "phone": "07700 900982"})
    admin = signed_in("administrator")
    manager = signed_in("feedback_manager")
    secrets = (COMPLAINT["summary"].replace("'", "&#39;"), "Alex Example", "alex@example.org", "07700 900982")
    for record_type in ("feedback", "person", "outbox_message", "timeline_event"):
        shown = get_page(admin, f"/staff/audit?record_type={record_type}")
        assert "create" in shown and "(hidden)" in shown, record_type
        assert not any(secret in shown for secret in secrets), record_type
    everything = get_page(admin, "/staff/audit")
    assert not any(secret in everything for secret in secrets)
    # The feedback manager sees the values; the administrator those of staff accounts.
    assert secrets[0] in get_page(manager, "/staff/audit?record_type=feedback")
    officer = signed_in("report_viewer", name="Val Viewer")
    staff_page = get_page(admin, f"/staff/audit?record_type=staff_user&record_id={officer.user.id}")
    assert "Val Viewer" in staff_page and "report_viewer" in staff_page
