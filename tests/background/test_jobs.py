"""The worker's scheduled jobs (portal/services/background/jobs.py): each at its London time, the
reminders on working days only, each once a day however many workers tick, each
recorded with what it did. Every moment is given (``now=``), never the real date."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import JobRun, OutboxMessage
from portal.services.background import jobs
from portal.services.common import outbox

# Wednesday 3 March 2027 (a working day) and Saturday 6 March, in GMT.
WEDNESDAY_0659 = datetime(2027, 3, 3, 6, 59, tzinfo=timezone.utc)
WEDNESDAY_0700 = datetime(2027, 3, 3, 7, 0, tzinfo=timezone.utc)
SATURDAY_0900 = datetime(2027, 3, 6, 9, 0, tzinfo=timezone.utc)
# Thursday 1 July 2027 07:00 in London is 06:00 UTC (British Summer Time).
SUMMER_0600_UTC = datetime(2027, 7, 1, 6, 0, tzinfo=timezone.utc)


def runs(job: str) -> list[JobRun]:
    return list(db.session.scalars(select(JobRun).where(JobRun.job == job).order_by(JobRun.id)))


def test_the_reminders_run_at_seven_in_the_morning_and_not_before(app):
    with time_machine.travel(WEDNESDAY_0659):
        assert "reminders" not in jobs.tick(WEDNESDAY_0659)
    with time_machine.travel(WEDNESDAY_0700):
        assert "reminders" in jobs.tick(WEDNESDAY_0700)
    [run] = runs("reminders")
    assert run.run_for == "2027-03-03" and run.finished_at is not None and not run.failed
    assert run.summary == "0 queued, 0 already sent"


def test_seven_in_the_morning_is_london_time(app):
    with time_machine.travel(SUMMER_0600_UTC):
        assert "reminders" in jobs.tick(SUMMER_0600_UTC)


def test_no_reminders_on_a_saturday_but_the_nightly_jobs_still_run(app):
    with time_machine.travel(SATURDAY_0900):
        ran = jobs.tick(SATURDAY_0900)
    assert "reminders" not in ran
    assert {"retention_purge", "prune_sign_in"} <= set(ran)
    assert runs("retention_purge")[0].summary.startswith("0 records purged")


def test_a_job_runs_once_a_day_however_often_and_however_many_workers_tick(app, _migrated):
    from portal import create_app
    from tests.conftest import test_config

    with time_machine.travel(WEDNESDAY_0700):
        assert "reminders" in jobs.tick(WEDNESDAY_0700)
        assert "reminders" not in jobs.tick(WEDNESDAY_0700)
        # A second worker, with its own app and connection, finds the day's run taken.
        other = create_app(test_config(_migrated))
        with other.app_context():
            assert "reminders" not in jobs.tick(WEDNESDAY_0700)
            db.session.remove()
            db.engine.dispose()
    assert len(runs("reminders")) == 1
    # The next working day it runs again.
    thursday = WEDNESDAY_0700.replace(day=4)
    with time_machine.travel(thursday):
        assert "reminders" in jobs.tick(thursday)
    assert [r.run_for for r in runs("reminders")] == ["2027-03-03", "2027-03-04"]


@pytest.mark.parametrize("config_overrides", [{"REMINDERS_AT": "09:30"}])
def test_each_jobs_time_is_a_setting(app):
    with time_machine.travel(WEDNESDAY_0700):
        assert "reminders" not in jobs.tick(WEDNESDAY_0700)
    half_past_nine = WEDNESDAY_0700.replace(hour=9, minute=30)
    with time_machine.travel(half_past_nine):
        assert "reminders" in jobs.tick(half_past_nine)


def test_a_job_that_fails_is_recorded_with_why_and_the_others_still_run(app, monkeypatch):
    def broken(day):
        raise RuntimeError("the reminders could not be worked out")

    monkeypatch.setattr(jobs, "JOBS", [jobs.Job("reminders", "Reminder emails", "REMINDERS_AT", broken,
                                               working_days_only=True), *jobs.JOBS[1:]])
    with time_machine.travel(WEDNESDAY_0700):
        ran = jobs.tick(WEDNESDAY_0700)
    assert {"reminders", "retention_purge", "prune_sign_in"} <= set(ran)
    [run] = runs("reminders")
    assert run.failed and "the reminders could not be worked out" in run.summary
    last = {r.job: r for r in jobs.last_runs()}
    assert last["reminders"].failed and not last["retention_purge"].failed


def test_the_sweep_records_what_it_did_each_tick(app, mail_to):
    outbox.queue("someone@example.org", "Hello", "Body", purpose="test")
    db.session.commit()
    jobs.tick()
    [sweep] = runs(jobs.SWEEP)
    assert sweep.summary == "sent 1, not sent yet 0, cannot be sent 0, waiting 0"
    jobs.tick()
    assert len(runs(jobs.SWEEP)) == 1  # one row, kept up to date
    assert len(mail_to.wait_for(2, timeout=0.5)) == 1
    assert db.session.scalar(select(OutboxMessage.sent_at)) is not None
