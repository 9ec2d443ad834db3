"""When each scheduled job last ran, and the claim that stops two workers running it twice."""

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models._types import UTCDateTime


class JobRun(db.Model):
    """One run of a scheduled job (``portal.services.background.jobs``). The pair (job, run_for) is
    unique: a daily job's run_for is the day it ran for, so the second worker to try it
    that day finds the row taken and does nothing. The outbox sweep keeps one row, updated
    each minute."""

    __tablename__ = "job_run"
    __audited__ = False  # no personal data; written every minute
    __table_args__ = (UniqueConstraint("job", "run_for", name="uq_job_run_job_run_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    run_for: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What it did ("3 queued, 0 already sent"), or why it failed.
    summary: Mapped[str | None] = mapped_column(Text)
    failed: Mapped[bool] = mapped_column(default=False)
