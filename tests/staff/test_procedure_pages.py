"""The complaint procedure panel of the case page (issue 5) through the staff pages: each
action by a plain post and by HTMX, the services' refusals in the GOV.UK error pattern,
who may change what, the organisation's timescales page, and the person asking for the
next stage from their status page."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Element, Feedback, OutboxMessage, Person
from portal.services.intake import status_links
from portal.services.common.dates import spoken, today
from portal.services.common.placeholders import PATTERN
from portal.services.procedures import escalation, register_complaint, responses, timescales
from tests import factories
from tests.pages import letter_fields
from tests.staff.conftest import error_summary as summary_html

HTMX = {"HX-Request": "true"}


def make_record(received_on: date, email: str | None = "sam@example.org", **fields) -> Feedback:
    fields.setdefault("person", Person(name="Sam Taylor", email=email))
    return factories.initial_contact(received_on=received_on, status="open", **fields)


def complaint(actor, procedure: str = "statutory", registered_on: date = date(2023, 12, 21),
              **fields) -> Feedback:
    record = make_record(registered_on, **fields)
    register_complaint(record, procedure, registered_on, actor)
    db.session.commit()
    return record


def error_summary(page: str) -> list[str]:
    return [html.unescape(message) for message in summary_html(page)]


def d(day: date) -> list[str]:
    """A date as the three boxes send it."""
    return [str(day.day), str(day.month), str(day.year)]


def page_text(response) -> str:
    """The page's words without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def post(client, record, path: str, htmx: bool = False, **data):
    db.session.refresh(record)
    data.setdefault("version", record.version)
    return client.post(f"/staff/cases/{record.reference}/{path}", data=data, headers=HTMX if htmx else {})


def written(text: str) -> str:
    """A drafted response with staff's words where its placeholders were."""
    return PATTERN.sub("We read the case file and spoke to the social worker.", text)


def answered(actor, record: Feedback, on: date) -> None:
    """Respond to the open stage on ``on``, every element upheld."""
    stage = record.stages[-1]
    if not stage.elements:
        stage.elements.append(Element(number=1, summary="Nobody called back"))
    for element in stage.elements:
        element.outcome = "upheld"
    db.session.commit()
    responses.send_response(stage, written(responses.draft_response(stage, on, actor, "post")), "post", on, actor)
    db.session.commit()


