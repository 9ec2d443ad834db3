"""Staff pages in a real browser: the first sign-in from an invitation with TOTP
enrolment (the key read from the page, the code computed as an app would), changes
that show in the audit trail, the HTMX search under the strict CSP, and axe-core on
every staff page."""

from __future__ import annotations

from datetime import date, datetime

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, NonWorkingDay, StaffUser, Theme
from portal.services.accounts import staff_accounts
from tests.browser import helpers
from tests.browser.helpers import check_page, press_button, tab_to, type_into
from tests.browser.staff import PASSWORD, sign_in, staff_account

def invite(live_server, email="ada.admin@example.org", role="administrator") -> str:
    invitation = staff_accounts.create(email, "Ada Admin", role)
    db.session.commit()
    return invitation.link


def admin_account(email="grace.admin@example.org", role="administrator") -> StaffUser:
    return staff_account(email, "Grace Admin", role)


def test_first_sign_in_with_totp_enrolment_and_changes_in_the_audit_trail(live_server, page):
    link = invite(live_server)
    page.goto(link)
    check_page(page)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button:has-text('Continue')")

    page.wait_for_url("**/staff/sign-in/set-up-two-step")
    check_page(page)
    assert page.locator(".app-qr-code svg").count() == 1
    key = page.inner_text("#totp-key").replace(" ", "")
    page.fill("#code", pyotp.TOTP(key).now())
    page.click("button:has-text('Continue')")

    assert page.inner_text("h1") == "Save your recovery codes"
    check_page(page)
    assert page.locator("#recovery-codes li").count() == 10
    page.click("text=I have saved my recovery codes")
    page.wait_for_url("**/staff/")
    assert "Signed in as Ada Admin, Administrator" in page.inner_text("main")
    check_page(page)

    # Make changes through the pages...
    page.click("nav >> text=Themes")
    page.click("text=Add a theme")
    page.fill("#name", "Accessibility of services")
    page.click("button:has-text('Save theme')")
    assert "Accessibility of services has been saved" in page.inner_text("main")
    page.click("nav >> text=Non-working days")
    helpers.fill_date(page, "day", date(2023, 5, 8))
    page.fill("#description", "Coronation of King Charles III")
    page.click("button:has-text('Add non-working day')")
    assert "Monday 8 May 2023" in page.inner_text("main")

    # ...and every one of them is in the audit trail, found with the HTMX search.
    page.click("nav >> text=Audit trail")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    ada = db.session.scalar(select(StaffUser).where(StaffUser.email == "ada.admin@example.org"))
    page.select_option("#person", str(ada.id))
    with page.expect_response(lambda r: "/staff/audit?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.click("button:has-text('Search')")
    results = page.inner_text("#audit-results")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the search reloaded the page instead of swapping"
    assert "Accessibility of services" in results
    assert "Coronation of King Charles III" in results
    assert "sign in" in results and "two step enrolled" in results and "password set" in results
    assert f"person={ada.id}" in page.url  # the search is in the address, for back and bookmarks
    check_page(page)

    theme = db.session.scalar(select(Theme).where(Theme.name == "Accessibility of services"))
    day = db.session.scalar(select(NonWorkingDay))
    for entity_type, entity_id in (("theme", theme.id), ("non_working_day", day.id)):
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id)))
        assert entry.action == "create" and entry.actor_id == ada.id

    # Signing out ends it; signing in again needs the password and a new code.
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/staff/sign-in")
    assert "You have signed out" in page.inner_text("main")
    page.goto("/staff/")
    page.wait_for_url("**/staff/sign-in?next=/staff/")
    sign_in(page, ada)
    assert "Dashboard" in page.inner_text("h1")


def check(page) -> None:
    # The expired-link and not-found pages answer 404, the refused page 403, on purpose.
    check_page(page, allow=("status of 404", "status of 403"))


