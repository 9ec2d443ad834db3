"""`flask send-reminders` (issue 5, 8): each officer gets one email about their stages
due within 3 working days or overdue; once a day however often it runs."""

from datetime import date

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.procedures.pauses import pause_stage
from portal.services.procedures.reminders import stage_reminders

from .conftest import TODAY

FRIDAY = date(2024, 1, 5)


def _complaints(make_complaint, make_user, officer):
    other = make_user("feedback_officer", "Bea Officer")
    due_soon = make_complaint(stages=((date(2023, 12, 21), None),), assigned_to=officer)  # 9 Jan
    overdue = make_complaint(stages=((date(2023, 12, 18), None),), assigned_to=officer)  # 4 Jan
    make_complaint(stages=((date(2023, 12, 29), None),), assigned_to=officer)  # 12 Jan: not yet
    make_complaint(stages=((date(2023, 12, 21), date(2024, 1, 3)),), assigned_to=officer)  # done
    theirs = make_complaint(stages=((date(2023, 12, 22), None),), assigned_to=other)  # 10 Jan
    nobody = make_complaint(stages=((date(2023, 12, 21), None),))
    return other, due_soon, overdue, theirs, nobody


def test_each_officer_gets_one_email_of_stages_due_within_3_working_days_or_overdue(
        app, make_complaint, make_user, officer):
    other, due_soon, overdue, theirs, nobody = _complaints(make_complaint, make_user, officer)
    reminders = {r.to: r for r in stage_reminders(FRIDAY)}
    assert set(reminders) == {officer.email, other.email, app.config["ORG_EMAIL"]}
    mine = reminders[officer.email]
    assert mine.subject == "Complaint stages due: 2, 1 overdue"
    assert (f"{overdue.reference}, Stage 1 (local resolution): response OVERDUE: was due "
            "Thursday 4 January 2024 (1 working day ago)") in mine.body
    assert (f"{due_soon.reference}, Stage 1 (local resolution): response due Tuesday 9 "
            "January 2024 (2 working days left)") in mine.body
    assert mine.body.index(overdue.reference) < mine.body.index(due_soon.reference)
    # One stage a line, and the portal's name on a line of its own after a blank one.
    lines = mine.body.splitlines()
    assert [line.split(",")[0] for line in lines if line.startswith("CF-")] == [overdue.reference, due_soon.reference]
    assert lines[-2:] == ["", f"{app.config['ORG_NAME']} customer feedback portal"]
    assert theirs.reference in reminders[other.email].body
    assert nobody.reference in reminders[app.config["ORG_EMAIL"]].body


def test_no_stage_reminders_on_a_day_that_is_not_a_working_day(make_complaint, make_user, officer):
    _complaints(make_complaint, make_user, officer)
    assert stage_reminders(date(2024, 1, 6)) == []  # a Saturday
    assert stage_reminders(date(2024, 1, 1)) == []  # New Year's Day


def test_a_paused_stage_is_not_reminded(make_complaint, officer):
    record = make_complaint(stages=((date(2023, 12, 21), None),), assigned_to=officer)
    pause_stage(record.stages[0], "Police investigation", date(2024, 1, 2), officer, today=TODAY)
    assert stage_reminders(FRIDAY) == []


def test_send_reminders_command_queues_once_a_day(app, runner, make_complaint, make_user, officer):
    _complaints(make_complaint, make_user, officer)
    result = runner.invoke(args=["send-reminders", "--today", "2024-01-05"])
    assert result.exit_code == 0, result.output
    assert "3 queued, 0 already sent" in result.output
    again = runner.invoke(args=["send-reminders", "--today", "2024-01-05"])
    assert "0 queued, 3 already sent" in again.output
    db.session.expire_all()
    messages = OutboxMessage.query.all()
    assert len(messages) == 3
    assert {m.purpose for m in messages} == {"stage_reminder:2024-01-05"}
    next_day = runner.invoke(args=["send-reminders", "--today", "2024-01-08"])
    assert "3 queued" in next_day.output


def test_send_reminders_refuses_a_malformed_day(runner):
    result = runner.invoke(args=["send-reminders", "--today", "5 January"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
