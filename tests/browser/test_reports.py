"""The reports page in Chromium: the period changed with JavaScript on (HTMX swaps the
report in place and keeps the period in the address) and off (a plain GET form), charts
that load as images under the strict CSP (no violation logged), errors for a bad period,
and axe-core with no violations on the page, the swapped-in report and the error state."""

from __future__ import annotations

from tests.browser.helpers import assert_error_page, assert_no_browser_errors, check_page
from tests.browser.staff import sign_in
from tests.browser.test_staff_sign_in import admin_account
from tests.reports import dataset

START = "/staff/reports?from=2023-05-15&to=2023-11-14"


def open_reports(page, email: str):
    dataset.load()
    sign_in(page, admin_account(email=email, role="feedback_officer"))
    page.goto(START)
    assert page.inner_text("h1") == "Feedback report"
    assert "15 May 2023 to 14 November 2023" in page.inner_text("#report-period-text")


def charts_loaded(page) -> bool:
    return page.eval_on_selector_all(
        "figure.app-report-chart img", "imgs => imgs.length === 4 && imgs.every(i => i.complete && i.naturalWidth > 0)")


def test_the_period_changes_in_place_with_javascript(live_server, page):
    open_reports(page, "officer.js@example.org")
    assert charts_loaded(page)
    check_page(page)
    page.evaluate("() => { window.stillTheSamePage = true; }")

    page.fill("#from", "2023-07-01")
    page.fill("#to", "2023-09-30")
    page.click("button:has-text('Show report')")
    page.wait_for_url("**/staff/reports?from=2023-07-01&to=2023-09-30")
    page.wait_for_function("() => document.querySelector('#report-period-text')?.textContent.includes('1 July 2023')")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded, not swapped"
    assert page.inner_text("#table-feedback-received tbody tr:first-child").split("\t")[0] == "Compliments"
    assert charts_loaded(page)
    check_page(page)

    page.click("a:has-text('Year to date')")
    page.wait_for_url("**/staff/reports?pick=ytd")
    assert page.evaluate("() => window.stillTheSamePage === true")

    page.fill("#from", "2023-04-01")
    page.fill("#to", "2024-06-30")
    page.click("button:has-text('Show report')")
    page.wait_for_selector(".govuk-error-summary")
    assert "A report covers at most 12 months" in page.inner_text(".govuk-error-summary")
    assert page.locator("#to-error").count() == 1
    check_page(page)

    page.go_back()  # history restore of the earlier period
    page.wait_for_url("**/staff/reports?pick=ytd")
    assert_no_browser_errors(page)


def test_the_period_changes_with_a_plain_form_without_javascript(live_server, no_js_page):
    page = no_js_page
    open_reports(page, "officer.nojs@example.org")
    assert charts_loaded(page)
    check_page(page)  # axe-core on the same markup in a twin page (helpers.assert_accessible)

    page.fill("#from", "2023-07-01")
    page.fill("#to", "2023-09-30")
    page.click("button:has-text('Show report')")
    page.wait_for_url("**/staff/reports?from=2023-07-01&to=2023-09-30")
    assert "1 July 2023 to 30 September 2023" in page.inner_text("#report-period-text")
    assert_no_browser_errors(page)

    page.fill("#from", "2023-02-30")
    page.click("button:has-text('Show report')")
    page.wait_for_selector(".govuk-error-summary")
    assert_error_page(page)
    assert "The start date must be a real date" in page.inner_text(".govuk-error-summary")
    assert_no_browser_errors(page, allow=("status of 400",))  # a bad period is a bad request

    page.click("a:has-text('Q2')  >> nth=0")
    page.wait_for_url("**/staff/reports?pick=q2-*")
    assert page.locator(".govuk-error-summary").count() == 0
    assert_no_browser_errors(page, allow=("status of 400",))
