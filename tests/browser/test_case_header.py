"""The case page's header stays in view as the page scrolls (assets/scss/_app.scss,
.app-case-header): what a link or Tab reaches must not hide under it (WCAG 2.2, 2.4.11)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.staff import sign_in, staff_account

pytestmark = pytest.mark.browser

PLACE = """(id) => ({top: document.getElementById(id).getBoundingClientRect().top,
  header: document.querySelector('.app-case-header').getBoundingClientRect().bottom,
  scrolled: window.scrollY})"""


@pytest.mark.parametrize("panel", ["letters", "documents", "procedure"])
def test_a_panel_opened_by_its_link_starts_below_the_sticky_header(live_server, page, panel):
    """A walk through issue 18 found the Letters panel under the header when the case page
    opened at #letters after a letter was sent: GOV.UK Frontend's own scroll-padding-top
    rule won over the portal's."""
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    record = factories.complaint()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}#{panel}")
    page.wait_for_load_state("load")
    place = page.evaluate(PLACE, panel)
    assert place["scrolled"] > 0, place  # the page did scroll to the panel
    assert place["top"] >= place["header"] - 1, place
