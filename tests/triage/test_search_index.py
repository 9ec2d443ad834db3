"""The inbox's search index (migration 0008: FTS5 trigram tables kept by triggers on
SQLite, pg_trgm on PostgreSQL) stays right whatever changes the rows, and both ways the
search takes to a page (through the matches, or walking the inbox's order) agree."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Child, Feedback, Person
from portal.services.triage import inbox
from portal.services.intake import people
from portal.services.data_protection import purge
from portal.services.triage.inbox import InboxFilters

TODAY = date(2026, 11, 26)


def found(user, text, **filters):
    return [r.reference for r in inbox.search(user, InboxFilters(q=text, **filters), TODAY).rows]


def test_a_changed_summary_or_name_is_found_by_its_new_words_only(officer, make_record):
    record = make_record(summary="The taxi was late", person=Person(name="Sam Smith", email="sam@example.org"))
    record.summary = "Nobody rang back about respite"
    record.person.name = "Samira Jones"
    db.session.commit()
    assert found(officer, "taxi") == [] and found(officer, "smith") == []
    assert found(officer, "rang back") == [record.reference]
    assert found(officer, "samira j") == [record.reference]
    assert found(officer, "sam@example") == [record.reference]


def test_deleted_records_and_people_leave_nothing_behind(officer, make_record):
    record = make_record(summary="Respite allowance stopped")
    person = record.person
    db.session.delete(record)
    db.session.delete(person)
    db.session.commit()
    assert found(officer, "respite") == [] and found(officer, person.name) == []
    again = make_record(summary="Respite allowance stopped again")
    assert found(officer, "respite") == [again.reference]


def test_a_merged_person_is_found_by_the_name_kept(officer, make_record):
    a = make_record(person=Person(name="Ayesha Khan", email="ayesha@example.org"))
    b = make_record(person=Person(name="A. Khan", email="akhan@example.org"))
    people.merge(a.person, b.person)
    db.session.commit()
    assert sorted(found(officer, "ayesha")) == sorted([a.reference, b.reference])


def test_erasure_removes_the_person_and_their_words_from_the_search(officer, make_record):
    record = make_record(summary="My daughter's EHC plan is late",
                         person=Person(name="Zofia Nowak", email="zofia@example.org"))
    purge.erase_person(record.person)
    assert found(officer, "nowak") == [] and found(officer, "zofia@") == []
    assert found(officer, "EHC plan") == []


def test_case_is_ignored_beyond_ascii(officer, make_record):
    record = make_record(summary="Réunion à l'ÉCOLE", person=Person(name="Zoë Brontë"))
    assert found(officer, "école") == [record.reference]
    assert found(officer, "ZOË BR") == [record.reference]


def test_quotes_and_search_syntax_are_plain_text(officer, make_record):
    record = make_record(summary='She said "not again" AND left OR NEAR(x)')
    make_record(summary="not again")
    assert found(officer, '"not again"') == [record.reference]
    assert found(officer, "AND left OR NEAR(") == [record.reference]
    assert found(officer, '"') == [record.reference]


@pytest.mark.parametrize("sort", ["newest", "oldest", "due"])
def test_a_common_word_walks_the_inbox_and_finds_the_same_pages(officer, make_record, monkeypatch, sort):
    made = [make_record(summary=f"The taxi came late, visit {i}" if i % 3 else f"Call back {i}",
                        received_on=date(2026, 11, 1 + i % 20), due_on=date(2026, 12, 1 + i % 7))
            for i in range(24)]
    made.append(make_record(summary="Nothing", person=Person(name="Taxi Driver")))

    def every_page():
        pages, cursor = [], None
        while True:
            page = inbox.search(officer, InboxFilters(q="TAXI", sort=sort), TODAY, cursor=cursor, page_size=4)
            pages.append([r.reference for r in page.rows])
            cursor = page.next_cursor
            if not cursor:
                return pages

    through_matches = every_page()
    monkeypatch.setattr(inbox, "_DRIVEN_AT_MOST", 3)  # as if "taxi" were in thousands of records
    walking = every_page()
    assert walking == through_matches
    expected = {r.reference for r in made if "taxi" in r.summary.lower()} | {made[-1].reference}
    assert sorted(sum(walking, [])) == sorted(expected)


def test_short_text_is_still_searched(officer, make_record):
    record = make_record(summary="Plan B for the EHC review")
    make_record(summary="Nothing here")
    assert found(officer, "b ") == [record.reference]
    assert found(officer, "eh") == [record.reference]


def test_imported_records_are_found(officer, make_record):
    # Rows written in bulk (Core inserts, as the import does) reach the index too.
    db.session.execute(Feedback.__table__.insert(), [dict(
        reference="CF-2026-99999", kind="compliment", status="closed", received_on=date(2026, 11, 3),
        channel="web", submitter_role="parent_or_carer", summary="Thank you to the duty team",
        contact_methods=[], named_staff=[], version=1)])
    db.session.commit()
    assert found(officer, "duty team") == ["CF-2026-99999"]


def test_single_quotes_and_backslashes_are_searched_as_typed_and_never_run(officer, make_record):
    # On PostgreSQL the text is written into the statement (inbox._matches): it must be
    # quoted there, whatever the person types.
    record = make_record(summary="O'Brien said the C:\\files\\' path'; DROP TABLE feedback; --")
    other = make_record(summary="Nothing to see")
    assert found(officer, "O'Brien") == [record.reference]
    assert found(officer, "C:\\files\\'") == [record.reference]
    assert found(officer, "'; DROP TABLE feedback; --") == [record.reference]
    assert found(officer, "\\") == [record.reference]
    assert found(officer, "' OR '1'='1") == []
    assert sorted(found(officer, "")) == sorted([record.reference, other.reference])


def _records_of_every_kind(make_record):
    """Records whose reference, summary, person or child hold "late" in some case or
    script, received on different days, and some that do not; by name, for the lists
    written out by hand below."""
    made = {}
    for day, name, fields in (
        (2, "summary", dict(summary="The taxi was LATE again")),
        (3, "name", dict(person=Person(name="Zoë Latef", email="zl@example.org"))),
        (4, "email", dict(person=Person(name="Sam Wu", email="s.LATEF@example.org"))),
        (5, "child", dict(child=Child(name="Noah Plater", record_number="LL-9", statuses=[]))),
        (6, "record number", dict(child=Child(name="Ava Cole", record_number="LATE-7", statuses=[]))),
        (7, "no match", dict(summary="Lat e, la te, l-ate")),
        (8, "unicode", dict(summary="ZOË ŞÜKRÜ wrote to the STRAßE team: ΣΟΦΙΑ")),
        (9, "dotless", dict(summary="Işık and plate")),
        (10, "reference", dict(reference="CF-LATE-1")),
    ):
        for n in range(2):  # two of each on the day, so that a day's order is by id too
            if "person" in fields:
                fields = dict(fields, person=Person(name=fields["person"].name, email=fields["person"].email))
            if "child" in fields:
                child = fields["child"]
                fields = dict(fields, child=Child(name=child.name, record_number=f"{child.record_number}{n}",
                                                  statuses=[]))
            if "reference" in fields:
                fields = dict(fields, reference=f"{fields['reference']}{n}")
            made[name, n] = make_record(received_on=date(2026, 11, day), **fields)
    return made


def _newest_first(made, *names):
    return [made[name, n].reference for name in reversed(names) for n in (1, 0)]


def _every_page(officer, text, sort):
    rows, cursor = [], None
    while True:
        page = inbox.search(officer, InboxFilters(q=text, sort=sort), TODAY, cursor=cursor, page_size=3)
        rows += [r.reference for r in page.rows]
        if not (cursor := page.next_cursor):
            return rows


@pytest.mark.parametrize("way", ["through the matches", "walking the inbox", "walking, common in the first rows"])
def test_each_way_finds_what_a_check_of_every_row_finds_in_order(officer, make_record, monkeypatch, way):
    made = _records_of_every_kind(make_record)
    if way == "walking the inbox":
        monkeypatch.setattr(inbox, "_DRIVEN_AT_MOST", 1)  # as if every text were in thousands of records
    elif way == "walking, common in the first rows":
        monkeypatch.setattr(inbox, "_COMMON", 1)  # PostgreSQL: as if in one of ten of the newest records
    every = ("summary", "name", "email", "child", "record number", "unicode", "dotless", "reference")
    assert _every_page(officer, "late", "newest") == _newest_first(
        made, "summary", "name", "email", "child", "record number", "dotless", "reference")
    assert _every_page(officer, "LaTe", "oldest") == list(reversed(_newest_first(
        made, "summary", "name", "email", "child", "record number", "dotless", "reference")))
    assert _every_page(officer, "latef", "newest") == _newest_first(made, "name", "email")
    assert _every_page(officer, "zoë", "newest") == _newest_first(made, "name", "unicode")
    assert _every_page(officer, "ZOË", "newest") == _newest_first(made, "name", "unicode")
    assert _every_page(officer, "şükrü", "newest") == _newest_first(made, "unicode")
    assert _every_page(officer, "straße", "newest") == _newest_first(made, "unicode")
    assert _every_page(officer, "σοφια", "newest") == _newest_first(made, "unicode")
    assert _every_page(officer, "işık", "newest") == _newest_first(made, "dotless")  # "Işık": I is i
    assert _every_page(officer, "ışık", "newest") == _every_page(officer, "IŞIK", "newest") == []
    assert _every_page(officer, "ll-9", "newest") == _newest_first(made, "child")
    assert _every_page(officer, "LL-90", "newest") == [made["child", 0].reference]  # a whole number
    assert _every_page(officer, "cf-late-", "newest") == _newest_first(made, "reference")
    assert len(_every_page(officer, "e", "newest")) == 2 * len(every) + 2


def test_walking_on_sqlite_reads_no_match_list_first(officer, make_record, monkeypatch):
    # feedback.id IN (SELECT rowid FROM feedback_search ...) made SQLite gather every
    # match of a common word before walking the inbox: the walk's plan reads no search table.
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    make_record(summary="The taxi was late", person=Person(name="Zoë Latef"))
    monkeypatch.setattr(inbox, "_DRIVEN_AT_MOST", 1)
    query = inbox.build_query(officer, InboxFilters(q="late"), TODAY, None, inbox.PAGE_SIZE)
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    plan = " / ".join(row[-1] for row in db.session.execute(db.text("EXPLAIN QUERY PLAN " + sql)))
    assert "_search" not in plan and "SCAN feedback USING INDEX" in plan, plan
