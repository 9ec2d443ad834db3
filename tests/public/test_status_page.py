"""The submitter's status page: a signed link shows the status and takes added
information; a guessed reference or a tampered token shows nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, OutboxMessage, TimelineEvent
from portal.services import status_links
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


def test_the_acknowledgement_email_carries_the_same_kind_of_link(client):
    send(client, "complaint", COMPLAINT)
    ack = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "acknowledgement")).one()
    link = re.search(r"http://localhost(/your-feedback/\S+)", ack.body).group(1)
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


def test_a_fresh_link_goes_only_to_the_address_on_the_record_and_the_page_says_the_same(client):
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
    path = re.search(r"http://localhost(/your-feedback/\S+)", links[0].body).group(1)
    assert record.reference in client.get(path).get_data(as_text=True)


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


def test_tokens_expire_after_the_maximum_age(app, monkeypatch):
    record = Feedback(reference="CF-2026-00009", kind="compliment", received_on=date(2026, 1, 5),
                      channel="web", submitter_role="other", summary="Thanks")
    db.session.add(record)
    db.session.commit()
    token = status_links.token_for(record)
    assert status_links.record_for(token) == record
    monkeypatch.setattr(status_links, "MAX_AGE_DAYS", -1)
    assert status_links.record_for(token) is None
