"""axe-core (WCAG 2.2 A and AA) on every public page, at desktop and phone sizes,
with no browser errors (a CSP violation would mean HTMX or GOV.UK Frontend broke)
and none of the GOV.UK brand."""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page
from tests.browser.public_site import PublicSite
from tests.public.helpers import COMPLAINT, COMPLIMENT, CONCERN, PATHS, YOUNG

ANSWERS = {"complaint": COMPLAINT, "concern": CONCERN, "compliment": COMPLIMENT, "young": YOUNG}
DEVICES = ["desktop", "phone"]

PAGES = [
    "/",
    "/compliment",
    "/question-or-concern",
    "/complaint",
    "/young-people",
    "/young-people/tell-us",
    "/accessibility",
    "/privacy",
    "/contact",
]


def assert_unbranded(page) -> None:
    """None of the GOV.UK brand: crown, logotype, Crown copyright, GDS Transport."""
    html = page.content().lower()
    for sign in ("govuk-logo", "govuk-header__logotype", "govuk-crest", "crown"):
        assert sign not in html, f"{sign!r} on {page.url}"
    fonts = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('body *')].map(e => getComputedStyle(e).fontFamily))]"
    )
    assert not [f for f in fonts if "GDS Transport" in f], fonts
    assert page.evaluate("() => [...document.fonts].map(f => f.family)") == []


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", PAGES)
def test_public_page_is_accessible(new_page, live_server, path, device):
    page = new_page(device)
    page.goto(path)
    check_page(page)
    assert_unbranded(page)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", ["compliment", "concern", "complaint", "young"])
def test_check_your_answers_page_is_accessible(new_page, live_server, form, device):
    site = PublicSite(new_page(device), live_server)
    site.open_form(form)
    site.fill(ANSWERS[form], keyboard=False)
    site.continue_(keyboard=False)
    assert site.page.url.endswith(PATHS[form] + "/check"), site.errors_shown()
    check_page(site.page)


@pytest.mark.parametrize("device", DEVICES)
def test_confirmation_page_is_accessible(new_page, live_server, device):
    site = PublicSite(new_page(device), live_server)
    site.complete("complaint", {**COMPLAINT, "at_risk": "yes"}, keyboard=False)
    check_page(site.page)
    assert_unbranded(site.page)


@pytest.mark.parametrize("device", DEVICES)
def test_not_found_page_is_accessible(new_page, live_server, device):
    page = new_page(device)
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert page.title().startswith("Page not found")
    check_page(page, allow=("status of 404",))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", ["complaint", "young"])
def test_a_form_showing_its_errors_is_accessible(new_page, live_server, form, device):
    site = PublicSite(new_page(device), live_server)
    site.open_form(form)
    site.continue_(keyboard=False)
    assert site.page.title().startswith("Error: ")
    assert site.page.is_visible(".govuk-error-summary")
    check_page(site.page)
