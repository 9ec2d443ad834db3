"""The worker's scheduled jobs, once cron's: each runs at its configured London time, is
safe to run twice, and records what it did.

The worker's tick (every minute, ``portal.tasks``) calls ``tick``: first the outbox
sweep (anything due that no "send message N" reached), then each daily job whose time
has come today and that has not run for today. A job is claimed by writing its
``JobRun`` row, (job, day) being unique, so a second worker, on this machine or
another, finds the row taken and does nothing. A worker that was stopped at the job's
time runs it when it next ticks that day. The commands stay for operators:
``flask outbox send``, ``flask send-reminders``, ``flask retention purge``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import JobRun
from portal.services.common import audit, outbox
from portal.services.common.dates import LONDON, now_utc

log = logging.getLogger(__name__)

SWEEP = "outbox_sweep"
SWEEP_ROW = "each tick"
RESCAN = "rescan_quarantine"
MAIL_IN = "mail_in"  # reading the team's mailbox, each tick (one row, like the sweep's)
WORKER = "worker"  # who the audit trail says made a job's changes
KEEP_RUNS_FOR = timedelta(days=90)


@dataclass(frozen=True)
class Job:
    name: str
    label: str  # for staff
    setting: str  # the config key holding its London time
    run: Callable[[date], str]  # does the work for a day, returns what it did
    working_days_only: bool = False


def _reminders(day: date) -> str:
    from portal.cli_reminders import REMINDER_SOURCES
    from portal.services.procedures.reminders import queue_reminders

    with audit.acting_as(WORKER):
        run = queue_reminders(day, REMINDER_SOURCES)
        db.session.commit()
    return f"{run.queued} queued, {run.already_sent} already sent"


def _retention(day: date) -> str:
    from portal.services.data_protection import purge

    with audit.acting_as(WORKER):
        result = purge.run(day, actor=WORKER)
        db.session.commit()
    removed = sum(result.counts.values())
    return (f"{removed} records purged, {result.people_removed} people removed, "
            f"{result.drafts_removed} unfinished forms removed")


def _prune(day: date) -> str:
    from portal.services.accounts import auth

    removed = auth.forget_old_sign_in_rows()
    runs = db.session.execute(delete(JobRun).where(
        JobRun.run_for != SWEEP_ROW, JobRun.started_at < now_utc() - KEEP_RUNS_FOR)).rowcount
    db.session.commit()
    return f"{removed} old sign-in records removed, {runs} old job records removed"


def _insight(day: date) -> str:
    from portal.services.insight import training

    # Reads the records and writes instance/insight/; no row changes, nothing to commit.
    about = training.train(current_app.config["INSIGHT_PATH"], current_app.config["INSIGHT_MIN_RECORDS"], day)
    db.session.rollback()
    return training.describe(about)


JOBS = [
    Job("reminders", "Reminder emails", "REMINDERS_AT", _reminders, working_days_only=True),
    Job("retention_purge", "Retention purge", "RETENTION_PURGE_AT", _retention),
    Job("prune_sign_in", "Pruning old sign-in records", "PRUNE_SIGN_IN_AT", _prune),
    Job("insight_training", "Training the insight model", "INSIGHT_TRAIN_AT", _insight),
]
JOB_LABELS = {SWEEP: "Sending waiting mail (the sweep)", MAIL_IN: "Reading the team's mailbox",
              **{job.name: job.label for job in JOBS}}


def tick(now: datetime | None = None) -> list[str]:
    """The sweep, then every daily job that is due; returns the names of what ran."""
    now = now or now_utc()
    ran = [SWEEP] if sweep() is not None else []
    if rescan():
        ran.append(RESCAN)
    if read_mail() is not None:
        ran.append(MAIL_IN)
    for job in JOBS:
        if is_due(job, now) and run_once(job, now):
            ran.append(job.name)
    return ran


def sweep() -> outbox.SendResult | None:
    settings = outbox.MailSettings.from_config(current_app.config)
    started = now_utc()
    try:
        result = outbox.send_due(settings)
    except Exception as exc:  # noqa: BLE001 - the next tick tries again
        db.session.rollback()
        log.exception("outbox sweep failed")
        _record_sweep(started, f"failed: {type(exc).__name__}: {exc}"[:500], failed=True)
        return None
    summary = (f"sent {result.sent}, not sent yet {result.failed}, cannot be sent {result.undeliverable}, "
               f"waiting {outbox.pending_count()}")
    if result.sent or result.failed or result.undeliverable:
        log.info("outbox sweep: %s", summary)
    _record_sweep(started, summary)
    return result


def rescan() -> int:
    """The case file's files waiting for the virus scanner (it could not be reached when
    they came) are scanned again on every tick, when a scanner is set up; returns how
    many were scanned (docs/case-file.md, "The quarantine")."""
    from portal.services.files import documents

    settings = documents.FileSettings.from_app()
    if not settings.scanner.configured:
        return 0
    try:
        with audit.acting_as(WORKER):
            summary = documents.rescan_waiting(db.session(), settings)
            db.session.commit()
    except Exception:  # noqa: BLE001 - the next tick tries again
        db.session.rollback()
        log.exception("rescanning the quarantine failed")
        return 0
    if summary.clean or summary.infected:
        log.info("quarantine: %s clean, %s infected, %s still waiting", summary.clean, summary.infected,
                 summary.still_waiting)
    return summary.clean + summary.infected


def read_mail():
    """The team's mailbox read, when one is set up (MAIL_IN_HOST; docs/mail-in.md): what
    it did, or None when it is not set up or could not be read. A mailbox that cannot be
    reached is recorded as failed, for the administrator's page; its mail waits on the
    server for the next tick."""
    from portal.services.mail_in import reader
    from portal.services.mail_in.receive import InSettings

    settings = reader.MailboxSettings.from_config(current_app.config)
    if not settings.configured:
        return None
    started = now_utc()
    if not _claim_each_tick(MAIL_IN, started):
        return None  # another worker is reading the mailbox now
    try:
        summary = reader.read_mailbox(settings, InSettings.from_app())
    except Exception as exc:  # noqa: BLE001 - the next tick tries again
        db.session.rollback()
        if isinstance(exc, reader.MailboxUnreachable):
            log.warning("mail in: the mailbox could not be read: %s", exc)
        else:
            log.exception("mail in failed")
        _record_each_tick(MAIL_IN, started, f"failed: the mailbox could not be read: {exc}"[:500], failed=True)
        return None
    if summary.read or summary.failed or summary.left:
        log.info("mail in: %s", summary.words())
    _record_each_tick(MAIL_IN, started, summary.words())
    return summary


# A reader stopped mid-read lets go of the mailbox after this.
MAIL_IN_CLAIM = timedelta(minutes=10)


def _claim_each_tick(job: str, started: datetime) -> bool:
    """One worker at a time reads the mailbox (two would take the same messages): the
    job's row is claimed by marking it started and not finished, unless another worker's
    claim is still fresh. Committed at once, so that the claim is seen by the others."""
    from sqlalchemy import or_, update

    if db.session.scalar(select(JobRun.id).where(JobRun.job == job, JobRun.run_for == SWEEP_ROW)) is None:
        db.session.add(JobRun(job=job, run_for=SWEEP_ROW, started_at=started))
        try:
            db.session.commit()
        except IntegrityError:  # another worker made it first: it has the claim
            db.session.rollback()
            return False
        return True
    claimed = db.session.execute(update(JobRun).where(
        JobRun.job == job, JobRun.run_for == SWEEP_ROW,
        or_(JobRun.finished_at.is_not(None), JobRun.started_at < started - MAIL_IN_CLAIM),
    ).values(started_at=started, finished_at=None)).rowcount
    db.session.commit()
    return claimed == 1


def _record_sweep(started: datetime, summary: str, failed: bool = False) -> None:
    _record_each_tick(SWEEP, started, summary, failed)


def _record_each_tick(job: str, started: datetime, summary: str, failed: bool = False) -> None:
    row = db.session.scalar(select(JobRun).where(JobRun.job == job, JobRun.run_for == SWEEP_ROW))
    if row is None:
        row = JobRun(job=job, run_for=SWEEP_ROW, started_at=started)
        db.session.add(row)
    row.started_at, row.finished_at, row.summary, row.failed = started, now_utc(), summary, failed
    try:
        db.session.commit()
    except IntegrityError:  # another worker wrote the row first; theirs will do
        db.session.rollback()


def is_due(job: Job, now: datetime) -> bool:
    """Its London time has come today (and, for reminders, today is a working day)."""
    local = now.astimezone(LONDON)
    at = time.fromisoformat(current_app.config[job.setting])
    if local.time() < at:
        return False
    if job.working_days_only:
        from portal.services.procedures import working_days
        from portal.services.procedures.calendars import current_calendar

        return working_days.is_working_day(local.date(), current_calendar())
    return True


def run_once(job: Job, now: datetime) -> bool:
    """Run the job for ``now``'s London day unless it has run (or is running) for it;
    True if this call ran it. The claim is the row: two workers cannot both write it."""
    day = now.astimezone(LONDON).date()
    claim = JobRun(job=job.name, run_for=day.isoformat(), started_at=now_utc())
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    claim_id = claim.id
    try:
        summary = job.run(day)
    except Exception as exc:  # noqa: BLE001 - recorded for staff; the operator runs the command
        db.session.rollback()
        log.exception("job %s for %s failed", job.name, day)
        summary, failed = f"failed: {type(exc).__name__}: {exc}"[:500], True
    else:
        failed = False
        log.info("job %s for %s: %s", job.name, day, summary)
    claim = db.session.get(JobRun, claim_id)
    claim.finished_at, claim.summary, claim.failed = now_utc(), summary, failed
    db.session.commit()
    return True


@dataclass(frozen=True)
class LastRun:
    job: str
    label: str
    started_at: datetime | None
    finished_at: datetime | None
    summary: str | None
    failed: bool


def last_runs() -> list[LastRun]:
    """When each job last ran and what it did (for the administrator's page)."""
    out = []
    for name, label in JOB_LABELS.items():
        row = db.session.scalar(select(JobRun).where(JobRun.job == name)
                                .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))
        out.append(LastRun(name, label, row and row.started_at, row and row.finished_at,
                           row and row.summary, bool(row and row.failed)))
    return out
