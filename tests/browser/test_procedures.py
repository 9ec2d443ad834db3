"""Issue 5's "Done when", in Chromium: a complaint travels through all three statutory
stages, and another through both corporate stages, on the case page with HTMX under the
strict CSP; elements get their outcomes, each response goes by email through the outbox
to a real SMTP server and states the right next step (the date to ask for the next stage,
or the Ombudsman); the person asks for Stage 3 from their status page; axe-core checks
the case page with a stage open.

Issue 13: a response is refused while it holds a placeholder, and goes only after a page
that shows it to check; the person asking for the next stage says what they are still
unhappy about, and the officer is told. Both with JavaScript on and off."""

from __future__ import annotations

import re


from portal.models import Feedback, Person, StaffUser
from portal.services.procedures import clocks
from portal.services.intake import status_links
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from portal.services.procedures import current_timescales
from portal.services.common.placeholders import PATTERN
from portal.services.common.dates import spoken
from tests.browser import helpers
from tests.browser.helpers import assert_no_browser_errors, check_page
from tests import factories
from tests.browser.staff import sign_in, staff_account

EMAIL = "sam.taylor@example.org"
# A refused form comes back as 422 with the panel and its errors, which HTMX swaps in.
REFUSED = ("HTTP 422", "status of 422")


def initial_contact(assigned_to: StaffUser) -> Feedback:
    return factories.initial_contact(reference="CF-2026-00001", channel="phone",
                                     summary="Nobody from the team has called me back.", status="open",
                                     assigned_to=assigned_to, person=Person(name="Sam Taylor", email=EMAIL))


def fill_date(scope, field_id: str) -> None:
    helpers.fill_date(scope, field_id, today())


def open_action(page, summary: str):
    """Open the "details" of an action on the procedure panel; return its content."""
    details = page.locator("#procedure details", has=page.locator(f"summary:has-text({summary!r})")).first
    details.locator("summary").click()
    return details


def done(page, notice: str) -> None:
    """Wait for the HTMX swap of the panel to say what was done."""
    page.wait_for_selector(f"#procedure [role=status]:has-text({notice!r})")


def record_today(page, action: str, field_id: str, button: str, notice: str) -> None:
    """Date an action on the procedure panel today, send it, and wait for the panel's notice."""
    fill_date(open_action(page, action), field_id)
    page.click(f"#procedure button:has-text({button!r})")
    done(page, notice)


def acknowledge(page) -> None:
    record_today(page, "Record the acknowledgement", "acknowledged_on", "Record acknowledgement",
                 "Acknowledgement recorded")


def progress(page, procedure: str) -> None:
    page.check("input[name=outcome][value=progressed]")
    page.check(f"input[name=procedure][value={procedure}]")
    fill_date(page.locator("#outcome"), "outcome_on")
    page.click("#outcome button:has-text('Record outcome')")
    # htmx loads the whole case page (HX-Redirect), now with its stages. Waiting for
    # "Progressed" matched the form's own radio label at once, and the reload raced the post.
    page.wait_for_selector("#procedure-heading")
    page.reload()


def add_element(page, summary: str, number: int) -> None:
    open_action(page, "Add an element").locator("#summary").fill(summary)
    page.click("#procedure button:has-text('Add element')")
    done(page, f"Element {number} added")


def give_outcome(page, number: int, outcome: str) -> None:
    page.select_option(f"#outcome-{number}", outcome)
    page.click(f"#element-{number} button:has-text('Save outcome')")
    done(page, f"Outcome of element {number} saved")


def write_response(page, number: int) -> None:
    """The panel's way to respond: the letters page with the stage's response template."""
    page.click("#write-response")
    page.wait_for_url(f"**/letters/new?purpose=stage{number}_response")
    assert page.eval_on_selector("#purpose", "e => e.value") == f"stage{number}_response"


def send_response(page, number: int) -> None:
    """Write the findings in place of the placeholders, check and preview the response on
    the letters page, send it; back on the case page."""
    write_response(page, number)
    if page.eval_on_selector("input[name=channel][value=email]", "e => e.checked") is False:
        page.check("input[name=channel][value=email]")
        page.click("button[value=fill]")
        page.wait_for_load_state()
    draft = page.input_value("#text")
    assert draft.startswith("Dear Sam Taylor,") and "[" in draft
    page.fill("#text", PATTERN.sub("We read the file and spoke to the team.", draft))
    page.click("button:has-text('Check and preview')")
    page.wait_for_selector("#check-passed")
    page.click("button:has-text('Send the email')")
    page.wait_for_selector(f".govuk-notification-banner:has-text('Stage {number} response emailed to {EMAIL}')")
    page.wait_for_selector("#procedure-heading")


