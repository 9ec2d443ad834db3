"""Unreasonably persistent contact: a letter's restrictions show on the person's cases,
come up for review on their date, and never stop a new submission from arriving."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, ContactRestriction, Feedback, OutboxMessage, Person
from portal.services.common import dates
from portal.services.intake import people
from portal.services.casework import restrictions
from portal.services.procedures.reminders import queue_reminders
from portal.services.common.errors import Refused
from tests.casework.conftest import body_of, deliver
from tests.public.helpers import COMPLAINT, reference_in, send

CODES = ["single_point_of_contact", "written_contact_only"]


@pytest.fixture
def alex(app):
    person = Person(name="Alex Example", email="alex@example.org")
    db.session.add(person)
    db.session.commit()
    return person


def letter(person, manager, issued_on, **kw):
    restriction = restrictions.record_letter(
        person, issued_on, kw.pop("codes", CODES), "Daily calls and emails to many officers about one complaint",
        "Mina Manager, Customer Feedback Manager", manager, today=kw.pop("today", issued_on), **kw,
    )
    db.session.commit()
    return restriction


def test_a_letter_shows_on_the_persons_cases_and_comes_up_for_review_on_its_date(
        app, mail_to, manager, alex, make_complaint):
    first, second, someone_elses = make_complaint(alex), make_complaint(alex), make_complaint()
    restriction = letter(alex, manager, date(2024, 1, 15))
    assert restriction.review_on == date(2024, 7, 15)  # six months by default
    assert restriction.person_name == "Alex Example" and restriction.person_email == "alex@example.org"

    assert restrictions.active_for_person(alex, date(2024, 1, 15)) == [restriction]
    assert restrictions.active_for_person(alex, date(2024, 1, 14)) == []  # not before the letter
    assert restrictions.active_for_feedback(first, date(2024, 2, 1)) == [restriction]
    assert restrictions.active_for_feedback(second, date(2024, 2, 1)) == [restriction]
    assert restrictions.active_for_feedback(someone_elses, date(2024, 2, 1)) == []
    assert restrictions.describe(restriction.restrictions) == ["Single point of contact", "Written contact only"]

    assert restrictions.reviews_due(date(2024, 7, 14)) == []
    assert restrictions.review_reminders(date(2024, 7, 14)) == []
    assert restrictions.reviews_due(date(2024, 7, 15)) == [restriction]
    assert restrictions.is_review_due(restriction, date(2024, 7, 15))
    run = queue_reminders(date(2024, 7, 15), [restrictions.review_reminders])
    assert run.queued == 1
    deliver(app)
    [message] = mail_to.wait_for(1)
    assert message["To"] == manager.email
    assert message["Subject"] == "A contact restriction is due for review"
    body = body_of(message)
    assert "Alex Example: letter of Monday 15 January 2024, review due Monday 15 July 2024" in body
    assert "Restrictions: Single point of contact; Written contact only" in body
    # Once for that review date, however many runs; still on the dashboard until reviewed.
    assert queue_reminders(date(2024, 7, 16), [restrictions.review_reminders]).queued == 0
    assert restrictions.reviews_due(date(2024, 7, 16)) == [restriction]

    restrictions.record_review(restriction, date(2024, 7, 16), "renewed", manager,
                               reasons="The calls continued in June", today=date(2024, 7, 16))
    db.session.commit()
    assert (restriction.review_outcome, restriction.reviewed_on) == ("renewed", date(2024, 7, 16))
    assert restriction.review_result == "Renewed: The calls continued in June"
    assert restriction.review_on == date(2025, 1, 16)
    assert restrictions.reviews_due(date(2024, 12, 1)) == []
    assert restrictions.active_for_feedback(first, date(2024, 12, 1)) == [restriction]
    # The new review date brings a new reminder.
    assert len(restrictions.review_reminders(date(2025, 1, 16))) == 1


def test_a_person_under_restriction_can_still_send_a_complaint_and_it_arrives(app, client, mail_to, manager, alex):
    restriction = letter(alex, manager, dates.today() - timedelta(days=30), today=dates.today())
    before = db.session.scalar(select(func.count(Feedback.id)))

    page = send(client, "complaint", COMPLAINT).get_data(as_text=True)

    reference = reference_in(page)
    record = db.session.scalar(select(Feedback).where(Feedback.reference == reference))
    assert db.session.scalar(select(func.count(Feedback.id))) == before + 1
    assert record.formal_complaint_requested and record.summary == COMPLAINT["summary"]
    # Acknowledged like anyone else's.
    acknowledgement = db.session.scalar(select(OutboxMessage).where(OutboxMessage.feedback_id == record.id))
    assert acknowledgement.purpose == "acknowledgement" and acknowledgement.to_address == "alex@example.org"
    deliver(app)
    assert mail_to.wait_for(1)[0]["To"] == "alex@example.org"
    # A public form never joins a person staff hold (issue 14): once staff have checked it is
    # Alex and merged the two, they see the restriction on the new case.
    assert record.person_id != alex.id
    people.merge(alex, record.person)
    db.session.commit()
    assert record.person_id == alex.id
    assert restrictions.active_for_feedback(record) == [restriction]


def test_a_review_can_change_or_lift_the_restrictions(app, manager, alex):
    restriction = letter(alex, manager, date(2024, 1, 15))
    restrictions.record_review(restriction, date(2024, 7, 15), "changed", manager,
                               restrictions=["limited_phone_calls"], next_review_on=date(2024, 10, 1),
                               today=date(2024, 7, 15))
    assert restriction.restrictions == ["limited_phone_calls"]
    assert restriction.review_result == "Changed to: Limited phone calls"
    assert restriction.review_on == date(2024, 10, 1)
    restrictions.record_review(restriction, date(2024, 10, 1), "lifted", manager, reasons="Contact is now reasonable",
                               today=date(2024, 10, 1))
    db.session.commit()
    assert restriction.review_result == "Lifted: Contact is now reasonable"
    assert restrictions.active_for_person(alex, date(2024, 10, 1)) == []
    assert restrictions.reviews_due(date(2025, 1, 1)) == []

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "contact_restriction")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [("create", manager.id), ("update", manager.id),
                                                         ("update", manager.id)]
    assert entries[-1].old["review_outcome"] == "changed" and entries[-1].new["review_outcome"] == "lifted"


def test_imported_letters_match_by_email_and_a_result_in_words_beginning_lifted_counts(app, alex):
    linked_by_email = ContactRestriction(person_email="ALEX@example.org", letter_issued_on=date(2021, 3, 1),
                                         restrictions=["written_contact_only"], review_on=date(2021, 9, 1))
    lifted = ContactRestriction(person_id=alex.id, letter_issued_on=date(2020, 3, 1), restrictions=CODES,
                                review_on=date(2020, 9, 1), reviewed_on=date(2020, 9, 1),
                                review_result="Lifted after review")
    reviewed = ContactRestriction(person_name="Someone", letter_issued_on=date(2022, 3, 1), restrictions=CODES,
                                  review_on=date(2022, 9, 1), reviewed_on=date(2022, 9, 2),
                                  review_result="Renewed")
    db.session.add_all([linked_by_email, lifted, reviewed])
    db.session.commit()
    assert restrictions.active_for_person(alex, date(2024, 1, 1)) == [linked_by_email]
    assert restrictions.is_lifted(lifted) and not restrictions.is_lifted(reviewed)
    # Reviewed on or after its review date: not due; never reviewed: due.
    assert restrictions.reviews_due(date(2024, 1, 1)) == [linked_by_email]


def test_a_letter_is_reviewed_six_months_after_it_was_issued():
    # How months are counted (31 August to the end of February): tests/common/test_dates.py.
    assert restrictions.default_review_date(date(2024, 1, 15)) == date(2024, 7, 15)


@pytest.mark.parametrize("kw, field", [
    ({"issued_on": None}, "letter_issued_on"),
    ({"issued_on": date(2024, 2, 1)}, "letter_issued_on"),  # after today
    ({"codes": []}, "restrictions"),
    ({"codes": ["no_contact_at_all"]}, "restrictions"),
    ({"reason": " "}, "reason"),
    ({"decided_by": ""}, "decided_by"),
    ({"review_on": date(2024, 1, 10)}, "review_on"),
])
def test_a_letter_that_cannot_be_recorded_names_its_field(app, manager, alex, kw, field):
    args = {"issued_on": date(2024, 1, 15), "codes": CODES, "reason": "Reason", "decided_by": "Mina",
            "review_on": None, **kw}
    with pytest.raises(Refused) as refused:
        restrictions.record_letter(alex, args["issued_on"], args["codes"], args["reason"], args["decided_by"],
                                   manager, review_on=args["review_on"], today=date(2024, 1, 31))
    assert refused.value.field == field


@pytest.mark.parametrize("outcome, kw, field", [
    ("ended", {}, "outcome"),
    ("renewed", {}, "reasons"),
    ("changed", {"restrictions": []}, "restrictions"),
    ("renewed", {"reasons": "x", "next_review_on": date(2024, 7, 1)}, "next_review_on"),
    ("renewed", {"reasons": "x", "reviewed_on": date(2024, 1, 1)}, "reviewed_on"),
    ("renewed", {"reasons": "x", "reviewed_on": date(2024, 8, 1)}, "reviewed_on"),
])
def test_a_review_that_cannot_be_recorded_names_its_field(app, manager, alex, outcome, kw, field):
    restriction = letter(alex, manager, date(2024, 1, 15))
    reviewed_on = kw.pop("reviewed_on", date(2024, 7, 15))
    with pytest.raises(Refused) as refused:
        restrictions.record_review(restriction, reviewed_on, outcome, manager, today=date(2024, 7, 31), **kw)
    assert refused.value.field == field
