"""`flask demo-data`: an invented data set a newcomer can explore, made through the
same services as real work, with every part of the work in it whatever day it is
loaded."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.models import (
    ContactRestriction, Feedback, LearningAction, OmbudsmanEnquiry, OmbudsmanRecommendation, OutboxMessage,
    Payment, Stage, StageResponse,
)
from portal.demo import records
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from portal.services.procedures.working_days import is_working_day

# Seven days in a row (Saturday 6 March is one the stop hook loads on under libfaketime),
# the summer bank holiday and a 29 February.
DAYS = [date(2027, 3, 1) + timedelta(days=n) for n in range(7)] + [date(2027, 8, 30), date(2028, 2, 29)]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def staff_dates() -> list[date]:
    """Every date a member of staff recorded in the demo (not the dates the public sent
    things, nor due dates)."""
    columns = [Feedback.outcome_on, Feedback.shared_on, Stage.started_on, Stage.acknowledged_on,
               Stage.statement_agreed_on, Stage.panel_met_on, Stage.panel_report_on, Stage.responded_on,
               StageResponse.sent_on, OmbudsmanEnquiry.notified_on, OmbudsmanEnquiry.decided_on,
               OmbudsmanRecommendation.complied_on, Payment.paid_on, LearningAction.raised_on,
               LearningAction.completed_on, ContactRestriction.letter_issued_on]
    return [day for column in columns for (day,) in db.session.execute(select(column).where(column.is_not(None)))]


@pytest.mark.parametrize("day", DAYS, ids=[f"{d:%a-%Y-%m-%d}" for d in DAYS])
def test_the_demo_holds_every_part_of_the_work_on_any_day(app, runner, day):
    with time_machine.travel(datetime.combine(day, time(10), ZoneInfo("Europe/London")), tick=True):
        # Fewer random records than the 60 of `make run`, to keep nine loads quick: the
        # scripted cases make every part. (.ci/run loads all 60 on these days.)
        result = runner.invoke(args=["demo-data", "--if-empty", "--count", "10"])
        assert result.exit_code == 0, result.output
        assert "demo data: every part of the work is there" in result.output
        assert records.missing_parts() == []
        # Staff work on working days, and nothing is dated after today.
        calendar = current_calendar()
        dates = staff_dates()
        assert dates and max(dates) <= day
        assert all(is_working_day(d, calendar) for d in dates), sorted(
            d for d in dates if not is_working_day(d, calendar))


def test_demo_data_loads_once_leaves_no_mail_to_send_and_a_way_in_for_the_manager_and_administrator(
        app, runner, mail_to):
    result = runner.invoke(args=["demo-data", "--if-empty", "--count", "20"])
    assert result.exit_code == 0, result.output
    added = count(Feedback)
    assert f"demo data: {added} feedback records added" in result.output and added > 20
    for who, email in (("demo feedback manager", "demo.manager@example.org"),
                       ("demo administrator", "demo.admin@example.org")):
        assert f"To sign in as the {who} ({email}), open this one-time link" in result.output
    assert result.output.count("/staff/set-up/") == 2
    kinds = dict(db.session.execute(select(Feedback.kind, func.count()).group_by(Feedback.kind)).all())
    assert kinds["compliment"] > 0 and kinds["initial_contact"] > 0

    # Acknowledgements, alerts, shared compliments and invitations were made, and count as
    # sent: the first send delivers none of them.
    assert count(OutboxMessage) > 20
    sent = runner.invoke(args=["outbox", "send"])
    assert sent.output.strip() == "sent 0, failed 0, waiting 0, cannot be sent 0"
    assert mail_to.wait_for(1, timeout=0.5) == []

    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "demo data: nothing to do" in again.output and again.exit_code == 0
    assert count(Feedback) == added

    # The check finds a part that has gone, and fails.
    assert runner.invoke(args=["demo-data", "--check"]).exit_code == 0
    db.session.execute(delete(ContactRestriction))
    overdue = db.session.scalars(select(LearningAction).where(LearningAction.status != "done",
                                                              LearningAction.due_on < today()))
    for action in overdue:
        action.due_on = today() + timedelta(days=7)
    db.session.commit()
    result = runner.invoke(args=["demo-data", "--check"])
    assert result.exit_code == 1
    assert "demo data is missing: a contact restriction; an overdue learning action" in result.output


def test_the_check_names_every_part_an_empty_database_lacks(app, runner):
    result = runner.invoke(args=["demo-data", "--check"])
    assert result.exit_code == 1
    assert result.output.startswith("demo data is missing: a compliment shared with its team; "
                                    "a compliment cleared for publication; ")
    assert "a statutory complaint at Stage 3" in result.output
    assert "every demo email marked as sent" not in result.output  # nothing is waiting
    assert "demo data: every part of the work is there" not in result.output
