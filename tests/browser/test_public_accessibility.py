"""axe-core (WCAG 2.2 A and AA) on every public page, at desktop and phone sizes,
with no browser errors (a CSP violation would mean HTMX or GOV.UK Frontend broke)
and none of the GOV.UK brand."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_error_page, check_page, focused, is_focused, tab_stops
from tests.browser.public_site import PublicSite
from tests.public.helpers import COMPLAINT, COMPLIMENT, CONCERN, PATHS, YOUNG

ANSWERS = {"complaint": COMPLAINT, "concern": CONCERN, "compliment": COMPLIMENT, "young": YOUNG}
DEVICES = ["desktop", "phone"]
# The person's own details, and the autocomplete tokens that say what each collects.
OWN_DETAILS = {"name": ("name", "given-name"), "email": ("email",), "phone": ("tel",), "address": ("street-address",)}

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


def assert_reflows(page) -> None:
    """WCAG 1.4.10: nothing scrolls sideways at phone width."""
    scroll_width, width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px: {scroll_width}px wide"


def assert_own_details_say_what_they_collect(page) -> None:
    """WCAG 1.3.5: fields for the person's own details carry their autocomplete token."""
    for name, tokens in OWN_DETAILS.items():
        field = page.query_selector(f"main [name='{name}']")
        if field is not None:
            token = field.get_attribute("autocomplete")
            assert token in tokens, f"{name} on {page.url} has autocomplete={token!r}, not one of {tokens}"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", PAGES)
def test_public_page_is_accessible(new_page, live_server, path, device):
    page = new_page(device)
    page.goto(path)
    check_page(page)
    assert_unbranded(page)
    assert page.locator("h1").count() == 1
    assert_own_details_say_what_they_collect(page)
    if device == "phone":
        assert_reflows(page)


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
    if device == "phone":
        assert_reflows(page)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", ["complaint", "young"])
def test_a_form_showing_its_errors_is_accessible(new_page, live_server, form, device):
    site = PublicSite(new_page(device), live_server)
    site.open_form(form)
    site.continue_(keyboard=False)
    assert_error_page(site.page)
    assert site.page.is_visible(".govuk-error-summary")
    check_page(site.page)


@pytest.mark.parametrize("path", ["/complaint", "/young-people/tell-us"])
def test_tabbing_through_a_form_shows_focus_everywhere_and_never_reaches_the_honeypot(page, live_server, path):
    page.goto(path)
    stops = tab_stops(page)
    labels = [s["label"] for s in stops]
    assert stops[0]["label"] == "Skip to main content", labels[:3]
    assert "#website" not in labels
    assert not [s for s in stops if not s["indicator"]], [s for s in stops if not s["indicator"]]
    assert "Continue" in labels


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_skip_link_moves_focus_to_the_main_content(new_page, live_server, javascript):
    page = new_page(javascript=javascript)
    page.goto("/complaint")
    page.keyboard.press("Tab")
    assert is_focused(page, "a.govuk-skip-link"), focused(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next Tab lands inside the main content, past the header and navigation.
    assert page.evaluate("() => !!document.activeElement.closest('main')"), focused(page)


@pytest.mark.parametrize("device", DEVICES)
def test_the_status_page_from_the_confirmation_and_its_timed_out_page_are_accessible(new_page, live_server, device):
    site = PublicSite(new_page(device), live_server)
    site.complete("complaint", COMPLAINT, keyboard=False)
    site.page.click("a:has-text('follow your feedback and add information to it')")
    assert site.page.url.endswith("/your-feedback/case")
    assert "We are looking at this" in site.page.inner_text("main")
    check_page(site.page)
    other = new_page(device)  # a browser that never opened the link
    response = other.goto("/your-feedback/case")
    assert response.status == 403
    assert other.locator("h1").inner_text() == "Open the link in your email again"
    check_page(other, allow=("status of 403",))
    if device == "phone":
        assert_reflows(other)
