"""The annual pages in Chromium, each checked with axe-core: an elected member reads the
figures (and finds no case), a feedback manager fills in the Member's response and the
self-assessment and imports an Ombudsman spreadsheet, with the keyboard and without
JavaScript."""

from __future__ import annotations

import pytest

from tests.annual import data
from tests.browser.helpers import assert_error_page, check_page
from tests.browser.staff import sign_in, staff_account

pytestmark = pytest.mark.browser

YEAR = data.YEAR


def test_a_member_reads_every_annual_page(live_server, page):
    data.load()
    sign_in(page, staff_account("member@example.org", "Morgan Member", "elected_member"))
    page.click("a:has-text('Annual reports')")
    check_page(page)
    page.goto(f"/staff/annual-reports?year={YEAR}")  # the picker offers the last 12 years only
    assert page.inner_text("#year-heading") == f"{YEAR} to {YEAR + 1}"
    for link, heading in (("Annual complaints performance", "Annual complaints performance and service improvement report"),
                          ("statutory annual report", "Children's social care complaints: annual report"),
                          ("self-assessment", "Complaint Handling Code self-assessment"),
                          ("annual letter figures", "The Ombudsman's annual letter figures")):
        page.click(f"#annual-links a:has-text(\"{link}\")")
        assert page.inner_text("h1") == heading
        check_page(page)
        page.go_back()
    assert page.locator("button:has-text('Show the summary')").count() == 0  # a home's summary is for staff
    response = page.goto(f"/staff/cases/{'CF-2026-10001'}")
    assert response.status == 404


def test_a_manager_fills_in_the_annual_pages_without_javascript(live_server, no_js_page):
    page = no_js_page
    data.load()
    sign_in(page, staff_account("manager@example.org", "Mo Manager", "feedback_manager"))
    page.goto(f"/staff/annual-reports/{YEAR}/member-response")
    check_page(page)
    page.click("button:has-text('Save the response')")
    assert_error_page(page)
    check_page(page)
    page.fill("#text", "Answers came faster this year.")
    page.click("button:has-text('Save the response')")
    assert "Answers came faster this year." in page.inner_text("#member-response")
    check_page(page)
    page.goto(f"/staff/self-assessment/{YEAR}/edit")
    check_page(page)
    page.check("#complies_1")
    page.fill("#how_1", "Our policy says so")
    page.click("button:has-text('Save the self-assessment')")
    assert "Our policy says so" in page.inner_text("#section-1")
    check_page(page)
    page.goto("/staff/ombudsman-data/import")
    check_page(page)
    page.goto("/staff/ombudsman-data/reconciliation")
    check_page(page)
    page.goto(f"/staff/annual-reports?year={YEAR}")
    page.click("button:has-text('Show the summary')")
    assert page.inner_text("h1") == "Complaints summary for the last 12 months"
    check_page(page)
