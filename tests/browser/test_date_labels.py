"""A staff date with JavaScript (assets/js/dates.mjs): the question is asked once. The
fieldset's legend stays the words people see, the one box that takes what people type is
named by it, and the only hint shown is the one about what may be typed. Without
JavaScript the three boxes keep their own hint."""

from __future__ import annotations

from datetime import timedelta

from portal.models import Person
from portal.services.common.dates import today
from tests import factories
from tests.browser.helpers import check_page
from tests.browser.staff import sign_in, staff_account

NAME_OF = "(id) => { const input = document.getElementById(id); return [...input.labels].map(l => l.textContent.trim()); }"
SHOWN = "(selector) => [...document.querySelectorAll(selector)].filter(e => e.offsetParent !== null).map(e => e.innerText.trim())"


def _contact():
    return factories.initial_contact(reference="CF-2026-00311", channel="phone", summary="Asked about respite.",
                                     due_on=today() + timedelta(days=7), person=Person(name="Kim Parent"))


def test_with_javascript_the_date_is_asked_once_with_one_hint(live_server, page):
    record = _contact()
    sign_in(page, staff_account("olu.officer@example.org", "Olu Officer"))
    page.goto(f"/staff/cases/{record.reference}")
    page.check("input[name=outcome][value=resolved]")
    fieldset = "#outcome fieldset:has(#outcome_on-typed)"
    assert page.evaluate(SHOWN, f"{fieldset} legend") == ["Date"]
    assert page.evaluate(SHOWN, f"{fieldset} .govuk-hint") == ["For example, 1/11/2026, 1 Nov 2026 or today"]
    # The box is named by the legend's words, for a screen reader, in a label it does not show.
    assert page.locator(f"{fieldset} label[for=outcome_on-typed]").get_attribute("class").split() == [
        "govuk-label", "govuk-visually-hidden"]
    assert page.evaluate(NAME_OF, "outcome_on-typed") == ["Date"]
    assert page.locator("#outcome_on-typed").get_attribute("aria-describedby").split()[0] == "outcome_on-typed-hint"
    check_page(page)


def test_without_javascript_the_three_boxes_keep_their_hint(live_server, no_js_page):
    record = _contact()
    page = no_js_page
    sign_in(page, staff_account("olu.officer@example.org", "Olu Officer"))
    page.goto(f"/staff/cases/{record.reference}")
    fieldset = "#outcome fieldset:has(#outcome_on-day)"
    assert "For example, 27 3 2026" in " ".join(page.evaluate(SHOWN, f"{fieldset} .govuk-hint"))
    assert page.locator("#outcome_on-typed").count() == 0
    check_page(page)
