"""The inbox's list as CSV (portal/services/triage/inbox_csv.py)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Person
from portal.services.common.dates import today
from portal.services.triage import inbox, inbox_csv
from portal.services.triage.inbox import InboxFilters
from tests import factories


def read(user, filters, batch=1000):
    text = "".join(inbox_csv.lines(user, filters, today(), batch))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_every_page_of_the_list_in_its_order_a_batch_at_a_time(app):
    officer = factories.staff("feedback_officer")
    records = [factories.initial_contact(received_on=today() - timedelta(days=n)) for n in range(7)]
    rows = read(officer, InboxFilters(sort="oldest"), batch=3)
    assert rows[0] == list(inbox_csv.COLUMNS)
    assert [r[0] for r in rows[1:]] == [r.reference for r in reversed(records)]
    # The same rows the pages show, one after another.
    first = inbox.search(officer, InboxFilters(sort="oldest"), today(), page_size=4)
    assert [r.reference for r in first.rows] == [r[0] for r in rows[1:5]]


def test_cells_say_what_the_list_says_and_no_text_runs_as_a_formula(app):
    officer = factories.staff("feedback_officer", name="Olu Officer")
    send = factories.team("SEND Team")
    due = today() - timedelta(days=1)
    factories.initial_contact(person=Person(name='=HYPERLINK("https://evil.example/")'), category="concern",
                              team_id=send.id, assigned_to=officer, due_on=due, status="open",
                              formal_complaint_requested=True)
    [_, row] = read(officer, InboxFilters())
    assert row[1:] == ["Concern", "'=HYPERLINK(\"https://evil.example/\")", "SEND Team", today().isoformat(),
                       due.isoformat(), "Olu Officer", "Formal complaint requested, Overdue, Open"]


def test_only_what_the_role_may_see_and_the_download_is_audited(app):
    send, fostering = factories.team("SEND Team"), factories.team("Fostering Team")
    team_manager = factories.staff("team_manager", team=send)
    ours = factories.initial_contact(team_id=send.id)
    factories.initial_contact(team_id=fostering.id)
    assert [r[0] for r in read(team_manager, InboxFilters())[1:]] == [ours.reference]
    inbox_csv.record_download(team_manager, InboxFilters(kind="initial_contact"), "kind=initial_contact")
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.entity_type == "inbox_csv" and entry.actor_id == team_manager.id
    assert entry.new["filters"] == {"kind": "initial_contact", "sort": "newest"}


def test_the_csv_goes_in_pieces_as_it_is_made(app, monkeypatch):
    """Streamed: a piece of a few lines at a time (here 4), never the whole list at once."""
    monkeypatch.setattr(inbox_csv, "LINES_A_PIECE", 4)
    officer = factories.staff("feedback_officer")
    for n in range(9):
        factories.initial_contact(received_on=today() - timedelta(days=n))
    pieces = list(inbox_csv.lines(officer, InboxFilters(), today(), batch=3))
    assert [piece.count("\n") for piece in pieces] == [4, 4, 2]  # the header and 9 records
    assert all(piece.endswith("\r\n") for piece in pieces)  # lines are never cut
