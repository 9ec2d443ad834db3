"""A change made in one panel of the case page shows at once, without a reload, in every
other part of the page that shows it (issue 13; docs/casework.md, "What a change in
place updates"): each pair checked in Chromium, with every id still on the page once
and axe-core after the swaps. Without JavaScript the same posts give the whole page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, LearningAction, Person
from portal.services.casework import ombudsman
from portal.services.common.dates import today
from tests import factories
from tests.browser import helpers
from tests.browser.helpers import assert_accessible, check_page
from tests.browser.staff import sign_in, staff_account

DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}"""
# govuk-frontend marks each component it has started; htmx's swaps, out of band too, are started.
NOT_STARTED = "() => [...document.querySelectorAll('[data-module=govuk-button]:not([data-govuk-button-init])')].length"


team = factories.team


def fill_date(scope, field_id: str, day: date) -> None:
    helpers.fill_date(scope, field_id, day)


def open_details(page, panel: str, summary: str):
    details = page.locator(f"#{panel} details", has=page.locator(f"summary:has-text({summary!r})")).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def shows(page, part: str, text: str) -> None:
    """Wait until the part of the page with id ``part`` says ``text``."""
    page.wait_for_function("([id, text]) => document.getElementById(id)?.innerText.includes(text)",
                           arg=[part, text])


def opened(page, path: str) -> None:
    page.goto(path)
    page.evaluate("() => { window.notReloaded = true; }")


def still_the_same_page(page) -> None:
    """No reload happened, every id is there once, and every component is started."""
    assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded"
    assert page.evaluate(DUPLICATE_IDS) == []
    # htmx starts the components once the swap has settled, a moment after the new text
    # shows: wait for that, and fail if it never comes.
    try:
        page.wait_for_function(f"() => ({NOT_STARTED})() === 0", timeout=5000)
    except PlaywrightTimeout:
        pytest.fail(f"{page.evaluate(NOT_STARTED)} components were never started after the swap")
    assert_accessible(page)


def new_contact() -> Feedback:
    return factories.initial_contact(reference="CF-2026-00301", channel="web",
                                     summary="Nobody rang back about respite.", due_on=today() + timedelta(days=7),
                                     person=Person(name="Kim Parent", email="kim@example.org"))


def complaint_after_stage_2() -> Feedback:
    """A statutory complaint whose Stage 2 responded two days ago, with an Ombudsman
    enquiry and a recommendation not yet on the action plan."""
    start = today() - timedelta(days=70)
    return factories.after_stage_2((start, start + timedelta(days=14)),
                                   (start + timedelta(days=20), today() - timedelta(days=2)),
                                   reference="CF-2026-00302", summary="The placement was ended without a meeting.",
                                   person=Person(name="Sam Parent", email="sam@example.org"))


