"""The inbox's CSV download, saved filters and the workload page (issue 20)."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, SavedFilter
from tests import factories
from tests.staff.conftest import error_summary


def test_the_csv_is_the_filtered_list_streamed_and_audited(signed_in):
    client = signed_in("feedback_officer")
    contact = factories.initial_contact(category="concern")
    factories.compliment()
    response = client.get("/staff/inbox.csv?kind=initial_contact")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert 'attachment; filename="inbox-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == [contact.reference]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.actor_id == client.user.id and entry.new["query"] == "kind=initial_contact"


def test_a_csv_of_filters_that_cannot_be_read_is_the_list_with_its_errors(signed_in):
    client = signed_in("feedback_officer")
    response = client.get("/staff/inbox.csv?from=31/02/2034")
    assert response.status_code == 422 and "text/html" in response.content_type
    assert error_summary(response.get_data(as_text=True))[0].startswith("The \u2018from\u2019 date must be a real date")


def test_saving_opening_and_deleting_a_list(signed_in, get_page):
    client = signed_in("feedback_officer")
    page = get_page(client, "/staff/inbox")
    assert "My open Stage 1s" in page and "Due this week" in page
    assert 'action="/staff/inbox/saved"' not in page  # nothing filtered, nothing to save
    page = get_page(client, "/staff/inbox?kind=complaint&overdue=1")
    assert 'name="query" value="kind=complaint&amp;overdue=1"' in page
    response = client.post("/staff/inbox/saved", data={"name": "Late complaints", "query": "kind=complaint&overdue=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/inbox?kind=complaint&overdue=1"
    saved = db.session.scalars(select(SavedFilter)).one()
    assert (saved.owner_id, saved.name) == (client.user.id, "Late complaints")
    page = get_page(client, "/staff/inbox")
    assert re.search(r'href="/staff/inbox\?kind=complaint&amp;overdue=1">Late complaints</a>', page)
    # The same name again: the list with the message, what was typed kept.
    response = client.post("/staff/inbox/saved", data={"name": "Late complaints", "query": "kind=complaint&overdue=1"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert error_summary(body) == ["You already have a list with this name"] and 'value="Late complaints"' in body
    # Someone else cannot delete it.
    other = signed_in("feedback_officer")
    other.post(f"/staff/inbox/saved/{saved.id}/delete")
    assert db.session.get(SavedFilter, saved.id) is not None
    response = client.post(f"/staff/inbox/saved/{saved.id}/delete")
    assert response.status_code == 303


def test_my_open_stage_1s_is_whoever_opens_it(signed_in, get_page):
    client = signed_in("feedback_officer")
    mine = factories.complaint(assigned_to_id=client.user.id)
    theirs = factories.complaint()
    page = get_page(client, "/staff/inbox?assigned=me&kind=complaint&stage=1&status=open&sort=due")
    assert f'id="row-{mine.reference}"' in page and f'id="row-{theirs.reference}"' not in page


def test_the_workload_page_is_for_managers(signed_in, get_page):
    manager = signed_in("feedback_manager")
    officer = factories.staff("feedback_officer", name="Olu Officer")
    factories.initial_contact(assigned_to=officer, status="open")
    page = get_page(manager, "/staff/workload")
    row = re.search(r'id="officer-%d".*?</tr>' % officer.id, page, re.S).group(0)
    assert "Olu Officer" in row and f'href="/staff/inbox?assigned={officer.id}&amp;status=open"' in row
    assert signed_in("feedback_officer").get("/staff/workload").status_code == 403
    assert signed_in("team_manager").get("/staff/workload").status_code == 200


def test_the_workload_page_is_among_a_managers_pages_on_the_dashboard(signed_in, get_page):
    """It is in no navigation: the dashboard's "Your pages" names it to those who may see it
    (before, only a button on the inbox led there)."""
    for role, offered in (("feedback_manager", True), ("team_manager", True), ("feedback_officer", False)):
        page = get_page(signed_in(role), "/staff/")
        links = page.split('id="dashboard-links"')[1].split("</ul>")[0]
        assert ('href="/staff/workload"' in links) is offered, role
