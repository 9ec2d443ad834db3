"""Issue 20's first "Done when", in Chromium, by keyboard alone, with JavaScript on (HTMX)
and off: an officer finds every case about a child from the inbox by the child's name,
by their date of birth typed as a date, and by their social care record number, though
neither person who wrote is the child; then opens the child's page, which lists them.
axe-core checks every page on the way (the case page's Child and Advocacy panels, the
child's page)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Child, Feedback, Person
from portal.services.common.dates import today
from portal.services.intake import references
from tests.browser.helpers import type_into
from tests.browser.staff import staff_account
from tests.browser.test_triage import answered, check, follow, sign_in

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def case(summary: str, person: str, child: Child | None) -> Feedback:
    record = Feedback(reference=references.next_reference(today().year), kind="initial_contact",
                      received_on=today(), channel="email", submitter_role="parent_or_carer", summary=summary,
                      outcome="open", status="new", person=Person(name=person), child=child)
    db.session.add(record)
    db.session.commit()
    return record


@JS
def test_every_case_about_a_child_is_found_by_name_birthday_and_record_number(live_server, new_page, javascript):
    jayden = Child(name="Jayden Whitmore", date_of_birth=date(2012, 3, 27), record_number="LL-204817",
                   school="Hillside Academy", statuses=["in_care", "ehc_plan"])
    by_mother = case("Nobody has replied about respite.", "Karen Whitmore", jayden)
    by_worker = case("The transport form was lost.", "Tom Ellis", jayden)
    case("A school place was refused.", "Ann Other", Child(name="Amira Khan", statuses=[]))
    both = sorted([by_mother.reference, by_worker.reference])
    officer = staff_account("olu.officer@example.org", "Olu Officer")

    page = new_page(javascript=javascript)
    sign_in(page, officer)
    follow(page, "Inbox", "a.govuk-service-navigation__link")
    answered(page, "#q")
    check(page)
    for text in ("Jayden", "27/3/2012", "LL-204817"):
        page.locator("#q").focus()
        page.locator("#q").fill("")
        type_into(page, "#q", text)
        page.keyboard.press("Enter")
        # The search applied (HTMX pushes the address, as a plain GET goes to it), then its rows.
        page.wait_for_function("q => new URL(location.href).searchParams.get('q') === q", arg=text)
        expect(page.locator("#results tbody tr")).to_have_count(2)
        found = page.locator("#results tbody tr").evaluate_all("rows => rows.map(r => r.querySelector('a').textContent.trim())")
        assert sorted(found) == both, text
    check(page)

    follow(page, by_mother.reference)
    answered(page, f"h1:text-is({by_mother.reference!r})", timeout=30_000)
    child_panel = page.locator("#child")
    expect(child_panel).to_contain_text("Jayden Whitmore")
    expect(child_panel).to_contain_text("LL-204817")
    expect(child_panel).to_contain_text("Child in care")
    expect(page.locator("#advocacy")).to_contain_text("No advocate offered yet")
    check(page)

    follow(page, "Jayden Whitmore")
    answered(page, "h1:text-is('Jayden Whitmore')", timeout=30_000)
    expect(page.locator("#child-cases tbody tr")).to_have_count(2)
    check(page)
