"""Subject access: every record about a person, a release with a redaction on the copy,
audited, within one calendar month."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Feedback, Person, SubjectAccessRequest
from portal.services.common import outbox
from portal.services.data_protection import purge, subject_access
from portal.services.intake import status_links
from tests.pdfs import is_tagged


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


def test_records_about_a_person_are_their_own_and_a_name_alone_is_only_shown_to_staff(family):
    sent = [(f.record.reference, f.relation) for f in subject_access.records_about(family["parent"])]
    assert sent == [("CF-2024-00001", "submitter"), ("CF-2024-00002", "submitter")]
    # A record written for someone of the child's name is not theirs by the name alone.
    assert subject_access.records_about(family["child"]) == []
    assert [r.reference for r in subject_access.named_in(family["child"])] == ["CF-2024-00003"]
    assert [p.name for p in subject_access.find_people("petra@PRIVATE.example")] == ["Petra Parent"]
    assert [p.name for p in subject_access.find_people("CF-2024-00003")] == ["Fern Foster"]
    assert [p.name for p in subject_access.find_people("07700900123")] == ["Petra Parent"]


def _sam_jones_and_another_family():
    """Sam Jones's own case, and another family's record written for a child also called
    Sam Jones, with that family's email and a live status link in their acknowledgement."""
    sam = Person(name="Sam Jones", phone="07700 900111", phone_key="07700900111")
    own = Feedback(reference="CF-2024-00011", kind="initial_contact", received_on=date(2024, 2, 1),
                   channel="phone", submitter_role="child_or_young_person", summary="My review was moved.",
                   person=sam)
    other = Feedback(reference="CF-2024-00012", kind="complaint", received_on=date(2024, 2, 2), channel="web",
                     submitter_role="parent_or_carer", summary="Our Sam was left waiting.",
                     on_behalf_of_child=True, on_behalf_of_name="Sam Jones",
                     person=Person(name="Bea Brown", email="bea@other-family.example"))
    db.session.add_all([own, other])
    db.session.flush()
    for record, to in ((own, "duty@example.org"), (other, "bea@other-family.example")):
        outbox.queue(to, f"We have received your message - reference {record.reference}",
                     f"Follow it at {status_links.url_for_record(record)}\n", purpose="acknowledgement",
                     feedback=record)
    db.session.commit()
    return sam, own, other


def test_a_release_for_sam_jones_holds_no_other_family_and_no_live_link(app):
    """Issue 14, item 7: the release held the other family's record, their email and a
    link that opened their status page."""
    sam, own, other = _sam_jones_and_another_family()
    request = subject_access.open_request(sam, date(2024, 3, 1), None, today=date(2024, 3, 1))
    release = json.dumps(subject_access.prepare(request, [], date(2024, 3, 4)))
    assert own.reference in release
    assert other.reference not in release and "bea@other-family.example" not in release
    assert "Bea Brown" not in release and "left waiting" not in release
    assert "/your-feedback/" not in release and subject_access.LINK_REMOVED in release
    for token in (status_links.token_for(own), status_links.token_for(other)):
        assert token.split(".")[0] not in release


def test_erasing_someone_takes_their_records_out_of_releases_already_stored(app):
    """A release stored before the name match was closed may hold another person's
    record: erasing that person left their details in it."""
    sam, own, other = _sam_jones_and_another_family()
    request = subject_access.open_request(sam, date(2024, 3, 1), None, today=date(2024, 3, 1))
    document = subject_access.build_copy(sam, request, date(2024, 3, 4))
    # As the old name match stored it: their own record, then the other family's.
    document["records"].append({**subject_access._record(other, "written_about"),
                                "submitted_by": "Bea Brown"})
    request.release = subject_access.apply_redactions(document, ["records/0/summary", "records/1/summary"])
    request.redactions = ["records/0/summary", "records/1/summary"]
    db.session.commit()

    purge.erase_person(other.person)
    db.session.expire_all()
    stored = db.session.get(SubjectAccessRequest, request.id)
    text = json.dumps(stored.release)
    assert other.reference not in text and "Bea Brown" not in text and "bea@other-family.example" not in text
    assert [r["reference"] for r in stored.release["records"]] == [own.reference]
    assert stored.redactions == ["records/0/summary"] and stored.release["redactions"] == 1
    assert stored.person_id == sam.id


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
    assert pdf.startswith(b"%PDF") and is_tagged(pdf)