def mail_saying(live_server, words: str) -> str:
    found = live_server.mail(to=EMAIL, containing=words)
    assert found, f"no email to {EMAIL} saying {words!r}\n" + live_server.describe_mail()
    return found[-1].get_payload(decode=True).decode().replace("\r\n", "\n")


def send_the_last_response(live_server, page, number: int) -> str:
    """Send the last stage's response: its email points to the Ombudsman rather than to a
    next stage, and the panel says no stage follows. The email's body."""
    send_response(page, number)
    body = mail_saying(live_server, "Local Government and Social Care Ombudsman")
    assert "Please ask us by" not in body
    assert "This was the last stage" in page.inner_text("#procedure")
    return body


def ask_by(day) -> str:
    """The date a response sent on ``day`` says the next stage can be asked for by."""
    return spoken(clocks.escalation_deadline(day, current_calendar(), current_timescales().base))


def request_next_stage(page, number: int) -> None:
    details = open_action(page, f"Record a request for Stage {number}")
    fill_date(details, "requested_on")
    page.click(f"#procedure button:has-text('Start Stage {number}')")
    done(page, f"Stage {number} started")


def ask_for_next_stage(person, number: int, unhappy_about: str) -> None:
    """From the status page: the button, the page that asks (nothing typed is refused),
    then the request."""
    person.click(f"a:has-text('Ask for Stage {number}')")
    person.wait_for_selector(f"h1:has-text('Ask for Stage {number}')")
    assert f"Stage {number} starts today. You cannot undo this" in person.inner_text("main")
    check_page(person)
    person.click(f"main button:has-text('Ask for Stage {number}')")
    person.wait_for_selector(".govuk-error-summary:has-text('Enter what you are still unhappy about')")
    person.fill("#unhappy_about", unhappy_about)
    person.click(f"main button:has-text('Ask for Stage {number}')")
    person.wait_for_selector(f".govuk-notification-banner:has-text('We have your request for Stage {number}')")


