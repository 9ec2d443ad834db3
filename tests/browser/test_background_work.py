"""Issue 16: an administrator reaches the background work page by keyboard from the
dashboard, sees failed mail with its reason, tries a message again (with JavaScript on
and off) and it goes; axe-core finds nothing on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.services.common import outbox
from portal.services.common.dates import now_utc
from tests.browser.helpers import check_page, press_button, tab_to
from tests.browser.staff import sign_in, staff_account


@pytest.mark.parametrize("javascript", [True, False])
def test_an_administrator_tries_failed_mail_again_by_keyboard(live_server, new_page, javascript):
    page = new_page(javascript=javascript)
    admin = staff_account("grace.admin@example.org", "Grace Admin", "administrator")
    message = outbox.queue("parent@example.org", "About your complaint", "Hello", "acknowledgement")
    message.failed_at = now_utc() - timedelta(hours=3)
    message.attempts = 1
    message.last_error = "The mail server refused the address: 550 5.1.1 <parent@example.org>: mailbox full"
    db.session.commit()

    sign_in(page, admin)
    tab_to(page, "a", "Background work")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/admin/background-work")
    table = page.inner_text("#failed-mail")
    assert "mailbox full" in table and "(address hidden)" in table and "parent@example.org" not in table
    assert "3 hours ago" in table
    check_page(page)

    with page.expect_navigation():
        press_button(page, f"Try again to send message {message.id}")
    assert f"Message {message.id} will be tried again" in page.inner_text("main")
    check_page(page)
    assert live_server.mail(to="parent@example.org"), live_server.describe_mail()
