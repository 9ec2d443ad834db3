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
