"""Drafts: a public form's answers kept on the server between its pages."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete

from portal.extensions import db
from portal.models import Draft
from portal.services.common.dates import now_utc

# A draft nobody has touched for this long is of no use to anyone.
KEEP_FOR = timedelta(days=2)


def save(key: str | None, form: str, answers: dict) -> str:
    """Store answers under ``key`` (a new random key if None); return the key."""
    draft = db.session.get(Draft, key) if key else None
    if draft is None or draft.form != form:
        draft = Draft(key=secrets.token_urlsafe(32), form=form)
        db.session.add(draft)
    draft.answers = answers
    draft.updated_at = now_utc()
    return draft.key


def load(key: str | None, form: str) -> dict | None:
    if not key:
        return None
    draft = db.session.get(Draft, key)
    if draft is None or draft.form != form or draft.updated_at < now_utc() - KEEP_FOR:
        return None
    return dict(draft.answers)


def take(key: str, form: str) -> dict | None:
    """Remove the draft and return its answers, in the caller's transaction.

    Deleting first makes taking a draft a claim: of two requests sending the same
    answers at once, only one gets them, so a double click never sends twice.
    """
    answers = load(key, form)
    if answers is None:
        return None
    claimed = db.session.execute(delete(Draft).where(Draft.key == key)).rowcount
    return answers if claimed == 1 else None


def discard(key: str | None) -> None:
    if key:
        db.session.execute(delete(Draft).where(Draft.key == key))


def purge_stale() -> int:
    result = db.session.execute(delete(Draft).where(Draft.updated_at < now_utc() - KEEP_FOR))
    return result.rowcount
