"""Issue 20, "Dates people can type", in Chromium by keyboard, with JavaScript on and off:
a staff date is one box that takes what people type, with MOJ Frontend's date picker,
or three boxes without JavaScript; today is already given where it is the likely answer
(a phone call logged now); every date on a case page is the same component, but the
child's date of birth (three boxes: a date people know needs no calendar). axe-core on
each page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Child, Feedback
from portal.services.common.dates import today
from tests import factories
from tests.browser.helpers import choose_radio, press_button, tab_to, type_into
from tests.browser.staff import staff_account
from tests.browser.test_triage import answered, check, choose, sign_in

pytestmark = pytest.mark.browser
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def log_a_call(page) -> None:
    page.goto("/staff/log")
    answered(page, "h1:text-is('Log feedback')")
    check(page)
    choose_radio(page, "kind", "initial_contact")
    choose_radio(page, "channel", "phone")


def finish_the_call(page, summary: str) -> Feedback:
    choose(page, "submitter_role", "foster_carer")
    type_into(page, "#summary", summary)
    press_button(page, "Log it")
    answered(page, "#timeline", timeout=30_000)
    check(page)
    db.session.expire_all()
    return db.session.scalars(select(Feedback).where(Feedback.summary == summary)).one()


@JS
def test_a_phone_call_is_logged_today_without_typing_a_date(live_server, new_page, javascript):
    officer = staff_account("olu@example.org", "Olu Officer")
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    log_a_call(page)
    day = today()
    if javascript:
        expect(page.locator("#received_on-typed")).to_have_value(f"{day:%d}/{day:%m}/{day:%Y}")
        expect(page.locator(".govuk-date-input")).to_be_hidden()
    else:
        assert page.locator("#received_on-typed").count() == 0
        for box, value in (("day", f"{day:%d}"), ("month", f"{day:%m}"), ("year", f"{day:%Y}")):
            expect(page.locator(f"#received_on-{box}")).to_have_value(value)
    record = finish_the_call(page, "Rang about respite: nobody has replied.")
    assert record.received_on == day


def test_the_date_picker_chooses_the_day_before_by_keyboard(live_server, page):
    officer = staff_account("olu@example.org", "Olu Officer")
    sign_in(page, officer)
    log_a_call(page)
    tab_to(page, ".moj-js-datepicker-toggle")
    page.keyboard.press("Enter")
    dialog = page.locator(".moj-datepicker__dialog")
    expect(dialog).to_be_visible()
    check(page)  # the open calendar too
    page.keyboard.press("ArrowLeft")  # from the date in the box (today) to the day before
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    yesterday = today() - timedelta(days=1)
    expect(page.locator("#received_on-typed")).to_have_value(f"{yesterday.day}/{yesterday.month}/{yesterday.year}")
    record = finish_the_call(page, "Rang yesterday evening about transport.")
    assert record.received_on == yesterday


@pytest.mark.parametrize("typed, days_back", [("today", 0), ("{d} {mon} {y}", 2), ("{d}/{m}/{y}", 3)])
def test_a_date_is_typed_as_people_type_it(live_server, page, typed, days_back):
    officer = staff_account("olu@example.org", "Olu Officer")
    sign_in(page, officer)
    log_a_call(page)
    day = today() - timedelta(days=days_back)
    tab_to(page, "#received_on-typed")  # Tab selects what is there: typing replaces it
    page.keyboard.type(typed.format(d=day.day, m=day.month, y=day.year, mon=f"{day:%b}"))
    record = finish_the_call(page, f"Rang about a form ({typed}).")
    assert record.received_on == day


def test_a_date_that_is_not_a_date_is_explained_and_what_was_typed_kept(live_server, page):
    officer = staff_account("olu@example.org", "Olu Officer")
    sign_in(page, officer)
    log_a_call(page)
    tab_to(page, "#received_on-typed")
    page.keyboard.type("31/2/2034")
    choose(page, "submitter_role", "foster_carer")
    type_into(page, "#summary", "Rang about a form.")
    press_button(page, "Log it")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date it was received must be a real date")
    check(page)
    expect(page.locator("#received_on-typed")).to_have_value("31/2/2034")


@JS
def test_every_date_on_a_case_page_is_the_same_component_but_the_date_of_birth(live_server, new_page, javascript):
    officer = staff_account("olu@example.org", "Olu Officer")
    start = today() - timedelta(days=30)
    record = factories.complaint(factories.stage(start), procedure="statutory",
                                 child=Child(name="Jayden Whitmore", statuses=[]))
    db.session.commit()
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    answered(page, f"h1:text-is({record.reference!r})", timeout=30_000)
    check(page)
    fields = page.locator(".govuk-date-input").evaluate_all(
        "boxes => boxes.map(b => b.querySelector('input').name)")
    assert "date_of_birth" in fields and len(fields) >= 5, fields
    pickers = page.locator("[data-app-date]").evaluate_all("els => els.map(e => e.dataset.name)")
    assert sorted(pickers) == sorted(f for f in fields if f != "date_of_birth")
    typed = page.locator(".moj-js-datepicker-input").evaluate_all("els => els.map(e => e.name)")
    assert sorted(typed) == (sorted(pickers) if javascript else [])
