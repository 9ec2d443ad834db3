"""The young person's form fills in the child the case is about and the advocacy offer
(issue 20): the young person themselves, or the one a helper names; a date of birth as
people type it; never joined to a child already held."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Child, Feedback
from tests.public.helpers import YOUNG, send
from tests.staff.conftest import error_summary


def only_record() -> Feedback:
    (record,) = db.session.scalars(select(Feedback)).all()
    return record


def test_a_young_person_is_the_child_and_their_answer_is_the_advocacy_offer(client):
    send(client, "young", {**YOUNG, "date_of_birth": "27/3/2012"})
    record = only_record()
    assert (record.child.name, record.child.date_of_birth) == ("Riley", date(2012, 3, 27))
    advocacy = record.advocacy
    assert (advocacy.offered_how, advocacy.answer) == ("young_persons_form", "accepted")
    assert advocacy.offered_on == advocacy.answered_on == record.received_on


def test_a_helper_names_the_young_person_and_a_no_is_recorded_as_declined(client):
    send(client, "young", {**YOUNG, "role": "advocate_or_representative", "name": "Sam Helper",
                           "young_name": "Jayden Whitmore", "date_of_birth": "27 March 2012", "advocate": "no"})
    record = only_record()
    assert record.child.name == "Jayden Whitmore" and record.advocacy.answer == "declined"


def test_a_child_already_held_is_never_joined_from_the_form(client):
    held = Child(name="Riley", date_of_birth=date(2012, 3, 27), statuses=[])
    db.session.add(held)
    db.session.commit()
    send(client, "young", {**YOUNG, "date_of_birth": "27/3/2012"})
    assert only_record().child_id != held.id
    assert len(db.session.scalars(select(Child)).all()) == 2


def test_a_date_of_birth_that_is_not_a_date_is_asked_again_keeping_what_was_typed(client):
    response = client.post("/young-people/tell-us", data={**YOUNG, "date_of_birth": "31/2/2012"})
    page = response.get_data(as_text=True)
    assert error_summary(page) == ["Enter the date of birth as a real date, like 27/3/2012"]
    assert 'value="31/2/2012"' in page
