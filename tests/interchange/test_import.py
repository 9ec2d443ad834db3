"""Importing: the summary, dry runs, skipping and replacing, people, reference data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, Person, Stage, Team, Theme
from portal.services.interchange import import_file
from tests.interchange.conftest import FULL, export_text, full_records, record


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def feedback(reference: str) -> Feedback:
    return db.session.scalar(select(Feedback).where(Feedback.reference == reference))


def test_the_summary_counts_records_and_restrictions_and_lists_new_teams_and_themes(app, runner):
    result = runner.invoke(args=["data", "import", str(FULL)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Import finished.",
        "Feedback records imported: 13",
        "Feedback records skipped (reference exists): 0",
        "Contact restrictions imported: 3",
        "Contact restrictions skipped (already held): 0",
        "Teams created: 1: Youth Justice Team",
        "Themes created: 1: Accessibility",
    ]
    assert count(Feedback) == 13 and count(ContactRestriction) == 3
    assert db.session.scalar(select(Team).where(Team.name == "Youth Justice Team")).active
    assert db.session.scalar(select(Theme).where(Theme.name == "Accessibility")) is not None


def test_imported_records_keep_their_reference_and_get_the_portals_defaults(app):
    import_file(FULL)
    record = feedback("CF-2023-00008")
    assert record.status == "closed" and record.due_on is None  # history that is over
    assert record.contact_methods == [] and record.young_persons_form is False
    assert [s.number for s in record.stages] == [1, 2, 3] and record.stage_number == 3  # kept, as refresh keeps it
    assert feedback("CF-2023-00004").stage_number is None  # an initial contact
    assert record.stages[2].panel_members == ["Ruth Adams", "Imran Qureshi", "Beth Holloway"]
    assert record.ombudsman_enquiries[0].remedy_pence == 130000
    assert [a.source for a in record.learning_actions] == ["3", "ombudsman", None]
    assert record.stages[1].elements[1].theme.name == "Accessibility"


def test_imported_records_that_are_still_open_get_their_due_dates(app):
    """As deadlines.refresh keeps them for records made in the portal."""
    import_file(FULL)
    open_contact = feedback("CF-2023-00004")  # received Monday 17 April 2023
    assert (open_contact.status, open_contact.due_on) == ("new", date(2023, 4, 24))
    open_stage = feedback("CF-2023-00010")  # Stage 1 registered Wednesday 12 July 2023, no response
    assert open_stage.status == "new"
    assert open_stage.stages[0].due_on == open_stage.due_on == date(2023, 7, 26)
    assert feedback("CF-2023-00001").status == "closed"  # a compliment shared with the team


def test_a_dry_run_imports_nothing_but_reports_what_it_would_do(app, runner):
    result = runner.invoke(args=["data", "import", "--dry-run", str(FULL)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Dry run: nothing was imported.",
        "Feedback records would be imported: 13",
        "Feedback records skipped (reference exists): 0",
        "Contact restrictions would be imported: 3",
        "Contact restrictions skipped (already held): 0",
        "Teams would be created: 1: Youth Justice Team",
        "Themes would be created: 1: Accessibility",
    ]
    assert count(Feedback) == count(ContactRestriction) == count(Person) == 0
    assert db.session.scalar(select(Team).where(Team.name == "Youth Justice Team")) is None


def test_a_record_whose_reference_exists_is_skipped_and_counted(app, runner):
    import_file(FULL)
    result = runner.invoke(args=["data", "import", str(FULL)])
    assert result.exit_code == 0
    assert "Feedback records imported: 0" in result.stdout
    assert "Feedback records skipped (reference exists): 13" in result.stdout
    assert "Contact restrictions skipped (already held): 3" in result.stdout
    assert "Teams created: 0" in result.stdout
    assert count(Feedback) == 13 and count(ContactRestriction) == 3


def test_update_replaces_what_the_format_carries_and_keeps_the_portals_own_fields(app, runner, lines_file):
    from tests import factories

    import_file(FULL)
    record = feedback("CF-2023-00008")
    record.status = "in_progress"
    record.contact_methods = ["email"]
    record.assigned_to = officer = factories.staff("feedback_officer")
    db.session.commit()
    version = record.version

    changed = full_records()
    changed[7]["summary"] = "Changed in the other system."
    changed[7]["complaint"]["stages"] = changed[7]["complaint"]["stages"][:1]
    del changed[7]["complaint"]["stages"][0]["responded_on"]  # open again: the status stays
    del changed[7]["ombudsman"]
    changed[-1]["restrictions"] = ["written_contact_only"]
    result = runner.invoke(args=["data", "import", "--update", str(lines_file(changed))])

    assert result.exit_code == 0, result.output
    assert "Feedback records replaced (--update): 13" in result.stdout
    assert "Contact restrictions replaced (--update): 3" in result.stdout
    db.session.expire_all()
    record = feedback("CF-2023-00008")
    assert record.summary == "Changed in the other system."
    assert [s.number for s in record.stages] == [1] and record.stage_number == 1
    # The stages written again keep their copy of the case's officer (migration 0028).
    assert [s.case_assigned_to_id for s in record.stages] == [officer.id]
    assert record.ombudsman_enquiries == []
    assert record.status == "in_progress" and record.contact_methods == ["email"]
    assert record.due_on == record.stages[0].due_on == date(2023, 6, 19)
    assert record.version == version + 1
    assert count(Stage) == 1 + 2 + 1 + 1  # CF-2023-00007 has two stages, 00010 and 00013 one each
    assert count(Feedback) == 13 and count(ContactRestriction) == 3
    assert export_text().splitlines() == [json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                                          for r in changed]


def test_update_in_a_dry_run_changes_nothing(app, runner, lines_file):
    import_file(FULL)
    changed = full_records()
    changed[0]["summary"] = "Changed."
    result = runner.invoke(args=["data", "import", "--update", "--dry-run", str(lines_file(changed))])
    assert "Feedback records would be replaced (--update): 13" in result.stdout
    db.session.expire_all()
    assert feedback("CF-2023-00001").summary != "Changed."


def test_people_are_reused_only_when_their_details_are_the_same(app, lines_file):
    same = {"role": "parent_or_carer", "name": "A. Parent", "email": "parent@example.org"}
    import_file(lines_file([
        record("A", submitter=same),
        record("B", submitter=dict(same, email="Parent@Example.org ")),
        record("C", submitter=dict(same, name="Another Parent")),
        record("D", submitter={"role": "other", "name": "Name Only"}),
        record("E", submitter={"role": "other", "name": "Name Only"}),
        record("F", submitter={"role": "other", "phone": "07700 900123"}),
        record("G", submitter={"role": "other", "phone": "07700 900123"}),
        record("H", submitter={"role": "other"}),
    ]))
    person = {r.reference: r.person_id for r in db.session.scalars(select(Feedback))}
    assert person["A"] == person["B"] != person["C"]
    assert person["D"] != person["E"]  # a name alone does not say who someone is
    assert person["F"] == person["G"]
    assert person["H"] is None
    assert feedback("B").person.email == "parent@example.org"
    exported = {r["reference"]: r["submitter"] for r in map(json.loads, export_text().splitlines())}
    assert exported["C"]["name"] == "Another Parent" and exported["A"]["name"] == "A. Parent"

    import_file(lines_file([record("I", submitter=same)]))  # a later file finds the same person
    assert feedback("I").person_id == person["A"]


def test_an_import_never_joins_a_person_made_from_a_public_form(app, lines_file):
    """Issue 14, item 1: a public form's details are unchecked; a stranger who typed
    someone's name and email would otherwise collect that person's imported history."""
    typed = Person(name="A. Parent", email="parent@example.org", confirmed=False)
    db.session.add(typed)
    db.session.commit()
    import_file(lines_file([record("A", submitter={"role": "parent_or_carer", "name": "A. Parent",
                                                   "email": "parent@example.org"})]))
    assert feedback("A").person_id != typed.id
    assert feedback("A").person.confirmed


def test_lookups_find_references_and_emails_with_quotes_backslashes_and_commas(app, lines_file, monkeypatch):
    """The lookups pass their values to PostgreSQL as one array literal, which must be escaped.
    An email address can no longer hold a double quote, a backslash or a comma (the import
    refuses them: tests/interchange/test_validation.py), so the addresses carry what an
    address may and an array literal treats specially (braces, a bare NULL, a quote), and
    the references carry the rest."""
    from portal.services.interchange import importer

    monkeypatch.setattr(importer, "BATCH", 2)  # people made in one batch found by the next
    awkward = ["o'b@example.org", "{a}b@example.org", "c}{d@example.org", "{g}@example.org", "null@example.org"]
    lines = [record(f'R"{i}\\,{{}}', submitter={"role": "other", "email": email})
             for i, email in enumerate(awkward)]
    import_file(lines_file(lines))
    first = {r.reference: r.person_id for r in db.session.scalars(select(Feedback))}

    again = [record(f"S{i}", submitter={"role": "other", "email": email}) for i, email in enumerate(awkward)]
    summary = import_file(lines_file(lines + again))  # the first five are held, and skipped
    assert (summary.skipped, summary.imported) == (5, 5)
    for i in range(5):
        assert feedback(f"S{i}").person_id == first[f'R"{i}\\,{{}}']
    assert count(Person) == 5


def test_a_restriction_is_linked_to_the_person_with_its_email(app):
    import_file(FULL)
    restriction = db.session.scalar(select(ContactRestriction).where(ContactRestriction.person_email
                                                                     == "parent@example.org"))
    assert restriction.person.email == "parent@example.org"
    by_name = db.session.scalar(select(ContactRestriction).where(ContactRestriction.person_name == "Sam Okafor"))
    assert by_name.person_id is None


def test_the_import_runs_in_one_transaction(app, lines_file, monkeypatch):
    from portal.services.interchange import importer, loading

    monkeypatch.setattr(importer, "BATCH", 2)
    calls = []
    original = loading.Loader.load

    def failing(self, batch):
        calls.append(len(batch))
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return original(self, batch)

    monkeypatch.setattr(loading.Loader, "load", failing)
    try:
        import_file(FULL)
    except RuntimeError:
        pass
    assert calls == [2, 2, 2]
    assert count(Feedback) == 0 and count(Person) == 0


def test_a_failure_while_writing_stops_the_import_and_keeps_nothing(app, monkeypatch):
    """On PostgreSQL the rows are written by a second thread: what goes wrong there still
    reaches the caller, and the transaction is rolled back."""
    from portal.services.interchange import bulk, importer

    monkeypatch.setattr(importer, "BATCH", 2)
    written = []
    original = bulk.Writer.write

    def failing(self, table, ids, rows):
        if table.name == "feedback":
            written.append(len(rows))
            if len(written) == 3:
                raise RuntimeError("the disk is full")
        return original(self, table, ids, rows)

    monkeypatch.setattr(bulk.Writer, "write", failing)
    with pytest.raises(RuntimeError, match="the disk is full"):
        import_file(FULL)
    assert written == [2, 2, 2]
    assert count(Feedback) == 0 and count(Person) == 0 and count(Stage) == 0


def test_an_import_and_an_export_are_in_the_audit_trail(app, runner, tmp_path):
    from portal.models import AuditEntry

    ours = select(AuditEntry).where(AuditEntry.action.like("data_%")).order_by(AuditEntry.id)
    runner.invoke(args=["data", "import", "--dry-run", str(FULL)])
    assert db.session.scalars(ours).all() == []
    runner.invoke(args=["data", "import", str(FULL)])
    runner.invoke(args=["data", "export", str(tmp_path / "out.jsonl")])
    entries = db.session.scalars(ours).all()
    assert [(e.action, e.actor_label) for e in entries] == [("data_imported", "command line"),
                                                            ("data_exported", "command line")]
    assert entries[0].new["imported"] == 13 and entries[0].new["teams_created"] == ["Youth Justice Team"]
    assert entries[1].new == {"file": "out.jsonl", "feedback": 13, "restrictions": 3}


def test_whole_numbers_written_with_a_decimal_point_are_kept_as_integers(app, lines_file):
    """JSON Schema counts 2.0 as an integer; the portal stores 2 (and exports 2)."""
    line = full_records()[7]
    line["submitter"]["age"] = 15.0
    line["complaint"]["stages"][1]["stage"] = 2.0
    line["complaint"]["stages"][1]["paused_working_days"] = 3.0
    line["complaint"]["stages"][1]["elements"][0]["number"] = 1.0
    line["actions"][0]["stage"] = 3.0
    assert import_file(lines_file([line])).ok
    exported = json.loads(export_text().splitlines()[0])
    stage = exported["complaint"]["stages"][1]
    assert (exported["submitter"]["age"], stage["stage"], stage["paused_working_days"]) == (15, 2, 3)
    assert stage["elements"][0]["number"] == 1 and exported["actions"][0]["stage"] == 3
    assert json.dumps(exported["actions"][1]["stage"]) == '"ombudsman"'


def _indexes() -> dict:
    """Every index of the tables an import may set indexes aside for (loading._SET_ASIDE),
    with its definition."""
    if db.engine.dialect.name == "sqlite":
        query = "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    else:
        query = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 2"
    rows = db.session.execute(db.text(query)).all()
    return {table: [(name, sql) for t, name, sql in rows if t == table] for table in ("feedback", "stage", "element")}


def test_an_import_into_empty_tables_leaves_their_indexes_as_they_were(app, lines_file):
    """On SQLite an import into an empty table builds its indexes once at its end
    (bulk.Writer.indexes_aside): afterwards they are all there, and answer as before;
    an import refused half way leaves them as they were too."""
    before = _indexes()
    assert before["feedback"] and before["stage"]
    refused = full_records()
    refused[9]["kind"] = "not a kind"
    assert not import_file(lines_file(refused)).ok
    assert _indexes() == before and count(Feedback) == 0
    assert import_file(FULL).ok
    db.session.expire_all()
    assert _indexes() == before
    assert count(Feedback) == 13
    assert feedback("CF-2023-00008").stages[2].number == 3
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
