"""Checking a file: every problem with its line number and field, and nothing imported."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, Person, Team
from portal.services.interchange import check_file, import_file
from tests.interchange.conftest import FULL, full_records, record


def problems(path) -> list[str]:
    return [str(error) for error in check_file(path)]


def complaint(**changes) -> dict:
    """The statutory complaint of the hand-made file (three stages), changed as asked."""
    line = copy.deepcopy(full_records()[7])
    assert line["reference"] == "CF-2023-00008"
    line.update(changes)
    return line


def test_a_file_with_one_bad_line_imports_nothing_and_names_the_line(app, runner, tmp_path):
    lines = FULL.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].replace('"received_on":"2023-05-02"', '"received_on":"2023-02-30"')
    path = tmp_path / "one-bad-line.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = runner.invoke(args=["data", "import", str(path)])

    assert result.exit_code == 1
    assert "line 7: received_on: '2023-02-30' is not a 'date'" in result.stderr
    assert "1 problem found: nothing was imported" in result.stderr
    assert "Import finished" not in result.stdout
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
    assert db.session.scalar(select(func.count()).select_from(ContactRestriction)) == 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    assert db.session.scalar(select(Team).where(Team.name == "Youth Justice Team")) is None


def test_a_bad_line_after_batches_already_loaded_keeps_none_of_them(app, runner, tmp_path, monkeypatch):
    """Lines are loaded as they are found right; a problem on the last line still keeps nothing."""
    from portal.services.interchange import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    lines = FULL.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace('"letter_issued_on":"', '"letter_issued_on":"not a date ')
    path = tmp_path / "bad-last-line.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = runner.invoke(args=["data", "import", str(path)])

    assert result.exit_code == 1, result.output
    assert f"line {len(lines)}: letter_issued_on: 'not a date 2024-02-10' is not a 'date'" in result.stderr
    assert "found: nothing was imported" in result.stderr
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    assert db.session.scalar(select(Team).where(Team.name == "Youth Justice Team")) is None


def test_every_invalid_line_is_reported(app, lines_file):
    path = lines_file([record("A"), record("B", channel="fax"), record("C"), "{not json", record("D", kind=None)])
    summary = import_file(path)
    assert not summary.ok
    assert [str(e) for e in summary.errors] == [
        "line 2: channel: 'fax' is not one of ['web', 'email', 'phone', 'letter', 'in_person', 'other']",
        "line 4: is not a JSON object: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "line 5: kind: None is not one of ['compliment', 'initial_contact', 'complaint']",
    ]
    assert summary.report() == ["3 problems found: nothing was imported"]
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_an_impossible_date_is_named_with_its_field(app, lines_file):
    line = complaint()
    line["complaint"]["stages"][1]["started_on"] = "2023-02-30"
    line["complaint"]["stages"][1]["responded_on"] = "2023-02-31"
    line["ombudsman"][0]["recommendations"][0]["due_on"] = "2023-13-01"
    assert problems(lines_file([record("A"), line])) == [
        "line 2: complaint.stages[1].responded_on: '2023-02-31' is not a 'date'",
        "line 2: complaint.stages[1].started_on: '2023-02-30' is not a 'date'",
        "line 2: ombudsman[0].recommendations[0].due_on: '2023-13-01' is not a 'date'",
    ]


def test_a_date_must_be_written_year_month_day(app, lines_file):
    assert problems(lines_file([record(received_on="2/5/2023")])) == [
        "line 1: received_on: '2/5/2023' is not a 'date'",
        "line 1: received_on: '2/5/2023' does not match '^\\\\d{4}-\\\\d{2}-\\\\d{2}$'",
    ]


def test_one_line_per_reference(app, lines_file):
    assert problems(lines_file([record("A"), record("B"), record("A")])) == [
        "line 3: reference: 'A' is already on line 1: one line per reference",
    ]


@pytest.mark.parametrize("numbers", [[1, 3], [2], [1, 1], [1, 2, 2], [2, 1]])
def test_stages_are_in_order_without_gaps_or_repeats(app, lines_file, numbers):
    line = complaint()
    stages = line["complaint"]["stages"]
    line["complaint"]["stages"] = [dict(stages[n - 1], stage=n) for n in numbers]
    found = problems(lines_file([line]))
    wrong = next(i for i, n in enumerate(numbers) if n != i + 1)
    assert found[0].startswith(f"line 1: complaint.stages[{wrong}].stage: expected Stage {wrong + 1}, "
                               f"not {numbers[wrong]}: stages are listed in order 1, 2, 3")


def test_stage_3_only_in_the_statutory_procedure(app, lines_file):
    line = complaint()
    line["complaint"]["procedure"] = "corporate"
    assert problems(lines_file([line])) == [
        "line 1: complaint.stages[2].stage: Stage 3 is only in the statutory procedure",
    ]


def test_element_numbers_are_unique_within_a_stage(app, lines_file):
    line = complaint()
    line["complaint"]["stages"][1]["elements"][2]["number"] = 1
    line["complaint"]["stages"][2]["elements"].append({"number": 2, "summary": "Another stage may use 2."})
    assert problems(lines_file([line])) == [
        "line 1: complaint.stages[1].elements[2].number: element 1 is already in this stage",
    ]


@pytest.mark.parametrize("amount, message", [
    (1300.0, "1300.0 is not of type 'string'"),
    (1300, "1300 is not of type 'string'"),
    ("1300", "'1300' does not match '^\\\\d+\\\\.\\\\d{2}$'"),
    ("1300.5", "'1300.5' does not match '^\\\\d+\\\\.\\\\d{2}$'"),
    ("-1.00", "'-1.00' does not match '^\\\\d+\\\\.\\\\d{2}$'"),
    ("£1.00", "'£1.00' does not match '^\\\\d+\\\\.\\\\d{2}$'"),
    ("99999999999999999999.00", "is too large"),
])
def test_money_is_a_string_with_two_decimals(app, lines_file, amount, message):
    payment = complaint()
    payment["payments"][0]["amount"] = amount
    remedy = complaint()
    remedy["ombudsman"][0]["remedy_amount"] = amount
    assert problems(lines_file([payment, dict(remedy, reference="B")])) == [
        f"line 1: payments[0].amount: {message}",
        f"line 2: ombudsman[0].remedy_amount: {message}",
    ]


def _unknown_key_everywhere() -> list[tuple[dict, str]]:
    cases = []
    for where in ["", "submitter", "complaint", "complaint.stages.0", "complaint.stages.0.elements.0",
                  "ombudsman.0", "ombudsman.0.recommendations.0", "payments.0", "actions.0"]:
        line = complaint()
        target = line
        for part in filter(None, where.split(".")):
            target = target[int(part) if part.isdigit() else part]
        target["colour"] = "blue"
        path = ".".join(filter(None, where.split(".")))
        for i in range(3):
            path = path.replace(f".{i}", f"[{i}]")
        cases.append((line, f"{path}.colour" if path else "colour"))
    compliment = full_records()[0]
    compliment["compliment"]["colour"] = "blue"
    cases.append((compliment, "compliment.colour"))
    contact = full_records()[2]
    contact["initial_contact"]["colour"] = "blue"
    cases.append((contact, "initial_contact.colour"))
    restriction = full_records()[-1]
    restriction["colour"] = "blue"
    cases.append((restriction, "colour"))
    restriction = full_records()[-1]
    restriction["person"]["colour"] = "blue"
    cases.append((restriction, "person.colour"))
    return cases


@pytest.mark.parametrize("line, field", _unknown_key_everywhere())
def test_an_unknown_key_is_refused_at_every_level(app, lines_file, line, field):
    assert problems(lines_file([line])) == [f"line 1: {field}: unknown key"]


def test_required_keys(app, lines_file):
    compliment = full_records()[0]
    del compliment["compliment"]
    progressed = full_records()[6]
    del progressed["complaint"]
    stage = complaint()
    del stage["complaint"]["stages"][0]["started_on"]
    assert problems(lines_file([compliment, progressed, stage, record("D", submitter={})])) == [
        "line 1: compliment: is required",
        "line 2: complaint: is required",
        "line 3: complaint.stages[0].started_on: is required",
        "line 4: submitter.role: is required",
    ]


def test_each_kind_carries_only_its_own_object(app, lines_file):
    compliment = full_records()[0]
    compliment["initial_contact"] = {"outcome": "open"}
    resolved = full_records()[2]
    resolved["complaint"] = {"procedure": "corporate", "stages": []}
    assert problems(lines_file([compliment, resolved])) == [
        "line 1: initial_contact: only a record of kind 'initial_contact' has this object, not one of kind "
        "'compliment'",
        "line 2: complaint: only an initial contact progressed to a complaint has one (outcome is 'resolved')",
    ]


def test_a_restriction_names_its_person_and_is_one_line_per_person_and_letter(app, lines_file):
    restriction = {"type": "contact_restriction", "letter_issued_on": "2024-01-01"}
    assert problems(lines_file([
        dict(restriction, person={}),
        dict(restriction, person={"name": None, "email": " "}),
        dict(restriction, person={"email": "Someone@Example.org"}),
        dict(restriction, person={"name": "Other name", "email": "someone@example.org"}),
        dict(restriction, person={"name": "Someone"}),
    ])) == [
        "line 1: person: give 'email' or 'name'",
        "line 2: person: give a name or an email",
        "line 4: person: a restriction for this person with this letter date is already on line 3: "
        "one line per restriction",
    ]


def test_what_the_database_cannot_hold_is_refused_before_anything_is_imported(app, lines_file):
    line = complaint(reference="R" * 41)
    line["complaint"]["stages"][0]["team"] = "T" * 121
    line["complaint"]["stages"][0]["theme"] = "  "
    line["submitter"]["age"] = 2**40
    line["summary"] = "A NUL \x00 character"
    assert problems(lines_file([line])) == [
        "line 1: reference: is longer than the portal keeps (40 characters)",
        "line 1: submitter.age: is too large",
        "line 1: complaint.stages[0].team: is longer than the portal keeps (120 characters)",
        "line 1: complaint.stages[0].theme: is blank: leave it out, or name a theme",
        "line 1: summary: contains a NUL character (\\u0000), which cannot be stored",
    ]


def test_lines_that_are_not_records(app, lines_file, tmp_path):
    path = lines_file(['["a list"]', '{"type": "ticket"}', '{"reference": "A"}', "NaN", '{"a": NaN}', "", "   "])
    with open(path, "ab") as file:
        file.write(b'{"type": "feedback", "summary": "\xff"}\n')
    assert problems(path) == [
        "line 1: a line must be a JSON object",
        "line 2: type: must be 'feedback' or 'contact_restriction', not 'ticket'",
        "line 3: type: is required: 'feedback' or 'contact_restriction'",
        "line 4: is not a JSON object: NaN is not a JSON value",
        "line 5: is not a JSON object: NaN is not a JSON value",
        "line 8: is not UTF-8 text",
    ]


def test_a_byte_order_mark_and_blank_lines_are_allowed(app, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + FULL.read_bytes().replace(b"\n", b"\n\n", 2))
    assert problems(path) == []
    assert import_file(path).imported == 13


def test_an_email_address_that_could_add_mail_headers_is_refused(app, lines_file):
    """Issue 14: an imported ``\\r\\nBcc:`` in an address made ``flask outbox send`` stop."""
    restriction = {"type": "contact_restriction", "letter_issued_on": "2024-01-01"}
    injected = "parent@example.org\r\nBcc: everyone@example.net"
    assert problems(lines_file([
        record("A", submitter={"role": "parent_or_carer", "email": injected}),
        record("B", submitter={"role": "parent_or_carer", "email": "two@example.org, three@example.org"}),
        record("C", submitter={"role": "parent_or_carer", "email": "not an address"}),
        record("D", submitter={"role": "parent_or_carer", "email": "Parent@Example.org"}),
        dict(restriction, person={"email": injected}),
    ])) == [
        "line 1: submitter.email: is not an email address, like name@example.com",
        "line 2: submitter.email: is not an email address, like name@example.com",
        "line 3: submitter.email: is not an email address, like name@example.com",
        "line 5: person.email: is not an email address, like name@example.com",
    ]
    assert db.session.scalar(select(func.count(Person.id))) == 0
