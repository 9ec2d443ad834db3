"""`flask demo-data`: an invented data set a newcomer can explore, made through the
same services as real work."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, LearningAction, OmbudsmanEnquiry, Payment, Stage


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_data_covers_every_part_of_the_work_and_loads_once(app, runner):
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo data: 60 feedback records added" in result.output
    assert "/staff/set-up/" in result.output  # a way in for the demo feedback manager
    kinds = dict(db.session.execute(select(Feedback.kind, func.count()).group_by(Feedback.kind)).all())
    assert kinds["compliment"] > 0 and kinds["initial_contact"] > 0
    assert db.session.scalar(select(func.count()).where(Feedback.outcome == "resolved")) > 0
    assert db.session.scalar(select(func.count()).where(Feedback.procedure.is_not(None))) > 0
    assert db.session.scalar(select(func.count()).where(Stage.responded_on.is_not(None))) > 0
    assert db.session.scalar(select(func.count()).where(Feedback.safeguarding_concern.is_(True))) > 0
    for model in (OmbudsmanEnquiry, Payment, LearningAction, ContactRestriction):
        assert count(model) > 0, model.__name__
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "demo data: nothing to do" in again.output
    assert count(Feedback) == 60


def test_what_staff_did_in_the_demo_is_dated_on_working_days(app, runner):
    from portal.services.calendars import current_calendar
    from portal.services.working_days import is_working_day

    runner.invoke(args=["demo-data", "--if-empty"])
    calendar = current_calendar()
    staff_dates = [d for (d,) in db.session.execute(select(Feedback.outcome_on).where(Feedback.outcome_on.is_not(None)))]
    staff_dates += [d for (d,) in db.session.execute(select(Feedback.shared_on).where(Feedback.shared_on.is_not(None)))]
    staff_dates += [d for (d,) in db.session.execute(select(Stage.started_on))]
    staff_dates += [d for (d,) in db.session.execute(select(OmbudsmanEnquiry.notified_on))]
    assert staff_dates and all(is_working_day(d, calendar) for d in staff_dates), sorted(
        d for d in staff_dates if not is_working_day(d, calendar))