def test_every_staff_page_passes_axe_under_the_csp(live_server, new_page):
    signed_out = new_page()
    for path in ["/staff/sign-in", "/staff/reset-password", "/staff/set-up/not-a-real-link",
                 "/staff/reset-password/not-a-real-link"]:
        signed_out.goto(path)
        check(signed_out)
    signed_out.goto("/staff/sign-in")
    signed_out.click("button:has-text('Continue')")
    assert "There is a problem" in signed_out.inner_text("main")
    check(signed_out)
    signed_out.goto("/staff/reset-password")
    signed_out.fill("#email", "someone@example.org")
    signed_out.click("button:has-text('Send the link')")
    assert "Check your email" in signed_out.inner_text("h1")
    check(signed_out)
    signed_out.goto(invite(live_server, "new.officer@example.org", "feedback_officer"))
    check(signed_out)
    signed_out.click("button:has-text('Continue')")
    check(signed_out)  # with its errors

    admin = admin_account()
    other = admin_account("someone.else@example.org", "feedback_officer")
    db.session.add(NonWorkingDay(day=datetime(2023, 5, 8).date(), description="Coronation"))
    db.session.commit()
    page = new_page()
    sign_in(page, admin)
    for path in [
        "/staff/", "/staff/audit", "/staff/audit?record_type=staff_user",
        "/staff/admin/staff", "/staff/admin/staff/invite", f"/staff/admin/staff/{other.id}",
        "/staff/admin/teams", "/staff/admin/teams/new", "/staff/admin/teams/1",
        "/staff/admin/themes", "/staff/admin/themes/new", "/staff/admin/themes/1",
        "/staff/admin/non-working-days", "/staff/account", "/staff/no-such-page",
    ]:
        page.goto(path)
        check(page)
    page.goto("/staff/admin/staff/invite")
    page.click("button:has-text('Send the invitation')")
    assert "There is a problem" in page.inner_text("main")
    check(page)
    page.goto("/staff/admin/non-working-days")
    page.click("button:has-text('Add non-working day')")
    check(page)
    page.goto("/staff/account")
    page.click("button:has-text('Change password')")
    assert "Enter your current password" in page.inner_text(".govuk-error-summary")
    check(page)
    page.fill("#codes-current-password", PASSWORD)
    page.click("button:has-text('Get new recovery codes')")
    assert "Save your recovery codes" in page.inner_text("h1")
    check(page)

    phone = new_page(device="phone")
    sign_in(phone, admin)
    for path in ["/staff/", "/staff/audit", "/staff/admin/staff"]:
        phone.goto(path)
        check_page(phone)

    viewer = new_page()
    sign_in(viewer, admin_account("viewer@example.org", "report_viewer"))
    response = viewer.goto("/staff/admin/staff")
    assert response.status == 403
    check(viewer)


def test_a_person_changes_their_own_password_by_keyboard(live_server, page):
    user = admin_account("kit.officer@example.org", "feedback_officer")
    sign_in(page, user)
    page.keyboard.press("Tab")  # from the top of the page, as a keyboard user starts
    tab_to(page, "a", "Your account")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/account")
    new = "seven silver kettles singing"
    type_into(page, "#current_password", PASSWORD)
    type_into(page, "#password", new)
    type_into(page, "#confirm", new)
    press_button(page, "Change password")
    page.wait_for_url("**/staff/sign-in")
    assert "Your password has been changed" in page.inner_text("main")
    page.fill("#email", user.email)
    page.fill("#password", new)
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/staff/sign-in/code")


def test_the_feedback_managers_approvals_and_failed_mail_by_keyboard(live_server, page):
    """Issue 14: case access an administrator gave waits for a feedback manager, and mail
    that can never go is listed with its reason; both pages pass axe-core."""
    from datetime import datetime, timezone

    from portal.services.common import outbox

    manager = staff_account("fiona.manager@example.org", "Fiona Manager", "feedback_manager")
    admin = admin_account()
    waiting = staff_account("owen.officer@example.org", "Owen Officer", "feedback_officer")
    waiting.case_access_requested_by_id = admin.id
    message = outbox.queue("owen.officer@example.org\r\nBcc: x@example.net", "Your feedback", "Hello", "test")
    message.failed_at = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
    message.last_error = "Not sent: the address is not an email address"
    db.session.commit()

    sign_in(page, manager)
    check_page(page)
    tab_to(page, "a", "1 message could not be sent")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/failed-mail")
    assert "Not sent: the address is not an email address" in page.inner_text("#failed-mail")
    check_page(page)

    page.goto("/staff/")
    tab_to(page, "a", "1 person is waiting for you to approve their access to cases")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/case-access")
    assert "Owen Officer" in page.inner_text("#waiting") and "Grace Admin" in page.inner_text("#waiting")
    check_page(page)
    # The post is a navigation: wait for it to finish (the page already loaded would
    # answer a plain wait_for_load_state at once, before the new page arrives).
    with page.expect_navigation():
        press_button(page, "Approve Owen Officer as feedback officer")
    assert "Owen Officer\u2019s access to cases has been approved" in page.inner_text("main")
    assert "Nothing is waiting for approval" in page.inner_text("main")
    check_page(page)
    db.session.refresh(waiting)
    assert waiting.case_access_requested_by_id is None
