"""Each public form completed by keyboard alone in a real browser, with JavaScript on
and off, at desktop and phone sizes; the safeguarding question, the error summary and
"Exit this page"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback
from tests.browser.helpers import (
    assert_error_page,
    assert_no_browser_errors,
    check_page,
    choose_radio,
    focused,
    is_focused,
    press_button,
    tab_to,
)
from tests.browser.public_site import PublicSite
from tests.public.helpers import COMPLAINT, COMPLIMENT, CONCERN, YOUNG

ANSWERS = {
    "compliment": {**COMPLIMENT, "name": "Pat Example", "email": "pat@example.org"},
    "concern": {**CONCERN, "email": "sam@example.org"},
    "complaint": COMPLAINT,
    "young": {**YOUNG, "contact_methods": ["email", "text"], "email": "riley@example.org"},
}
SENT_AS = {
    "compliment": "Your compliment has been sent",
    "concern": "Your question has been sent",
    "complaint": "Your complaint has been sent",
    "young": "Your complaint has been sent",
}

# Every form with JavaScript on and off, and each of them once at phone size.
RUNS = [
    ("compliment", True, "desktop"),
    ("compliment", False, "phone"),
    ("concern", True, "phone"),
    ("concern", False, "desktop"),
    ("complaint", True, "desktop"),
    ("complaint", False, "phone"),
    ("young", True, "phone"),
    ("young", False, "desktop"),
]


@pytest.mark.parametrize(
    ("form", "javascript", "device"),
    RUNS,
    ids=[f"{form}-{'js' if js else 'no-js'}-{device}" for form, js, device in RUNS],
)
def test_each_form_can_be_sent_by_keyboard_alone(new_page, live_server, form, javascript, device):
    answers = ANSWERS[form]
    site = PublicSite(new_page(device, javascript=javascript), live_server)

    reference = site.complete(form, answers, keyboard=True)

    assert SENT_AS[form] in site.page.inner_text("main")
    assert reference.startswith("CF-")
    record = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert record.summary == answers["summary"]
    acknowledgement = live_server.mail(to=answers["email"], containing=reference)
    assert acknowledgement, f"no acknowledgement with {reference} reached {answers['email']}:\n" + (
        live_server.describe_mail()
    )
    check_page(site.page)  # without JavaScript, axe-core runs on a twin page (helpers)


@pytest.mark.parametrize(("form", "device"), [("complaint", "desktop"), ("young", "phone")])
def test_a_child_at_risk_gets_urgent_help_at_once_and_the_duty_team_is_told(new_page, live_server, form, device):
    site = PublicSite(new_page(device), live_server)
    site.open_form(form)
    help_now = site.page.locator("#conditional-at_risk")
    assert help_now.is_hidden()

    choose_radio(site.page, "at_risk", "yes")

    assert help_now.is_visible()  # revealed at once, before anything is sent
    assert "call 999" in help_now.inner_text() and "0800 1111" in help_now.inner_text()
    answers = {k: v for k, v in ANSWERS[form].items() if k != "at_risk"}
    site.fill(answers)
    site.continue_()
    reference = site.send()

    assert "We have passed this to our duty team straight away" in site.page.inner_text("main")
    duty = live_server.app.config["SAFEGUARDING_EMAIL"]
    assert live_server.mail(to=duty, containing=reference), (
        f"the duty team at {duty} was not told:\n" + live_server.describe_mail()
    )
    assert_no_browser_errors(site.page)


def test_without_javascript_the_urgent_help_is_there_from_the_start(no_js_page, live_server):
    site = PublicSite(no_js_page, live_server).open_form("complaint")
    help_now = site.page.locator("#conditional-at_risk")
    assert help_now.is_visible()
    assert "call 999" in help_now.inner_text()


@pytest.mark.parametrize("form", ["complaint", "young"])
def test_an_empty_form_shows_the_error_summary_focused_with_links_to_each_question(page, live_server, form):
    site = PublicSite(page, live_server).open_form(form)
    site.continue_()

    assert_error_page(page)
    assert is_focused(page, ".govuk-error-summary"), f"the error summary is not focused: {focused(page)}"
    links = page.eval_on_selector_all(".govuk-error-summary__list a", "links => links.map(a => a.hash)")
    assert len(links) >= 5
    # In the order the page asks the questions.
    tops = [page.eval_on_selector(f"[id='{href[1:]}']", "e => e.getBoundingClientRect().top + scrollY") for href in links]
    assert tops == sorted(tops), links

    # By keyboard: Tab to the first link, press Enter, and the question has focus.
    tab_to(page, f".govuk-error-summary__list a[href='{links[0]}']")
    page.keyboard.press("Enter")
    assert is_focused(page, f"[id='{links[0][1:]}']"), f"{links[0]} did not take focus: {focused(page)}"
    # Every other link moves focus to its question too.
    for href in links[1:]:
        page.click(f".govuk-error-summary__list a[href='{href}']")
        assert is_focused(page, f"[id='{href[1:]}']"), f"{href} did not take focus: {focused(page)}"
        # Each question shows its own error message.
        field_error = page.eval_on_selector(
            f"[id='{href[1:]}']", "e => !!e.closest('.govuk-form-group--error')"
        )
        assert field_error, f"{href} has no error message beside it"
    assert_no_browser_errors(page)


@pytest.mark.parametrize("path", ["/young-people", "/young-people/tell-us"])
def test_pressing_shift_three_times_exits_the_young_persons_pages(page, live_server, path):
    page.goto(path)
    assert page.locator(".govuk-exit-this-page").is_visible()
    with page.expect_navigation(url=live_server.app.config["EXIT_PAGE_URL"]):
        for _ in range(3):
            page.keyboard.press("Shift")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_exit_this_page_button_works_by_keyboard(new_page, live_server, javascript):
    page = new_page(javascript=javascript)
    page.goto("/young-people/tell-us")
    with page.expect_navigation(url=live_server.app.config["EXIT_PAGE_URL"]):
        press_button(page, "Emergency Exit this page")
    assert page.title().startswith("Accessibility statement")


def test_the_young_persons_check_answers_page_has_the_exit_button(page, live_server):
    site = PublicSite(page, live_server).open_form("young")
    site.fill(ANSWERS["young"], keyboard=False)
    site.continue_(keyboard=False)
    assert page.url.endswith("/check")
    assert page.locator(".govuk-exit-this-page").is_visible()


BOTH_WAYS = [(True, "desktop"), (False, "phone"), (True, "phone"), (False, "desktop")]
BOTH_WAYS_IDS = [f"{'js' if js else 'no-js'}-{device}" for js, device in BOTH_WAYS]


@pytest.mark.parametrize(("javascript", "device"), BOTH_WAYS, ids=BOTH_WAYS_IDS)
def test_check_your_answers_shows_a_long_answer_line_by_line(new_page, live_server, javascript, device):
    site = PublicSite(new_page(device, javascript=javascript), live_server).open_form("complaint")
    answers = {**COMPLAINT, "summary": "First, the visit was cancelled.\nThen nobody rang back."}
    site.fill(answers, keyboard=False)
    site.continue_(keyboard=False)

    row = site.page.locator(".govuk-summary-list__row", has_text="What is your complaint about?")
    shown = row.locator(".govuk-summary-list__value")
    assert shown.inner_text().splitlines() == ["First, the visit was cancelled.", "Then nobody rang back."]
    assert "<br>" not in shown.inner_text()
    check_page(site.page)


@pytest.mark.parametrize(("javascript", "device"), BOTH_WAYS, ids=BOTH_WAYS_IDS)
def test_a_young_person_who_says_a_child_is_at_risk_is_told_what_happens_now(new_page, live_server,
                                                                             javascript, device):
    site = PublicSite(new_page(device, javascript=javascript), live_server)
    reference = site.complete("young", {**ANSWERS["young"], "what": "concern", "at_risk": "yes"}, keyboard=javascript)

    main = site.page.inner_text("main")
    assert "What happens now" in main and "informally" not in main
    assert "call 999" in main and "0800 1111" in main and "by the next working day" in main
    assert site.page.locator(".govuk-exit-this-page").is_visible()
    check_page(site.page)
    # The status page the sent page links to has the button too.
    site.page.click("main a:text('follow your feedback and add information to it')")
    assert reference in site.page.inner_text("main")
    assert site.page.locator(".govuk-exit-this-page").is_visible()
    check_page(site.page)


@pytest.mark.parametrize(("javascript", "device"), BOTH_WAYS, ids=BOTH_WAYS_IDS)
def test_leaving_by_the_exit_button_clears_the_answers_so_back_shows_nothing(new_page, live_server,
                                                                            javascript, device):
    page = new_page(device, javascript=javascript)
    site = PublicSite(page, live_server).open_form("young")
    secret = "Something only I should see"
    site.fill({**ANSWERS["young"], "summary": secret}, keyboard=False)
    site.continue_(keyboard=False)
    assert secret in page.inner_text("main")  # the check-your-answers page

    with page.expect_navigation(url=live_server.app.config["EXIT_PAGE_URL"]):
        press_button(page, "Emergency Exit this page")
    page.go_back()
    assert secret not in page.content()
    page.go_back()  # the form itself
    for name in ("summary", "name", "email", "phone"):
        assert page.locator(f"main [name='{name}']").input_value() == "", f"{name} came back"
    assert secret not in page.content()
