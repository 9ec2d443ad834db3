"""No staff page's work grows with the table (issue 23): each page is asked for with a few
records and again with three times as many, and must send the database the same number
of statements both times. A page that reads one row at a time for each case, or a count
the database can only answer by reading every row, shows up here as a count that grows
(or, for the second, in bench/staff_pages.py, as time).

The pages are the app's own list: every GET route under /staff with no arguments that a
signed-in member of staff opens, plus a case page, a person page and the data-protection
page of a person, so that a page added later is checked without being named here."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Child, Person
from portal.services.common.dates import today
from tests import factories
from tests.staff.conftest import sign_in
from tests.work_done import watching

# Not pages: signing in and out, and the steps of setting up an account.
NOT_PAGES = {"staff.sign_in", "staff.two_step", "staff.enrol", "staff.password_reset", "staff.sign_out"}


def _add_round(person: Person, child: Child, n: int) -> None:
    """One of each kind of record, open and closed, for the same person and child:
    what every list, count and report reads."""
    received = today() - timedelta(days=n)
    factories.compliment(person=person, received_on=received, status="closed")
    factories.initial_contact(person=person, child=child, received_on=received, status="open",
                              due_on=received + timedelta(days=14), on_behalf_of_name=f"Pat Parent {n}")
    factories.complaint(factories.stage(received, received + timedelta(days=10), elements=2),
                        person=person, child=child, received_on=received)
    factories.complaint(factories.stage(received), person=person, received_on=received,
                        safeguarding_concern=n % 2 == 0)


def _pages(app, person: Person, reference: str) -> list[str]:
    routes = sorted(rule.rule for rule in app.url_map.iter_rules()
                    if rule.rule.startswith("/staff") and "GET" in rule.methods and not rule.arguments
                    and rule.endpoint not in NOT_PAGES)
    return routes + [f"/staff/cases/{reference}", f"/staff/people/{person.id}",
                     f"/staff/data-protection/people/{person.id}"]


def _statements(clients, url: str) -> tuple[int, Counter]:
    """(status, statements) for the first client the page lets in; asked once before
    counting, so that what a process reads once and keeps is not counted."""
    for client in clients:
        client.get(url).get_data()
        response, work = _counted_request(client, url)
        if ("UPDATE", "staff_session") in work.statements:
            # The session's own bookkeeping: its last-seen time is written once a minute or
            # so, whichever request that falls on, and the commit has the signed-in user
            # read again. Nothing to do with records: count the next request instead.
            response, work = _counted_request(client, url)
        if response.status_code != 403:
            return response.status_code, work.without("staff_session")
    return 403, Counter()


def _counted_request(client, url: str):
    with watching(client.application) as work:
        response = client.get(url)
        response.get_data()  # a streamed page (the CSV) does its reading as it is sent
    return response, work


@pytest.fixture
def counted(app, make_user):
    """``counted(rounds)``: {page: (status, statements by verb and table)} with ``rounds`` rounds of records."""
    person = Person(name="Sam Sample", email="sam@example.org")
    child = Child(name="Kit Sample", record_number="LL-000001", statuses=[])
    db.session.add_all([person, child])
    db.session.commit()
    clients = []
    for role in ("feedback_manager", "administrator"):
        client = app.test_client()
        sign_in(client, make_user(role))
        clients.append(client)
    added = 0

    def count(rounds: int) -> dict[str, tuple[int, Counter]]:
        nonlocal added
        for n in range(added, rounds):
            _add_round(person, child, n)
        added = rounds
        reference = db.session.scalar(select(factories.Feedback.reference).where(
            factories.Feedback.kind == "complaint").order_by(factories.Feedback.id))
        return {url: _statements(clients, url) for url in _pages(app, person, reference)}

    return count


def test_no_staff_page_sends_more_statements_for_more_records(counted):
    few = counted(2)
    many = counted(6)
    opened = [url for url, (status, _) in few.items() if status == 200]
    assert len(opened) > 30, "most staff pages should open for a feedback manager or an administrator"
    assert "/staff/cases/" in " ".join(opened) and "/staff/reports" in opened
    grew = {url: (sorted(few[url][1].items()), sorted(many[url][1].items()))
            for url in few if many[url][1] != few[url][1]}
    assert grew == {}, "statements with 8 records, then with 24"


def test_the_case_page_reads_the_calendar_and_the_timescales_once(app, make_user):
    """Issue 23: its panels each asked for them (eleven statements a view); the page
    reckons with one reading of each (reckoning.one_reckoning)."""
    record = factories.complaint(factories.stage(today() - timedelta(days=3), elements=2))
    client = app.test_client()
    sign_in(client, make_user("feedback_manager"))
    _, statements = _statements([client], f"/staff/cases/{record.reference}")
    assert statements[("SELECT", "non_working_day")] == 1
    assert statements[("SELECT", "timescale_set")] == statements[("SELECT", "timescale_setting")] == 1


def test_the_case_page_reads_each_of_its_tables_once(app, make_user):
    """Issue 23: the case page's panels asked for the same rows again (its letters for the
    Letters and the Correspondence panels, the last email in apart from the thread, the
    staff who can be given work for each form that offers them, an element's theme one
    element at a time, the money's totals apart from the payments listed). A case with
    one of each: every table is read once in a view."""
    from datetime import datetime, timezone

    from portal.models import LearningAction, MailInMessage, Payment, Theme
    from portal.services.common import outbox
    from portal.services.correspondence import letters

    officer = make_user("feedback_officer", name="Olu Officer")
    person = Person(name="Ria Reader", email="ria@example.org")
    record = factories.complaint(factories.stage(today() - timedelta(days=3), elements=2), person=person,
                                 assigned_to=officer)
    for element, theme in zip(record.stages[0].elements, db.session.scalars(select(Theme).limit(2))):
        element.theme = theme  # two themes: looked up one element at a time, two reads
    letters.acknowledge(record, "ria@example.org", outbox.LINK)
    with db.session.no_autoflush:
        rows = [MailInMessage(sha256="a" * 64, from_address="ria@example.org", subject=f"About {record.reference}",
                              received_at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc), source="test", kind="case",
                              feedback=record, text="Any news?", storage_key="k1", size_bytes=10),
                MailInMessage(sha256="b" * 64, from_address="ria@example.org", subject="Still waiting",
                              received_at=datetime(2026, 1, 6, 9, tzinfo=timezone.utc), source="test", kind="case",
                              feedback=record, text="Hello again", storage_key="k2", size_bytes=10),
                Payment(feedback=record, kind="financial_remedy", amount="50.00", paid_on=today(),
                        decided_by="Head of Service",
                        description="Time and trouble"),
                LearningAction(feedback=record, recommendation="Reply to emails within 5 days", owner=officer.name,
                               owner_user=officer, raised_on=today(), due_on=today() + timedelta(days=30),
                               status="open")]
    db.session.add_all(rows)
    db.session.commit()
    client = app.test_client()
    sign_in(client, make_user("feedback_manager"))

    status, statements = _statements([client], f"/staff/cases/{record.reference}")

    assert status == 200
    assert {key: n for key, n in statements.items() if key[0] == "SELECT" and n > 1} == {}
    assert statements[("SELECT", "theme")] == 1  # the classification's list; the elements' come with them
    page = client.get(f"/staff/cases/{record.reference}").get_data(as_text=True)
    assert "Re: Still waiting" in page  # a reply answers the last email in
    assert "£50.00" in page
