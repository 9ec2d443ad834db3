"""Export, import and export again: the same bytes; and what export writes is the format."""

from __future__ import annotations

import json
from datetime import date

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, Person, Stage
from portal.services.intake import people
from portal.services.interchange import import_file, rules, schema
from tests.conftest import _empty_tables
from tests.interchange.conftest import FULL, SHARED, export_text


def test_importing_the_hand_made_file_and_exporting_it_gives_the_same_bytes(app):
    summary = import_file(FULL)
    assert summary.ok, summary.errors
    assert export_text() == FULL.read_text(encoding="utf-8")


def test_export_import_into_an_empty_database_and_export_again_give_identical_files(app, tmp_path):
    assert import_file(FULL).ok
    _add_records_as_the_portal_makes_them()
    first = tmp_path / "first.jsonl"
    first.write_text(export_text(), encoding="utf-8")

    db.session.remove()
    _empty_tables(app)
    summary = import_file(first)
    assert summary.ok, summary.errors
    assert export_text() == first.read_text(encoding="utf-8")


def test_the_cli_round_trip_gives_identical_files(app, runner, tmp_path):
    assert runner.invoke(args=["data", "import", str(FULL)]).exit_code == 0
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    result = runner.invoke(args=["data", "export", str(first)])
    assert result.exit_code == 0, result.output
    assert "Exported 13 feedback records and 3 contact restrictions" in result.output
    db.session.remove()
    _empty_tables(app)
    assert runner.invoke(args=["data", "import", str(first)]).exit_code == 0
    assert runner.invoke(args=["data", "export", str(second)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes() == FULL.read_bytes()
    assert not (tmp_path / "first.jsonl.part").exists()


def test_export_to_standard_output(app, runner):
    import_file(FULL)
    result = runner.invoke(args=["data", "export", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == FULL.read_text(encoding="utf-8")


def test_every_exported_line_is_valid_against_the_schema_and_the_rules(app, tmp_path):
    import_file(FULL)
    _add_records_as_the_portal_makes_them()
    text = export_text()
    validators = [schema.validator()]
    shared = SHARED / "record.schema.json"
    if shared.exists():  # CI has ../shared: check against the contract itself
        from jsonschema import Draft202012Validator

        validators.append(Draft202012Validator(json.loads(shared.read_text()),
                                               format_checker=Draft202012Validator.FORMAT_CHECKER))
    checked = rules.Rules()
    for number, line in enumerate(text.splitlines(), start=1):
        record = json.loads(line)
        for validator in validators:
            validator.validate(record)
        assert not list(checked.problems(record, number))
    assert number == 16 + 3


def test_export_writes_records_in_order_of_reference_and_restrictions_by_letter_date_and_person(app):
    import_file(FULL)
    lines = [json.loads(line) for line in export_text().splitlines()]
    references = [r["reference"] for r in lines if r["type"] == "feedback"]
    assert references == sorted(references)
    restrictions = [r for r in lines if r["type"] == "contact_restriction"]
    keys = [(r["letter_issued_on"], r["person"].get("email") or r["person"]["name"]) for r in restrictions]
    assert keys == sorted(keys)
    assert [r["type"] for r in lines] == ["feedback"] * 13 + ["contact_restriction"] * 3


def test_export_leaves_out_what_says_nothing_and_writes_what_is_required(app):
    import_file(FULL)
    lines = {r.get("reference"): r for r in map(json.loads, export_text().splitlines())}
    bare = lines["CF-2023-00002"]
    assert bare["compliment"] == {}
    assert "team" not in bare and "formal_complaint_requested" not in bare and "payments" not in bare
    assert lines["CF-2023-00009"]["complaint"] == {"procedure": "corporate", "stages": []}
    assert lines["CF-2023-00008"]["ombudsman"][0]["remedy_amount"] == "1300.00"
    assert lines["CF-2023-00008"]["payments"][1]["amount"] == "0.75"
    assert list(lines["CF-2023-00007"]) == [
        "type", "reference", "kind", "received_on", "channel", "submitter", "team", "theme", "summary",
        "desired_outcome", "formal_complaint_requested", "initial_contact", "complaint", "payments", "actions"]


def _add_records_as_the_portal_makes_them():
    """Records made by the portal, not by an import: an untriaged web initial contact."""
    person = people.find_or_create("Web Person", "Web.Person@Example.org", "07700 900999", "1 High Street")
    db.session.add(Feedback(
        reference="CF-2026-00001", kind="initial_contact", status="new", received_on=date(2026, 1, 5),
        channel="web", person=person, submitter_role="parent_or_carer", summary="Sent through the web form.",
        contact_methods=["email"], category="query", outcome=None, named_staff=[],
        when_it_happened="Last week",
    ))
    complaint = Feedback(
        reference="CF-2026-00002", kind="complaint", status="new", received_on=date(2026, 1, 6),
        channel="phone", person=None, submitter_role="other", summary="No details given.", procedure="statutory",
    )
    complaint.stages.append(Stage(number=1, started_on=date(2026, 1, 6)))
    db.session.add(complaint)
    db.session.add(ContactRestriction(person_name="Web Person", person_email="web.person@example.org",
                                      letter_issued_on=date(2026, 1, 7), restrictions=[]))
    db.session.commit()
    assert db.session.query(Person).count() > 0


def test_a_generated_file_of_several_batches_comes_back_record_by_record(app, tmp_path):
    # More lines than a batch (importer.BATCH), so that batches written while the next is
    # checked, and due dates reckoned once for many records, are all in the round trip.
    from tests.interchange import generate

    source = tmp_path / "generated.jsonl"
    generate.write(source, 2_500)
    assert import_file(source).ok
    first = export_text().splitlines()
    db.session.remove()
    _empty_tables(app)
    again = tmp_path / "first.jsonl"
    again.write_text("\n".join(first) + "\n", encoding="utf-8")
    summary = import_file(again)
    assert summary.ok, summary.errors[:5]
    second = export_text().splitlines()
    assert len(second) == len(first) > 2_500
    for number, (before, after) in enumerate(zip(first, second), start=1):
        assert json.loads(after) == json.loads(before), f"line {number}"
    assert second == first
