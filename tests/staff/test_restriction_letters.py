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


def _letter_form(page: str) -> dict:
    import html

    return {"subject": html.unescape(re.search(r'name="subject"[^>]*value="([^"]*)"', page).group(1)),
            "text": html.unescape(re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page,
                                            re.S).group(1)).lstrip("\n")}


def test_the_review_reminder_leads_to_the_review_and_the_review_drafts_the_review_letter(signed_in, get_page):
    """Issue 18, 5: "the review reminder produces the review letter". Alex Green's letter of
    2 January 2034 limited them to written contact, to be reviewed on 2 July 2034; on 18
    October 2034 the review is due. Until it is recorded the review letter has nothing to
    say and cannot go; recording it (renewed, with its reasons) drafts the letter from the
    restriction: what still applies, the named contact, the next review (six months on,
    18 April 2035) and how to ask for one sooner."""
    client = signed_in("feedback_manager")
    person = Person(name="Alex Green", email="alex@example.org", address="2 Hill Street")
    restriction = ContactRestriction(person=person, person_name="Alex Green", letter_issued_on=date(2034, 1, 2),
                                     restrictions=["written_contact_only"], reason="Many calls a day",
                                     decided_by="Mo Manager", review_on=date(2034, 7, 2))
    db.session.add(restriction)
    db.session.commit()
    [reminder] = restrictions.review_reminders(date(2034, 10, 18))
    assert f"/staff/restrictions/{restriction.id}/review" in reminder.body
    assert "Recording it drafts the review letter" in reminder.body

    url = f"/staff/restrictions/{restriction.id}/letter"
    early = _letter_form(get_page(client, url, purpose="restriction_review", channel="letter"))
    assert "What we decided: [no value: restriction.review_result]" in early["text"]
    page = checked_page(client.post(url, data={"purpose": "restriction_review", "channel": "letter",
                                               "audience": "adult", "action": "check", **early}))
    assert "There is no value for restriction.review_result yet" in page and 'value="send"' not in page

    review = get_page(client, f"/staff/restrictions/{restriction.id}/review")
    assert "the review letter to Alex Green is drafted from it" in review
    response = client.post(f"/staff/restrictions/{restriction.id}/review", data={
        "reviewed_on": ["18", "10", "2034"], "outcome": "renewed",
        "reasons": "The calls have carried on"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}?purpose=restriction_review"
    page = get_page(client, response.headers["Location"])
    assert "The review letter is drafted from it" in page
    drafted = _letter_form(page)
    text = drafted["text"]
    assert "On 2 January 2034 we wrote to you about how you contact us. We looked at this again on " \
           "18 October 2034." in text
    assert "What we decided: Renewed: The calls have carried on" in text
    assert "From now on, we will:\n- Written contact only\n" in text
    assert "Your named contact is Mo Manager. We will look at this again on 18 April 2035." in text
    assert "[no value:" not in text
    written = text.replace("[Say what happens now.]", "Please keep writing to Mo Manager.")
    data = {"purpose": "restriction_review", "channel": "letter", "audience": "adult", "template_version": "0",
            "subject": drafted["subject"], "text": written}
    page = checked_page(client.post(url, data={**data, "action": "check"}))
    checked = re.search(r'name="checked"[^>]*value="([^"]*)"', page).group(1)
    assert client.post(url, data={**data, "checked": checked, "action": "send"}).status_code == 302
    letter = db.session.query(Letter).one()
    assert (letter.restriction_id, letter.purpose) == (restriction.id, "restriction_review")
    assert "Renewed: The calls have carried on" in letter.text


def test_a_review_that_lifts_the_restrictions_drafts_a_letter_saying_so(signed_in, get_page):
    client = signed_in("feedback_manager")
    restriction = ContactRestriction(person_name="Alex Green", letter_issued_on=date(2034, 1, 2),
                                     restrictions=["written_contact_only"], decided_by="Mo Manager",
                                     review_on=date(2034, 7, 2))
    db.session.add(restriction)
    db.session.commit()
    response = client.post(f"/staff/restrictions/{restriction.id}/review", data={
        "reviewed_on": ["16", "10", "2034"], "outcome": "lifted"})
    text = _letter_form(get_page(client, response.headers["Location"]))["text"]
    assert "What we decided: Lifted" in text
    assert "the limits on how you contact us have ended" in text
    assert "Written contact only" not in text and "look at this again" not in text
