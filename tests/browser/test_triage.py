"""Issue 4's "Done when", in Chromium, by keyboard alone, with JavaScript on (HTMX) and
off: a member of staff signs in, logs a phone call, finds it in the inbox, classifies
it, writes a note and resolves it informally; progresses another initial contact to a
statutory Stage 1 (the stage and its due date on the case page); and shares a
compliment sent through the public form with the team's manager, whose email arrives
at a real SMTP server. Two people editing one record in two browsers: the second is
told, sees the newer version and their own answers, and nothing is lost. axe-core
checks every page on the way."""

from __future__ import annotations

import time
from datetime import date

import pyotp
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Person, StaffUser, Team
from portal.services.intake import references
from portal.services.procedures import working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from tests.browser.helpers import (
    assert_no_browser_errors,
    assert_accessible,
    choose_radio,
    focused,
    press_button,
    tab_to,
    type_into,
)
from tests.browser.public_site import PublicSite
from tests.browser.staff import PASSWORD, staff_account
from tests.public.helpers import COMPLIMENT

MANAGER_EMAIL = "fostering.manager@example.org"
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
# A form refused or a change in conflict is answered 422 or 409 with the panel to swap in
# (HTMX) or the whole page (without JavaScript), by design.
ANSWERED_WITH_THE_PANEL = ("HTTP 409", "status of 409", "HTTP 422", "status of 422")


def team(name: str) -> Team:
    return db.session.scalars(select(Team).where(Team.name == name)).one()


_REPEATED_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}"""


def check(page, allow: tuple[str, ...] = ()) -> None:
    """The browser's log, axe-core, and each id once (an error summary's links, labels
    and htmx's targets all find the first element with an id)."""
    assert_no_browser_errors(page, allow)
    assert_accessible(page)  # without JavaScript, on a twin page (helpers)
    assert page.evaluate(_REPEATED_IDS) == [], f"ids used more than once on {page.url}"


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- Keyboard alone -----------------------------------------------------------------------


def answered(page, selector: str, timeout: float = 10_000) -> None:
    """Wait for what a sent form should bring (or the error summary); fail on errors."""
    try:
        page.locator(selector).or_(page.locator(".govuk-error-summary")).first.wait_for(timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"no {selector} on {page.url}; the page says:\n{page.inner_text('main')}") from None
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, f"refused on {page.url}: {errors.first.inner_text()}"


def said(page, message: str) -> None:
    """A change was saved: with HTMX the panel says so, without JavaScript the banner."""
    answered(page, f":is(.govuk-notification-banner, [role=status]):has-text({message!r})")


