"""Issue 20's third "Done when", looked at closer: at 1280 x 800 every cell of the inbox's
compact rows shows all it says (nothing cut off at its column's edge), for every kind of
record a row can be, as well as the 50 rows without scrolling sideways
(test_worklists.py). It found the badges of a complaint ("Statutory complaint, stage 2")
and of the flags ("Formal complaint requested") cut off at their column's edge: their
cells now go onto more lines instead (assets/scss/_app.scss; the assets must be built
again, as `make` does when the Sass changes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.services.common.dates import today
from tests import factories
from tests.browser.staff import staff_account
from tests.browser.test_triage import check, sign_in

pytestmark = pytest.mark.browser

# Cells whose content is wider than they are (cut off, or cut short with an ellipsis); a
# name may be cut short (app-inbox__clip: the case page has it whole), nothing else.
CUT_OFF = """() => [...document.querySelectorAll("main table tbody td:not(.app-inbox__clip)")]
  .filter(cell => cell.scrollWidth > cell.clientWidth + 1 ||
    [...cell.querySelectorAll(".moj-badge")].some(b => b.scrollWidth > b.clientWidth + 1
      || b.getBoundingClientRect().right > cell.getBoundingClientRect().right + 0.5))
  .map(cell => cell.textContent.trim())"""


def test_every_kind_of_row_shows_its_words_whole_at_1280_by_800(live_server, page):
    officer = staff_account("olu@example.org", "Olu Officer")
    send = factories.team("SEND Team")
    start = today() - timedelta(days=20)
    factories.complaint(factories.stage(start - timedelta(days=40), start), factories.stage(start),
                        procedure="statutory", team_id=send.id, assigned_to_id=officer.id)
    factories.complaint(factories.stage(start), procedure="corporate", team_id=send.id)
    factories.initial_contact(category="information_request", team_id=send.id,
                              formal_complaint_requested=True, due_on=today() - timedelta(days=1), status="open")
    factories.initial_contact(team_id=send.id)
    factories.compliment(team_id=send.id)
    # A safeguarding concern waiting for a manager: listed above the inbox, its badge the longest word.
    factories.initial_contact(category="concern", team_id=send.id, safeguarding_concern=True, status="open")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer)
    page.goto("/staff/inbox?sort=oldest")
    expect(page.locator("#selected tbody tr")).to_have_count(5)
    check(page)
    assert page.evaluate(CUT_OFF) == []
