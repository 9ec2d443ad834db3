"""Issue 22: an officer accepts a suggested theme by keyboard on the case page, with
JavaScript on and off; the administrator reaches the insight page from Background work;
axe-core finds nothing on either page."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Feedback
from portal.services.insight import store, training
from portal.services.interchange.importer import import_file
from tests import factories
from tests.browser.helpers import check_page, tab_to
from tests.browser.staff import sign_in, staff_account
from tests.insight.conftest import TRAIN


@pytest.fixture
def trained(live_server, tmp_path):
    live_server.configure(INSIGHT_PATH=str(tmp_path / "insight"))
    import_file(TRAIN)
    about = training.train(str(tmp_path / "insight"), 50)
    store.load(str(tmp_path / "insight"))  # read once here, as the first page after a night's training would
    return about


@pytest.mark.parametrize("javascript", [True, False])
def test_an_officer_accepts_a_suggested_theme_by_keyboard(live_server, trained, new_page, javascript):
    page = new_page(javascript=javascript)
    officer = staff_account("ada.officer@example.org", "Ada Officer")
    record = factories.initial_contact(summary="The taxi to school never turned up again and the driver "
                                               "had no booster seat for my daughter.")
    sign_in(page, officer)
    page.goto(live_server(f"/staff/cases/{record.reference}"))
    assert "Similar past cases" in page.inner_text("#insight")
    check_page(page)
    tab_to(page, "button", "Accept theme Transport", limit=400)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#classification select[name=theme_id]')"
                           " && document.querySelector('#classification select[name=theme_id]')"
                           ".selectedOptions[0].textContent.trim() === 'Transport'")
    db.session.expire_all()
    assert db.session.get(Feedback, record.id).theme.name == "Transport"
    assert "Set" in page.inner_text("#insight")
    check_page(page)


def test_the_administrator_reaches_the_insight_page(live_server, trained, page):
    admin = staff_account("grace.admin@example.org", "Grace Admin", "administrator")
    sign_in(page, admin)
    page.goto(live_server("/staff/admin/background-work"))
    tab_to(page, "a", "Insight model", limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/admin/insight")
    assert "Last trained" in page.inner_text("main")
    check_page(page)