def test_a_statutory_complaint_through_all_three_stages(live_server, page, new_page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    staff_account("ines.io@example.org", "Ines Investigator", "investigating_officer")
    record = initial_contact(officer)
    sign_in(page, officer)
    case_url = f"/staff/cases/{record.reference}"
    page.goto(case_url)
    progress(page, "statutory")
    assert "Stage 1 (local resolution): open" in page.inner_text("#procedure")
    check_page(page)  # axe-core with Stage 1 open

    # Stage 1: an element, its outcome, the response by email with the Stage 2 deadline.
    add_element(page, "Nobody called back after my first call", 1)
    write_response(page, 1)  # too soon: the check names the element with no finding
    page.click("button:has-text('Check and preview')")
    page.wait_for_selector(".govuk-error-summary:has-text('Element 1')")
    assert "has no finding" in page.inner_text(".govuk-error-summary")
    assert page.locator("button[value=send]").count() == 0
    page.goto(case_url)
    give_outcome(page, 1, "upheld")
    send_response(page, 1)
    body = mail_saying(live_server, "Stage 2 (independent investigation)")
    assert f"Please ask us by {ask_by(today())}" in body and "Our finding: Upheld." in body

    # Stage 2, asked for by phone: the IO, the IP, the statement, elements old and new.
    request_next_stage(page, 2)
    details = open_action(page, "Appoint the Investigating Officer")
    details.locator("#investigating_officer").select_option(label="Ines Investigator")
    page.click("#procedure button:has-text('Appoint Investigating Officer')")
    done(page, "Investigating Officer appointed")
    open_action(page, "Appoint the Independent Person").locator("#independent_person_name").fill("Ira Independent")
    page.click("#procedure button:has-text('Appoint Independent Person')")
    done(page, "Independent Person appointed")
    record_today(page, "Record when the statement of complaint was agreed", "agreed_on",
                 "Record statement of complaint", "Statement of complaint recorded")
    give_outcome(page, 1, "partially_upheld")
    add_element(page, "The plan was not shared with me", 2)
    give_outcome(page, 2, "not_upheld")
    check_page(page, allow=REFUSED)  # axe-core with Stage 2 open, after HTMX swaps
    send_response(page, 2)
    body = mail_saying(live_server, "Stage 3 (review panel)")
    assert f"Please ask us by {ask_by(today())}" in body
    assert "Nobody called back after my first call" in body and "Our finding: Partially upheld." in body

    # Stage 3, asked for by the person from their status page.
    person = new_page()
    person.goto(f"/your-feedback/{status_links.token_for(record)}")
    ask_for_next_stage(person, 3, "The panel should hear why the plan was never shared.")
    check_page(person)
    told = live_server.mail(to="olu.officer@example.org", containing="has asked for Stage 3")
    assert told, live_server.describe_mail()

    page.reload()
    assert "Stage 3 (review panel): open" in page.inner_text("#procedure")
    assert re.search(r"Panel meeting due\s+\w+day \d+ \w+ \d{4}", page.inner_text("#stage-3"))
    details = open_action(page, "Appoint the review panel")
    details.locator("#member_1_name").fill("Ruth Reviewer")
    details.locator("#member_2_name").fill("Pat Panel")
    details.locator("#member_3_name").fill("Cleo Chair")
    details.locator("input[name=chair][value='3']").check()
    page.click("#procedure button:has-text('Appoint panel')")
    done(page, "Panel appointed")
    record_today(page, "Record the panel meeting", "panel_met_on", "Record panel meeting", "Panel meeting recorded")
    record_today(page, "Record the panel's report", "panel_report_on", "Record panel report", "Panel report recorded")
    assert "Cleo Chair (chair), Ruth Reviewer, Pat Panel" in page.inner_text("#stage-3")
    give_outcome(page, 1, "not_upheld")
    give_outcome(page, 2, "upheld")
    body = send_the_last_response(live_server, page, 3)
    # The Stage 3 response now comes from the letters' template (issue 18), not the old fixed text.
    assert "Our Stage 3 (review panel) response" in body and body.startswith("Dear Sam Taylor")
    assert_no_browser_errors(page, allow=REFUSED)


def test_a_corporate_complaint_through_both_stages(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    staff_account("orla.other@example.org", "Orla Other")
    record = initial_contact(officer)
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    progress(page, "corporate")

    acknowledge(page)
    add_element(page, "The school taxi was late every day", 1)
    give_outcome(page, 1, "partially_upheld")
    send_response(page, 1)
    body = mail_saying(live_server, "Please ask us by")
    assert f"Please ask us by {ask_by(today())}" in body and "Stage 2" in body

    request_next_stage(page, 2)
    # The Stage 1 officer may not handle Stage 2: the portal says so on the form.
    open_action(page, "Appoint the officer for this stage").locator("#officer").select_option(label="Olu Officer")
    page.click("#procedure button:has-text('Appoint officer')")
    page.wait_for_selector("#procedure .govuk-error-summary:has-text('was the Stage 1 officer')")
    assert page.locator("#officer-error").count() == 1
    check_page(page, allow=REFUSED)  # axe-core with the error summary in the panel
    page.locator("#officer").select_option(label="Orla Other")
    page.click("#procedure button:has-text('Appoint officer')")
    done(page, "Officer appointed")
    acknowledge(page)
    give_outcome(page, 1, "upheld")
    body = send_the_last_response(live_server, page, 2)
    assert "Our finding: Upheld." in body
    assert_no_browser_errors(page, allow=REFUSED)


def test_a_response_with_placeholders_is_refused_then_checked_changed_and_sent_without_javascript(
        live_server, no_js_page, new_page):
    """Issue 13 without JavaScript: the response with its placeholders left in is refused
    naming them, with what was typed kept; checked and previewed on the letters page, the
    response goes from there (issue 18: nothing goes without a preview); the person then asks
    for Stage 2 without JavaScript, and the officer is told by email."""
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = initial_contact(officer)
    page = no_js_page
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    page.check("input[name=outcome][value=progressed]")
    page.check("input[name=procedure][value=statutory]")
    fill_date(page.locator("#outcome"), "outcome_on")
    page.click("#outcome button:has-text('Record outcome')")
    page.wait_for_selector("#procedure:has-text('Stage 1 (local resolution): open')")
    open_action(page, "Add an element").locator("#summary").fill("Nobody called back")
    page.click("#procedure button:has-text('Add element')")
    page.wait_for_selector("#element-1")
    page.select_option("#outcome-1", "upheld")
    page.click("#element-1 button:has-text('Save outcome')")
    page.wait_for_selector(".govuk-notification-banner:has-text('Outcome of element 1 saved')")

    write_response(page, 1)
    if not page.eval_on_selector("input[name=channel][value=email]", "e => e.checked"):
        page.check("input[name=channel][value=email]")
        page.click("button[value=fill]")
        page.wait_for_selector("#text")
    typed = page.input_value("#text").replace("Dear Sam Taylor,", "Dear Sam,")
    page.fill("#text", typed)
    page.click("button:has-text('Check and preview')")
    summary = page.locator(".govuk-error-summary").first
    summary.wait_for()
    assert "Replace each part in square brackets" in summary.inner_text()
    assert page.input_value("#text").startswith("Dear Sam,")
    assert page.locator("button[value=send]").count() == 0
    check_page(page)

    page.fill("#text", PATTERN.sub("We read the file and spoke to the team.", typed))
    page.click("button:has-text('Check and preview')")
    page.wait_for_selector("#check-passed")
    assert "We read the file and spoke to the team." in page.inner_text("#preview")
    check_page(page)
    page.click("button:has-text('Send the email')")
    page.wait_for_selector(f".govuk-notification-banner:has-text('Stage 1 response emailed to {EMAIL}')")
    body = mail_saying(live_server, "Please ask us by")
    assert body.startswith("Dear Sam,") and "[" not in body

    person = new_page(javascript=False)
    person.goto(f"/your-feedback/{status_links.token_for(record)}")
    ask_for_next_stage(person, 2, "Nobody has said sorry.")
    told = live_server.mail(to="olu.officer@example.org", containing="has asked for Stage 2")
    assert told, live_server.describe_mail()
    page.goto(f"/staff/cases/{record.reference}")
    assert "Stage 2 (independent investigation): open" in page.inner_text("#procedure")
    assert "What they are still unhappy about: Nobody has said sorry." in page.inner_text("main")


def test_the_acknowledgement_is_a_step_with_its_own_clock_on_the_case_page(live_server, page):
    """Issue 21: a corporate Stage 1 under the Complaint Handling Code is acknowledged within
    5 WD, and its response is due 10 WD after the acknowledgement. By hand, on the test
    clock's Wednesday 18 October 2034: registered Monday 9 October, the acknowledgement was
    due Monday 16 October (overdue, 2 working days ago); acknowledged today, the response
    is due Wednesday 1 November 2034. axe-core checks the page before and after."""
    from datetime import date

    from portal.extensions import db
    from portal.services.procedures import deadlines

    assert today() == date(2034, 10, 18)
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = factories.complaint(factories.stage(date(2034, 10, 9)), procedure="corporate",
                                 reference="CF-2034-00009", assigned_to=officer,
                                 person=Person(name="Sam Taylor", email=EMAIL))
    deadlines.refresh(record)
    db.session.commit()
    sign_in(page, officer)
    assert "CF-2034-00009\tCorporate Stage 1\tOverdue was due 16 October 2034" in page.inner_text("#acknowledgements")
    page.goto(f"/staff/cases/{record.reference}", timeout=60_000)  # the first case page a worker draws
    clocks_shown = page.inner_text("#stage-1")
    assert "Overdue: was due 16 October 2034, 2 working days ago" in clocks_shown
    assert "Monday 30 October 2034" in clocks_shown  # the response, 10 WD after the 16th
    check_page(page)

    acknowledge(page)
    clocks_shown = page.inner_text("#stage-1")
    assert "Done 18 October 2034 (late)" in clocks_shown
    assert "Wednesday 1 November 2034" in clocks_shown
    assert "Acknowledge by" not in page.inner_text("#case-due")
    check_page(page)
    db.session.refresh(record)
    assert (record.acknowledge_by, record.due_on) == (None, date(2034, 11, 1))


def test_an_administrator_adds_timescales_from_a_date_and_axe_finds_nothing(live_server, page):
    """Issue 21: the timescales page lists the sets from a date (the Code's from 1 April
    2026); the page that adds one is checked by axe-core, refuses a date that would move
    open complaints in the error summary, and saves a later one."""
    from portal.extensions import db
    from portal.models import TimescaleSetRow
    from portal.services.procedures import working_days
    from portal.services.procedures.working_days import Calendar

    admin = staff_account("ada.admin@example.org", "Ada Admin", "administrator")
    sign_in(page, admin)
    page.goto("/staff/admin/timescales")
    assert "Wednesday 1 April 2026" in page.inner_text("#timescale-sets-corporate")
    check_page(page)
    page.click("a:has-text('Add new corporate timescales from a date')")
    page.wait_for_selector("h1:has-text('New corporate timescales')")
    check_page(page)
    fill_date(page, "effective_from")  # today: refused
    page.fill("#reason", "The council's own rule")
    page.click("button:has-text('Save new timescales')")
    page.wait_for_selector(".govuk-error-summary:has-text('must be after today')")
    assert page.input_value("#reason") == "The council's own rule"
    check_page(page)
    later = working_days.add(today(), 30, Calendar())
    helpers.fill_date(page, "effective_from", later)
    page.click("button:has-text('Save new timescales')")
    page.wait_for_selector(".govuk-notification-banner:has-text('New corporate timescales saved')")
    db.session.expire_all()
    assert db.session.query(TimescaleSetRow).one().effective_from == later
