"""Version 2 carries the child a record is about and the advocacy offered to them (issue 20;
docs/interchange.md, "Version 2: the child and advocacy"): one child across cases, numbered
by the file; the round trip gives the same bytes; version 1 files import exactly as before."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Advocacy, Child, Feedback
from portal.services.interchange import import_file
from portal.services.interchange.documents import write_archive
from tests.conftest import _empty_tables
from tests.interchange.conftest import FULL, export_text, full_records, record


def held(reference: str) -> Feedback:
    return db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()


def name_the_children() -> None:
    """Jayden on two cases (the first and the last by reference), Amira on one, with advocacy."""
    jayden = Child(name="Jayden Whitmore", date_of_birth=date(2012, 3, 27), record_number="LL-004417",
                   school="Hillside Academy", statuses=["in_care", "ehc_plan"])
    amira = Child(name="Amira Khan", statuses=[])
    held("CF-2023-00013").child = jayden
    held("CF-2023-00003").child = jayden
    held("CF-2023-00008").child = amira
    db.session.add(Advocacy(feedback=held("CF-2023-00008"), offered_on=date(2023, 6, 6), offered_how="phone",
                            answer="accepted", answered_on=date(2023, 6, 7), referred_to="Coram Voice",
                            referred_on=date(2023, 6, 8), advocate_name="Sam Reid", in_place_on=date(2023, 6, 14),
                            notes="Prefers calls after school"))
    db.session.commit()


def archive_bytes() -> bytes:
    out = io.BytesIO()
    write_archive(out)
    return out.getvalue()


def lines_of(data: bytes) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [json.loads(line) for line in archive.read("records.jsonl").decode("utf-8").splitlines()]


def archive_of(tmp_path, lines: list[dict], name: str = "children.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("interchange.json", json.dumps({"format": "feedback-interchange", "version": 2}))
        archive.writestr("records.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_the_archive_names_each_child_by_the_files_number_and_gives_their_details_and_advocacy(app):
    assert import_file(FULL).ok
    name_the_children()
    version_1 = [line for line in map(json.loads, export_text().splitlines()) if line["type"] == "feedback"]
    lines = [line for line in lines_of(archive_bytes()) if line["type"] == "feedback"]
    by_reference = {line["reference"]: line for line in lines}
    # Numbered in the order the export meets them, by reference: Jayden on 00003 first.
    jayden = {"id": 1, "name": "Jayden Whitmore", "date_of_birth": "2012-03-27", "record_number": "LL-004417",
              "school": "Hillside Academy", "statuses": ["in_care", "ehc_plan"]}
    assert by_reference["CF-2023-00003"]["child"] == jayden
    assert by_reference["CF-2023-00013"]["child"] == jayden
    assert by_reference["CF-2023-00008"]["child"] == {"id": 2, "name": "Amira Khan"}
    assert by_reference["CF-2023-00008"]["advocacy"] == {
        "offered_on": "2023-06-06", "offered_how": "phone", "answer": "accepted", "answered_on": "2023-06-07",
        "referred_to": "Coram Voice", "referred_on": "2023-06-08", "advocate_name": "Sam Reid",
        "in_place_on": "2023-06-14", "notes": "Prefers calls after school"}
    assert list(by_reference["CF-2023-00008"])[-2:] == ["child", "advocacy"]  # after version 1's keys
    # Without its two keys each line is version 1's, key for key; version 1 has neither key.
    assert [{k: v for k, v in line.items() if k not in ("child", "advocacy")} for line in lines] == version_1
    assert not any("child" in line or "advocacy" in line for line in version_1)
    assert sum("child" in line for line in lines) == 3


def test_export_import_into_an_empty_database_and_export_again_give_identical_archives(app, tmp_path):
    assert import_file(FULL).ok
    name_the_children()
    first = tmp_path / "first.zip"
    first.write_bytes(archive_bytes())
    db.session.remove()
    _empty_tables(app)

    summary = import_file(first)
    assert summary.ok, summary.errors
    assert summary.children_created == 2 and "Children created: 2" in summary.report()
    assert archive_bytes() == first.read_bytes()
    # One child across the two cases, as the portal held them.
    jayden = held("CF-2023-00003").child
    assert held("CF-2023-00013").child is jayden
    assert db.session.query(Child).count() == 2
    assert (jayden.name, jayden.date_of_birth, jayden.record_number, jayden.statuses) == (
        "Jayden Whitmore", date(2012, 3, 27), "LL-004417", ["in_care", "ehc_plan"])
    advocacy = held("CF-2023-00008").advocacy
    assert (advocacy.referred_to, advocacy.in_place_on, advocacy.pause_id) == ("Coram Voice", date(2023, 6, 14), None)


def test_the_childs_search_finds_the_imported_child(app, tmp_path):
    """An imported child is in the inbox's search index like one staff named (SQLite's FTS5
    triggers, PostgreSQL's trigram index), by name and by record number."""
    from portal.services.triage import inbox
    from tests import factories

    assert import_file(FULL).ok
    name_the_children()
    first = tmp_path / "first.zip"
    first.write_bytes(archive_bytes())
    db.session.remove()
    _empty_tables(app)
    assert import_file(first).ok
    manager = factories.staff("feedback_manager")
    db.session.commit()
    for text in ("Whitmore", "ll-004417"):
        query = inbox.build_query(manager, inbox.InboxFilters(q=text), date.today(), None, 50)
        assert sorted(row.reference for row in db.session.execute(query)) == ["CF-2023-00003", "CF-2023-00013"]


