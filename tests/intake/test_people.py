"""Who a case belongs to (portal.services.intake.people): details typed into a public form never
join, change or add to a person staff hold (issue 14, item 1), and staff merge the two
once they have checked."""

from __future__ import annotations

import re
from datetime import date

import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Person
from portal.services.common import outbox
from tests.pages import letter_fields
from tests.public.helpers import CONCERN, reference_in, send
from tests.staff.conftest import make_user, sign_in, signed_in  # noqa: F401 (fixtures)

DAY = date(2026, 11, 25)
VICTIM_PHONE = "07700 900111"
STRANGER = "stranger@example.net"


def deliver(app) -> None:
    """What ``flask outbox send`` does from cron: everything queued goes to the SMTP server."""
    outbox.send_due(outbox.MailSettings.from_config(app.config))


def log_call(officer, name: str, phone: str) -> Feedback:
    response = officer.post("/staff/log", data={
        "kind": "initial_contact", "channel": "phone", "received_on": [str(DAY.day), str(DAY.month), str(DAY.year)],
        "submitter_role": "parent_or_carer", "summary": f"{name} rang about a review meeting",
        "category": "query", "name": name, "phone": phone, "team_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return db.session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()


def links_in(messages) -> list[str]:
    return [path for m in messages
            for path in re.findall(r"http://localhost(/your-feedback/\S+)", m.get_payload(decode=True).decode())]


@time_machine.travel("2026-11-25 10:00:00+00:00", tick=False)
def test_a_stranger_with_a_callers_phone_number_never_gets_into_their_case(app, client, signed_in, mail_to):
    officer = signed_in("feedback_officer")
    victim_case = log_call(officer, "Sam Jones", VICTIM_PHONE)
    victim = victim_case.person
    assert victim.email is None

    # The stranger sends a concern with the caller's phone number and their own email.
    sent = send(client, "concern", {**CONCERN, "name": "Pat Stranger", "contact_methods": ["email", "phone"],
                                    "email": STRANGER, "phone": "+44 7700 900111"}).get_data(as_text=True)
    stranger_case = db.session.scalars(select(Feedback).where(Feedback.reference == reference_in(sent))).one()
    # Asking for a fresh link to the caller's case with the stranger's address sends nothing.
    client.post("/your-feedback", data={"reference": victim_case.reference, "email": STRANGER})
    deliver(app)
    mail = mail_to.wait_for(2, timeout=1)
    assert [m["Subject"] for m in mail_to.to(STRANGER)] == [
        f"We have received your question - reference {stranger_case.reference}"]
    for path in links_in(mail_to.to(STRANGER)):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert victim_case.reference not in page and "rang about a review meeting" not in page

    # The officer's resolution cannot be emailed to the stranger: the caller gave no email.
    db.session.refresh(victim_case)
    page = officer.get(f"/staff/cases/{victim_case.reference}").get_data(as_text=True)
    assert STRANGER not in page
    assert officer.post(f"/staff/cases/{victim_case.reference}/outcome", data={
        "version": victim_case.version, "outcome": "resolved", "resolution": "Told Sam the date of the review.",
        "outcome_on": [str(DAY.day), str(DAY.month), str(DAY.year)]}).status_code == 302
    url = f"/staff/cases/{victim_case.reference}/letters/new"
    page = officer.get(url, query_string={"purpose": "initial_contact_outcome", "channel": "email"}
                       ).get_data(as_text=True)
    assert STRANGER not in page
    letter = letter_fields(page)
    letter["text"] = letter["text"].replace("[Say what happens now.]", "We will ring you.")
    data = {"purpose": "initial_contact_outcome", "channel": "email", "audience": "adult", **letter}
    checked = letter_fields(officer.post(url, data={**data, "action": "check"}).get_data(as_text=True))["checked"]
    page = officer.post(url, data={**data, "checked": checked, "action": "send"}).get_data(as_text=True)
    assert "There is no email address for this person" in page
    deliver(app)
    assert len(mail_to.wait_for(len(mail) + 1, timeout=1)) == len(mail)
    assert all(victim_case.reference not in m["Subject"] for m in mail_to.to(STRANGER))

    # The form made a person of its own: the caller's record gained no email...
    db.session.refresh(victim)
    assert stranger_case.person_id != victim.id
    assert (victim.email, victim.name) == (None, "Sam Jones")
    # ...and when the caller rings again, their call joins their own record, not the stranger's.
    again = log_call(officer, "Sam Jones", VICTIM_PHONE)
    assert again.person_id == victim.id
    assert {r.reference for r in victim.feedback} == {victim_case.reference, again.reference}


@time_machine.travel("2026-11-25 10:00:00+00:00", tick=False)
def test_the_case_page_suggests_the_person_it_may_be_and_staff_merge_once_checked(client, signed_in):
    officer = signed_in("feedback_officer")
    caller = log_call(officer, "Sam Jones", VICTIM_PHONE).person
    sent = send(client, "concern", {**CONCERN, "name": "Sam Jones", "contact_methods": ["email"],
                                    "email": "sam@example.org", "phone": VICTIM_PHONE}).get_data(as_text=True)
    case = db.session.scalars(select(Feedback).where(Feedback.reference == reference_in(sent))).one()
    web_person = case.person
    assert not web_person.confirmed and caller.confirmed

    page = officer.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Is this someone we already know?" in page
    assert f"Person {caller.id}: Sam Jones</a> has the same phone number" in page
    # The caller's own case suggests nothing: staff entered those details.
    assert "Is this someone we already know?" not in officer.get(
        f"/staff/cases/{caller.feedback[0].reference}").get_data(as_text=True)

    response = officer.post(f"/staff/people/{caller.id}", data={"other": str(web_person.id)})
    assert response.status_code == 302
    db.session.expire_all()
    caller = db.session.get(Person, caller.id)
    assert db.session.get(Person, web_person.id) is None
    assert (caller.email, caller.confirmed) == ("sam@example.org", True)
    assert case in caller.feedback
    assert "Is this someone we already know?" not in officer.get(
        f"/staff/cases/{case.reference}").get_data(as_text=True)


def test_a_second_public_form_with_the_same_email_makes_another_person(client):
    with time_machine.travel("2026-11-25 10:00:00+00:00", tick=False):
        send(client, "concern", {**CONCERN, "email": "alex@example.org"})
        send(client, "concern", {**CONCERN, "name": "Somebody Else", "email": "ALEX@example.org"})
    first, second = db.session.scalars(select(Feedback).order_by(Feedback.id)).all()
    assert first.person_id != second.person_id
    assert (first.person.name, second.person.name) == ("Alex Example", "Somebody Else")


def test_merging_moves_the_absorbed_persons_requests_and_holds(app):
    """A subject access request or legal hold on the person merged away pointed at a
    deleted row (PostgreSQL refused the merge)."""
    from portal.models import LegalHold, SubjectAccessRequest
    from portal.services.intake import people

    keep, absorb = Person(name="Sam Jones"), Person(name="Sam Jones", email="sam@example.org")
    request = SubjectAccessRequest(person=absorb, received_on=DAY, due_on=DAY, status="open", redactions=[])
    hold = LegalHold(person=absorb, reason="Claim expected")
    db.session.add_all([keep, absorb, request, hold])
    db.session.commit()
    people.merge(keep, absorb)
    db.session.commit()
    assert (request.person, hold.person) == (keep, keep)
