"""Subject access: every record about a person, a release with a redaction on the copy,
audited, within one calendar month."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Feedback, Person
from portal.services import subject_access


@pytest.fixture
def family(app):
    """A parent who complained twice, and a record someone else wrote about their child."""
    parent = Person(name="Petra Parent", email="petra@private.example", phone="07700 900123", phone_key="07700900123")
    child = Person(name="Charlie Child")
    records = [
        Feedback(reference="CF-2024-00001", kind="complaint", received_on=date(2024, 1, 8), channel="email",
                 submitter_role="parent_or_carer", summary="Nobody rang me back about Charlie.",
                 named_staff=["Sam Social-Worker"], person=parent),
        Feedback(reference="CF-2024-00002", kind="initial_contact", received_on=date(2024, 1, 20),
                 channel="phone", submitter_role="parent_or_carer", summary="Transport was late.", person=parent),
        Feedback(reference="CF-2024-00003", kind="initial_contact", received_on=date(2024, 1, 22),
                 channel="phone", submitter_role="foster_carer", summary="Charlie is unsettled.",
                 on_behalf_of_child=True, on_behalf_of_name="charlie child",
                 person=Person(name="Fern Foster", email="fern@private.example")),
        Feedback(reference="CF-2024-00004", kind="compliment", received_on=date(2024, 1, 23),
                 channel="web", submitter_role="other", summary="Unrelated.",
                 person=Person(name="Somebody Else")),
    ]
    db.session.add_all([child, *records])
    db.session.commit()
    return {"parent": parent, "child": child, "records": records}


def test_one_calendar_month_and_the_short_months():
    assert subject_access.due_date(date(2024, 3, 5)) == date(2024, 4, 5)
    assert subject_access.due_date(date(2023, 1, 31)) == date(2023, 2, 28)
    assert subject_access.due_date(date(2024, 1, 31)) == date(2024, 2, 29)
    assert subject_access.due_date(date(2024, 12, 31)) == date(2025, 1, 31)


def test_records_about_a_person_as_sender_and_as_the_child_written_about(family):
    sent = [(f.record.reference, f.relation) for f in subject_access.records_about(family["parent"])]
    assert sent == [("CF-2024-00001", "submitter"), ("CF-2024-00002", "submitter")]
    about = [(f.record.reference, f.relation) for f in subject_access.records_about(family["child"])]
    assert about == [("CF-2024-00003", "written_about")]
    assert [p.name for p in subject_access.find_people("petra@PRIVATE.example")] == ["Petra Parent"]
    assert [p.name for p in subject_access.find_people("CF-2024-00003")] == ["Fern Foster"]
    assert [p.name for p in subject_access.find_people("07700900123")] == ["Petra Parent"]


def test_a_release_with_a_redaction_changes_only_the_copy_and_is_audited_in_time(family):
    parent = family["parent"]
    request = subject_access.open_request(parent, date(2024, 1, 31), None, today=date(2024, 2, 1))
    db.session.commit()
    assert request.due_on == date(2024, 2, 29)

    document = subject_access.build_copy(parent, request, date(2024, 2, 10))
    staff_name = next(f for f in subject_access.fields(document) if f.value == "Sam Social-Worker")
    assert staff_name.path == "records/0/named_staff/0"

    release = subject_access.prepare(request, [staff_name.path], date(2024, 2, 10))
    subject_access.release(request, None, date(2024, 2, 12))
    db.session.commit()

    assert release["records"][0]["named_staff"] == ["[redacted]"]
    assert release["records"][0]["summary"] == "Nobody rang me back about Charlie."
    assert release["person"]["email"] == "petra@private.example"
    assert family["records"][0].named_staff == ["Sam Social-Worker"]  # the record is unchanged
    assert "Sam Social-Worker" not in subject_access.release_json(request).decode()
    assert json.loads(subject_access.release_json(request))["redactions"] == 1

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "subject_access_release"))
    assert entry.new["within_deadline"] is True and entry.new["redactions"] == 1
    assert "Petra" not in json.dumps(entry.new)
    # The release itself never reaches the audit trail.
    trail = json.dumps([e.new for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "subject_access_request"))])
    assert "Nobody rang me back" not in trail
    assert subject_access.deadline_words(request, date(2024, 3, 1)) == "Released within the deadline"


def test_the_deadline_in_words(family):
    request = subject_access.open_request(family["parent"], date(2024, 1, 31), None, today=date(2024, 2, 1))
    assert subject_access.deadline_words(request, date(2024, 2, 28)) == "Due in 1 day"
    assert subject_access.deadline_words(request, date(2024, 2, 29)) == "Due today"
    assert subject_access.deadline_words(request, date(2024, 3, 2)) == "Overdue by 2 days"
    assert subject_access.is_overdue(request, date(2024, 3, 2))


def test_the_release_as_pdf(family, app):
    request = subject_access.open_request(family["parent"], date(2024, 1, 31), None, today=date(2024, 2, 1))
    subject_access.prepare(request, [], date(2024, 2, 10))
    pdf = subject_access.release_pdf(request, "Test Children's Services")
    assert pdf.startswith(b"%PDF")


def test_rectification_is_an_audited_change(family):
    parent = family["parent"]
    subject_access.rectify(parent, "Petra Parent-Smith", "Petra.New@private.example", "07700 900999", None)
    db.session.commit()
    assert parent.email == "petra.new@private.example" and parent.phone_key == "07700900999"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person",
                                                       AuditEntry.action == "update")).all()[-1]
    assert entry.old["name"] == "Petra Parent" and entry.new["name"] == "Petra Parent-Smith"