def test_a_version_1_file_naming_a_child_is_refused_as_an_unknown_key(app, lines_file):
    summary = import_file(lines_file([record(child={"id": 1, "name": "Jayden Whitmore"})]))
    assert not summary.ok
    assert [(e.line, e.field) for e in summary.errors] == [(1, "child")]
    assert summary.errors[0].message == "unknown key" and db.session.query(Feedback).count() == 0


def test_version_1_with_update_keeps_the_child_and_advocacy_staff_recorded(app):
    """Version 1 does not carry the child: replacing a record from it leaves them as they are."""
    assert import_file(FULL).ok
    name_the_children()
    summary = import_file(FULL, update=True)
    assert summary.replaced == 13
    db.session.expire_all()
    assert held("CF-2023-00003").child.name == "Jayden Whitmore"
    assert held("CF-2023-00008").advocacy.referred_to == "Coram Voice"


def test_version_2_with_update_replaces_the_child_and_advocacy_and_drops_a_child_no_case_names(app, tmp_path):
    assert import_file(FULL).ok
    lines = full_records()
    for line in lines:
        if line.get("reference") == "CF-2023-00008":
            line["child"] = {"id": 7, "name": "Amira Khan", "record_number": "MO-77"}
    path = archive_of(tmp_path, lines)
    name_the_children()

    summary = import_file(path, update=True)
    assert summary.ok, summary.errors
    db.session.expire_all()
    assert held("CF-2023-00008").child.record_number == "MO-77"
    assert held("CF-2023-00008").advocacy is None  # the file says none
    assert held("CF-2023-00003").child is None
    # Jayden and the first Amira were named on these cases only: their records went too.
    assert [c.record_number for c in db.session.scalars(select(Child))] == ["MO-77"]


def test_a_version_2_file_without_children_imports_as_version_1_does(app, tmp_path):
    summary = import_file(archive_of(tmp_path, full_records()))
    assert summary.ok and summary.imported == 13
    assert export_text() == FULL.read_text(encoding="utf-8")
    assert db.session.query(Child).count() == 0 and db.session.query(Advocacy).count() == 0


@pytest.mark.parametrize("changes, where, says", [
    ({"child": {"id": 1, "name": "Jayden", "statuses": ["looked_after"]}}, "child.statuses[0]", "is not one of"),
    ({"child": {"name": "Jayden"}}, "child", "'id' is a required property"),
    ({"child": {"id": 1, "school": "Hillside"}}, "child", "give the child's name, date of birth or record number"),
    ({"child": {"id": 1, "name": "J", "date_of_birth": "2012-02-30"}}, "child.date_of_birth", "is not a 'date'"),
    ({"child": {"id": 1, "name": "J", "record_number": "x" * 41}}, "child.record_number", "is too long"),
    ({"child": {"id": 1, "name": "J", "colour": "blue"}}, "child", "Additional properties"),
    ({"advocacy": {"answer": "maybe"}}, "advocacy.answer", "is not one of"),
    ({"advocacy": {"notes": "a\u0000b"}}, "advocacy.notes", "NUL"),
])
def test_a_bad_child_or_advocacy_is_reported_with_its_line_and_field_and_nothing_is_imported(
        app, tmp_path, changes, where, says):
    summary = import_file(archive_of(tmp_path, [record("CF-2023-00001"), record("CF-2023-00002", **changes)]))
    assert not summary.ok
    assert [(e.line, e.field) for e in summary.errors] == [(2, where)]
    assert says in summary.errors[0].message
    assert db.session.query(Feedback).count() == 0 and db.session.query(Child).count() == 0


def test_one_child_with_other_details_on_another_line_is_refused(app, tmp_path):
    lines = [record("CF-2023-00001", child={"id": 1, "name": "Jayden Whitmore", "record_number": "LL-1"}),
             record("CF-2023-00002", child={"id": 1, "name": "Jayden Whitmore", "record_number": "LL-2"})]
    summary = import_file(archive_of(tmp_path, lines))
    assert [(e.line, e.field) for e in summary.errors] == [(2, "child")]
    assert "child 1 is on line 1 with other details" in summary.errors[0].message


def test_one_child_named_on_lines_a_batch_apart_is_one_child(app, tmp_path):
    from portal.services.interchange import importer

    lines = [record(f"CF-2023-{i:05d}", **({"child": {"id": 3, "name": "Jayden Whitmore"}} if i in (1, 1500) else {}))
             for i in range(1, importer.BATCH + 600)]
    assert import_file(archive_of(tmp_path, lines)).ok
    assert db.session.query(Child).count() == 1
    assert held("CF-2023-00001").child_id == held("CF-2023-01500").child_id is not None


def test_the_child_in_a_version_1_line_was_never_written(app):
    """The version 1 export of a record with a child says nothing of the child."""
    assert import_file(FULL).ok
    name_the_children()
    assert export_text() == FULL.read_text(encoding="utf-8")
