"""The access log: who looked at a case page, a person's record or an export, and when.

Issue 8: every view of a case page, a person's record or an export is recorded (who,
when, what); feedback managers and administrators can see who viewed a case. Views are
kept in their own table (``AccessLogEntry``), not the audit trail: they change nothing,
there are many of them, and the question asked of them is one indexed query.
"""

from __future__ import annotations

from sqlalchemy import select, text

from portal.extensions import db
from portal.models import AccessLogEntry, Feedback, StaffUser

WHAT = ("case", "person", "child", "export", "subject_access_release")


def record_view(user: StaffUser | str, what: str, feedback: Feedback | None = None,
                person_id: int | None = None, detail: str | None = None,
                commit: bool = True, only_read: bool = False) -> AccessLogEntry:
    """Log one view by ``user`` (a member of staff, or a label such as "command line").
    Committed at once unless ``commit`` is False, so a view is logged even if nothing
    else in the request is saved. ``only_read``: the request has written nothing else, so
    what it has read stays loaded after the commit."""
    if what not in WHAT:
        raise ValueError(f"unknown kind of view {what!r}")
    if isinstance(user, StaffUser):
        user_id, label = user.id, f"{user.name} <{user.email}>"
    else:
        user_id, label = None, str(user)
    entry = AccessLogEntry(
        staff_user_id=user_id, staff_label=label[:254], what=what,
        feedback_id=feedback.id if feedback is not None else None,
        person_id=person_id, detail=(detail or None) and detail[:300],
    )
    db.session.add(entry)
    if commit:  # unlike other services: a view is logged even when the request then fails
        _commit_the_entry(entry, only_read)
    return entry


def _commit_the_entry(entry: AccessLogEntry, only_read: bool) -> None:
    """Commit. For a request that has only read (``only_read``: nothing written before,
    the caller's word, and nothing changed waiting to be, checked here), the entry is all
    the commit writes, so what it read (the record, the signed-in account) is as true
    after it as before: kept, not read again (issue 23: two of the case page's
    statements)."""
    session = db.session()
    if not only_read or session.dirty or session.deleted or set(session.new) != {entry}:
        session.commit()
        return
    _without_waiting_for_the_disk(session)
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _without_waiting_for_the_disk(session) -> None:
    """On PostgreSQL, a commit that holds only a view's entry does not wait for the write-
    ahead log to reach the disk (``synchronous_commit = off`` for this transaction alone):
    that wait was some 4 ms of every case page here (issue 23). The entry is still
    written, in order, within a fraction of a second; only a crash of the database server
    itself in that fraction loses it, and no change to a record is ever committed so.
    SQLite in WAL mode with ``synchronous = NORMAL`` (portal/extensions.py) already
    commits every transaction this way."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))


def viewers_of_case(feedback: Feedback, limit: int = 500) -> list[AccessLogEntry]:
    """Every logged view of this case's page (and exports naming it), newest first."""
    return list(db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.feedback_id == feedback.id)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()).limit(limit)
    ))


def views_of_person(person_id: int, limit: int = 500) -> list[AccessLogEntry]:
    return list(db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.person_id == person_id)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()).limit(limit)
    ))