def test_rectification_is_an_audited_change(family):
    parent = family["parent"]
    subject_access.rectify(parent, "Petra Parent-Smith", "Petra.New@private.example", "07700 900999", None)
    db.session.commit()
    assert parent.email == "petra.new@private.example" and parent.phone_key == "07700900999"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person",
                                                       AuditEntry.action == "update")).all()[-1]
    assert entry.old["name"] == "Petra Parent" and entry.new["name"] == "Petra Parent-Smith"


def _pdf_text(data: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


def test_the_release_holds_the_letters_and_emails_sent_to_the_person_as_they_went(family):
    """DOMAIN.md, "Correspondence and the case file": letters and emails out (the exact
    text, the PDF posted) are what a subject access request releases. Petra was posted a
    letter and emailed another about her records, and sent a letter about contact; Fern's
    letter about the record she wrote is not Petra's."""
    import io
    import zipfile

    from portal.services.casework import restrictions
    from portal.services.correspondence import letters
    from tests import factories

    officer = factories.staff("feedback_officer", "Olu Officer")
    manager = factories.staff("feedback_manager", "Mo Manager")
    complaint, contact, fern = family["records"][0], family["records"][1], family["records"][2]
    sent = dict(purpose="initial_contact_outcome", audience="adult", template_version=0,
                actor=officer, today=date(2024, 2, 1))
    letters.send(contact, channel="letter", subject="The transport", version=contact.version,
                 text="Dear Petra Parent,\n\nThe transport will now come at 8 o'clock.", **sent)
    letters.send(complaint, channel="email", subject="Your call back", version=complaint.version,
                 text="Dear Petra Parent,\n\nThe team manager will ring you on Friday.", **sent)
    letters.send(fern, channel="letter", subject="Charlie's placement", version=fern.version,
                 text="Dear Fern Foster,\n\nThank you for telling us how Charlie is.", **sent)
    restriction = restrictions.record_letter(family["parent"], date(2024, 2, 1), ["written_contact_only"],
                                             "Many calls a day", "Mo Manager", manager, today=date(2024, 2, 1))
    letters.send(None, restriction=restriction, purpose="persistent_contact", channel="letter", audience="adult",
                 template_version=0, subject="How we will keep in touch", actor=manager, today=date(2024, 2, 1),
                 text="Dear Petra Parent,\n\nPlease write to us rather than phone.")
    db.session.commit()

    request = subject_access.open_request(family["parent"], date(2024, 2, 2), None, today=date(2024, 2, 2))
    document = subject_access.build_copy(family["parent"], request, date(2024, 2, 5))
    by_reference = {r["reference"]: r for r in document["records"]}
    posted = by_reference[contact.reference]["letters"]
    assert [(l["how"], l["to"], l["subject"], l["text"]) for l in posted] == [
        ("letter", None, "The transport", "Dear Petra Parent,\n\nThe transport will now come at 8 o'clock.\n")]
    emailed = by_reference[complaint.reference]
    assert [(l["how"], l["to"], l["text"]) for l in emailed["letters"]] == [
        ("email", "petra@private.example", "Dear Petra Parent,\n\nThe team manager will ring you on Friday.\n")]
    assert all("ring you on Friday" not in m["body"] for m in emailed["messages"])  # listed once, as a letter
    assert [l["subject"] for l in document["contact_restrictions"][0]["letters"]] == ["How we will keep in touch"]
    assert "Fern" not in json.dumps(document) and "Charlie's placement" not in json.dumps(document)
    # Each can be redacted where it sits, under words that say which letter it is.
    labels = {f.label for f in subject_access.fields(document)}
    assert "Email of 2024-02-01: Text" in labels and "Letter of 2024-02-01: Subject" in labels

    # Redacting a letter's text leaves its PDF out of the zip (the PDF would show it);
    # the others go in as they were posted.
    index = next(i for i, r in enumerate(document["records"]) if r["reference"] == complaint.reference)
    subject_access.prepare(request, [f"records/{index}/letters/0/text"], date(2024, 2, 5))
    with zipfile.ZipFile(io.BytesIO(subject_access.release_zip(request, "Test Children's Services"))) as archive:
        pdfs = {name: archive.read(name) for name in archive.namelist() if name.startswith("letters/")}
        release_pdf = _pdf_text(archive.read("release.pdf"))
    assert len(pdfs) == 2
    texts = [_pdf_text(data) for data in pdfs.values()]
    assert sum("Please write to us rather than phone." in t and "Petra Parent" in t for t in texts) == 1
    assert sum("The transport will now come at 8 o'clock." in t for t in texts) == 1
    assert "Letters and emails we wrote to you" in release_pdf and "8 o'clock" in release_pdf
    assert "ring you on Friday" not in release_pdf
