"""``flask send-reminders`` runs the casework reminders with the stage reminders."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import Person
from portal.services.casework import learning_actions, ombudsman, restrictions
from tests.casework.conftest import deliver, team


def test_the_command_sends_the_ombudsman_action_and_review_reminders_once(
        app, runner, mail_to, officer, manager, make_staff, make_complaint):
    person = Person(name="Alex Example", email="alex@example.org")
    record = make_complaint(person)
    enquiry = ombudsman.record_enquiry(record, "23 012 345", date(2024, 4, 2), officer, today=date(2024, 6, 3))
    ombudsman.record_decision(enquiry, "upheld", date(2024, 5, 20), officer, "£250", today=date(2024, 6, 3))
    ombudsman.add_recommendation(enquiry, "Apologise in writing", date(2024, 6, 28), officer)
    owner = make_staff("team_manager", name="Fran Fostering", team=team("Fostering Team"))
    learning_actions.raise_action(record, "2", "Hold a meeting before ending a placement", owner,
                                  date(2024, 9, 30), officer, today=date(2024, 6, 3))
    restrictions.record_letter(person, date(2024, 1, 1), ["written_contact_only"], "Many calls a day",
                               "Mina Manager", manager, today=date(2024, 1, 1))
    db.session.commit()

    # Monday 1 July 2024: the first working day of July, the recommendation is overdue and
    # the restriction's review is due.
    result = runner.invoke(args=["send-reminders", "--today", "2024-07-01"])
    assert result.exit_code == 0, result.output
    assert "3 queued" in result.output
    deliver(app)
    messages = mail_to.wait_for(3)
    assert sorted((m["To"], m["Subject"]) for m in messages) == sorted([
        (manager.email, "Ombudsman recommendations: 1 overdue, 0 due soon"),
        (owner.email, "Your open actions: 1"),
        (manager.email, "A contact restriction is due for review"),
    ])

    again = runner.invoke(args=["send-reminders", "--today", "2024-07-01"])
    assert again.exit_code == 0 and "0 queued, 3 already sent" in again.output
