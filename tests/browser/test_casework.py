"""The casework flows in Chromium, each with axe-core on every page it passes through:
an Ombudsman enquiry decided as upheld with a remedy and two recommendations, the
overdue one on the dashboard and in the reminder email; an action raised at Stage 2
that reaches its owner's dashboard and monthly reminder and is closed with a note on
the action plan; a restriction letter that shows on the person's cases and comes up for
review, while their new complaint still arrives in the inbox (and is merged into their
record from the case page)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, LearningAction, OmbudsmanEnquiry, Payment, Person, StaffUser, Team
from portal.services.casework import learning_actions
from portal.services.common import outbox
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from tests.browser import helpers
from tests.browser.helpers import assert_accessible, assert_error_page, check_page, watch
from tests.browser.public_site import PublicSite
from tests import factories
from tests.browser.staff import sign_in, staff_account
from tests.public.helpers import COMPLAINT

# A refused form sent by HTMX is answered 422 with the errors to swap in, by design.
REFUSED_BY_HTMX = ("HTTP 422", "status of 422")


def refused_as_designed(page) -> None:
    """The only problems logged are the 422 answers to a refused form: forget them."""
    log = watch(page)
    assert log.problems and all(any(a in p for a in REFUSED_BY_HTMX) for p in log.problems), log.problems
    log.clear()


def account(email: str, role: str, name: str, team: Team | None = None) -> StaffUser:
    return staff_account(email, name, role, team)


team = factories.team


def complaint_at_stage_2(person: Person | None = None) -> Feedback:
    """A statutory complaint whose Stage 2 investigation has responded."""
    start = today() - timedelta(days=90)
    return factories.after_stage_2((start, start + timedelta(days=14)),
                                   (start + timedelta(days=30), start + timedelta(days=60)),
                                   reference="CF-2026-00001",
                                   person=person or Person(name="Sam Parent", email="sam@example.org"))


def remedy_of_250(record: Feedback) -> Payment:
    """A £250 remedy paid today, decided by someone the form does not list by name."""
    payment = Payment(feedback=record, kind="financial_remedy", amount_pence=25000, paid_on=today(),
                      decided_by="Dee Director, adjudicating manager", description="Time and trouble")
    db.session.add(payment)
    db.session.commit()
    return payment


def fill_date(page, field_id: str, day: date) -> None:
    helpers.fill_date(page, field_id, day)


def open_details(page, text: str) -> None:
    summary = page.locator("summary", has_text=text).first
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()


def swapped(page, panel: str, text: str) -> None:
    """Wait for an HTMX swap to show ``text`` in the panel."""
    page.wait_for_function("([id, text]) => document.getElementById(id)?.innerText.includes(text)", arg=[panel, text])


def amount_refused_then_corrected(page, panel: str, field: str, button: str, refused: str, corrected: str,
                                  shows: str) -> None:
    """An amount with more than two decimal places is refused in the panel: its error is
    swapped in (a 422, by design) and the page stays accessible. The corrected amount is
    then saved, and the panel shows ``shows``."""
    page.fill(field, refused)
    page.click(f"#{panel} button:has-text('{button}')")
    swapped(page, panel, "no more than 2 decimal places")
    assert_accessible(page)
    refused_as_designed(page)
    page.fill(field, corrected)
    page.click(f"#{panel} button:has-text('{button}')")
    swapped(page, panel, shows)


def working_day_from(day: date) -> date:
    calendar = current_calendar()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def send_reminders(live_server, on: date) -> None:
    result = live_server.app.test_cli_runner().invoke(args=["send-reminders", "--today", on.isoformat()])
    assert result.exit_code == 0, result.output
    outbox.send_due(outbox.MailSettings.from_config(live_server.app.config))


def test_an_ombudsman_enquiry_decided_upheld_with_a_remedy_and_two_recommendations(live_server, page):
    manager = account("mina.manager@example.org", "feedback_manager", "Mina Manager")
    record = complaint_at_stage_2()
    sign_in(page, manager)
    page.goto(f"/staff/cases/{record.reference}")
    check_page(page)
    page.evaluate("() => { window.stillTheSamePage = true; }")

    open_details(page, "Record an Ombudsman enquiry about this case")
    page.fill("#enquiry-reference", "23 012 345")
    fill_date(page, "enquiry-notified_on", today() - timedelta(days=40))
    page.check("#enquiry-status-2")  # Investigation
    page.click("#ombudsman button:has-text('Record enquiry')")
    swapped(page, "ombudsman", "LGSCO reference 23 012 345")
    enquiry = db.session.scalars(select(OmbudsmanEnquiry)).one()

    open_details(page, "Record the decision")
    page.check(f"input[name='decision-{enquiry.id}-decision'][value='upheld']")
    fill_date(page, f"decision-{enquiry.id}-decided_on", today() - timedelta(days=20))
    amount_refused_then_corrected(page, "ombudsman", f"#decision-{enquiry.id}-remedy_amount", "Record decision",
                                  "12.345", "£1,300", shows="£1,300.00")
    assert "Upheld on" in page.inner_text("#ombudsman")

    for text, due in (("Apologise to the family in writing", today() - timedelta(days=3)),
                      ("Review how placements are ended", today() + timedelta(days=60))):
        open_details(page, "Add a recommendation")
        page.fill(f"#recommendation-{enquiry.id}-text", text)
        fill_date(page, f"recommendation-{enquiry.id}-due_on", due)
        page.click("#ombudsman button:has-text('Add recommendation')")
        swapped(page, "ombudsman", text)
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded, not swapped"
    assert "Overdue" in page.inner_text(f"#recommendations-{enquiry.id}")
    check_page(page)

    page.goto("/staff/")
    overdue = page.inner_text("#ombudsman-due")
    assert "Apologise to the family in writing" in overdue and "Overdue" in overdue
    assert "Review how placements are ended" not in overdue
    check_page(page)

    send_reminders(live_server, working_day_from(today()))
    [mail] = live_server.mail(to=manager.email, containing="Apologise to the family in writing")
    assert mail["Subject"] == "Ombudsman recommendations: 1 overdue, 0 due soon"


def test_an_enquiry_about_a_complaint_the_portal_never_held(live_server, page):
    # A plain form (no HTMX on this page), so JavaScript on or off it posts the same.
    sign_in(page, account("olu.officer@example.org", "feedback_officer", "Olu Officer"))
    page.click("a:has-text('Record an Ombudsman enquiry')")
    page.wait_for_url("**/staff/ombudsman/new")
    check_page(page)
    page.click("main button:has-text('Record enquiry')")
    page.wait_for_selector(".govuk-error-summary")
    assert_error_page(page)
    assert "Enter the LGSCO reference" in page.inner_text(".govuk-error-summary")
    check_page(page)
    page.fill("#reference", "22 999 111")
    fill_date(page, "notified_on", today() - timedelta(days=5))
    page.fill("#summary", "A complaint about school transport made in 2021.")
    page.click("main button:has-text('Record enquiry')")
    page.wait_for_url("**/staff/cases/CF-*")
    assert "LGSCO reference 22 999 111" in page.inner_text("#ombudsman")
    check_page(page)


def test_an_action_raised_at_stage_2_reaches_its_owner_and_is_closed_with_a_note(live_server, new_page):
    officer = account("olu.officer@example.org", "feedback_officer", "Olu Officer")
    owner = account("fran.fostering@example.org", "team_manager", "Fran Fostering", team=team("Fostering Team"))
    record = complaint_at_stage_2()

    page = new_page()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}#actions")
    open_details(page, "Add a recommendation to the action plan")
    page.select_option("#action-source", "2")
    page.fill("#action-recommendation", "Meet foster carers before a placement is ended")
    page.select_option("#action-owner_id", str(owner.id))
    # The monthly reminder on the first working day of next month, before the action is due
    # (30 days from today could fall before it: from 1 December, 31 December, overdue on 4 January).
    first = learning_actions.first_working_day_of_month(today().replace(day=28) + timedelta(days=7), current_calendar())
    fill_date(page, "action-due_on", first + timedelta(days=30))
    page.click("#actions button:has-text('Add action')")
    swapped(page, "actions", "Stage 2 recommendation")
    assert "Action added to the action plan" in page.inner_text("#actions")
    check_page(page)
    action = db.session.scalars(select(LearningAction)).one()
    assert (action.source, action.owner_id) == ("2", owner.id)

    send_reminders(live_server, first)
    [mail] = live_server.mail(to=owner.email, containing="Meet foster carers before a placement is ended")
    assert mail["Subject"] == "Your open actions: 1"

    owner_page = new_page()
    sign_in(owner_page, owner)
    assert "Meet foster carers before a placement is ended" in owner_page.inner_text("#my-actions")
    check_page(owner_page)

    owner_page.click("nav a:has-text('Action plan')")
    owner_page.wait_for_url("**/staff/actions")
    check_page(owner_page)
    owner_page.evaluate("() => { window.stillTheSamePage = true; }")
    owner_page.select_option("#filter-status", "not_done")
    owner_page.wait_for_url("**/staff/actions?status=not_done*")
    row = f"#action-{action.id}"
    owner_page.click(f"{row} summary")
    owner_page.select_option(f"#action-status-{action.id}-status", "done")
    owner_page.click(f"{row} button:has-text('Save')")
    owner_page.wait_for_function(
        "(id) => document.getElementById(id)?.innerText.includes('Enter what was done')", arg=f"action-{action.id}")
    assert_accessible(owner_page)
    refused_as_designed(owner_page)
    owner_page.fill(f"#action-status-{action.id}-completion_note", "Carers now meet the team manager first.")
    owner_page.click(f"{row} button:has-text('Save')")
    owner_page.wait_for_function(
        "(id) => document.getElementById(id)?.innerText.includes('Done on')", arg=f"action-{action.id}")
    assert owner_page.evaluate("() => window.stillTheSamePage === true")
    check_page(owner_page)
    db.session.refresh(action)
    assert (action.status, action.completion_note) == ("done", "Carers now meet the team manager first.")

    owner_page.goto("/staff/")
    assert owner_page.locator("#my-actions").count() == 0


def test_the_action_plan_without_javascript(live_server, no_js_page):
    officer = account("olu.officer@example.org", "feedback_officer", "Olu Officer")
    record = complaint_at_stage_2()
    action = learning_actions.raise_action(record, "2", "Write to the family", officer, today() + timedelta(days=3),
                                           officer)
    db.session.commit()
    page = no_js_page
    sign_in(page, officer)
    page.goto("/staff/actions")
    page.select_option("#filter-status", "open")
    page.click("button:has-text('Apply filters')")
    page.wait_for_url("**/staff/actions?status=open*")
    page.click(f"#action-{action.id} summary")
    page.select_option(f"#action-status-{action.id}-status", "in_progress")
    page.click(f"#action-{action.id} button:has-text('Save')")
    page.wait_for_url("**/staff/actions?status=open*")
    assert "Action updated" in page.inner_text("main")
    check_page(page)  # axe-core on the same markup in a twin page (helpers.assert_accessible)


def test_a_cost_is_recorded_then_corrected_in_place_and_the_totals_follow(live_server, page):
    officer = account("olu.officer@example.org", "feedback_officer", "Olu Officer")
    record = complaint_at_stage_2()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}#money")
    page.evaluate("() => { window.stillTheSamePage = true; }")

    open_details(page, "Record a cost or a remedy")
    page.check("#payment-kind")  # Investigation cost
    page.fill("#payment-amount", "1,300")
    fill_date(page, "payment-paid_on", today() - timedelta(days=2))
    page.fill("#payment-reason", "Independent Person's fee for Stage 2")
    page.click("#money button:has-text('Record payment')")
    swapped(page, "money", "£1,300.00")
    payment = db.session.scalars(select(Payment)).one()

    open_details(page, "Correct the payment of £1,300.00")
    assert page.input_value(f"#payment-{payment.id}-amount") == "1,300.00"
    amount_refused_then_corrected(page, "money", f"#payment-{payment.id}-amount", "Save correction",
                                  "13.005", "130", shows="Payment corrected")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded, not swapped"
    totals = page.inner_text("#payment-totals")
    assert "£130.00" in totals and "£1,300.00" not in totals
    check_page(page)


def test_a_payment_is_corrected_without_javascript(live_server, no_js_page):
    officer = account("olu.officer@example.org", "feedback_officer", "Olu Officer")
    record = complaint_at_stage_2()
    payment = remedy_of_250(record)
    page = no_js_page
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}#money")
    page.click("summary:has-text('Correct the payment of £250.00')")
    # Who decided is shown as it was recorded: "Someone else", with the name and role.
    assert page.is_checked(f"#payment-{payment.id}-decided_by-4")
    assert page.input_value(f"#payment-{payment.id}-decided_by_other") == "Dee Director, adjudicating manager"
    page.fill(f"#payment-{payment.id}-amount", "275")
    page.click("#money button:has-text('Save correction')")
    page.wait_for_url(f"**/staff/cases/{record.reference}*")
    assert "Payment corrected" in page.inner_text("main")
    assert "£275.00" in page.inner_text("#payments")
    check_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_removing_a_payment_asks_first_and_says_it_cannot_be_undone(live_server, new_page, javascript):
    """Issue 13: a payment was removed on one press. Now "Remove" leads to a page that
    asks, with a warning; "No, keep it" keeps it; only "Yes, remove" removes it."""
    officer = account("olu.officer@example.org", "feedback_officer", "Olu Officer")
    record = complaint_at_stage_2()
    payment = remedy_of_250(record)
    payment_id = payment.id
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}#money")
    remove = page.get_by_role("link", name="Remove the payment of £250.00")
    remove.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/payments/*/remove")
    assert "Are you sure you want to remove this payment?" in page.inner_text("h1")
    assert "You cannot undo this." in page.inner_text("main") and "£250.00" in page.inner_text("main")
    check_page(page)
    page.click("a:has-text('No, keep it')")
    page.wait_for_url(f"**/staff/cases/{record.reference}*")
    assert "£250.00" in page.inner_text("#payments")
    db.session.expire_all()
    assert db.session.get(Payment, payment_id) is not None

    page.get_by_role("link", name="Remove the payment of £250.00").click()
    page.wait_for_url("**/payments/*/remove")
    page.click("button:has-text('Yes, remove the payment of £250.00')")
    page.wait_for_url(f"**/staff/cases/{record.reference}*")
    assert "Payment removed" in page.inner_text("main")
    assert "No investigation costs or financial remedies recorded." in page.inner_text("#money")
    db.session.expire_all()
    assert db.session.get(Payment, payment_id) is None
    check_page(page)


def test_a_restriction_letter_shows_on_the_persons_cases_and_their_new_complaint_still_arrives(
        live_server, new_page):
    manager = account("mina.manager@example.org", "feedback_manager", "Mina Manager")
    alex = Person(name="Alex Example", email="alex@example.org")
    record = complaint_at_stage_2(alex)

    page = new_page()
    sign_in(page, manager)
    page.goto(f"/staff/people/{alex.id}")
    page.click("a:has-text('Record a letter about unreasonably persistent contact')")
    page.wait_for_url(f"**/staff/people/{alex.id}/restrictions/new")
    check_page(page)
    page.click("main button:has-text('Record letter')")
    page.wait_for_selector(".govuk-error-summary")
    check_page(page)
    letter_on = today() - timedelta(days=190)
    fill_date(page, "letter_issued_on", letter_on)
    page.check("input[name='restrictions'][value='single_point_of_contact']")
    page.check("input[name='restrictions'][value='written_contact_only']")
    page.fill("#reason", "Daily calls and emails to many officers about one complaint")
    page.fill("#decided_by", "Mina Manager, Customer Feedback Manager")
    page.click("main button:has-text('Record letter')")
    page.wait_for_url(f"**/staff/people/{alex.id}")
    notice = page.inner_text("#restriction-notice")
    assert "Single point of contact" in notice and "Written contact only" in notice
    assert "never stop a new complaint being considered on its merits" in notice
    check_page(page)

    page.goto(f"/staff/cases/{record.reference}")
    assert "Contact restrictions since" in page.inner_text("#restriction-notice")
    check_page(page)

    # Six months on from the letter is already past: the review is due.
    page.goto("/staff/")
    assert "Alex Example" in page.inner_text("#reviews-due")
    page.click("nav a:has-text('Restrictions')")
    page.wait_for_url("**/staff/restrictions")
    assert "Alex Example" in page.inner_text("#reviews-due")
    check_page(page)
    page.click("#reviews-due a:has-text('Record a review')")
    page.wait_for_url("**/staff/restrictions/*/review")
    check_page(page)
    fill_date(page, "reviewed_on", today())
    page.check("input[name='outcome'][value='renewed']")
    page.click("main button:has-text('Record review')")
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the reasons for renewing the restrictions" in page.inner_text(".govuk-error-summary")
    check_page(page)
    page.fill("#reasons", "The calls continued last month")
    page.click("main button:has-text('Record review')")
    # The review drafts the review letter (issue 18, 5), ready to check and preview.
    page.wait_for_url("**/staff/restrictions/*/letter?purpose=restriction_review")
    assert "What we decided: Renewed: The calls continued last month" in page.input_value("#text")
    check_page(page)
    page.goto(f"/staff/people/{alex.id}")
    assert "Review due" in page.inner_text("#restriction-notice")

    # Their new complaint through the public form arrives in triage like anyone's. Its
    # details are unchecked: staff see who it may be and merge it (docs/security.md),
    # then the notice shows on it too.
    public = new_page()
    reference = PublicSite(public, live_server).complete("complaint", COMPLAINT, keyboard=False)
    page.goto("/staff/inbox?status=new")
    assert reference in page.inner_text("#results")
    page.goto(f"/staff/cases/{reference}")
    suggestion = page.inner_text("#suggested-people")
    assert f"Person {alex.id}: Alex Example has the same email address" in suggestion
    check_page(page)
    page.click(f"#suggested-people button:has-text('Merge into person {alex.id}')")
    page.wait_for_url(f"**/staff/people/{alex.id}")
    page.goto(f"/staff/cases/{reference}")
    assert "Contact restrictions since" in page.inner_text("#restriction-notice")
    assert page.locator("#suggested-people").count() == 0
    check_page(page)
