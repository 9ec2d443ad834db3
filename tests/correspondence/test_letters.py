"""Write, check, send (issue 18, 2, 3, 5): what is sent is kept with its text, its PDF and
the template version it came from."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import zipfile
import io
from datetime import date

import pytest

from portal.extensions import db
from portal.models import AuditEntry, Document, Letter, OutboxMessage
from portal.services.common.errors import Refused
from portal.services.correspondence import letters, templates
from portal.services.intake import submissions
from tests.pdfs import pdf_info
from tests import factories

SENT_ON = date(2034, 10, 18)


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout


def _ready(record, officer, channel="letter"):
    record.stages[0].elements[1].outcome = "upheld"
    draft = letters.draft(record, "stage1_response", channel, "adult", officer, SENT_ON)
    text = draft.text.replace("[Say who looked into your complaint, who they spoke to and what they read.]",
                              "Ann Smith looked into it.").replace(
        "[Explain what we found, and what we will do.]", "We are sorry.")
    return draft, text


def test_a_stage_1_response_posted_is_kept_as_text_and_tagged_pdf_with_its_version(complaint, officer):
    draft, text = _ready(complaint, officer)
    letter = letters.send(complaint, purpose="stage1_response", channel="letter", audience="adult",
                          template_version=draft.template.version, subject=draft.subject, text=text,
                          actor=officer, today=SENT_ON, version=complaint.version)
    db.session.commit()
    assert (letter.template_version, letter.template.body) == (1, templates.current(
        "stage1_response", "letter", "adult").body)
    assert complaint.stages[0].responded_on == SENT_ON  # the stage is answered
    assert letter.text == text.strip() + "\n" and letter.outbox_message is None
    printed = pdf_text(letter.pdf)
    for words in ("Children's Services Trust", "Civic Centre", "Sam Taylor", "1 Park Road", "18 October 2034",
                  f"Reference: {complaint.reference}", "Ann Smith looked into it.", "Page 1 of"):
        assert words in printed, words
    assert "Tagged:          yes" in pdf_info(letter.pdf)
    assert [e.text for e in complaint.timeline if e.kind == "letter_sent"] == [
        "Stage 1 response kept to post on 18 October 2034 (template version 1)"]
    assert letters.to_post() == [letter]
    # and into the case file, as the same PDF (issue 17)
    [document] = db.session.query(Document).filter_by(feedback_id=complaint.id).all()
    assert (document.kind, document.original_name, document.received_on) == (
        "pdf", "stage1-response-2034-10-18.pdf", SENT_ON)
    assert document.description == "Stage 1 response, posted on 18 October 2034 (template version 1)"
    assert hashlib.sha256(letter.pdf).hexdigest() == document.sha256


def test_an_emailed_letter_goes_through_the_outbox(complaint, officer):
    draft = letters.draft(complaint, "initial_contact_outcome", "email", "adult", officer, SENT_ON)
    text = draft.text.replace("[Say what we did and what happens now.]", "We rang the team.")
    letter = letters.send(complaint, purpose="initial_contact_outcome", channel="email", audience="adult",
                          template_version=0, subject=draft.subject, text=text, actor=officer, today=SENT_ON)
    db.session.commit()
    message = db.session.get(OutboxMessage, letter.outbox_message_id)
    assert (message.to_address, message.subject) == ("sam@example.org", draft.subject)
    assert message.body == letter.text and "reply to this email" in message.body
    assert letters.to_post() == []


def test_a_placeholder_cannot_be_sent_even_by_a_manager(complaint, manager):
    draft = letters.draft(complaint, "initial_contact_outcome", "letter", "adult", manager, SENT_ON)
    with pytest.raises(Refused) as refused:
        letters.send(complaint, purpose="initial_contact_outcome", channel="letter", audience="adult",
                     template_version=0, subject=draft.subject, text=draft.text, actor=manager,
                     today=SENT_ON, override_reason="It must go today")
    assert refused.value.message == "Replace \u2018[Say what we did and what happens now.]\u2019 with your own words"
    assert db.session.query(Letter).count() == 0


def test_a_missing_required_part_needs_a_manager_and_a_reason_and_is_audited(complaint, officer, manager):
    stage = complaint.stages[0]
    draft = letters.draft(complaint, "extension", "letter", "adult", officer, SENT_ON)
    stage.extended_to, stage.extension_reason = date(2034, 11, 1), "Waiting for a report"
    text = draft.text.replace("[no value: stage.extension_reason]", "we are waiting for a report").replace(
        "[no value: stage.extended_to]", "1 November 2034")
    text = text.replace("Waiting for a report", "")
    send = dict(purpose="extension", channel="letter", audience="adult", template_version=0,
                subject=draft.subject, text=text.replace("1 November 2034", "early November"), today=SENT_ON)
    with pytest.raises(Refused, match="A feedback manager can send it anyway"):
        letters.send(complaint, actor=officer, override_reason="Because", **send)
    with pytest.raises(Refused, match="^Enter why it should go without") as refused:
        letters.send(complaint, actor=manager, **send)
    assert refused.value.field == "override_reason"
    letter = letters.send(complaint, actor=manager, override_reason="The date is in the enclosed report", **send)
    db.session.commit()
    assert (letter.override_reason, letter.overridden_by) == ("The date is in the enclosed report", manager)
    entry = db.session.query(AuditEntry).filter_by(action="letter_check_overridden").one()
    assert entry.new["reason"] == "The date is in the enclosed report"
    assert entry.new["problems"] == ["The letter must give the new date, 1 November 2034"]


def test_the_next_acknowledgement_uses_the_edited_template_and_records_its_version(app, manager):
    templates.save("acknowledgement", "email", "adult", "Got it: {{ case.reference }}",
                   "Dear {{ person.name }},\n\nWe have your {{ case.what }}. See {{ status_link }}", manager)
    db.session.commit()
    record = submissions.receive(submissions.Submission(
        kind="initial_contact", summary="Nobody rang back", name="Ria Jones", email="ria@example.org",
        submitter_role="parent_or_carer"))
    db.session.commit()
    letter = db.session.query(Letter).filter_by(feedback_id=record.id).one()
    assert (letter.purpose, letter.template_version) == ("acknowledgement", 2)
    message = db.session.get(OutboxMessage, letter.outbox_message_id)
    assert message.subject == f"Got it: {record.reference}"
    assert message.body.startswith("Dear Ria Jones,\n\nWe have your message. See [link]")
    assert message.link_ref == f"status:{record.id}"


def test_a_young_persons_acknowledgement_uses_the_young_peoples_template(app):
    record = factories.initial_contact(young_persons_form=True)
    letters.acknowledge(record, "young@example.org", "[link]")
    db.session.commit()
    letter = db.session.query(Letter).one()
    assert (letter.audience, letter.template_version) == ("young", 1)
    assert letter.text.startswith(f"Hi {record.person.name},\n\nThank you for getting in touch.")


def test_word_version_and_a_batch_of_letters_as_one_pdf(complaint, officer):
    from portal.services.correspondence import documents
    page = letters.page(complaint, "Your complaint", "First paragraph.\n\nSecond paragraph.", SENT_ON)
    docx = documents.word(page)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode()
    assert "First paragraph." in xml and "Second paragraph." in xml and complaint.reference in xml
    other = factories.initial_contact()
    sent = [letters.send(record, purpose="initial_contact_outcome", channel="letter", audience="adult",
                         template_version=0, subject="About your message", text=f"We are sorry, {name}.",
                         actor=officer, today=SENT_ON)
            for record, name in ((complaint, "Sam"), (other, "Pat"))]
    db.session.commit()
    printed = pdf_text(letters.batch_pdf(sent))
    assert printed.count("About your message") == 2
    assert printed.index("We are sorry, Sam.") < printed.index("We are sorry, Pat.")
    assert printed.count("\f") >= 2  # each letter starts a page


def test_erasing_the_person_blanks_their_letters_and_keeps_what_is_counted(complaint, officer, manager):
    from portal.services.data_protection import purge
    letter = letters.send(complaint, purpose="initial_contact_outcome", channel="email", audience="adult",
                          template_version=0, subject="About your complaint", text="We are sorry, Sam Taylor.",
                          actor=officer, today=SENT_ON)
    db.session.commit()
    purge.erase_person(complaint.person, manager)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Letter, letter.id)
    assert (kept.text, kept.subject, kept.to_address, kept.pdf) == ("", "", None, None)
    assert (kept.purpose, kept.sent_on, kept.template_version) == ("initial_contact_outcome", SENT_ON, 1)
    assert kept.outbox_message_id is None  # the unsent email went with the rest of the record's mail


def test_checking_again_fills_in_what_the_case_has_gained_and_keeps_what_was_written(complaint, officer):
    """An officer writes the response, the check says element 2 has no finding, they record
    it (in another tab): the next check fills in the finding and keeps their words."""
    draft = letters.draft(complaint, "stage1_response", "letter", "adult", officer, SENT_ON)
    written = draft.text.replace("[Explain what we found, and what we will do.]", "We are sorry.")
    assert "Our finding: [no value: element 2's finding]." in written
    assert letters.refill(complaint, "stage1_response", "letter", officer, SENT_ON, written) == (written, [])
    complaint.stages[0].elements[1].outcome = "upheld"
    text, filled = letters.refill(complaint, "stage1_response", "letter", officer, SENT_ON, written)
    assert filled == ["element 2's finding"]
    assert "2. Transport was late\nOur finding: Upheld.\nWe are sorry." in text
    # nothing else changed: the marker, put back, gives the text as written
    assert text.replace("Our finding: Upheld.", "Our finding: [no value: element 2's finding].", 1) == written
    assert "[no value" not in text
