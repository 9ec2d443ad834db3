"""Letters in Chromium: issue 18's "Done when", each checked as a person would see it.

- An officer writes a Stage 1 response from the template by keyboard alone, sees the check
  say which element has no finding, fixes it, previews the PDF and sends it; the exact text
  and PDF are on the case (its Letters panel, the letter's page, its PDF, the case file).
- A response with a placeholder cannot be sent, not even by a feedback manager, not even
  by a send forced past the page.
- A response to a 13-year-old above the reading-age target is flagged with its longest
  sentences (a warning: it can still go).
- A manager edits the acknowledgement template; the next acknowledgement (from the public
  form) uses it and records the version.
- An extension is recorded, and its notice goes through the same check and preview.

Each page passes axe-core."""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest

from portal.extensions import db
from portal.models import Element, Feedback, Letter, OutboxMessage, Person
from portal.services.common.dates import spoken, today
from portal.services.procedures import working_days
from portal.services.procedures.calendars import current_calendar
from tests import factories
from tests.browser.helpers import check_page, choose_radio, fill_date, press_button, tab_to, watch
from tests.browser.public_site import PublicSite
from tests.public.helpers import COMPLAINT
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


FOUND_OUT = "Ann Smith, a team manager, looked into your complaint. She read the case notes."
PUT_RIGHT = "We are sorry about this."


def complaint(**fields):
    """Sam Taylor's statutory Stage 1: element 1 "Nobody called back" (partially upheld),
    element 2 "Transport was late" (no finding yet)."""
    fields.setdefault("person", Person(name="Sam Taylor", email="sam@example.org",
                                       address="1 Park Road\nAnytown AN1 2BB"))
    record = factories.complaint(**fields)
    stage = record.stages[0]
    stage.elements[0].summary = "Nobody called back"
    stage.elements[0].outcome = "partially_upheld"
    stage.elements.append(Element(number=2, summary="Transport was late"))
    db.session.commit()
    return record


def written(text: str) -> str:
    """The response with the officer's words in place of the template's square brackets."""
    return (text.replace("[Say who looked into your complaint, who they spoke to and what they read.]", FOUND_OUT)
            .replace("[Explain what we found, and what we will do.]", PUT_RIGHT))


def choose_outcome(page, number: int, outcome: str) -> None:
    """On the case page, give element ``number`` its outcome with the arrow keys, and save."""
    select = f"#element-{number} select"
    tab_to(page, select, limit=200)
    for _ in range(8):
        if page.eval_on_selector(select, "e => e.value") == outcome:
            break
        page.keyboard.press("ArrowDown")
    press_button(page, "Save outcome")
    page.wait_for_function(f"() => document.querySelector('{select}').value === '{outcome}'")