def test_an_outcome_or_a_flag_shows_in_the_status_summary_and_due_date_without_a_reload(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = new_contact()
    sign_in(page, officer)
    opened(page, f"/staff/cases/{record.reference}")
    assert "New" in page.inner_text("#case-tags")
    assert "We are looking at this" in page.inner_text("#case-facts")
    assert page.inner_text("#case-due").strip() != "None"

    # Safeguarding panel -> the status tags.
    open_details(page, "safeguarding", "Flag as a safeguarding concern").locator("#reason").fill(
        "The child said they are frightened at home.")
    page.click("#safeguarding button:has-text('Flag and email the duty team')")
    shows(page, "case-tags", "Safeguarding")
    assert "New" not in page.inner_text("#case-tags")  # any staff change opens a new record
    still_the_same_page(page)

    # Outcome panel -> the status tags, the summary list, the due date.
    page.check("input[name=outcome][value=resolved]")
    page.fill("#resolution", "Arranged a respite visit.")
    fill_date(page.locator("#outcome"), "outcome_on", today())
    page.click("#outcome button:has-text('Record outcome')")
    shows(page, "case-tags", "Closed")
    assert "We have resolved this" in page.inner_text("#case-facts")
    assert "We are looking at this" not in page.inner_text("#case-facts")
    assert page.inner_text("#case-due").strip() == "None"
    assert "Resolved informally: Arranged a respite visit." in page.inner_text("#timeline")
    still_the_same_page(page)
    check_page(page)


def test_the_ombudsman_and_stage_panels_update_the_actions_panel_without_a_reload(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    staff_account("fran.fostering@example.org", "Fran Fostering", "team_manager", team("Fostering Team"))
    record = complaint_after_stage_2()
    enquiry = ombudsman.record_enquiry(record, "23 000 001", today() - timedelta(days=1), officer)
    recommendation = ombudsman.add_recommendation(enquiry, "Train the team in ending placements",
                                                  today() + timedelta(days=60), officer)
    db.session.commit()
    sign_in(page, officer)
    opened(page, f"/staff/cases/{record.reference}")
    assert "No actions on the action plan from this case." in page.inner_text("#actions")

    # Ombudsman panel -> the Actions panel.
    details = open_details(page, "ombudsman", "Add to the action plan")
    details.locator(f"#from-recommendation-{recommendation.id}-owner_id").select_option(label="Fran Fostering")
    details.locator("button:has-text('Add to the action plan')").click()
    shows(page, "actions", "Train the team in ending placements")
    assert "No actions" not in page.inner_text("#actions") and "Fran Fostering" in page.inner_text("#actions")
    assert "On the action plan" in page.inner_text("#ombudsman")
    assert db.session.scalars(select(LearningAction)).one().recommendation_id == recommendation.id
    still_the_same_page(page)

    # Complaint stages panel -> the status tags, the summary list, and the stages an
    # action can come from in the Actions panel.
    source = "#actions select[name='action-source']"
    assert page.locator(f"{source} option[value='3']").count() == 0
    details = open_details(page, "procedure", "Record a request for Stage 3")
    fill_date(details, "requested_on", today())
    page.click("#procedure button:has-text('Start Stage 3')")
    shows(page, "case-tags", "stage 3")
    assert "Your complaint is at Stage 3 (review panel)" in page.inner_text("#case-facts")
    assert page.locator(f"{source} option[value='3']").count() == 1
    still_the_same_page(page)
    check_page(page)


def test_classifying_a_shared_compliment_names_the_new_team_in_the_compliment_panel(live_server, page):
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = factories.compliment(reference="CF-2026-00303", channel="web", submitter_role="foster_carer",
                                  summary="Jo was so kind.", status="open", team=team("Fostering Team"),
                                  shared_on=today(), person=Person(name="Fay Carer"))
    sign_in(page, officer)
    opened(page, f"/staff/cases/{record.reference}")
    assert "Shared with Fostering Team\u2019s manager" in page.inner_text("#compliment")
    page.select_option("#team_id", label="SEND Team")
    page.click("#classification button:has-text('Save classification')")
    shows(page, "compliment", "Shared with SEND Team\u2019s manager")
    still_the_same_page(page)
    check_page(page)


def test_without_javascript_a_change_gives_the_whole_page_as_it_now_is(live_server, no_js_page):
    page = no_js_page
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = new_contact()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    page.check("input[name=outcome][value=resolved]")
    page.fill("#resolution", "Arranged a respite visit.")
    fill_date(page.locator("#outcome"), "outcome_on", today())
    page.click("#outcome button:has-text('Record outcome')")
    page.wait_for_selector(".govuk-notification-banner:has-text('Outcome recorded')")
    assert "Closed" in page.inner_text("#case-tags") and "New" not in page.inner_text("#case-tags")
    assert "We have resolved this" in page.inner_text("#case-facts")
    assert page.inner_text("#case-due").strip() == "None"
    ids = re.findall(r'\sid="([^"]+)"', page.content())
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    check_page(page)
