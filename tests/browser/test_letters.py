"""Letters in Chromium (issue 18, "Done when"), by keyboard alone: a Stage 1 response from
its template, whose check names the element without a finding and refuses its
placeholders; fixed, previewed as a PDF and kept to post, its text and PDF on the case.
A letter to a 13-year-old above the reading-age target is flagged with its longest
sentences. A manager edits the acknowledgement template; the next acknowledgement uses it
and records the version. Each page passes axe-core."""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest

from portal.extensions import db
from portal.models import Element, Letter, OutboxMessage, Person
from portal.services.intake import submissions
from tests import factories
from tests.browser.helpers import check_page, choose_option, choose_radio, press_button, tab_to
from tests.browser.staff import sign_in, staff_account

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def patient(page):
    """The case page and a letter's PDF take longer than most pages to make: on a busy
    machine, more than the 10 seconds the other tests wait."""
    page.set_default_timeout(30_000)


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


def replace_text(page, text: str, box: str = "textarea#text") -> None:
    """Tab to the letter (or ``box``), select it all and type the new text."""
    page.wait_for_selector(box)
    tab_to(page, box, limit=150)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def complaint():
    record = factories.complaint(person=Person(name="Sam Taylor", email="sam@example.org",
                                               address="1 Park Road\nAnytown AN1 2BB"))
    stage = record.stages[0]
    stage.elements[0].summary = "Nobody called back"
    stage.elements[0].outcome = "partially_upheld"
    stage.elements.append(Element(number=2, summary="Transport was late"))
    db.session.commit()
    return record


def test_an_officer_writes_checks_previews_and_posts_a_stage_1_response_by_keyboard(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = complaint()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    tab_to(page, "#letters a", "Write a letter or email")
    page.keyboard.press("Enter")
    page.wait_for_url("**/letters/new")
    choose_option(page, "purpose", "stage1_response")
    choose_radio(page, "channel", "letter")
    press_button(page, "Fill in from the template")
    page.wait_for_load_state()
    assert "Our finding: [no value: element 2's finding]." in page.input_value("#text")
    press_button(page, "Check and preview")
    page.wait_for_selector(".govuk-error-summary")
    assert "Element 2 (\u2018Transport was late\u2019) has no finding" in page.inner_text(".govuk-error-summary")
    problems = page.inner_text("#check-problems")
    assert "Replace each part in square brackets" in problems  # placeholders: it cannot go
    assert page.locator("button[value=send]").count() == 0
    check_page(page)

    # the fix: record the finding on the case page, then fill in again
    page.goto(f"/staff/cases/{record.reference}")
    tab_to(page, "#element-2 select")
    for _ in range(6):
        if page.eval_on_selector("#element-2 select", "e => e.value") == "upheld":
            break
        page.keyboard.press("ArrowDown")
    press_button(page, "Save outcome")
    page.wait_for_function("() => document.querySelector('#element-2 select').value === 'upheld'")
    page.goto(f"/staff/cases/{record.reference}/letters/new?purpose=stage1_response&channel=letter")
    written = page.input_value("#text")
    assert "2. Transport was late\nOur finding: Upheld." in written
    written = written.replace("[Say who looked into your complaint, who they spoke to and what they read.]",
                              "Ann Smith, a team manager, looked into your complaint. She read the case notes.")
    written = written.replace("[Explain what we found, and what we will do.]", "We are sorry about this.")
    replace_text(page, written)
    press_button(page, "Check and preview")
    page.wait_for_selector("#check-passed")
    assert "Ann Smith, a team manager" in page.inner_text("#preview")
    check_page(page)

    with page.expect_download(timeout=60_000) as download:  # WeasyPrint takes its time on a busy machine
        press_button(page, "Preview the PDF")
    with open(download.value.path(), "rb") as saved:
        preview = pdf_text(saved.read())
    assert "Ann Smith, a team manager" in preview and "Page 1 of" in preview and record.reference in preview

    press_button(page, "Keep the letter to post")
    page.wait_for_url(f"**/staff/cases/{record.reference}#letters")
    assert "Stage 1 response" in page.inner_text("#letters")
    db.session.expire_all()
    letter = db.session.query(Letter).one()
    assert letter.template_version == 1 and letter.text.startswith("Dear Sam Taylor,")
    assert "Ann Smith, a team manager" in pdf_text(letter.pdf)
    tab_to(page, "#letters a", "Stage 1 response")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/letters/{letter.id}")
    assert "We are sorry about this." in page.inner_text("#letter-text")
    check_page(page)
    pdf = page.request.get(live_server.url + f"/staff/letters/{letter.id}/letter.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and "Ann Smith" in pdf_text(pdf.body())


HARD = ("Notwithstanding the aforementioned considerations, the departmental investigation concluded that the "
        "communication deficiencies experienced constituted a substantive organisational failure. We are sorry. "
        "Consequently, comprehensive remedial arrangements incorporating supervisory oversight mechanisms will be "
        "implemented imminently.")


def test_a_letter_to_a_13_year_old_above_the_target_is_flagged_with_its_longest_sentences(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = factories.initial_contact(submitter_age=13, submitter_role="child_or_young_person")
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}/letters/new?purpose=initial_contact_outcome&channel=letter")
    replace_text(page, HARD)
    press_button(page, "Check and preview")
    page.wait_for_selector("#longest-sentences")
    warning = page.inner_text("#reading-age")
    assert re.search(r"Reading age \d+: above the target of 10 for a child or young person", warning), warning
    marked = page.locator("#longest-sentences mark").all_inner_texts()
    assert marked[0].startswith("Notwithstanding the aforementioned considerations")
    assert marked[1].startswith("Consequently, comprehensive remedial arrangements")
    check_page(page)


def test_a_manager_edits_the_acknowledgement_and_the_next_one_uses_it(live_server, page):
    manager = staff_account("mo.manager@example.org", "Mo Manager", "feedback_manager")
    sign_in(page, manager)
    page.goto("/staff/letters/templates")
    check_page(page)
    tab_to(page, "a", "Acknowledgement: email, adults")
    page.keyboard.press("Enter")
    page.wait_for_url("**/templates/acknowledgement/email/adult")
    replace_text(page, "Dear {{ person.name }},\n\nThanks for your {{ case.what }}.\n\n{{ person.shoe_size }}", "textarea#body")
    press_button(page, "Save a new version")
    page.wait_for_selector(".govuk-error-summary")
    assert "Line 5: {{ person.shoe_size }} is not a merge field" in page.inner_text(".govuk-error-summary")
    check_page(page)
    replace_text(page, "Dear {{ person.name }},\n\nThanks for your {{ case.what }}. Your reference is "
                       "{{ case.reference }}.\n\n{{ status_link }}", "textarea#body")
    press_button(page, "Save a new version")
    page.wait_for_selector(".govuk-notification-banner:has-text('Template saved as version 2')")

    record = submissions.receive(submissions.Submission(
        kind="initial_contact", summary="Nobody rang back", name="Ria Jones", email="ria@example.org",
        submitter_role="parent_or_carer"))
    db.session.commit()
    letter = db.session.query(Letter).filter_by(feedback_id=record.id).one()
    assert letter.template_version == 2
    message = db.session.get(OutboxMessage, letter.outbox_message_id)
    assert message.body.startswith(f"Dear Ria Jones,\n\nThanks for your message. Your reference is {record.reference}.")
