"""The inbox: filters, search, sorting, keyset pages, and who sees what."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Person, Stage, Team
from portal.services.triage import inbox
from portal.services.triage.inbox import InboxFilters

TODAY = date(2026, 11, 26)


def refs(page):
    return [r.reference for r in page.rows]


def test_newest_first_with_unactioned_safeguarding_listed_above_whatever_the_filters(officer, make_record):
    old = make_record(received_on=date(2026, 10, 1))
    new = make_record(received_on=date(2026, 11, 20))
    urgent = make_record(received_on=date(2026, 9, 1), safeguarding_concern=True, channel="letter")
    page = inbox.search(officer, InboxFilters(), TODAY)
    assert refs(page) == [new.reference, old.reference]
    assert [r.reference for r in page.urgent] == [urgent.reference]
    filtered = inbox.search(officer, InboxFilters(channel="phone"), TODAY)
    assert refs(filtered) == [] and [r.reference for r in filtered.urgent] == [urgent.reference]
    urgent.safeguarding_actioned_at = urgent.created_at
    page = inbox.search(officer, InboxFilters(), TODAY)
    assert page.urgent == [] and refs(page) == [new.reference, old.reference, urgent.reference]


def test_many_unactioned_safeguarding_concerns_show_the_oldest_and_filtering_shows_all(officer, make_record):
    urgent = [make_record(received_on=date(2026, 9, 1 + i), safeguarding_concern=True) for i in range(12)]
    page = inbox.search(officer, InboxFilters(), TODAY)
    assert [r.reference for r in page.urgent] == [r.reference for r in urgent[:inbox.URGENT_SHOWN]]
    assert page.urgent_total == 12
    everything = inbox.search(officer, InboxFilters(safeguarding=True), TODAY)
    assert [r.reference for r in everything.urgent] == [r.reference for r in urgent]


def test_keyset_pages_cover_every_record_once(officer, make_record):
    made = [make_record(received_on=date(2026, 11, 1 + i % 20)) for i in range(23)]
    seen, cursor = [], None
    while True:
        page = inbox.search(officer, InboxFilters(), TODAY, cursor=cursor, page_size=5)
        seen += refs(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.reference for r in made)
    assert len(seen) == len(set(seen)) == 23


def test_due_soonest_pages_put_records_without_a_due_date_last(officer, make_record):
    a = make_record(due_on=date(2026, 12, 3))
    b = make_record(due_on=date(2026, 11, 30))
    c = make_record(due_on=None)
    first = inbox.search(officer, InboxFilters(sort="due"), TODAY, page_size=2)
    assert refs(first) == [b.reference, a.reference]
    rest = inbox.search(officer, InboxFilters(sort="due"), TODAY, cursor=first.next_cursor, page_size=2)
    assert refs(rest) == [c.reference]


def test_filters(officer, make_record, make_user):
    send = db.session.scalars(select(Team).where(Team.name == "SEND Team")).one()
    io = make_user("investigating_officer")
    a = make_record(team=send, channel="phone", formal_complaint_requested=True)
    b = make_record(kind="compliment", outcome=None, status="closed")
    c = make_record(assigned_to=io, due_on=date(2026, 11, 20), status="open")
    d = make_record(procedure="statutory", kind="complaint", stages=[Stage(number=1, started_on=date(2026, 11, 2))])
    check = lambda **f: refs(inbox.search(officer, InboxFilters(**f), TODAY))  # noqa: E731
    assert check(team_id=send.id) == [a.reference]
    assert check(channel="phone") == [a.reference]
    assert check(formal_requested=True) == [a.reference]
    assert check(kind="compliment") == [b.reference]
    assert check(kind="complaint") == [d.reference]
    assert set(check(kind="initial_contact")) == {a.reference, c.reference}
    assert check(status="closed") == [b.reference]
    assert check(assigned_to_id=io.id) == [c.reference]
    assert c.reference not in check(assigned_to_id=0)
    assert check(overdue=True) == [c.reference]


def test_search_finds_reference_name_email_and_summary(officer, make_record):
    a = make_record(person=Person(name="Priya Patel", email="priya@example.org"))
    b = make_record(summary="The taxi to school was late again")
    assert refs(inbox.search(officer, InboxFilters(q="patel"), TODAY)) == [a.reference]
    assert refs(inbox.search(officer, InboxFilters(q="PRIYA@EXAMPLE"), TODAY)) == [a.reference]
    assert refs(inbox.search(officer, InboxFilters(q="taxi"), TODAY)) == [b.reference]
    assert refs(inbox.search(officer, InboxFilters(q=b.reference.lower()), TODAY)) == [b.reference]


def test_investigating_officers_see_only_their_cases_and_team_managers_their_team(make_record, make_user):
    send = db.session.scalars(select(Team).where(Team.name == "SEND Team")).one()
    io = make_user("investigating_officer")
    manager = make_user("team_manager", team=send)
    theirs = make_record(assigned_to=io)
    team_case = make_record(team=send)
    make_record()
    assert refs(inbox.search(io, InboxFilters(), TODAY)) == [theirs.reference]
    assert refs(inbox.search(manager, InboxFilters(), TODAY)) == [team_case.reference]
    assert refs(inbox.search(make_user("report_viewer"), InboxFilters(), TODAY)) == []


def test_a_mangled_cursor_starts_at_the_top(officer, make_record):
    record = make_record()
    assert refs(inbox.search(officer, InboxFilters(), TODAY, cursor="not.a-cursor")) == [record.reference]


def test_search_treats_percent_and_underscore_as_plain_characters(officer, make_record):
    a = make_record(summary="Paid 100% of the fee")
    make_record(summary="Paid 1000 pounds")
    assert refs(inbox.search(officer, InboxFilters(q="100%"), TODAY)) == [a.reference]
    assert refs(inbox.search(officer, InboxFilters(q="_"), TODAY)) == []
