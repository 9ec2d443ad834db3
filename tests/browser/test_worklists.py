"""Issue 20, the officer's lists, in Chromium by keyboard, with JavaScript on and off:
30 initial contacts assigned in one action, a saved filter, the CSV download checked cell
by cell against the list, 50 compact rows at 1280 x 800 without scrolling sideways, the
workload page; axe-core on each page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, SavedFilter
from portal.services.common.dates import today
from tests import factories
from tests.browser.helpers import press_button, tab_to, tick, type_into
from tests.browser.staff import staff_account
from tests.browser.test_triage import answered, check, choose, sign_in

pytestmark = pytest.mark.browser
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])

# The list's cells as the CSV writes them: dates from their <time datetime>, the status
# badges joined as the CSV joins them.
_TABLE_CELLS = """() => [...document.querySelectorAll("#selected tbody tr")].map(row =>
  [...row.querySelectorAll("td")].slice(1).map(cell => {
    const time = cell.querySelector("time");
    if (time) return time.getAttribute("datetime");
    const badges = cell.querySelectorAll(".moj-badge");
    if (cell.classList.contains("app-badges")) return [...badges].map(b => b.textContent.trim()).join(", ");
    return cell.textContent.trim();
  }))"""


def contacts(count: int, **fields) -> list[Feedback]:
    return [factories.initial_contact(received_on=today() - timedelta(days=n % 20), **fields) for n in range(count)]


@JS
def test_thirty_initial_contacts_are_assigned_in_one_action(live_server, new_page, javascript):
    manager = staff_account("manager@example.org", "Mo Manager", "feedback_manager")
    officer = staff_account("olu@example.org", "Olu Officer")
    records = contacts(30)
    page = new_page(javascript=javascript)
    sign_in(page, manager)
    page.goto("/staff/inbox?kind=initial_contact")
    answered(page, "#selected")
    check(page)
    if javascript:
        tab_to(page, "#checkboxes-all")  # MOJ multi-select's "Select all"
        page.keyboard.press("Space")
    else:
        for record in records:
            tick(page, "selected", f"{record.id}:{record.version}")
    assert page.locator("input[name=selected]:checked").count() == 30
    choose(page, "assignee", str(officer.id))
    press_button(page, "Assign selected")
    # 30 changes, each on its record's timeline and in the audit trail: on a busy machine
    # that takes more than the usual wait.
    answered(page, ".govuk-notification-banner:has-text('30 records assigned')", timeout=30_000)
    check(page)
    assigned = db.session.scalars(select(Feedback.assigned_to_id).where(Feedback.id.in_([r.id for r in records])))
    db.session.expire_all()
    assert set(assigned) == {officer.id}


@JS
def test_a_saved_filter_comes_back_under_its_name(live_server, new_page, javascript):
    officer = staff_account("olu@example.org", "Olu Officer")
    late = factories.complaint(factories.stage(today() - timedelta(days=40)), assigned_to_id=officer.id)
    contacts(2)
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    page.goto("/staff/inbox?kind=complaint&overdue=1")
    answered(page, "#name")
    type_into(page, "#name", "My late complaints")
    press_button(page, "Save list")
    answered(page, ".govuk-notification-banner:has-text('List saved')")
    check(page)
    assert db.session.scalars(select(SavedFilter.query)).one() == "kind=complaint&overdue=1"
    page.goto("/staff/inbox")
    tab_to(page, "a", "My late complaints", limit=150)
    page.keyboard.press("Enter")
    expect(page.locator("#selected tbody tr")).to_have_count(1)
    assert page.locator(f"#row-{late.reference}").count() == 1
    check(page)


@JS
def test_the_csv_is_the_filtered_list_cell_by_cell(live_server, new_page, javascript):
    officer = staff_account("olu@example.org", "Olu Officer")
    send = factories.team("SEND Team")
    contacts(6, team_id=send.id, assigned_to_id=officer.id, category="concern")
    contacts(3)  # another team's: filtered out
    factories.initial_contact(team_id=send.id, due_on=today() - timedelta(days=2), status="open",
                              formal_complaint_requested=True)
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    page.goto(f"/staff/inbox?team={send.id}")
    answered(page, "#download-csv")
    check(page)
    shown = page.evaluate(_TABLE_CELLS)
    assert len(shown) == 7
    tab_to(page, "#download-csv")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Reference", "What", "From", "Team", "Received", "Due", "Assigned to", "Status"]
    assert rows[1:] == shown


def test_fifty_compact_rows_fit_1280_by_800_without_scrolling_sideways(live_server, page, tmp_path):
    officer = staff_account("olu@example.org", "Olu Officer")
    contacts(60, assigned_to_id=officer.id, team_id=factories.team("SEND Team").id)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer)
    page.goto("/staff/inbox")
    expect(page.locator("#selected tbody tr")).to_have_count(50)
    check(page)
    page.screenshot(path=str(tmp_path / "inbox-1280x800.png"), full_page=True)
    measured = page.evaluate("""() => ({
      pageWide: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
      tableWide: document.querySelector("#selected").scrollWidth,
      room: document.querySelector(".moj-filter-layout__content").clientWidth,
      rows: [...document.querySelectorAll("#selected tbody tr")].map(r => r.getBoundingClientRect().height)})""")
    assert measured["pageWide"] <= measured["viewport"] == 1280, measured
    assert measured["tableWide"] <= measured["room"], measured
    # One line a row: the 50 take less than two and a half screens (they took eleven).
    assert max(measured["rows"]) <= 40, measured["rows"]
    assert sum(measured["rows"]) <= 2000


def test_your_lists_sit_inside_the_filter_box_as_the_options_do(live_server, page):
    """"Your lists" was flush with the filter box's left edge, and the box for a new list's
    name ran past its right edge: they are inset as the options below them are."""
    officer = staff_account("olu@example.org", "Olu Officer")
    contacts(2)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer)
    page.goto("/staff/inbox?kind=initial_contact")
    expect(page.locator("#saved-filters input#name")).to_be_visible()
    box = page.evaluate("""() => {
      const at = s => document.querySelector(s).getBoundingClientRect();
      return {filter: at(".moj-filter"), lists: at("#saved-filters h3"), name: at("#saved-filters input#name"),
              search: at("#filter-search label")};
    }""")
    assert box["lists"]["left"] == box["search"]["left"] > box["filter"]["left"] + 10, box
    assert box["name"]["right"] <= box["filter"]["right"] - 10, box


def test_the_workload_page(live_server, page):
    manager = staff_account("manager@example.org", "Mo Manager", "feedback_manager")
    officer = staff_account("olu@example.org", "Olu Officer")
    contacts(3, assigned_to_id=officer.id, status="open")
    sign_in(page, manager)
    page.goto("/staff/workload")
    expect(page.locator(f"#officer-{officer.id}")).to_contain_text("Olu Officer")
    check(page)