def test_an_officer_writes_checks_previews_and_sends_a_stage_1_response_by_keyboard_alone(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = complaint()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    check_page(page)

    # From the procedure panel to the letters page, the Stage 1 response template chosen.
    tab_to(page, "a#write-response", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url("**/letters/new?purpose=stage1_response")
    assert page.eval_on_selector("select[name=purpose]", "e => e.value") == "stage1_response"
    text = page.input_value("#text")
    assert "1. Nobody called back\nOur finding: Partially upheld." in text
    assert "Our finding: [no value: element 2's finding]." in text
    replace_text(page, written(text))
    press_button(page, "Check and preview")
    page.wait_for_selector(".govuk-error-summary")
    summary = page.inner_text(".govuk-error-summary")
    assert "Element 2 (\u2018Transport was late\u2019) has no finding" in summary
    assert "Element 1" not in summary  # the element with its finding is not named
    assert "There is no value for element 2's finding yet" in page.inner_text("#check-problems")
    assert page.locator("button[value=send]").count() == 0
    check_page(page)

    # The fix: the check's link opens the element on the case page in a new tab; its
    # outcome chosen there, the letter as written is still here, and checking it again
    # fills in the finding.
    with page.context.expect_page() as opened:
        tab_to(page, "#check-problems a", "Record the finding of element 2 on the case page (opens in new tab)")
        page.keyboard.press("Enter")
    case_tab = opened.value
    watch(case_tab)
    case_tab.set_default_timeout(30_000)
    case_tab.wait_for_load_state()
    assert case_tab.url.endswith(f"/staff/cases/{record.reference}#element-2")
    choose_outcome(case_tab, 2, "upheld")
    check_page(case_tab)
    case_tab.close()
    assert FOUND_OUT in page.input_value("#text")  # nothing typed is lost
    press_button(page, "Check and preview")
    page.wait_for_selector("#check-passed")
    assert "Filled in from the case since you last checked: element 2's finding" in page.inner_text(
        ".govuk-notification-banner")
    text = page.input_value("#text")
    assert "2. Transport was late\nOur finding: Upheld." in text and FOUND_OUT in text and PUT_RIGHT in text
    assert FOUND_OUT in page.inner_text("#preview")
    check_page(page)
    checked = page.input_value("#text").strip()

    with page.expect_download(timeout=60_000) as download:  # WeasyPrint takes its time on a busy machine
        press_button(page, "Preview the PDF")
    with open(download.value.path(), "rb") as saved:
        preview = pdf_text(saved.read())
    assert FOUND_OUT in preview and "Page 1 of" in preview and record.reference in preview

    press_button(page, "Send the email")
    page.wait_for_url(f"**/staff/cases/{record.reference}#letters")
    assert "Stage 1 response emailed to sam@example.org" in page.inner_text(".govuk-notification-banner")
    [mail] = live_server.mail(to="sam@example.org", containing=FOUND_OUT, timeout=30)
    sent = mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8")
    assert sent.replace("\r\n", "\n").strip() == checked  # exactly what was checked

    # On the case: the Letters panel, the letter's page with the exact text, its PDF, and
    # the PDF in the case file.
    db.session.expire_all()
    letter = db.session.query(Letter).one()
    assert letter.text.strip() == checked and letter.template_version == 1
    assert FOUND_OUT in pdf_text(letter.pdf)
    assert f"{record.reference}" in pdf_text(letter.pdf)
    assert "Stage 1 response, emailed on" in page.inner_text("#letters")
    assert f"stage1-response-{today().isoformat()}.pdf" in page.inner_text("#documents")
    tab_to(page, "#letters a", "Stage 1 response", limit=300)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/letters/{letter.id}")
    shown = page.inner_text("#letter-text")
    assert PUT_RIGHT in shown and "Dear Sam Taylor," in shown
    check_page(page)
    pdf = page.request.get(live_server.url + f"/staff/letters/{letter.id}/letter.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and FOUND_OUT in pdf_text(pdf.body())


def test_a_response_with_a_placeholder_cannot_be_sent_even_by_a_manager(live_server, page):
    manager = staff_account("mo.manager@example.org", "Mo Manager", "feedback_manager")
    record = complaint()
    record.stages[0].elements[1].outcome = "upheld"
    db.session.commit()
    sign_in(page, manager)
    page.goto(f"/staff/cases/{record.reference}/letters/new?purpose=stage1_response&channel=email")
    text = page.input_value("#text").replace(
        "[Say who looked into your complaint, who they spoke to and what they read.]", FOUND_OUT)
    assert text.count("[Explain what we found, and what we will do.]") == 2  # left as the template has it
    replace_text(page, text)
    press_button(page, "Check and preview")
    page.wait_for_selector(".govuk-error-summary")
    refusal = "Replace \u2018[Explain what we found, and what we will do.]\u2019 (2 times) with your own words"
    assert refusal in page.inner_text(".govuk-error-summary")
    # No way to send it, and a placeholder is nothing a manager can override.
    assert page.locator("button[value=send]").count() == 0
    assert page.locator("#override_reason").count() == 0
    check_page(page)

    # A send forced past the page (the button put back by hand) is refused all the same.
    page.evaluate("""() => {
      const button = document.createElement("button");
      button.name = "action"; button.value = "send"; button.className = "govuk-button"; button.textContent = "Force it";
      document.querySelector("main form").append(button);
    }""")
    press_button(page, "Force it")
    page.wait_for_selector(".govuk-error-summary")
    assert refusal in page.inner_text(".govuk-error-summary")
    db.session.expire_all()
    assert db.session.query(Letter).count() == 0
    assert db.session.query(OutboxMessage).filter_by(purpose="stage_response").count() == 0
    assert db.session.get(Feedback, record.id).stages[0].responded_on is None


# Two long sentences by the officer: 17 words and 20 words, longer than any of the
# template's own (the longest, "If you are not happy with our answer, you can ask for Stage 2
# (independent investigation).", has 16).
HARD = ("Notwithstanding the aforementioned considerations, the departmental investigation concluded that the "
        "communication deficiencies experienced constituted a substantive organisational failure. We are sorry. "
        "Consequently, comprehensive remedial arrangements incorporating supervisory oversight mechanisms and "
        "additional managerial accountability frameworks will be implemented imminently across the directorate.")


def test_a_response_to_a_13_year_old_above_the_target_is_flagged_with_its_longest_sentences(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = complaint(submitter_age=13, submitter_role="child_or_young_person",
                       person=Person(name="Riley", email="riley@example.org"))
    record.stages[0].elements[1].outcome = "upheld"
    db.session.commit()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}/letters/new?purpose=stage1_response&channel=email")
    # A child: the young people's words are chosen for them.
    assert page.eval_on_selector("input[name=audience][value=young]", "e => e.checked")
    text = page.input_value("#text")
    text = re.sub(r"\[Say who looked into it[^\]]*\]", HARD, text)
    text = re.sub(r"\[Say what happened and what we will do now\.\]", "We will ring you every week.", text)
    assert "[" not in text, text
    replace_text(page, text)
    press_button(page, "Check and preview")
    page.wait_for_selector("#longest-sentences")
    warning = page.inner_text("#reading-age")
    assert re.search(r"Reading age \d+: above the target of 10 for a child or young person", warning), warning
    marked = page.locator("#longest-sentences mark").all_inner_texts()
    assert marked[0].startswith("Consequently, comprehensive remedial arrangements")
    assert marked[1].startswith("Notwithstanding the aforementioned considerations")
    assert marked[2].startswith("If you are not happy with our answer, you can ask for Stage 2")
    # Reading age warns; it does not stop the response going.
    assert page.locator("#check-passed").count() == 1
    assert page.locator("button[value=send]").inner_text().strip() == "Send the email"
    check_page(page)


def test_a_manager_edits_the_acknowledgement_and_the_next_one_uses_it(live_server, page, new_page):
    manager = staff_account("mo.manager@example.org", "Mo Manager", "feedback_manager")
    sign_in(page, manager)
    page.goto("/staff/letters/templates")
    check_page(page)
    tab_to(page, "a", "Acknowledgement: email, adults", limit=150)
    page.keyboard.press("Enter")
    page.wait_for_url("**/templates/acknowledgement/email/adult")
    check_page(page)
    replace_text(page, "Dear {{ person.name }},\n\nThanks for your {{ case.what }}.\n\n{{ person.shoe_size }}",
                 "textarea#body")
    press_button(page, "Save a new version")
    page.wait_for_selector(".govuk-error-summary")
    assert "Line 5: {{ person.shoe_size }} is not a merge field" in page.inner_text(".govuk-error-summary")
    check_page(page)
    replace_text(page, "Dear {{ person.name }},\n\nThank you for your {{ case.what }}: we are on it. Your "
                       "reference is {{ case.reference }}.\n\n{{ status_link }}", "textarea#body")
    press_button(page, "Save a new version")
    page.wait_for_selector(".govuk-notification-banner:has-text('Template saved as version 2')")

    # The next acknowledgement: someone sends a complaint through the public form.
    public = new_page()
    reference = PublicSite(public, live_server).complete("complaint", COMPLAINT, keyboard=False)
    [mail] = live_server.mail(to="alex@example.org", containing="we are on it", timeout=30)
    body = mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8").replace("\r\n", "\n")
    assert body.startswith(f"Dear Alex Example,\n\nThank you for your complaint: we are on it. "
                           f"Your reference is {reference}.")
    page.goto(f"/staff/cases/{reference}")
    assert re.search(r"Acknowledgement, emailed on .*\(template version 2\)", page.inner_text("#letters"))
    db.session.expire_all()
    letter = db.session.query(Letter).join(Feedback).filter(Feedback.reference == reference).one()
    assert (letter.purpose, letter.template_version) == ("acknowledgement", 2)


def test_an_extension_is_recorded_then_its_notice_checked_previewed_and_posted(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = complaint()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    new_date = working_days.add(record.stages[0].due_on, 5, current_calendar())  # within the 20 WD most
    page.click("summary:has-text('Record an extension')")
    fill_date(page, "extended_to", new_date)
    page.fill("#extension_reason", "The transport company has not sent its records")
    page.click("button:has-text('Record extension')")
    page.wait_for_selector("#procedure :text('Not told yet')")
    check_page(page)
    page.click("#procedure a:has-text('Write the extension notice')")
    page.wait_for_url("**/letters/new?purpose=extension")
    choose_radio(page, "channel", "letter")
    press_button(page, "Fill in from the template")
    page.wait_for_load_state()
    text = page.input_value("#text")
    assert "Why we need more time: The transport company has not sent its records" in text
    assert f"We will now send you our response by {spoken(new_date)}." in text
    press_button(page, "Check and preview")
    page.wait_for_selector("#check-passed")
    check_page(page)
    press_button(page, "Keep the letter to post")
    page.wait_for_url(f"**/staff/cases/{record.reference}#letters")
    assert f"Complainant told by letter on {today():%A} {spoken(today())}" in page.inner_text("#procedure")
    assert "Not told yet" not in page.inner_text("#procedure")
    check_page(page)