def from_the_top(page) -> None:
    """Start the next Tab journey from the top of the page, where a person arriving on
    it starts (after an HTMX swap the button that had focus may have been replaced)."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")


def follow(page, text: str, selector: str = "a") -> None:
    """Tab to the link with this text and press Enter."""
    tab_to(page, selector, text, limit=120)
    page.keyboard.press("Enter")


def choose(page, name: str, value: str) -> None:
    """Tab to a select and choose with the arrow keys, up or down from where it is."""
    select = f"select[name='{name}']"
    tab_to(page, select, limit=120)
    values = page.eval_on_selector(select, "e => [...e.options].map(o => o.value)")
    here = values.index(page.eval_on_selector(select, "e => e.value"))
    there = values.index(value)
    for _ in range(abs(there - here)):
        page.keyboard.press("ArrowDown" if there > here else "ArrowUp")
    chosen = page.eval_on_selector(select, "e => e.value")
    assert chosen == value, f"the arrow keys chose {chosen!r}, not {value!r}, in {name!r}; focus is on {focused(page)}"


def type_date(page, field: str, day: date) -> None:
    """With JavaScript a date that offers the date picker is one box, typed as people
    type it; without, three boxes."""
    if page.locator(f"#{field}-typed").count():
        type_into(page, f"#{field}-typed", f"{day.day}/{day.month}/{day.year}")
        return
    type_into(page, f"#{field}-day", str(day.day))
    type_into(page, f"#{field}-month", str(day.month))
    type_into(page, f"#{field}-year", str(day.year))


def sign_in(page, user: StaffUser) -> None:
    """Password, then the code an authenticator app would show, typed in."""
    page.goto("/staff/sign-in")
    type_into(page, "#email", user.email)
    type_into(page, "#password", PASSWORD)
    press_button(page, "Continue")
    page.wait_for_url("**/staff/sign-in/code")
    db.session.refresh(user)
    step = max(int(time.time()) // 30, (user.totp_last_step or -1) + 1)
    type_into(page, "#code", pyotp.TOTP(user.totp_secret).at(step * 30))
    press_button(page, "Sign in")
    page.wait_for_url("**/staff/")


def open_from_inbox(page, reference: str) -> None:
    """Inbox in the menu, search for the reference, open its case page."""
    from_the_top(page)
    follow(page, "Inbox", "a.govuk-service-navigation__link")
    answered(page, "#q")
    check(page)
    type_into(page, "#q", reference)
    page.keyboard.press("Enter")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # the search applied
    expect(page.locator("#results tbody a").first).to_have_text(reference)
    follow(page, reference)
    answered(page, f"h1:text-is({reference!r})")


def timeline(page) -> str:
    return page.inner_text("#timeline")


# --- The flow -------------------------------------------------------------------------


@JS
def test_triage_by_keyboard_alone(live_server, new_page, javascript):
    fostering = team("Fostering Team")
    fostering.manager_email = MANAGER_EMAIL
    officer = staff_account("olu.officer@example.org", "Olu Officer")
    waiting = Feedback(reference=references.next_reference(today().year), kind="initial_contact",
                       received_on=today(), channel="web", submitter_role="parent_or_carer",
                       summary="My son's school transport plan was never sent to us.", outcome="open",
                       status="new", person=Person(name="Kim Parent", email="kim@example.org"))
    db.session.add(waiting)
    db.session.commit()

    # A foster carer pays a compliment through the public form.
    public = PublicSite(new_page(javascript=javascript), live_server)
    compliment_ref = public.complete("compliment", {**COMPLIMENT, "team": str(fostering.id)}, keyboard=True)

    page = new_page(javascript=javascript)
    sign_in(page, officer)
    check(page)  # the dashboard

    # A phone call, logged.
    follow(page, "Inbox", "a.govuk-service-navigation__link")
    answered(page, "h1:text-is('Inbox')")
    follow(page, "Log feedback that came by phone, email, letter or in person")
    answered(page, "h1:text-is('Log feedback')")
    check(page)
    choose_radio(page, "kind", "initial_contact")
    choose_radio(page, "channel", "phone")
    type_date(page, "received_on", today())
    choose(page, "submitter_role", "foster_carer")
    type_into(page, "#summary", "Rang to say nobody has replied about respite for three weeks.")
    type_into(page, "#name", "Fran Carer")
    type_into(page, "#phone", "07700 900555")
    press_button(page, "Log it")
    answered(page, "#timeline")
    call_ref = page.inner_text("h1")
    assert f"{call_ref} logged" in page.inner_text(".govuk-notification-banner")
    assert "Logged by staff: phone" in timeline(page)
    assert page.locator(".govuk-summary-list__row:has-text('Came by') dd").inner_text() == "Phone"
    check(page)

    # Found in the inbox; classified, a note, resolved informally.
    open_from_inbox(page, call_ref)
    check(page)
    choose(page, "category", "concern")
    choose(page, "team_id", str(fostering.id))
    press_button(page, "Save classification")
    said(page, "Classification saved")
    assert page.locator("#category").input_value() == "concern"
    assert "Classified (category: Concern, team changed)" in timeline(page)

    from_the_top(page)
    type_into(page, "#note", "Called back and left a voicemail.")
    press_button(page, "Add note")
    said(page, "Note added")
    assert "Called back and left a voicemail." in timeline(page)

    from_the_top(page)
    choose_radio(page, "outcome", "resolved")
    type_into(page, "#resolution", "Arranged a respite visit with the fostering team.")
    type_date(page, "outcome_on", today())
    press_button(page, "Record outcome")
    answered(page, f"#outcome:has-text('Resolved on {long_date(today())}.')")
    assert "Resolved informally: Arranged a respite visit with the fostering team." in timeline(page)
    check(page)
    call = db.session.scalars(select(Feedback).where(Feedback.reference == call_ref)).one()
    db.session.refresh(call)
    assert (call.kind, call.channel, call.submitter_role, call.person.name) == (
        "initial_contact", "phone", "foster_carer", "Fran Carer")
    assert (call.category, call.team_id, call.outcome, call.outcome_on) == (
        "concern", fostering.id, "resolved", today())
    assert call.resolution == "Arranged a respite visit with the fostering team."
    assert [e.text for e in call.timeline if e.kind == "note"] == ["Called back and left a voicemail."]

    # The one from the website, progressed to a statutory Stage 1.
    open_from_inbox(page, waiting.reference)
    choose_radio(page, "outcome", "progressed")
    choose_radio(page, "procedure", "statutory")
    type_date(page, "outcome_on", today())
    press_button(page, "Record outcome")
    answered(page, "#procedure-heading")
    due = working_days.add(today(), 10, current_calendar())
    assert "Progressed to Stage 1. The Stage 1 clock has started." in page.inner_text(".govuk-notification-banner")
    assert "Stage 1 (local resolution): open" in page.inner_text("#procedure")
    stage_1 = page.inner_text("#stage-1")
    assert f"Clock started (progressed to Stage 1)\t{long_date(today())}" in stage_1
    assert page.inner_text(".app-case-header .govuk-caption-m").endswith(", progressed to a complaint")
    assert f"Response due\t{long_date(due)}" in stage_1
    assert page.locator("#outcome").count() == 0
    check(page)
    db.session.refresh(waiting)
    assert (waiting.kind, waiting.procedure, waiting.outcome, waiting.outcome_on) == (
        "initial_contact", "statutory", "progressed", today())
    assert [(s.number, s.started_on) for s in waiting.stages] == [(1, today())]

    # The compliment, shared with the Fostering Team's manager by email.
    open_from_inbox(page, compliment_ref)
    check(page)
    type_date(page, "shared_on", today())
    press_button(page, "Email it to the team\u2019s manager")
    answered(page, f"#compliment:has-text('Shared with Fostering Team\u2019s manager on {long_date(today())}.')")
    assert "Shared with Fostering Team's manager" in timeline(page)
    check(page)
    mail = live_server.mail(to=MANAGER_EMAIL)
    assert mail, f"no email to {MANAGER_EMAIL}\n" + live_server.describe_mail()
    assert compliment_ref in mail[-1]["Subject"]
    body = mail[-1].get_payload(decode=True).decode()
    assert "Jo helped us through our first placement with real kindness." in body
    compliment = db.session.scalars(select(Feedback).where(Feedback.reference == compliment_ref)).one()
    db.session.refresh(compliment)
    assert (compliment.kind, compliment.team_id, compliment.shared_on) == ("compliment", fostering.id, today())
    assert_no_browser_errors(page)


# --- Two people, one record -------------------------------------------------------------


@JS
def test_two_people_change_one_record_the_second_is_told_and_nothing_is_lost(live_server, new_page, javascript):
    send, fostering = team("SEND Team"), team("Fostering Team")
    ada = staff_account("ada.first@example.org", "Ada First")
    ben = staff_account("ben.second@example.org", "Ben Second")
    record = Feedback(reference=references.next_reference(today().year), kind="initial_contact",
                      received_on=today(), channel="email", submitter_role="parent_or_carer",
                      summary="The school taxi has not come for a week.", outcome="open", status="open",
                      person=Person(name="Kim Parent", email="kim@example.org"))
    db.session.add(record)
    db.session.commit()
    first, second = new_page(javascript=javascript), new_page(javascript=javascript)
    for page, user in ((first, ada), (second, ben)):
        sign_in(page, user)
        page.goto(f"/staff/cases/{record.reference}")
        answered(page, "#classification")
    check(second)

    # Both classify it; Ada saves first.
    choose(first, "category", "concern")
    choose(first, "team_id", str(send.id))
    choose(second, "category", "query")
    choose(second, "team_id", str(fostering.id))
    press_button(first, "Save classification")
    said(first, "Classification saved")

    # Ben saves what he chose on the page he opened before: he is told, he sees Ada's
    # version in the form and his own choices beside it, and Ada's stays saved.
    press_button(second, "Save classification")
    answered(second, "#classification [role=alert]")
    assert "Someone else changed this record while you had it open." in second.inner_text("main")
    told = second.inner_text("#classification [role=alert]")
    assert "Your change, not saved" in told and "Category\tQuestion" in told and "Team\tFostering Team" in told
    assert second.locator("#category").input_value() == "concern"
    assert second.locator("#team_id").input_value() == str(send.id)
    assert "Classified (category: Concern, team changed)" in timeline(second)
    check(second, allow=ANSWERED_WITH_THE_PANEL)
    db.session.refresh(record)
    assert (record.category, record.team_id) == ("concern", send.id)

    # Ben makes his change again, knowingly: it is saved, and both are on the timeline.
    from_the_top(second)
    choose(second, "category", "query")
    choose(second, "team_id", str(fostering.id))
    press_button(second, "Save classification")
    said(second, "Classification saved")
    db.session.refresh(record)
    assert (record.category, record.team_id) == ("query", fostering.id)
    entries = [(e.actor_label, e.text) for e in record.timeline if (e.text or "").startswith("Classified")]
    assert entries == [("Ada First", "Classified (category: Concern, team changed)"),
                       ("Ben Second", "Classified (category: Question, team changed)")]

    # Notes written at the same time are both kept.
    from_the_top(first)
    from_the_top(second)
    type_into(first, "#note", "Rang the transport team.")
    type_into(second, "#note", "Emailed the school.")
    press_button(first, "Add note")
    said(first, "Note added")
    press_button(second, "Add note")
    said(second, "Note added")
    assert "Rang the transport team." in timeline(second) and "Emailed the school." in timeline(second)
    db.session.refresh(record)
    assert sorted(e.text for e in record.timeline if e.kind == "note") == [
        "Emailed the school.", "Rang the transport team."]
    check(second, allow=ANSWERED_WITH_THE_PANEL)
    assert_no_browser_errors(first)


@JS
def test_an_inbox_date_typed_as_people_type_it_filters_and_one_it_cannot_read_is_explained(
        new_page, live_server, javascript):
    from tests.browser.staff import sign_in as sign_in_quickly

    def record(day: date, n: int) -> Feedback:
        made = Feedback(reference=f"CF-2026-{n:05d}", kind="initial_contact", received_on=day, channel="web",
                        submitter_role="parent_or_carer", summary=f"Received {day}", outcome="open", status="new",
                        person=Person(name=f"Person {n}"))
        db.session.add(made)
        db.session.commit()
        return made

    october, november = record(date(2026, 10, 31), 901), record(date(2026, 11, 1), 902)
    page = new_page(javascript=javascript)
    sign_in_quickly(page, staff_account("dates.officer@example.org", "Dana Dates"))
    page.goto("/staff/inbox")

    page.fill("#from", "31/02/2026")
    press_button(page, "Apply filters")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The \u2018from\u2019 date must be a real date")
    expect(page.locator("#from-error")).to_be_visible()  # beside the field too, with HTMX as without
    check(page)

    page.fill("#from", "1/11/2026")
    press_button(page, "Apply filters")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#from-error")).to_have_count(0)
    expect(page.locator("#results")).to_contain_text(november.reference)
    expect(page.locator("#results")).not_to_contain_text(october.reference)
    assert page.locator("#from").input_value() == "1/11/2026"