def drafted(page: str) -> str:
    """The response form's text as the page shows it."""
    found = re.search(r'<textarea[^>]*id="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    return html.unescape(found)


def hidden(page: str) -> dict[str, list[str]]:
    """The hidden fields of a page's forms, as a browser would send them."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        fields.setdefault(name, []).append(html.unescape(value))
    return fields


def assert_fragment(response, status: int = 200) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:2000]
    assert "<html" not in body and 'id="procedure"' in body and 'hx-swap-oob="true"' in body
    assert "HX-Request" in response.headers["Vary"]
    return body


# --- The worked example and extensions ----------------------------------------------------


def test_worked_example_stage1_due_9_january_and_extended_to_the_maximum_23_january(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    assert "Clock started (registered) Thursday 21 December 2023" in text
    assert "Response due Tuesday 9 January 2024" in text
    assert "Overdue: was due 9 January 2024" in text  # in words, not colour alone
    assert "The latest the response can be extended to is Tuesday 23 January 2024" in text

    response = post(client, record, "stages/1/extension", extended_to=d(date(2024, 1, 23)),
                    extension_reason="The team manager is away")
    assert response.status_code == 302 and response.headers["Location"].endswith("#procedure")
    text = page_text(client.get(response.headers["Location"]))
    assert "Stage 1 extended: response now due 23 January 2024. Now write the extension notice" in text
    assert "Response due Tuesday 23 January 2024" in text
    assert "To Tuesday 23 January 2024: The team manager is away Not told yet Write the extension notice" in text
    assert OutboxMessage.query.count() == 0

    # The notice: written, checked and kept to post from the letters page (issue 18).
    url = f"/staff/cases/{record.reference}/letters/new"
    fields = letter_fields(client.get(url, query_string={"purpose": "extension", "channel": "letter"})
                           .get_data(as_text=True))
    assert "Why we need more time: The team manager is away" in fields["text"]
    assert "We will now send you our response by 23 January 2024." in fields["text"]
    assert "Ombudsman" not in fields["text"]  # a statutory complaint: not under the Code
    base = {"purpose": "extension", "channel": "letter", "audience": "adult", **fields}
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    assert error_summary(body) == []
    response = client.post(url, data={**base, "checked": letter_fields(body)["checked"], "action": "send"})
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"].split("#")[0]))
    assert f"Complainant told by letter on {today():%A} {spoken(today())}" in text
    assert "Not told yet" not in text


def test_an_extension_beyond_the_maximum_is_refused_with_the_services_message(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    data = dict(extended_to=d(date(2024, 1, 24)), extension_reason="Waiting for records")
    response = post(client, record, "stages/1/extension", **data)
    assert response.status_code == 200
    errors = error_summary(response.get_data(as_text=True))
    assert errors and "23 January 2024" in errors[0]
    assert "Error: " in response.get_data(as_text=True).split("</title>")[0]

    body = assert_fragment(post(client, record, "stages/1/extension", htmx=True, **data), 422)
    assert "There is a problem" in body and 'href="#extended_to"' in body
    db.session.refresh(record)
    assert record.stages[0].extended_to is None


def test_an_extension_form_without_answers_shows_govuk_messages(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    errors = error_summary(post(client, record, "stages/1/extension").get_data(as_text=True))
    assert "Enter the date the extension runs to" in errors
    assert "Enter the reason for the extension" in errors


def test_an_extension_notice_by_email_goes_only_from_the_letters_page(signed_in):
    """Issue 18: the extension notice is checked and previewed like any letter; recording
    the extension mails nothing, and the notice, once sent, says how the complainant was told."""
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    body = assert_fragment(post(client, record, "stages/1/extension", htmx=True, extended_to=d(date(2024, 1, 16)),
                                extension_reason="Waiting for records"))
    assert "Stage 1 extended: response now due 16 January 2024" in body
    assert f'href="/staff/cases/{record.reference}/letters/new?purpose=extension"' in body
    assert OutboxMessage.query.count() == 0
    url = f"/staff/cases/{record.reference}/letters/new"
    fields = letter_fields(client.get(url, query_string={"purpose": "extension", "channel": "email"})
                           .get_data(as_text=True))
    base = {"purpose": "extension", "channel": "email", "audience": "adult", **fields}
    # Without its reason the notice is held back (the Complaint Handling Code asks for it).
    without = {**base, "text": base["text"].replace("Waiting for records", "reasons")}
    body = client.post(url, data={**without, "action": "check"}).get_data(as_text=True)
    assert "The letter must give the reason for the extension" in error_summary(body)
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    assert error_summary(body) == []
    assert client.post(url, data={**base, "checked": letter_fields(body)["checked"],
                                  "action": "send"}).status_code == 302
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.to_address == "sam@example.org" and "Why we need more time: Waiting for records" in message.body
    db.session.refresh(record)
    extension = record.stages[0].extensions[0]
    assert (extension.told_by, extension.told_on, extension.outbox_message_id) == ("email", today(), message.id)


def test_a_corporate_stage1_is_acknowledged(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user, "corporate")
    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    assert "Acknowledgement due Tuesday 2 January 2024" in text  # 5 WD, over Christmas
    body = assert_fragment(post(client, record, "stages/1/acknowledge", htmx=True,
                                acknowledged_on=d(date(2023, 12, 22))))
    assert "Acknowledgement recorded" in body and "Done 22 December 2023 (in time)" in body
    errors = error_summary(post(client, complaint(client.user, "corporate"), "stages/1/acknowledge",
                                acknowledged_on=d(date(2023, 12, 20))).get_data(as_text=True))
    assert errors == ["The date acknowledged must be on or after 21 December 2023, when Stage 1 started"]


# --- Pauses ---------------------------------------------------------------------------------


def test_pausing_and_resuming_by_htmx_moves_the_due_date_on(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    body = assert_fragment(post(client, record, "stages/1/pause", htmx=True,
                                pause_reason="Care proceedings in the family court", started_on=d(date(2024, 1, 2))))
    assert "Stage 1 paused" in body and "Paused since Tuesday 2 January 2024" in body
    assert "End the pause" in body
    body = assert_fragment(post(client, record, "stages/1/resume", htmx=True, ended_on=d(date(2024, 1, 5))))
    assert "Pause ended: 3 working days paused" in body
    assert "Response due</dt>" in body and "Friday 12 January 2024" in body


def test_a_pause_needs_its_reason_and_a_real_date(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    errors = error_summary(post(client, record, "stages/1/pause", started_on=["31", "2", "2024"]).get_data(as_text=True))
    assert errors == ["Enter the proceedings the complaint is paused for", "Date must be a real date"]
    # Before the stage started: the service says so, against the date.
    body = assert_fragment(post(client, record, "stages/1/pause", htmx=True, pause_reason="Police",
                                started_on=d(date(2023, 12, 1))), 422)
    assert "The pause must start on or after 21 December 2023" in body


# --- Elements, outcomes and the response ---------------------------------------------------


def test_elements_are_added_changed_and_given_outcomes(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    body = assert_fragment(post(client, record, "stages/1/elements", htmx=True, summary="Nobody called back",
                                theme_id=""))
    assert "Element 1 added" in body and "Nobody called back" in body
    response = post(client, record, "stages/1/elements", summary="The taxi was late", theme_id="")
    assert response.status_code == 302
    response = post(client, record, "stages/1/elements/2", summary="The school taxi was late", theme_id="")
    assert response.status_code == 302
    body = assert_fragment(post(client, record, "stages/1/elements/1/outcome", htmx=True, outcome="partially_upheld"))
    assert "Outcome of element 1 saved" in body and "Partially upheld" in body
    # Each element's form has ids of its own, and an error links to the right one.
    body = assert_fragment(post(client, record, "stages/1/elements/2/outcome", htmx=True, outcome=""), 422)
    assert 'href="#outcome-2"' in body and "Select the outcome of this element" in body
    assert len(re.findall(r'id="outcome-2"', body)) == 1
    errors = error_summary(post(client, record, "stages/1/elements", summary="  ").get_data(as_text=True))
    assert errors == ["Enter what the complainant says in this element"]
    db.session.refresh(record)
    stage = record.stages[0]
    assert [(e.number, e.summary, e.outcome) for e in stage.elements] == [
        (1, "Nobody called back", "partially_upheld"), (2, "The school taxi was late", None)]


def test_the_case_page_with_a_stage_open_has_each_id_once(signed_in, get_page):
    # The "Add an element" theme list had id "theme_id", as the classification panel's
    # does: that panel's "Theme" label named the element's list instead of its own.
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    post(client, record, "stages/1/elements", summary="Nobody called back", theme_id="")
    page = get_page(client, f"/staff/cases/{record.reference}")
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="theme_id"' in page and 'for="element_theme_id"' in page


def test_an_element_added_by_mistake_is_removed_after_confirming(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    for summary in ("Nobody called back", "Typed twice by mistake", "The taxi was late"):
        post(client, record, "stages/1/elements", summary=summary, theme_id="")
    # Without ticking the box nothing goes, and the message links to the box of element 2.
    body = assert_fragment(post(client, record, "stages/1/elements/2/remove", htmx=True), 422)
    assert 'href="#mistake-2"' in body and "Confirm that this element was added by mistake" in body
    body = assert_fragment(post(client, record, "stages/1/elements/2/remove", htmx=True, mistake="y"))
    assert "Element 2 removed" in body and 'id="element-2"' not in body and 'id="element-3"' in body
    db.session.refresh(record)
    assert [(e.number, e.summary) for e in record.stages[0].elements] == [
        (1, "Nobody called back"), (3, "The taxi was late")]
    assert "Stage 1 element 2 removed" in page_text(client.get(f"/staff/cases/{record.reference}"))
    # Once the stage has responded, its elements stay as they were.
    answered(client.user, record, date(2024, 1, 10))
    errors = error_summary(post(client, record, "stages/1/elements/1/remove", mistake="y").get_data(as_text=True))
    assert errors and len(record.stages[0].elements) == 2


def test_the_panel_leads_to_the_letters_page_and_nothing_is_sent_from_it(signed_in, get_page, app):
    """Issue 18: nothing goes without the check and the preview. The panel's way to
    respond is the letters page with the stage's response template chosen; the old
    direct-send route is gone."""
    client = signed_in("feedback_officer")
    record = complaint(client.user, registered_on=today() - timedelta(days=7))
    page = get_page(client, f"/staff/cases/{record.reference}")
    link = re.search(r'<a[^>]*id="write-response"[^>]*>', page).group(0)
    assert f'href="/staff/cases/{record.reference}/letters/new?purpose=stage1_response"' in link
    # No response typed in the stage's panel (the Correspondence panel's reply box is elsewhere).
    assert not re.search(r'<textarea(?![^>]*id="reply-text")[^>]*name="text"', page)
    assert "/stages/1/response" not in page
    assert "staff.stage_response" not in app.view_functions
    assert post(client, record, "stages/1/response", text="Dear Sam").status_code in (404, 405)
    db.session.refresh(record)
    assert record.stages[0].responded_on is None and OutboxMessage.query.count() == 0


def test_a_response_is_refused_while_an_element_lacks_an_outcome_then_checked_and_emailed(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = complaint(client.user, registered_on=today() - timedelta(days=7))
    post(client, record, "stages/1/elements", summary="Nobody called back", theme_id="")
    url = f"/staff/cases/{record.reference}/letters/new"
    page = get_page(client, url, purpose="stage1_response", channel="email")
    fields = letter_fields(page)
    assert 'value="stage1_response" selected' in page or 'value="stage1_response" checked' in page
    assert record.reference in fields["text"]
    base = {"purpose": "stage1_response", "channel": "email", "audience": "adult", **fields,
            "text": written(fields["text"]).replace("[", "").replace("]", "")}
    step = responses.next_step(record.stages[0], today(), "email")
    # The check names the element with no finding, and offers no way to send.
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    assert any("Element 1 (\u2018Nobody called back\u2019) has no finding" in e for e in error_summary(body))
    assert 'value="send"' not in body
    post(client, record, "stages/1/elements/1/outcome", outcome="upheld")
    db.session.refresh(record)
    base["version"] = record.version
    # Sending what was never checked is refused, and sends nothing.
    body = client.post(url, data={**base, "action": "send"}).get_data(as_text=True)
    assert "Check and preview the letter before you send it" in body
    db.session.refresh(record)
    assert record.stages[0].responded_on is None and OutboxMessage.query.count() == 0
    # Checked and previewed, then sent: the stage is answered, the mail is in the outbox.
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    assert error_summary(body) == [], error_summary(body)
    assert f"{step.deadline.day} {step.deadline:%B %Y}" in base["text"]
    checked = letter_fields(body)["checked"]
    response = client.post(url, data={**base, "checked": checked, "action": "send"})
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    text = page_text(client.get(response.headers["Location"].split("#")[0]))
    assert "Stage 1 response emailed to sam@example.org" in text
    assert f"The complainant can ask for Stage 2 until {step.deadline:%A} {step.deadline.day}" in text
    db.session.refresh(record)
    assert record.stages[0].responded_on == today() and record.stages[0].response.method == "email"
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "stage_response")).one()
    assert message.to_address == "sam@example.org" and "Nobody called back" in message.body
    assert message.body.strip() == base["text"].strip()


def test_a_response_with_its_placeholders_left_in_is_refused_and_a_posted_one_is_recorded(signed_in, get_page):
    """Issue 13: a Stage 1 response was accepted and recorded as sent with its square
    brackets still in it. Through the letters page it cannot be sent."""
    client = signed_in("feedback_officer")
    record = complaint(client.user, registered_on=today() - timedelta(days=7))
    post(client, record, "stages/1/elements", summary="Nobody called back", theme_id="")
    post(client, record, "stages/1/elements/1/outcome", outcome="not_upheld")
    db.session.refresh(record)
    url = f"/staff/cases/{record.reference}/letters/new"
    fields = letter_fields(get_page(client, url, purpose="stage1_response", channel="letter"))
    typed = fields["text"].replace("Dear Sam Taylor", "Dear Sam")
    base = {"purpose": "stage1_response", "channel": "letter", "audience": "adult", **fields, "text": typed}
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    assert any("Replace each part in square brackets" in e for e in error_summary(body))
    assert "Dear Sam" in letter_fields(body)["text"]  # what was typed is kept
    assert 'value="send"' not in body
    db.session.refresh(record)
    assert record.stages[0].responded_on is None and OutboxMessage.query.count() == 0
    # Dropping the next step is refused by the check.
    step = responses.next_step(record.stages[0], today(), "post")
    body = client.post(url, data={**base, "text": "Dear Sam, we are sorry. Nobody called back.",
                                  "action": "check"}).get_data(as_text=True)
    assert (f"The response must say they can ask for Stage 2 (independent investigation) by {spoken(step.deadline)}"
            in error_summary(body))
    # Written in full and posted: the stage is answered by post, nothing is emailed.
    base["text"] = written(fields["text"]).replace("[", "").replace("]", "")
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    assert error_summary(body) == [], error_summary(body)
    response = client.post(url, data={**base, "checked": letter_fields(body)["checked"], "action": "send"})
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.stages[0].responded_on == today() and record.stages[0].response.method == "post"
    assert OutboxMessage.query.filter_by(purpose="stage_response").count() == 0


def test_a_person_who_gave_no_email_is_offered_only_letters(signed_in, get_page):
    """Issue 13: "By email" was offered for a notice to a person who gave no email (texts
    only), and the posted letter said "reply to this email"."""
    client = signed_in("feedback_officer")
    record = complaint(client.user, registered_on=date(2023, 12, 21), email=None)
    record.person.phone = "07700 900123"
    db.session.commit()
    post(client, record, "stages/1/elements", summary="Nobody called back", theme_id="")
    page = get_page(client, f"/staff/cases/{record.reference}")
    panel = page[page.index('<section id="procedure"'):]
    panel = panel[:panel.index("</section>")]
    assert 'value="email"' not in panel and "By email" not in panel
    # The response is written as a letter to post from the letters page.
    letter = get_page(client, f"/staff/cases/{record.reference}/letters/new", purpose="stage1_response")
    assert re.search(r'name="channel"[^>]*value="letter"[^>]*checked', letter)
    text = letter_fields(letter)["text"]
    assert "reply to this email" not in text
    # An email asked for all the same is refused in words, not with a 500.
    post(client, record, "stages/1/extension", extended_to=d(date(2024, 1, 12)),
         extension_reason="Waiting for the school")
    url = f"/staff/cases/{record.reference}/letters/new"
    fields = letter_fields(get_page(client, url, purpose="extension"))
    base = {"purpose": "extension", "channel": "email", "audience": "adult", **fields}
    body = client.post(url, data={**base, "action": "check"}).get_data(as_text=True)
    body = client.post(url, data={**base, "checked": letter_fields(body)["checked"], "action": "send"})
    assert error_summary(body.get_data(as_text=True)) == [
        "There is no email address for this person: send it as a letter to post"]


# --- Escalation and Stage 2 -----------------------------------------------------------------


def test_a_late_request_for_stage2_needs_a_reason_and_carries_the_elements_up(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    answered(client.user, record, date(2024, 1, 9))
    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    assert "The complainant can ask for Stage 2 until Tuesday 6 February 2024" in text
    body = assert_fragment(post(client, record, "next-stage", htmx=True, requested_on=d(date(2024, 2, 7)),
                                late_request_reason=""), 422)
    assert "Enter why this late request is accepted: the time to ask for Stage 2 ended on 6 February 2024" in body
    body = assert_fragment(post(client, record, "next-stage", htmx=True, requested_on=d(date(2024, 2, 7)),
                                late_request_reason="They were in hospital"))
    assert "Stage 2 started" in body and "Late request accepted: They were in hospital" in body
    assert "Stage 2 (independent investigation): open" in body and "Nobody called back" in body
    db.session.refresh(record)
    assert [len(s.elements) for s in record.stages] == [1, 1]


def test_stage2_appointments_and_the_statement_of_complaint(signed_in, make_user):
    client = signed_in("feedback_officer")
    investigator = make_user("investigating_officer", name="Ines Investigator")
    independent = make_user("independent_person", name="Ira Independent")
    record = complaint(client.user)
    answered(client.user, record, date(2024, 1, 9))
    escalation.request_next_stage(record, date(2024, 1, 15), client.user)
    db.session.commit()

    errors = error_summary(post(client, record, "stages/2/independent-person", independent_person="",
                                independent_person_name="").get_data(as_text=True))
    assert errors == ["Select the Independent Person, or enter their name"]
    # A member of staff is never the Independent Person: the service's message shows.
    body = assert_fragment(post(client, record, "stages/2/independent-person", htmx=True,
                                independent_person=str(investigator.id)), 422)
    assert "Select the Independent Person from the list" in body  # not offered: not an IP account
    body = assert_fragment(post(client, record, "stages/2/independent-person", htmx=True,
                                independent_person="", independent_person_name=client.user.name), 422)
    assert f"{client.user.name} is the name of an officer of the organisation" in body

    assert post(client, record, "stages/2/investigating-officer",
                investigating_officer=str(investigator.id)).status_code == 302
    body = assert_fragment(post(client, record, "stages/2/independent-person", htmx=True,
                                independent_person=str(independent.id)))
    assert "Independent Person appointed" in body and "Ira Independent" in body
    body = assert_fragment(post(client, record, "stages/2/statement", htmx=True, agreed_on=d(date(2024, 1, 22))))
    assert "Statement of complaint agreed" in page_text_of(body) and "Monday 22 January 2024" in body
    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    assert "Investigating Officer Ines Investigator" in text and "Independent Person Ira Independent" in text
    assert "Response due Monday 19 February 2024" in text  # 25 working days from 15 January


def page_text_of(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_a_corporate_stage2_officer_must_not_be_the_stage1_officer(signed_in, make_user):
    client = signed_in("feedback_officer")
    other = make_user("feedback_officer", name="Orla Other")
    record = complaint(client.user, "corporate", assigned_to=client.user)
    assert record.stages[0].officer == client.user.name
    answered(client.user, record, date(2024, 1, 9))
    escalation.request_next_stage(record, date(2024, 1, 10), client.user)
    db.session.commit()
    body = assert_fragment(post(client, record, "stages/2/officer", htmx=True, officer=str(client.user.id)), 422)
    assert f"{client.user.name} was the Stage 1 officer: a corporate Stage 2 must be handled by someone else" in body
    errors = error_summary(post(client, record, "stages/2/officer", officer="",
                                officer_name=client.user.name.upper()).get_data(as_text=True))
    assert errors == [f"{client.user.name.upper()} was the Stage 1 officer: a corporate Stage 2 must be "
                      "handled by someone else (a feedback manager can allow it, with the reason)"]
    # An officer cannot allow it, even with a reason (issue 21: a manager's override).
    errors = error_summary(post(client, record, "stages/2/officer", officer=str(client.user.id),
                                officer_override_reason="Nobody else is free").get_data(as_text=True))
    assert errors == ["Only a feedback manager can allow the Stage 1 officer to handle Stage 2"]
    assert post(client, record, "stages/2/officer", officer=str(other.id)).status_code == 302
    # A corporate Stage 2 extension needs the complainant's agreement.
    errors = error_summary(post(client, record, "stages/2/extension", extended_to=d(date(2024, 2, 20)),
                                extension_reason="Waiting").get_data(as_text=True))
    assert errors == ["A corporate Stage 2 can only be extended with the complainant's agreement: "
                      "confirm they have agreed"]
    assert post(client, record, "stages/2/extension", extended_to=d(date(2024, 2, 20)), extension_reason="Waiting",
                agreed_with_complainant="y").status_code == 302


def test_a_feedback_manager_lets_the_stage1_officer_handle_stage2_with_a_reason(signed_in, make_user, get_page):
    """Issue 21: the Code wants a different person; a feedback manager may allow the Stage 1
    officer, giving the reason, which the stage shows."""
    manager = signed_in("feedback_manager")
    officer = make_user("feedback_officer", name="Olu Officer")
    record = complaint(officer, "corporate", assigned_to=officer)
    answered(officer, record, date(2024, 1, 9))
    escalation.request_next_stage(record, date(2024, 1, 10), officer)
    db.session.commit()
    page = get_page(manager, f"/staff/cases/{record.reference}")
    assert "If this is the Stage 1 officer: why must they handle Stage 2?" in page
    response = post(manager, record, "stages/2/officer", officer=str(officer.id),
                    officer_override_reason="The only SEND officer in post")
    assert response.status_code == 302
    db.session.refresh(record)
    assert (record.stages[1].officer, record.stages[1].same_handler_reason) == (
        "Olu Officer", "The only SEND officer in post")
    page = get_page(manager, f"/staff/cases/{record.reference}")
    assert "The Stage 1 officer was allowed to handle this stage: The only SEND officer in post" in page


# --- Stage 3 --------------------------------------------------------------------------------


def test_the_stage3_panel_meeting_report_and_their_clocks(signed_in, make_user):
    client = signed_in("feedback_officer")
    chair = make_user("independent_person", name="Cleo Chair")
    record = complaint(client.user)
    answered(client.user, record, date(2024, 1, 9))
    escalation.request_next_stage(record, date(2024, 1, 15), client.user)
    record.stages[1].independent_person = "Ian Outside"
    db.session.commit()
    answered(client.user, record, date(2024, 2, 1))
    escalation.request_next_stage(record, date(2024, 2, 5), client.user)
    db.session.commit()

    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    assert "Panel meeting due Monday 18 March 2024" in text
    assert "Panel report due Not started" in text and "Record an extension" not in text

    panel = dict(member_1="", member_1_name="Ian Outside", member_2=str(chair.id), member_2_name="",
                 member_3="", member_3_name="Pat Panel", chair="2")
    body = assert_fragment(post(client, record, "stages/3/panel", htmx=True, **panel), 422)
    assert "Ian Outside was the Stage 2 Independent Person, so cannot sit on the panel" in body
    assert 'href="#member_1"' in body
    errors = error_summary(post(client, record, "stages/3/panel", chair="1").get_data(as_text=True))
    assert errors == ["Select panel member 1, or enter their name", "Select panel member 2, or enter their name",
                      "Select panel member 3, or enter their name"]
    panel["member_1_name"] = "Ruth Reviewer"
    body = assert_fragment(post(client, record, "stages/3/panel", htmx=True, **panel))
    assert "Cleo Chair (chair), Ruth Reviewer, Pat Panel" in body
    body = assert_fragment(post(client, record, "stages/3/panel-meeting", htmx=True, panel_met_on=d(date(2024, 3, 4))))
    assert "Done 4 March 2024 (in time)" in body
    assert post(client, record, "stages/3/panel-report", panel_report_on=d(date(2024, 3, 8))).status_code == 302
    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    assert "Panel report due Monday 11 March 2024" in text and "Done 8 March 2024 (in time)" in text
    assert "Response due Tuesday 2 April 2024" in text  # 15 WD, over Easter


# --- Progressing an initial contact, and the one-year rule ---------------------------------


def test_progressing_to_stage1_asks_for_a_reason_when_the_events_were_over_a_year_before(signed_in):
    client = signed_in("feedback_officer")
    record = make_record(date(2024, 3, 1))
    data = dict(outcome="progressed", procedure="corporate", outcome_on=d(date(2024, 3, 4)),
                events_on=d(date(2022, 12, 1)), late_complaint_reason="")
    response = post(client, record, "outcome", htmx=True, **data)
    body = response.get_data(as_text=True)
    assert "Enter why the complaint is accepted although it was made more than a year after the events" in body
    assert 'href="#late_complaint_reason"' in body
    data["late_complaint_reason"] = "They were abroad"
    response = post(client, record, "outcome", **data)
    assert response.status_code == 302
    text = page_text(client.get(f"/staff/cases/{record.reference}"))
    # The clock starts at the progression, not at the contact's receipt (DOMAIN.md), and
    # the page says which (and that the contact is now a complaint).
    assert "Clock started (progressed to Stage 1) Monday 4 March 2024" in text
    assert "Initial contact received Friday 1 March 2024, progressed to a complaint" in text
    assert "Accepted over a year later because: They were abroad" in text
    db.session.refresh(record)
    assert (record.outcome, record.procedure, record.stages[0].started_on) == ("progressed", "corporate",
                                                                              date(2024, 3, 4))


def test_progressing_before_the_record_was_received_is_refused_against_the_date(signed_in):
    client = signed_in("feedback_officer")
    record = make_record(date(2024, 3, 1))
    errors = error_summary(post(client, record, "outcome", outcome="progressed", procedure="statutory",
                                outcome_on=d(date(2024, 2, 1))).get_data(as_text=True))
    assert errors == [f"The date progressed must be on or after 1 March 2024, when {record.reference} was received"]


# --- Conflicts and permissions ----------------------------------------------------------------


def test_a_change_made_on_an_out_of_date_page_shows_the_newer_version(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    stale = record.version - 1
    response = client.post(f"/staff/cases/{record.reference}/stages/1/pause", headers=HTMX,
                           data={"version": stale, "pause_reason": "Police", "started_on": d(date(2024, 1, 2))})
    assert response.status_code == 409
    panel = response.get_data(as_text=True)
    assert "Someone else changed this record" in panel
    # What the officer typed is shown beside the newer version, not lost.
    assert "Your change, not saved" in panel and "Police" in panel
    db.session.refresh(record)
    assert not record.stages[0].pauses


def test_an_assigned_investigating_officer_sees_the_stages_but_cannot_change_them(signed_in, get_page):
    client = signed_in("investigating_officer")
    record = complaint(client.user)
    record.assigned_to_id = client.user.id
    db.session.commit()
    page = get_page(client, f"/staff/cases/{record.reference}")
    assert "Response due" in page and "Tuesday 9 January 2024" in page
    assert "Record an extension" not in page and "/stages/1/extension" not in page
    for path in ("stages/1/extension", "stages/1/pause", "stages/1/elements", "letters/new", "next-stage"):
        assert post(client, record, path).status_code == 403, path


def test_staff_appointed_to_a_stage_open_the_case_and_find_it_in_the_inbox(signed_in, get_page):
    """Issue 14, item 18: an Investigating Officer or Independent Person appointed to a
    stage from their account sees that case (the case page said "Page not found" to
    them, as the rule checked only the case's assignee); others of the role still do not."""
    officer = signed_in("feedback_officer")
    investigator = signed_in("investigating_officer", name="Ines Investigator")
    independent = signed_in("independent_person", name="Ira Independent")
    bystander = signed_in("investigating_officer", name="Bea Bystander")
    record = complaint(officer.user)
    answered(officer.user, record, date(2024, 1, 9))
    escalation.request_next_stage(record, date(2024, 1, 15), officer.user)
    db.session.commit()
    case = f"/staff/cases/{record.reference}"
    for client in (investigator, independent, bystander):
        assert client.get(case).status_code == 404
        assert record.reference not in get_page(client, "/staff/inbox")

    assert post(officer, record, "stages/2/investigating-officer",
                investigating_officer=str(investigator.user.id)).status_code == 302
    assert post(officer, record, "stages/2/independent-person",
                independent_person=str(independent.user.id)).status_code == 302
    for client in (investigator, independent):
        page = client.get(case)
        assert page.status_code == 200 and "Stage 2" in page_text(page)
        assert record.reference in get_page(client, "/staff/inbox")
        # Seeing is not changing: the roles still cannot act on the stage.
        assert post(client, record, "stages/2/pause").status_code == 403
    assert bystander.get(case).status_code == 404
    assert record.reference not in get_page(bystander, "/staff/inbox")


def test_signed_out_people_are_sent_to_sign_in(client, make_user):
    record = complaint(make_user("feedback_officer"))
    assert "/staff/sign-in" in client.get(f"/staff/cases/{record.reference}").headers["Location"]
    assert "/staff/sign-in" in client.get("/staff/admin/timescales").headers["Location"]
    # A panel's HTMX post sends the browser to sign in; a plain post is refused.
    response = client.post(f"/staff/cases/{record.reference}/stages/1/pause", data={}, headers=HTMX)
    assert response.status_code == 401 and "/staff/sign-in" in response.headers["HX-Redirect"]
    assert client.post(f"/staff/cases/{record.reference}/stages/1/pause", data={}).status_code == 403
    db.session.refresh(record)
    assert not record.stages[0].pauses


def test_a_stage_that_does_not_exist_is_not_found(signed_in):
    client = signed_in("feedback_officer")
    record = complaint(client.user)
    assert post(client, record, "stages/2/pause").status_code == 404
    assert post(client, record, "stages/1/elements/9/outcome", outcome="upheld").status_code == 404


# --- The organisation's timescales -----------------------------------------------------------


def test_an_administrator_changes_the_timescales_and_open_due_dates_follow(signed_in, make_user, get_page):
    admin = signed_in("administrator")
    record = complaint(make_user("feedback_officer"))
    page = get_page(admin, "/staff/admin/timescales")
    assert "Statutory Stage 1 response (working days)" in page and 'value="10"' in page
    assert "/staff/admin/timescales" in get_page(admin, "/staff/")
    values = {name: str(getattr(timescales.base_timescales(), name)) for name in timescales.TIMESCALE_LABELS}

    errors = error_summary(admin.post("/staff/admin/timescales",
                                      data={**values, "statutory_stage1": "ten"}).get_data(as_text=True))
    assert errors == ["\u2018Statutory Stage 1 response (working days)\u2019 must be a whole number"]
    errors = error_summary(admin.post("/staff/admin/timescales",
                                      data={**values, "statutory_stage1_maximum": "5"}).get_data(as_text=True))
    assert len(errors) == 1 and "maximum" in errors[0].lower()

    response = admin.post("/staff/admin/timescales", data={**values, "statutory_stage1": "12"})
    assert response.status_code == 302
    assert "Timescales saved" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert timescales.base_timescales().statutory_stage1 == 12
    db.session.refresh(record)
    assert record.due_on == date(2024, 1, 11)


def test_only_administrators_manage_timescales(signed_in, get_page):
    officer = signed_in("feedback_officer")
    assert officer.get("/staff/admin/timescales").status_code == 403
    assert "/staff/admin/timescales" not in get_page(officer, "/staff/")


# --- The person asks for the next stage from their status page ---------------------------------


@pytest.fixture
def responded(make_user):
    """A statutory complaint whose Stage 1 was answered ``days_ago`` working-ish days ago."""

    def make(sent_on: date) -> Feedback:
        officer = make_user("feedback_officer")
        record = complaint(officer, registered_on=sent_on - timedelta(days=14))
        answered(officer, record, sent_on)
        return record

    return make


def test_the_person_asks_for_stage2_from_their_status_page(client, responded, signed_in):
    record = responded(today() - timedelta(days=3))
    status = "/your-feedback/case"
    page = client.get(f"/your-feedback/{status_links.token_for(record)}", follow_redirects=True).get_data(as_text=True)
    assert f'href="{status}/next-stage" role="button"' in page and "Ask for Stage 2</a>" in page
    ask = page_text(client.get(f"{status}/next-stage"))
    assert "What are you still unhappy about?" in ask and "Stage 2 starts today. You cannot undo this" in ask
    response = client.post(f"{status}/next-stage", data={"unhappy_about": "Nobody has shared the plan."})
    assert response.status_code == 302 and response.headers["Location"].endswith(status)
    page = page_text(client.get(status))
    assert "We have your request for Stage 2" in page and "Your complaint is at Stage 2" in page
    db.session.refresh(record)
    assert [s.number for s in record.stages] == [1, 2] and record.stages[1].started_on == today()
    case = page_text(signed_in("feedback_officer").get(f"/staff/cases/{record.reference}"))
    assert "What they are still unhappy about: Nobody has shared the plan." in case
    # Asking twice starts nothing more.
    client.post(f"{status}/next-stage", data={"unhappy_about": "Again"})
    assert "already moved on" in page_text(client.get(status))
    db.session.refresh(record)
    assert len(record.stages) == 2


def test_after_the_window_the_person_is_told_to_contact_the_team_and_staff_see_the_request(client, responded):
    record = responded(today() - timedelta(days=60))
    status = "/your-feedback/case"
    page = page_text(client.get(f"/your-feedback/{status_links.token_for(record)}", follow_redirects=True))
    assert "Ask for Stage 2 </a>" not in page
    assert "The time to ask for Stage 2 online has ended" in page
    assert client.get(f"{status}/next-stage").headers["Location"].endswith(status)
    client.post(f"{status}/next-stage", data={"unhappy_about": "I was in hospital."})
    assert "Contact the Customer Feedback Team: they can still consider your request" in page_text(client.get(status))
    db.session.refresh(record)
    assert len(record.stages) == 1
    assert "asked for from the status page" in record.timeline[-1].text
    assert "What they are still unhappy about: I was in hospital." in record.timeline[-1].text
    assert record.timeline[-1].actor_label == "Sam Taylor"


def test_only_active_staff_who_have_set_up_their_account_are_offered_for_work(signed_in, make_user, get_page):
    """Issue 13: accounts never set up (no password yet) and inactive accounts were offered
    as assignees and Stage 2 officers, Investigating Officers and Independent Persons."""
    client = signed_in("feedback_manager")
    make_user("feedback_officer", name="Rae Ready")
    make_user("independent_person", name="Ida Independent")
    invited = make_user("feedback_officer", name="Ivy Invited", password=None, enrolled=False)
    make_user("independent_person", name="Ian Invited", password=None, enrolled=False)
    make_user("feedback_officer", name="Len Leaver", active=False)
    record = complaint(client.user)
    answered(client.user, record, date(2024, 1, 9))
    escalation.request_next_stage(record, date(2024, 1, 10), client.user)
    db.session.commit()
    page = get_page(client, f"/staff/cases/{record.reference}")
    for select_id in ("assignee", "officer", "investigating_officer", "independent_person"):
        offered = re.search(rf'<select[^>]*id="{select_id}".*?</select>', page, re.S).group(0)
        assert ("Ida Independent" if select_id == "independent_person" else "Rae Ready") in offered, select_id
        for name in ("Ivy Invited", "Ian Invited", "Len Leaver"):
            assert name not in offered, (select_id, name)
    # Posted anyway (from a page opened before), the choice is refused in words.
    errors = error_summary(post(client, record, "stages/2/investigating-officer",
                                investigating_officer=str(invited.id)).get_data(as_text=True))
    assert errors == ["Select the Investigating Officer from the list"]
    errors = error_summary(client.post(f"/staff/cases/{record.reference}/assign", data={
        "assignee": str(invited.id), "version": record.version}).get_data(as_text=True))
    assert errors == ["Select someone from the list"]
    db.session.refresh(record)
    assert record.assigned_to is None and record.stages[1].investigating_officer_id is None


def test_an_administrator_adds_timescales_from_a_later_date(signed_in, make_user, get_page):
    """Issue 21: a new set from a date; open complaints are not moved onto it."""
    from portal.models import TimescaleSetRow

    admin = signed_in("administrator")
    page = get_page(admin, "/staff/admin/timescales")
    # The Code's corporate set, written in the code, is listed from 1 April 2026.
    assert "Wednesday 1 April 2026" in page and "Complaint Handling Code" in page
    from portal.services.procedures import working_days
    from portal.services.procedures.working_days import Calendar

    page = get_page(admin, "/staff/admin/timescales/corporate/new")
    # It starts from the Code's set, in force today: Stage 2 in 20 working days.
    assert re.search(r'id="corporate_stage2"[^>]*value="20"', page)
    assert 'id="corporate_response_from_acknowledgement" name="corporate_response_from_acknowledgement" type="checkbox" value="y" checked' in page
    assert admin.get("/staff/admin/timescales/nonsense/new").status_code == 404
    day = today()
    form = {"effective_from": d(day), "reason": "Our own rule",
            "corporate_acknowledgement": "5", "corporate_stage1": "8", "corporate_stage1_maximum": "16",
            "corporate_stage2": "20", "corporate_stage2_maximum": "40",
            "corporate_response_from_acknowledgement": "y", "escalation_window": "20",
            "complaint_time_limit_months": "12"}
    errors = error_summary(admin.post("/staff/admin/timescales/corporate/new", data=form).get_data(as_text=True))
    assert len(errors) == 1 and errors[0].startswith("The date the new timescales apply from must be after today")
    later = working_days.add(day, 30, Calendar())
    form["effective_from"] = d(later)
    response = admin.post("/staff/admin/timescales/corporate/new", data=form)
    assert response.status_code == 302
    assert "open complaints keep the timescales they follow" in admin.get(response.headers["Location"]).get_data(as_text=True)
    row = db.session.query(TimescaleSetRow).one()
    assert (row.effective_from, row.timescale_values["corporate_stage1"], row.reason) == (later, 8, "Our own rule")
    assert row.timescale_values["corporate_response_from_acknowledgement"] is True
