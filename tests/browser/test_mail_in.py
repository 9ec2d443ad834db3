"""Email in in Chromium (issue 19): the case's Correspondence panel with a reply written
from it, with JavaScript on (the panel swapped by HTMX) and off (a plain post), and the
review list of email that did not become a case, each checked by axe-core and used by
keyboard."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import MailInMessage, OutboxMessage, Person
from portal.services.mail_in import receive
from tests import factories
from tests.browser.helpers import check_page
from tests.browser.staff import sign_in, staff_account
from tests.mail_in.messages import message

pytestmark = pytest.mark.browser


def _take(live_server, raw: bytes) -> MailInMessage:
    row = receive.take(raw, "test", receive.InSettings.from_app(live_server.app)).message
    db.session.commit()
    return row


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
def test_an_officer_reads_the_thread_and_replies_from_the_case(live_server, new_page, javascript):
    officer = staff_account("officer@example.org", "Olu Officer")
    record = factories.initial_contact(reference="CF-2034-00001",
                                       person=Person(name="Sam Parent", email="sam.parent@example.net"))
    _take(live_server, message("reply_quoting_acknowledgement"))
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}#correspondence")
    panel = page.locator("#correspondence")
    assert "Email received from Sam Parent" in panel.inner_text()
    if javascript:
        assert "Your reference number" not in panel.inner_text()  # folded away until asked for
        panel.locator("summary:has-text('Show what it quoted')").click()
        assert "Your reference number is CF-2034-00001" in panel.inner_text()
    check_page(page)
    page.fill("#reply-text", "Thank you, Sam. We will ring the taxi firm today.")
    panel.locator("button:has-text('Send the reply')").click()
    # In the panel (HTMX), or in the banner of the page the plain post comes back to.
    page.wait_for_function("() => document.body.innerText.includes('Reply to sam.parent@example.net is on its way')"
                           " && document.getElementById('correspondence')?.innerText.includes('Email sent to')")
    assert "Email sent to sam.parent@example.net" in page.locator("#correspondence").inner_text()
    check_page(page)
    reply = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "case_reply")).one()
    assert reply.in_reply_to == "<reply-1@mail.example.net>"


def test_the_review_list_by_keyboard(live_server, page):
    officer = staff_account("officer@example.org", "Olu Officer")
    _take(live_server, message("out_of_office"))
    _take(live_server, message("malformed"))
    sign_in(page, officer)
    page.goto("/staff/mail-in")
    assert "Automatic reply or out of office" in page.content()
    check_page(page)
    button = page.locator("#mail-waiting button:has-text('Nothing to do')").first
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Marked as nothing to do" in page.content()
    assert page.locator("#mail-waiting > li").count() == 1
    check_page(page)
