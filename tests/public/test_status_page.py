"""The submitter's status page: a signed link shows the status and takes added
information; a guessed reference or a tampered token shows nothing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import time_machine

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, OutboxMessage, TimelineEvent
from portal.services import status_links
from portal.services.dates import LONDON
from tests.mailed import mailed_path
from tests.public.helpers import COMPLAINT, send


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
    assert "We are looking at this" in client.get(link).get_data(as_text=True)


def test_a_guessed_reference_or_a_tampered_token_shows_nothing(client):
    sent = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    record = db.session.scalars(select(Feedback)).one()
    link = status_link(sent)
    for guess in (f"/your-feedback/{record.reference}", link[:-3] + "abc", link + "x",
                  "/your-feedback/" + status_links._serializer().dumps({"id": record.id, "ref": "CF-0000-00000"})):
        response = client.get(guess)
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert record.reference not in page
        assert "Nobody has told us" not in page


def test_added_information_joins_the_timeline_and_tells_the_team_without_repeating_it(client):
    sent = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    link = status_link(sent)
    response = client.post(link, data={"information": "The school called us again today."})
    assert response.status_code == 302
    page = client.get(link).get_data(as_text=True)
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
    assert record.reference in client.get(path).get_data(as_text=True)


def test_asking_for_a_link_with_a_malformed_email_explains_the_problem(client):
    page = client.post("/your-feedback", data={"reference": "CF-2026-00001", "email": "nope"}).get_data(as_text=True)
    assert "Enter an email address in the correct format" in page


def test_a_link_still_works_12_months_on_and_is_refused_after_its_lifetime(client):
    """The clock is moved, and the link followed as the person would (issue 13: the
    lifetime was only faked with MAX_AGE_DAYS=-1)."""
    sent_at = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    with time_machine.travel(sent_at, tick=False):
        link = status_link(send(client, "complaint", COMPLAINT).get_data(as_text=True))
        reference = db.session.scalars(select(Feedback.reference)).one()
        assert reference in client.get(link).get_data(as_text=True)

    def follow(moment):
        with time_machine.travel(moment, tick=False):
            return client.get(link)

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
