"""The submitter's status page: a signed link shows the status and takes added
information; a guessed reference or a tampered token shows nothing; the token stays out
of the page's address and the cookies, and a fresh link revokes the older ones (issue 14,
item 16)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
import time_machine
from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, OutboxMessage, TimelineEvent
from portal.services.common import outbox
from portal.services.intake import status_links
from portal.services.common.dates import LONDON
from tests.mailed import emailed_path, mailed_path
from tests.public.helpers import COMPLAINT, send
from tests.staff.conftest import error_summary


def status_link(page: str) -> str:
    match = re.search(r'href="(/your-feedback/[^"]+)"', page)
    assert match, "no status link on the page"
    return match.group(1)


def without_tokens(page: str) -> str:
    """The page less what differs on every response: CSP nonces and CSRF tokens."""
    page = re.sub(r'nonce="[^"]+"', "", page)
    return re.sub(r'X-CSRFToken&#34;: &#34;[^&]+&#34;|value="[^"]{40,}"', "", page)


def test_the_confirmation_page_links_to_a_status_page_that_says_what_happens_next(client):
    sent = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    record = db.session.scalars(select(Feedback)).one()
    page = client.get(status_link(sent)).get_data(as_text=True)
    assert record.reference in page
    assert "We are looking at this" in page
    assert "We aim to contact you by" in page


def test_the_acknowledgement_email_carries_the_same_kind_of_link(client, mail_to):
    send(client, "complaint", COMPLAINT)
    ack = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "acknowledgement")).one()
    assert "/your-feedback/" not in ack.body  # made as it is sent, never stored
    link = mailed_path(mail_to, "alex@example.org", "/your-feedback/")
    assert "We are looking at this" in client.get(link, follow_redirects=True).get_data(as_text=True)


def emailed_link(purpose: str = "acknowledgement", last: bool = True) -> str:
    """The status link as the mail carried it (made as the mail was sent: tests.mailed)."""
    return emailed_path(purpose, "/your-feedback/", last)


def test_a_guessed_reference_or_a_tampered_token_shows_nothing(app):
    send(app.test_client(), "complaint", COMPLAINT)
    record = db.session.scalars(select(Feedback)).one()
    link = emailed_link()
    client = app.test_client()  # a browser that never had the page open
    for guess in (f"/your-feedback/{record.reference}", link[:-3] + "abc", link + "x",
                  "/your-feedback/" + status_links._serializer().dumps({"id": record.id, "ref": "CF-0000-00000"})):
        response = client.get(guess)
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert record.reference not in page
        assert "Nobody has told us" not in page


def test_added_information_joins_the_timeline_and_tells_the_team_without_repeating_it(client, get_page):
    sent = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    link = status_link(sent)
    response = client.post(link, data={"information": "The school called us again today."})
    assert response.status_code == 302
    page = get_page(client, link)
    assert "We have added this to your case" in page
    event = db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "information_added")).one()
    assert event.text == "The school called us again today."
    assert event.actor_label == "Alex Example"
    note = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "information_added")).one()
    assert note.to_address == "feedback@example.org"  # no officer yet: the team's mailbox
    assert "school called" not in note.body


def test_adding_nothing_gets_an_error_message(client):
    link = status_link(send(client, "complaint", COMPLAINT).get_data(as_text=True))
    page = client.post(link, data={"information": ""}).get_data(as_text=True)
    assert "Enter what you would like to add" in page
    assert db.session.query(TimelineEvent).filter_by(kind="information_added").count() == 0


def test_a_fresh_link_goes_only_to_the_address_on_the_record_and_the_page_says_the_same(client, mail_to):
    send(client, "complaint", COMPLAINT)
    record = db.session.scalars(select(Feedback)).one()
    matched = client.post("/your-feedback", data={"reference": record.reference.lower(), "email": "ALEX@example.org"},
                          follow_redirects=True).get_data(as_text=True)
    unmatched = client.post("/your-feedback", data={"reference": record.reference, "email": "someone@example.org"},
                            follow_redirects=True).get_data(as_text=True)
    assert "If the reference number and email address match" in matched
    assert without_tokens(matched) == without_tokens(unmatched)
    links = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "status_link")).all()
    assert [m.to_address for m in links] == ["alex@example.org"]
    path = mailed_path(mail_to, "alex@example.org", "/your-feedback/")
    assert record.reference in client.get(path, follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("typing", [
    lambda year, n: f"cf-{year}-{n}",
    lambda year, n: f"CF {year} {n:05d}",
    lambda year, n: f" cf{year}{n:05d} ",
])
def test_a_fresh_link_is_sent_for_the_reference_however_it_is_typed(client, typing):
    send(client, "complaint", COMPLAINT)
    record = db.session.scalars(select(Feedback)).one()
    _, year, number = record.reference.split("-")
    page = client.post("/your-feedback", data={"reference": typing(int(year), int(number)), "email": "alex@example.org"},
                       follow_redirects=True).get_data(as_text=True)
    assert "If the reference number and email address match" in page
    links = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "status_link")).all()
    assert [m.to_address for m in links] == ["alex@example.org"]
    assert record.reference in links[0].subject


def test_a_reference_that_cannot_be_one_is_explained(client):
    page = client.post("/your-feedback", data={"reference": "my complaint", "email": "alex@example.org"}).get_data(as_text=True)
    assert "Enter your reference number in the correct format, like CF-2026-00042" in page


def test_asking_for_a_link_with_a_malformed_email_explains_the_problem(client):
    page = client.post("/your-feedback", data={"reference": "CF-2026-00001", "email": "nope"}).get_data(as_text=True)
    assert "Enter your email address in the correct format, like name@example.com" in page


def test_a_link_still_works_12_months_on_and_is_refused_after_its_lifetime(client):
    """The clock is moved, and the link followed as the person would (issue 13: the
    lifetime was only faked with MAX_AGE_DAYS=-1)."""
    sent_at = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    with time_machine.travel(sent_at, tick=False):
        send(client, "complaint", COMPLAINT)
        link = emailed_link()
        reference = db.session.scalars(select(Feedback.reference)).one()
        assert reference in client.get(link, follow_redirects=True).get_data(as_text=True)

    def follow(moment):
        with time_machine.travel(moment, tick=False):
            return client.get(link, follow_redirects=True)

    a_year_on = follow(datetime(2027, 3, 2, 18, 0, tzinfo=LONDON))
    assert a_year_on.status_code == 200
    assert reference in a_year_on.get_data(as_text=True)
    # Lifetimes are counted in elapsed time (UTC), whatever the clocks did in between.
    lifetime_ends = sent_at.astimezone(timezone.utc) + timedelta(days=status_links.MAX_AGE_DAYS)
    last_day = follow(lifetime_ends - timedelta(minutes=1))
    assert last_day.status_code == 200 and reference in last_day.get_data(as_text=True)

    too_old = follow(lifetime_ends + timedelta(hours=1))
    assert too_old.status_code == 404
    assert reference not in too_old.get_data(as_text=True)
    assert "Nobody has told us" not in too_old.get_data(as_text=True)


def test_asking_for_a_link_does_the_same_work_whether_or_not_the_details_match(app, client):
    """Issue 14, item 10: a match took 31.7 ms and no match 10.9 ms, so timing told
    whether a reference and email belong together. Both now look the record up in one
    statement, sign a link, write the message, audit the request and commit once; the
    one difference is the queued message's row (and its own audit entry), written in
    the same transaction before that commit."""
    from tests.work_done import watching

    send(client, "complaint", COMPLAINT)
    record = db.session.scalars(select(Feedback)).one()
    asks = {"match": {"reference": record.reference, "email": "alex@example.org"},
            "wrong email": {"reference": record.reference, "email": "someone@example.org"},
            "no such reference": {"reference": "CF-1999-00001", "email": "alex@example.org"}}
    work = {}
    for name, data in asks.items():
        with watching(app) as work[name]:
            assert client.post("/your-feedback", data=data).status_code == 302
    match = work.pop("match")
    assert match.statements[("INSERT INTO", "outbox_message")] == 1
    for name, other in work.items():
        assert other.commits == match.commits == 1, name
        assert other.templates == match.templates == ["email/status_link.txt"], name
        assert other.without("outbox_message", "audit_entry") == match.without("outbox_message", "audit_entry")
        assert other.statements[("INSERT INTO", "audit_entry")] == 1, name


# --- Issue 14, item 16: the token out of cookies, addresses and logs; older links revoked


def session_contents(app, client) -> str:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return ""
    return str(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def test_the_session_cookie_and_the_sent_page_hold_no_link_to_the_case(app, client):
    """Anyone at the computer could read the session cookie, and /sent, for as long as
    the browser stayed open: both carried the status link."""
    sent = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    record = db.session.scalars(select(Feedback)).one()
    token = status_links.token_for(record)
    assert "your-feedback" not in session_contents(app, client)
    assert token.split(".")[0] not in session_contents(app, client)
    assert status_link(sent) == "/your-feedback/case"
    assert token.split(".")[0] not in sent
    page = client.get(status_link(sent)).get_data(as_text=True)
    assert record.reference in page and "We are looking at this" in page


def test_a_link_opens_a_page_whose_address_has_no_token_for_an_hour(app, client):
    opened = datetime(2026, 11, 25, 10, tzinfo=timezone.utc)
    with time_machine.travel(opened, tick=False):
        send(app.test_client(), "complaint", COMPLAINT)
        record = db.session.scalars(select(Feedback)).one()
        link = emailed_link()
        response = client.get(link)
        assert response.status_code == 303
        assert response.headers["Location"] == "/your-feedback/case"
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "Path=/your-feedback" in cookie and "Max-Age=3600" in cookie
        assert link.rsplit("/", 1)[1] not in cookie
        page = client.get("/your-feedback/case")
        assert page.status_code == 200 and record.reference in page.get_data(as_text=True)
        # Added information and the page's forms post to the address without the token.
        assert 'action="/your-feedback/case"' in page.get_data(as_text=True)
        assert client.post("/your-feedback/case", data={"information": "We moved house."}).status_code == 302
    with time_machine.travel(opened + timedelta(minutes=61), tick=False):
        page = client.get("/your-feedback/case")
        assert page.status_code == 403
        text = page.get_data(as_text=True)
        assert "Open the link in your email again" in text and record.reference not in text
        assert "We are looking at this" in client.get(link, follow_redirects=True).get_data(as_text=True)


def test_asking_for_a_fresh_link_stops_every_older_link_working(app, client):
    send(app.test_client(), "complaint", COMPLAINT)
    record = db.session.scalars(select(Feedback)).one()
    old = emailed_link()
    elsewhere = app.test_client()  # a browser that opened the old link: a shared computer
    assert record.reference in elsewhere.get(old, follow_redirects=True).get_data(as_text=True)
    version = record.version

    client.post("/your-feedback", data={"reference": record.reference, "email": "alex@example.org"})
    fresh = emailed_link("status_link")
    assert client.get(old).status_code == 404
    page = elsewhere.get("/your-feedback/case")
    assert page.status_code == 403 and record.reference not in page.get_data(as_text=True)
    assert record.reference in client.get(fresh, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(record)
    assert record.version == version  # staff with the case open see no edit conflict

    client.post("/your-feedback", data={"reference": record.reference, "email": "alex@example.org"})
    assert client.get(fresh).status_code == 404
    assert client.get(emailed_link("status_link")).status_code == 303


# --- Asking for the next stage (issue 13: one press started it, no reason, nobody told) ---


def responded_complaint(procedure="statutory", officer_email: str = "olu.officer@example.org"):
    """A statutory complaint assigned to an officer, its Stage 1 answered on 9 January 2024:
    Stage 2 can be asked for until 6 February 2024."""
    from portal.models import Element, Person, StaffUser
    from portal.services.common.placeholders import PATTERN
    from portal.services.procedures import register_complaint, responses

    officer = StaffUser(email=officer_email, name="Olu Officer", role="feedback_officer", active=True,
                        password_hash="set up")
    record = Feedback(reference="CF-2023-00077", kind="initial_contact", received_on=date(2023, 12, 21),
                      channel="email", submitter_role="parent_or_carer", summary="Nobody called back",
                      outcome="open", status="open", assigned_to=officer,
                      person=Person(name="Sam Taylor", email="sam@example.org"))
    db.session.add(record)
    db.session.commit()
    stage = register_complaint(record, procedure, date(2023, 12, 21), officer)
    stage.elements.append(Element(number=1, summary="Nobody called back", outcome="upheld"))
    letter = PATTERN.sub("We looked into it.", responses.draft_response(stage, date(2024, 1, 9), officer, "post"))
    responses.send_response(stage, letter, "post", date(2024, 1, 9), officer, today=date(2024, 1, 9))
    db.session.commit()
    return record


def test_asking_for_stage2_asks_what_they_are_still_unhappy_about_and_tells_the_officer(client, mail_to, get_page):
    record = responded_complaint()
    status = "/your-feedback/case"
    with time_machine.travel(datetime(2024, 1, 15, 10, tzinfo=timezone.utc)):
        link = f"/your-feedback/{status_links.token_for(record)}"  # links are signed with the time
        page = client.get(link, follow_redirects=True).get_data(as_text=True)
        assert f'<a href="{status}/next-stage" role="button"' in page  # a link: pressing it starts nothing
        ask = get_page(client, f"{status}/next-stage")
        assert "<title>Ask for Stage 2" in ask and "You can ask until Tuesday 6 February 2024" in ask
        assert "When you press the button, Stage 2 starts today. You cannot undo this here." in ask

        refused = client.post(f"{status}/next-stage", data={"unhappy_about": "  "}).get_data(as_text=True)
        assert "<title>Error: Ask for Stage 2" in refused
        assert error_summary(refused) == ["Enter what you are still unhappy about"]
        db.session.refresh(record)
        assert len(record.stages) == 1

        response = client.post(f"{status}/next-stage", data={"unhappy_about": "The plan was never shared."})
        assert response.status_code == 302
        assert "We have your request for Stage 2" in get_page(client, status)
    db.session.refresh(record)
    assert [s.started_on for s in record.stages] == [date(2023, 12, 21), date(2024, 1, 15)]
    assert any(e.text.endswith("What they are still unhappy about: The plan was never shared.")
               and e.actor_label == "Sam Taylor" for e in record.timeline)
    outbox.send_due(outbox.MailSettings.from_config(current_app.config))  # what the worker does
    [mail] = mail_to.wait_for(1)
    assert mail["To"] == "olu.officer@example.org"
    assert mail["Subject"] == f"Stage 2 asked for on {record.reference}"
    text = mail.get_payload(decode=True).decode()
    assert "Dear Olu Officer," in text and "Stage 2 started on 15 January 2024" in text
    assert "never shared" not in text


def test_a_status_page_opened_before_the_change_cannot_start_the_next_stage_in_one_press(client):
    """The old page's button posted with nothing but the CSRF token: now it is asked what
    they are still unhappy about, and nothing starts."""
    record = responded_complaint()
    with time_machine.travel(datetime(2024, 1, 15, 10, tzinfo=timezone.utc)):
        client.get(f"/your-feedback/{status_links.token_for(record)}")
        page = client.post("/your-feedback/case/next-stage", data={}).get_data(as_text=True)
    assert error_summary(page) == ["Enter what you are still unhappy about"]
    db.session.refresh(record)
    assert len(record.stages) == 1 and not db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == "next_stage_requested")).all()


def test_a_corporate_stage_2_can_be_asked_for_without_reasons(client, get_page):
    """The Complaint Handling Code (issue 21): a request to escalate is never refused for
    lack of reasons, so the box is optional for a corporate Stage 2."""
    record = responded_complaint("corporate")
    status = "/your-feedback/case"
    with time_machine.travel(datetime(2024, 1, 15, 10, tzinfo=timezone.utc)):
        client.get(f"/your-feedback/{status_links.token_for(record)}", follow_redirects=True)
        ask = get_page(client, f"{status}/next-stage")
        assert "What are you still unhappy about? (optional)" in ask and "You do not have to give reasons" in ask
        response = client.post(f"{status}/next-stage", data={"unhappy_about": ""})
        assert response.status_code == 302
        assert "We have your request for Stage 2" in get_page(client, status)
    db.session.refresh(record)
    assert [s.number for s in record.stages] == [1, 2]
