"""Persistent-contact letters from the restriction's details (issue 18, 5), and the review
reminder pointing to the review letter."""

from __future__ import annotations

import re
from datetime import date

from portal.extensions import db
from portal.models import ContactRestriction, Letter, Person
from portal.services.casework import restrictions
from tests import factories
from tests.pages import checked_page


def test_a_persistent_contact_letter_is_written_from_the_restriction(signed_in, get_page):
    client = signed_in("feedback_manager")
    person = Person(name="Alex Green", email="alex@example.org", address="2 Hill Street")
    db.session.add(person)
    restriction = restrictions.record_letter(person, date(2034, 10, 18), ["single_point_of_contact",
                                                                          "written_contact_only"],
                                             "Over 40 calls a week to several teams", "Mo Manager", client.user)
    db.session.commit()
    url = f"/staff/restrictions/{restriction.id}/letter"
    page = get_page(client, url, purpose="persistent_contact", channel="letter")
    text = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "- Single point of contact\n- Written contact only" in text
    assert "Why we have decided this: Over 40 calls a week to several teams" in text
    assert "Your named contact is Mo Manager." in text
    assert "We will look at this again on 18 April 2035." in text
    assert "This does not stop you making a new complaint." in text
    import html
    written = html.unescape(text).lstrip("\n").replace("[Say briefly what has happened.]",
                                                       "You have phoned us many times each day.")
    subject = "How we will keep in touch with you"
    data = {"purpose": "persistent_contact", "channel": "letter", "audience": "adult", "template_version": "0",
            "subject": subject, "text": written}
    page = checked_page(client.post(url, data={**data, "action": "check"}))
    checked = re.search(r'name="checked"[^>]*value="([^"]*)"', page).group(1)
    response = client.post(url, data={**data, "checked": checked, "action": "send"})
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/people/{person.id}"
    letter = db.session.query(Letter).one()
    assert (letter.restriction_id, letter.feedback_id, letter.template_version) == (restriction.id, None, 1)
    assert client.get(f"/staff/letters/{letter.id}/letter.pdf").data.startswith(b"%PDF")
    # an officer (no manage_restrictions) cannot see a letter that is on no case
    officer = signed_in("feedback_officer")
    assert officer.get(f"/staff/letters/{letter.id}").status_code == 404


def test_the_review_reminder_links_to_the_review_letter(app):
    factories.staff("feedback_manager", "Mo Manager")
    restriction = ContactRestriction(person_name="Alex Green", letter_issued_on=date(2034, 1, 2),
                                     restrictions=["written_contact_only"], review_on=date(2034, 7, 2))
    db.session.add(restriction)
    db.session.commit()
    [reminder] = restrictions.review_reminders(date(2034, 10, 18))
    body = reminder.body if hasattr(reminder, "body") else str(reminder)
    assert f"/staff/restrictions/{restriction.id}/letter?purpose=restriction_review" in body
